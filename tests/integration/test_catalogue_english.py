"""Catalogue texts carry optional English versions: edited on the admin form, imported, shown by the API."""

from __future__ import annotations

import io

import pytest

from servicedesk.domain.model import Service
from servicedesk.extensions import db
from tests.integration.admin_pages import AdminPages

CATALOGUE = """services:
  - code: KTP
    name: Perekaman KTP-el
    name_en: Electronic ID recording
    description: Perekaman data kependudukan.
    description_en: Recording of population data.
    requirements: [Fotokopi Kartu Keluarga, Surat pengantar RT]
    requirements_en: [Copy of the family card, Letter from the neighbourhood head]
    procedure: [Ambil nomor, Foto dan sidik jari]
    procedure_en: [Take a number, Photo and fingerprints]
    standard_minutes: 10
    fee: Gratis
    fee_en: Free of charge
    product: KTP-el
    product_en: Electronic ID card
    complaint_channel: lapor.go.id
    complaint_channel_en: lapor.go.id (in Indonesian)
"""


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def public(client, code: str) -> dict:
    return next(s for s in client.get("/api/v1/services").json if s["code"] == code)


def test_an_imported_catalogue_keeps_its_english_texts_and_the_api_offers_them(pages, client):
    response = pages.post("/admin/services/import", {"step": "confirm", "format": "yaml", "text": CATALOGUE})
    assert response.status_code == 303
    ktp = public(client, "KTP")
    assert ktp["en"] == {
        "description": "Recording of population data.",
        "requirements": ["Copy of the family card", "Letter from the neighbourhood head"],
        "procedure": ["Take a number", "Photo and fingerprints"],
        "fee": "Free of charge",
        "product": "Electronic ID card",
        "complaint_channel": "lapor.go.id (in Indonesian)",
    }
    assert ktp["requirements"] == ["Fotokopi Kartu Keluarga", "Surat pengantar RT"]  # the Indonesian stays


def test_a_service_without_english_texts_offers_empty_ones_so_the_kiosk_falls_back(client, office):
    assert public(client, "B")["en"]["requirements"] == []
    assert public(client, "B")["en"]["fee"] == ""


def test_the_admin_form_edits_the_english_texts(pages, app, office):
    html = pages.html(f"/admin/services/{office.service('A')}")
    assert 'id="english-texts"' in html and "Original diploma" in html
    data = {
        "code": "A",
        "name": "Legalisir Ijazah",
        "standard_minutes": "15",
        "requirements": "Ijazah asli",
        "requirements_en": "Original diploma\nCopy of the diploma",
        "fee_en": "Free",
        "priority_allowed": "1",
        "active": "1",
    }
    assert pages.post(f"/admin/services/{office.service('A')}", data).status_code == 303
    with app.app_context():
        service = db.session.query(Service).filter_by(code="A").one()
        assert service.requirements_en == ["Original diploma", "Copy of the diploma"]
        assert service.fee_en == "Free" and service.procedure_en == []
        db.session.remove()
    [*_, entry] = pages.audit("service")
    assert entry.after["requirements_en"] == ["Original diploma", "Copy of the diploma"]


def test_the_catalogue_export_carries_the_english_columns(pages):
    text = pages.client.get("/admin/services/export.csv").get_data(as_text=True)
    header = next(io.StringIO(text.lstrip("\ufeff"))).strip().split(",")
    assert {"description_en", "requirements_en", "procedure_en", "fee_en", "product_en"} <= set(header)
