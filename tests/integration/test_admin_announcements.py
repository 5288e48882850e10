"""What the waiting-room TV shows besides the calls: the admin's Maklumat Pelayanan and announcements
(text, uploaded images checked by content and size, stored under instance/), and /display/info, which
adds each service's Standar Pelayanan, the latest IKM with its grade and today's quota left."""

from __future__ import annotations

import io

import pytest

from servicedesk.domain.announcements import MAX_IMAGE_BYTES
from servicedesk.domain.survey import CODES
from servicedesk.services import survey
from servicedesk.services.admin import Invalid, announcements
from servicedesk.web.context import unit_of_work
from tests.builders import act, call_next, issue
from tests.integration.admin_pages import AdminPages, field_error

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
MAKLUMAT = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah ditetapkan."
)


@pytest.fixture
def folder(app, tmp_path):
    app.config["ANNOUNCEMENT_FOLDER"] = str(tmp_path / "announcements")
    return tmp_path / "announcements"


@pytest.fixture
def pages(client, auth, app, office, folder):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def add(pages, **fields):
    data = {"kind": "text", "title": "", "body": "", "position": "", "active": "1", **fields}
    return pages.post("/admin/announcements/?lang=en", data, content_type="multipart/form-data")


def test_the_admin_adds_a_maklumat_a_text_and_an_image_and_the_display_shows_them(pages, folder):
    assert add(pages, kind="maklumat", title="Maklumat Pelayanan", body=MAKLUMAT).status_code == 303
    assert add(pages, title="Libur nasional", body="Kantor tutup 17 Agustus.").status_code == 303
    image = (io.BytesIO(PNG), "brosur.png", "image/png")
    assert add(pages, kind="image", title="Brosur legalisir", image=image).status_code == 303
    page = pages.html("/admin/announcements/")
    assert "Libur nasional" in page and "Brosur legalisir" in page
    [stored] = list(folder.iterdir())
    assert stored.read_bytes() == PNG and stored.suffix == ".png"

    info = pages.client.get("/display/info").json
    assert info["maklumat"] == [{"title": "Maklumat Pelayanan", "body": MAKLUMAT}]
    text, picture = info["announcements"]
    assert (text["kind"], text["title"], text["image_url"]) == ("text", "Libur nasional", None)
    assert picture["image_url"] == f"/display/announcements/{stored.name}"
    served = pages.client.get(picture["image_url"])
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == PNG
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()
    assert [entry.action for entry in pages.audit("announcement")] == ["create"] * 3


def test_an_announcement_is_edited_hidden_and_deleted_with_its_image(pages, folder, app):
    add(pages, kind="image", title="Brosur", image=(io.BytesIO(PNG), "a.png", "image/png"))
    with app.app_context():
        from servicedesk.extensions import db
        from servicedesk.services.admin.announcements import listed

        [item] = listed(db.session)
        item_id = item.id
    [first] = list(folder.iterdir())
    edited = pages.post(
        f"/admin/announcements/{item_id}",
        {"kind": "text", "title": "Brosur baru", "body": "Teks saja", "position": "3"},
        content_type="multipart/form-data",
    )
    assert edited.status_code == 303
    assert not first.exists()  # the image went with the kind
    assert pages.client.get("/display/info").json["announcements"] == []  # not active: not shown
    assert "Brosur baru" in pages.html(f"/admin/announcements/{item_id}")
    assert pages.post(f"/admin/announcements/{item_id}/delete").status_code == 303
    assert "Brosur baru" not in pages.html("/admin/announcements/")
    assert [entry.action for entry in pages.audit("announcement")] == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "", "body": "x"}, "f-title", "required"),
        ({"title": "Kosong", "body": ""}, "f-body", "required"),
        ({"kind": "video", "title": "x", "body": "x"}, "f-kind", "choose one of the options"),
        ({"kind": "image", "title": "x"}, "f-image", "choose an image file"),
        (
            {
                "kind": "image",
                "title": "x",
                "image": (b"<svg onload='alert(1)'></svg>", "a.png", "image/png"),
            },
            "f-image",
            "use a PNG, JPEG or WebP image",
        ),
        (
            {"kind": "image", "title": "x", "image": (b"GIF89a" + b"\0" * 30, "a.png", "image/png")},
            "f-image",
            "use a PNG, JPEG or WebP image",
        ),
    ],
)
def test_a_wrong_announcement_is_refused_with_its_message_and_nothing_stored(pages, folder, fields, field, message):
    if "image" in fields:  # a fresh file for each run of the test
        data, name, content_type = fields["image"]
        fields = {**fields, "image": (io.BytesIO(data), name, content_type)}
    response = add(pages, **fields)
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), field)
    assert not folder.exists() or not list(folder.iterdir())
    assert pages.client.get("/display/info").json["announcements"] == []


