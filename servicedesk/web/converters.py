"""URL converters. Ids in paths are bounded to the database's INTEGER, so /tickets/99999999999 is a
404 like any unknown id instead of an overflow inside PostgreSQL."""

from __future__ import annotations

from flask import Flask
from flask_smorest.spec.plugins import integerconverter2paramschema
from werkzeug.routing import IntegerConverter

MAX_ROW_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask, api) -> None:
    """Replace `<int:…>` for every route; call before blueprints are registered."""
    app.url_map.converters["int"] = RowIdConverter
    api.register_converter(RowIdConverter, integerconverter2paramschema)
