"""The office's settings, its logo and its holidays."""

from __future__ import annotations

import re

from flask import (
    abort,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _

from ...domain.audit import office_snapshot
from ...domain.hours import WEEKDAYS
from ...domain.model import Holiday
from ...extensions import csrf, db
from ...persistence import setup
from ...persistence.repository import Repository
from ...services import admin
from ..context import unit_of_work
from ..uploads import logo_folder
from .base import (
    LOGO_LIMIT,
    TIME_ZONES,
    WEEKDAY_LABELS,
    _actor,
    _agency,
    _check_csrf,
    _or_404,
    _saved,
    admin_only,
    bp,
    readable,
)
from .forms import AdminForm, Matches, OneOf, Required, Text, Whole, check, submitted, text
from .messages import messages

COMPLAINT_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class OfficeForm(AdminForm):
    """Lengths, numbers and choices; the time zone and the opening hours are the office's rules
    (services/admin/settings.py), coded."""

    name = text(Required(), Text(200))
    address = text(Text(500))
    time_zone = text()
    language = text(OneOf(admin.LANGUAGES))
    running_text = text(Text(1000))
    paper_width_mm = text(OneOf(("58", "80"), code="paper_width"))
    priority_max_in_a_row = text(Whole(1, 20))
    max_recalls = text(Whole(0, 10))
    no_show_window_minutes = text(Whole(0, 480))
    number_reading = text(OneOf(admin.NUMBER_READINGS))
    transfer_position = text(OneOf(admin.TRANSFER_POSITIONS))
    require_device_token = check()
    survey_link_days = text(Whole(1, 90), empty="7")  # a form from before this setting keeps the default
    complaint_url = text(Text(500), Matches(COMPLAINT_URL, "web_address"))
    # Notifications: "N more" / "M minutes" to a visitor who opted in; 0 turns one off.
    notify_people_ahead = text(Whole(0, 50), empty="3")
    notify_minutes_ahead = text(Whole(0, 240), empty="0")
    head_name = text(Text(200))
    head_nip = text(Text(32))  # typed with spaces as printed on a decree; stored as 18 digits


for _day in WEEKDAYS:
    setattr(OfficeForm, f"hours_{_day}", text())


class HolidayForm(AdminForm):
    day = text()
    name = text(Required(), Text(200))


def _settings_values(office) -> dict:
    values = office_snapshot(office)
    for day in WEEKDAYS:
        values[f"hours_{day}"] = admin.hours_to_text((office.opening_hours or {}).get(day, []))
    values["paper_width_mm"] = str(values["paper_width_mm"])
    return values


def _settings_context(**overrides) -> dict:
    office = Repository(db.session).office()
    context = {
        "values": _settings_values(office),
        "errors": {},
        "logo_errors": {},
        "holiday_errors": {},
        "holiday_values": {},
        "import_errors": {},
        "has_logo": admin.logo_path(logo_folder()) is not None,
        "weekdays": WEEKDAY_LABELS,
        "time_zones": TIME_ZONES,
        "holidays": setup.holidays(db.session, _agency()),
        "max_logo_kb": admin.MAX_LOGO_BYTES // 1024,
    }
    context.update(overrides)
    return context


def _settings_page(status: int = 200, **overrides):
    return render_template("admin/settings.html", **_settings_context(**overrides)), status


@bp.route("/settings", methods=["GET", "POST"])
@readable
def settings():
    if request.method == "GET":
        return _settings_page()
    form = OfficeForm()
    try:
        submitted(form, lambda uow, data: admin.update_office(uow, actor_id=_actor(), data=data))
    except admin.Invalid as invalid:
        form.refuse(invalid)
        return _settings_page(400, values=form.values(), errors=form.messages)
    return _saved(_("Office settings saved."), "admin.settings")


@bp.post("/settings/logo")
@csrf.exempt  # checked in the view, after the upload limit is raised
@admin_only
def logo_upload():
    request.max_content_length = LOGO_LIMIT
    _check_csrf()
    upload = request.files.get("logo")
    try:
        if request.form.get("remove"):
            with unit_of_work() as uow:
                admin.remove_logo(uow, actor_id=_actor(), folder=logo_folder())
            return _saved(_("The logo was removed."), "admin.settings")
        data = upload.read(admin.MAX_LOGO_BYTES + 1) if upload else b""
        with unit_of_work() as uow:
            admin.save_logo(
                uow, actor_id=_actor(), folder=logo_folder(), data=data, content_type=upload.mimetype if upload else ""
            )
    except admin.Invalid as invalid:
        return _settings_page(400, logo_errors=messages(invalid.errors))
    return _saved(_("The logo was saved."), "admin.settings")


@bp.get("/logo")
def logo():
    """The office logo, public: the kiosk, the display and the slip show it."""
    found = admin.logo_path(logo_folder())
    if found is None:
        abort(404)
    response = send_file(found[0], mimetype=found[1], max_age=300)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.post("/holidays")
@admin_only
def holiday_add():
    form = HolidayForm()
    try:
        holiday = submitted(form, lambda uow, data: admin.add_holiday(uow, actor_id=_actor(), data=data))
    except admin.Invalid as invalid:
        form.refuse(invalid)
        return _settings_page(400, holiday_errors=form.messages, holiday_values=form.values())
    return _saved(_("Holiday %(day)s added.", day=holiday.day.isoformat()), "admin.settings", _anchor="holidays")


@bp.post("/holidays/<int:holiday_id>/delete")
@admin_only
def holiday_delete(holiday_id: int):
    _or_404(Holiday, holiday_id)
    with unit_of_work() as uow:
        admin.remove_holiday(uow, actor_id=_actor(), holiday_id=holiday_id)
    return _saved(_("Holiday removed."), "admin.settings", _anchor="holidays")


@bp.post("/holidays/import")
@admin_only
def holidays_import():
    text = request.form.get("list", "")
    try:
        with unit_of_work() as uow:
            result = admin.import_holidays(uow, actor_id=_actor(), text=text)
    except admin.Invalid as invalid:
        return _settings_page(400, import_errors=messages(invalid.errors), holiday_values={"list": text})
    message = _(
        "Holidays imported: %(created)d new, %(updated)d renamed, %(unchanged)d unchanged.",
        created=len(result.created),
        updated=len(result.updated),
        unchanged=len(result.unchanged),
    )
    return _saved(message, "admin.settings", _anchor="holidays")


# --- the audit trail ---
