"""Administration of what the waiting-room TV shows besides the calls, at /admin/announcements:
the Maklumat Pelayanan and announcements of text or an image (use cases in
services/admin/announcements.py). Admins change them; supervisors may read the page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from ...domain.announcements import MAX_IMAGE_BYTES, Announcement
from ...extensions import csrf, db
from ...services.admin import Invalid, Missing, announcements
from ..context import unit_of_work
from ..uploads import image_folder
from .base import _actor, _check_csrf, _or_404, _saved, admin_only, readable, site_forms_for_site_staff
from .forms import AdminForm, Whole, check, strip, submitted, text

bp = Blueprint("admin_announcements", __name__, url_prefix="/admin/announcements")
bp.before_request(site_forms_for_site_staff)

#: An image and the form around it.
UPLOAD_LIMIT = MAX_IMAGE_BYTES + 16 * 1024
KIND_LABELS = {"maklumat": _l("Maklumat Pelayanan"), "text": _l("Text announcement"), "image": _l("Image announcement")}


class AnnouncementForm(AdminForm):
    """The order is the form's to check; what an announcement needs is the domain's (domain/announcements.py)."""

    kind = text()
    title = text()
    body = TextAreaField(filters=[strip], default="")
    position = text(Whole(0, 9999, optional=True))
    active = check()


def _page(item: Announcement | None = None, values: dict | None = None, errors: dict | None = None, status=200):
    values = (
        values if values is not None else (announcements.snapshot(item) if item else {"kind": "text", "active": "1"})
    )
    return render_template(
        "admin/announcements.html",
        items=announcements.listed(db.session),
        item=item,
        values=values,
        errors=errors or {},
        kinds=KIND_LABELS,
        max_kb=MAX_IMAGE_BYTES // 1024,
    ), status


def _upload() -> bytes | None:
    upload = request.files.get("image")
    if not upload:
        return None
    with upload.stream:  # a large upload sits in a temporary file: closed as soon as it is read
        data = upload.read(MAX_IMAGE_BYTES + 1)
    return data or None


@bp.get("/")
@readable
def index():
    return _page()


@bp.post("/")
@csrf.exempt  # checked in the view, after the upload limit is raised
@admin_only
def create():
    request.max_content_length = UPLOAD_LIMIT
    _check_csrf()
    form = AnnouncementForm()
    store = lambda uow, data: announcements.create(  # noqa: E731
        uow, actor_id=_actor(), data=data, image=_upload(), folder=image_folder()
    )
    try:
        submitted(form, store)
    except Invalid as invalid:
        form.refuse(invalid)
        return _page(values=form.values(), errors=form.messages, status=400)
    return _saved(_("Announcement saved."), "admin_announcements.index")


@bp.get("/<int:announcement_id>")
@readable
def edit(announcement_id: int):
    return _page(_or_404(Announcement, announcement_id))


@bp.post("/<int:announcement_id>")
@csrf.exempt  # checked in the view, after the upload limit is raised
@admin_only
def update(announcement_id: int):
    request.max_content_length = UPLOAD_LIMIT
    _check_csrf()
    form = AnnouncementForm()
    store = lambda uow, data: announcements.update(  # noqa: E731
        uow, actor_id=_actor(), announcement_id=announcement_id, data=data, image=_upload(), folder=image_folder()
    )
    try:
        submitted(form, store)
    except Missing:
        abort(404)
    except Invalid as invalid:
        form.refuse(invalid)
        return _page(_or_404(Announcement, announcement_id), values=form.values(), errors=form.messages, status=400)
    return _saved(_("Announcement saved."), "admin_announcements.index")


@bp.post("/<int:announcement_id>/delete")
@admin_only
def delete(announcement_id: int):
    try:
        with unit_of_work() as uow:
            announcements.delete(uow, actor_id=_actor(), announcement_id=announcement_id, folder=image_folder())
    except Missing:
        abort(404)
    return _saved(_("Announcement deleted."), "admin_announcements.index")