def test_a_supervisor_reads_the_announcements_but_cannot_change_them_and_an_officer_is_turned_away(
    client, auth, app, office, folder
):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert "Waiting-room display" in pages.html("/admin/announcements/?lang=en")
    assert add(pages, title="x", body="y").status_code == 403
    auth.login("siti")
    assert client.get("/admin/announcements/").status_code == 403
    refused = client.post("/admin/announcements/", data={"kind": "text", "title": "x", "body": "y"})
    assert refused.status_code in (400, 403)
    assert client.get("/display/info").json["announcements"] == []


def test_only_stored_image_names_are_served(client, office, folder):
    folder.mkdir()
    (folder / "secret.txt").write_text("no")
    for name in ("secret.txt", "..%2Fsecret.txt", "0123456789abcdef01234567.svg", "0123456789abcdef01234567.png"):
        assert client.get(f"/display/announcements/{name}").status_code == 404


def served(client, office, auth, count: int) -> list[str]:
    """`count` visitors of service A served at counter 1 by siti: the tokens their surveys answer with."""
    auth.at_counter("siti", office.counter(1))
    tokens = [issue(client, office, "A")["token"] for _ in range(count)]
    for _ in tokens:
        ticket = call_next(client, office.counter(1)).json
        act(client, ticket["id"], "start")
        act(client, ticket["id"], "finish")
    return tokens


def test_the_display_info_has_each_standard_the_quota_left_and_the_latest_ikm_with_its_grade(app, client, office, auth):
    office.update_service("A", daily_quota=5)
    tokens = served(client, office, auth, 2)
    with app.app_context():
        for token, answer in zip(tokens, (4, 3), strict=True):
            survey.submit_response(unit_of_work(), token=token, answers=dict.fromkeys(CODES, answer))
    info = client.get("/display/info").json
    assert info["quota_left"][str(office.service("A"))] == 3
    assert str(office.service("B")) not in info["quota_left"] or info["quota_left"][str(office.service("B"))] >= 0
    assert info["ikm"] == {"score": 87.5, "grade": "B", "label": "Baik", "respondents": 2}
    standard = next(s for s in info["standards"] if s["code"] == "A")
    assert standard["requirements"] and standard["standard_minutes"] > 0 and "fee" in standard


def test_the_tvs_ikm_is_tallied_again_only_when_a_response_comes_in_not_on_every_poll(app, client, office, auth):
    from tests.integration.test_settings_cache import statements_of

    tokens = served(client, office, auth, 2)
    with app.app_context():
        survey.submit_response(unit_of_work(), token=tokens[0], answers=dict.fromkeys(CODES, 4))

    def tallies() -> int:  # the statements that read the responses' answers, not only the newest id
        sent = statements_of(app, lambda: client.get("/display/info"))
        return len([s for s in sent if "survey_answers" in s or ("survey_responses" in s and "max(" not in s)])

    assert tallies() > 0  # the first poll tallies
    assert tallies() == 0  # the next polls read only the newest response
    assert client.get("/display/info").json["ikm"]["respondents"] == 1
    with app.app_context():
        survey.submit_response(unit_of_work(), token=tokens[1], answers=dict.fromkeys(CODES, 3))
    assert client.get("/display/info").json["ikm"] == {"score": 87.5, "grade": "B", "label": "Baik", "respondents": 2}


def test_an_image_over_the_size_limit_is_refused(app, office, folder):
    # Through the use case: a multipart body this large would be spooled by the test client to a file it never closes.
    with app.app_context(), pytest.raises(Invalid) as refused:
        announcements.create(
            unit_of_work(),
            actor_id=None,
            data={"kind": "image", "title": "Besar", "active": "1"},
            image=PNG + b"\0" * MAX_IMAGE_BYTES,
            folder=folder,
        )
    [error] = refused.value.errors.values()
    assert (error.field, error.code, error.params) == ("image", "image_too_large", {"kb": 1024})
    assert not folder.exists() or not list(folder.iterdir())
