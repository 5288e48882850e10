"""JSON API v1. Its OpenAPI document is generated from these views and schemas at /api/v1/openapi.json."""
