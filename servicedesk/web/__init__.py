"""Blueprints, one per audience: the JSON API here; kiosk, display, officer and admin pages beside it."""
