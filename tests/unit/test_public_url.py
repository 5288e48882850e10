"""PUBLIC_URL is checked when the application starts, not when a visitor's phone fails to open a link."""

import pytest

from servicedesk.config import SettingInvalid, public_url


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://antrean.example.go.id", "https://antrean.example.go.id"),
        ("https://antrean.example.go.id/", "https://antrean.example.go.id"),
        ("http://192.168.1.10:8000", "http://192.168.1.10:8000"),
        ("  HTTPS://Antrean.Example.go.id  ", "https://Antrean.Example.go.id"),
    ],
)
def test_a_public_url_keeps_its_scheme_host_and_port(value, kept):
    assert public_url(value, required=True) == kept


@pytest.mark.parametrize(
    "value",
    [
        "antrean.example.go.id",
        "ftp://antrean.example.go.id",
        "https://",
        "/kiosk",
        "https://antrean.example.go.id/antrean",
        "https://antrean.example.go.id/?x=1",
        "https://antrean.example.go.id/#top",
        "https://admin:secret@antrean.example.go.id",
        "https://antrean.example.go.id:99999",
    ],
)
def test_a_public_url_with_anything_but_scheme_host_and_port_is_refused(value):
    with pytest.raises(SettingInvalid, match="PUBLIC_URL"):
        public_url(value, required=False)


def test_without_a_public_url_development_falls_back_and_production_refuses_to_start():
    assert public_url(None, required=False) is None
    assert public_url("", required=False) is None
    with pytest.raises(SettingInvalid, match="required in production"):
        public_url("", required=True)
