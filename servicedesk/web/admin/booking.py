"""/admin/booking: which services can be booked ahead, the split of their day, their check-in window
and anti-calo limits; the office's retention of personal data; a person's export and erase (UU PDP)."""

from __future__ import annotations

import json

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from ...domain.booking import BookingRefused, BookingSettings
from ...domain.model import Service
from ...domain.nik import IdentityRefused
from ...extensions import db
from ...persistence.bookings import BookingRepository
from ...services import booking as bookings
from ...services import booking_admin
from ..booking_common import secret
from ..context import unit_of_work
from .base import _actor, _or_404, _saved, _services, admin_only, bp, readable


def _percent(label):
    return IntegerField(label, validators=[InputRequired(), NumberRange(0, 100)])


def _limit(label):
    return IntegerField(label, validators=[Optional(), NumberRange(0, 1000)])


class BookingSettingsForm(FlaskForm):
    enabled = BooleanField(_l("Bookable ahead"))
    online_percent = _percent(_l("Online share (percent)"))
    priority_percent = _percent(_l("Priority share (percent)"))
    walk_in_reserve_percent = _percent(_l("Walk-in reserve (percent), never bookable"))
    requires_identity = BooleanField(_l("The service requires identity (ask the NIK)"))
    early_minutes = IntegerField(_l("Check-in opens (minutes before the slot)"), validators=[NumberRange(0, 240)])
    late_minutes = IntegerField(_l("Late window (minutes after the slot)"), validators=[NumberRange(0, 240)])
    change_cutoff_hours = IntegerField(
        _l("Cancel or reschedule up to (hours before)"), validators=[NumberRange(0, 168)]
    )
    horizon_days = IntegerField(_l("Bookable up to (days ahead)"), validators=[NumberRange(1, 90)])
    same_day = BooleanField(_l("Same-day booking (today's remaining slots, never the walk-in reserve)"))
    per_nik_day = _limit(_l("Per NIK per day"))
    per_nik_week = _limit(_l("Per NIK per week"))
    per_phone_day = _limit(_l("Per phone per day"))
    per_phone_week = _limit(_l("Per phone per week"))
    per_device_day = _limit(_l("Per device per day"))
    per_device_week = _limit(_l("Per device per week"))
    max_no_shows = _limit(_l("No-shows that pause booking"))
    no_show_days = IntegerField(_l("No-shows counted over (days)"), validators=[NumberRange(1, 365)])


class RetentionForm(FlaskForm):
    retention_days = IntegerField(_l("Keep personal data for (days)"), validators=[NumberRange(1, 3650)])


class PersonForm(FlaskForm):
    nik = StringField(_l("NIK"), validators=[Optional()])
    phone = StringField(_l("Mobile number"), validators=[Optional()])


@bp.get("/booking/")
@readable
def booking():
    repo = BookingRepository(db.session)
    rows = [(service, repo.settings(service.id)) for service in _services()]
    retention = RetentionForm(retention_days=repo.retention_days())
    return render_template("admin/booking.html", rows=rows, retention=retention, person=PersonForm())


@bp.route("/booking/<int:service_id>", methods=["GET", "POST"])
@readable
def booking_service(service_id: int):
    service = _or_404(Service, service_id)
    current = BookingRepository(db.session).settings(service_id) or BookingSettings(service_id)
    form = BookingSettingsForm(obj=current)
    error, status = None, 200
    if form.validate_on_submit():
        try:
            values = {name: getattr(form, name).data for name in booking_admin.FIELDS}
            booking_admin.update_settings(unit_of_work(), actor_id=_actor(), service_id=service_id, values=values)
            return _saved(_("Booking settings saved."), "admin.booking")
        except BookingRefused:
            error, status = _("The online and priority shares may not eat into the walk-in reserve."), 400
            db.session.rollback()
    elif form.is_submitted():
        status = 400
    return render_template("admin/booking_form.html", service=service, form=form, error=error), status


@bp.post("/booking/retention")
@admin_only
def booking_retention():
    form = RetentionForm()
    if not form.validate_on_submit():
        return render_template("admin/message.html", title=_("Not saved"), message=_("Give a number of days.")), 400
    booking_admin.set_retention(unit_of_work(), actor_id=_actor(), days=form.retention_days.data)
    return _saved(_("Retention saved."), "admin.booking")


@bp.post("/booking/person/<action>")
@admin_only
def booking_person(action: str):
    """A person's request under UU 27/2022: see what we hold, or erase it. Both are audited."""
    form = PersonForm()
    if action not in ("export", "erase") or not form.validate_on_submit():
        return render_template("admin/message.html", title=_("Not done"), message=_("Give a NIK or a phone.")), 400
    nik, phone = form.nik.data or None, form.phone.data or None
    try:
        if action == "export":
            found = bookings.export_person(unit_of_work(), secret=secret(), user_id=_actor(), nik=nik, phone=phone)
            body = json.dumps(found, ensure_ascii=False, indent=2)
            headers = {"Content-Disposition": 'attachment; filename="booking-data.json"'}
            return body, 200, {"Content-Type": "application/json; charset=utf-8", **headers}
        erased = bookings.erase_person(unit_of_work(), secret=secret(), user_id=_actor(), nik=nik, phone=phone)
    except IdentityRefused:
        db.session.rollback()
        message = _("Give a valid NIK or mobile number.")
        return render_template("admin/message.html", title=_("Not done"), message=message), 400
    return _saved(_("%(count)s booking(s) erased.", count=erased), "admin.booking")
