"""The visitor's booking page at /booking: phone-first, Indonesian first, no login.

Choose a service and a day, then a free slot; give a name, a phone number and, only where the
service needs identity, the NIK. The answer is a booking code and its QR, shown on screen and
downloadable; the booking's own page (/booking/<token>) cancels or reschedules it once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..domain.booking import BookingRefused
from ..domain.errors import DomainError, IssuingRefused, NotAllowed, NotFound
from ..domain.nik import IdentityRefused
from ..domain.priority_groups import groups_of
from ..extensions import db
from ..persistence.bookings import BookingRepository
from ..persistence.repository import Repository
from ..services import booking as bookings
from ..services import qr
from .booking_common import local_time, require_check_in_place, secret
from .context import unit_of_work

bp = Blueprint("booking", __name__)

#: What the visitor reads for each refusal's code (never the English message of the domain).
MESSAGES = {
    "slot_full": _l("This slot has just been taken. Please choose another."),
    "slot_unknown": _l("Please choose one of the free slots."),
    "booking_not_offered": _l("This service cannot be booked ahead."),
    "day_out_of_range": _l("That day cannot be booked."),
    "name_required": _l("Please give the name on your identity card."),
    "nik_required": _l("This service needs your NIK."),
    "nik_length": _l("A NIK has 16 digits."),
    "nik_region": _l("The NIK's region code is not valid. Please check it."),
    "nik_birth_date": _l("The NIK's birth date part is not valid. Please check it."),
    "nik_serial": _l("The NIK is not valid. Please check it."),
    "phone_invalid": _l("Please give a mobile number starting with 08."),
    "limit_nik_day": _l("This NIK already has a booking that day."),
    "limit_nik_week": _l("This NIK has reached its bookings for this week."),
    "limit_phone_day": _l("This phone number already has a booking that day."),
    "limit_phone_week": _l("This phone number has reached its bookings for this week."),
    "limit_device_day": _l("Too many bookings from this phone today."),
    "limit_device_week": _l("Too many bookings from this phone this week."),
    "too_many_no_shows": _l("Bookings are paused after missed bookings. Please come as a walk-in."),
    "not_changeable": _l("This booking can no longer be changed."),
    "change_cutoff_passed": _l("It is too late to change this booking."),
    "already_rescheduled": _l("A booking can be rescheduled once."),
    "slot_past": _l("That slot has passed."),
}


def message_for(error: DomainError) -> str:
    return str(MESSAGES.get(error.code, _l("The booking could not be made. Please try again.")))


class BookForm(FlaskForm):
    slot_start = HiddenField(validators=[DataRequired()])
    name = StringField(_l("Full name (as on your KTP)"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)])
    nik = StringField(_l("NIK (16 digits)"), validators=[Optional(), Length(max=24)])
    # The kelompok rentan (UU 25/2009): such a booking takes a seat of the priority share; the desk
    # checks it at check-in as it checks a walk-in's priority.
    priority_group = SelectField(_l("Priority group"), choices=[], validate_choice=True, default="")


class StaffBookForm(BookForm):
    phone = StringField(_l("Mobile number (if the visitor has one)"), validators=[Optional(), Length(max=20)])


class RescheduleForm(FlaskForm):
    slot_start = HiddenField(validators=[DataRequired()])


class CheckInForm(FlaskForm):
    code = StringField(_l("Booking code"), validators=[DataRequired(), Length(max=16)])
    device_token = HiddenField(validators=[Optional(), Length(max=128)])


class ActionForm(FlaskForm):
    """A button with its CSRF token (cancel)."""


def _services() -> list:
    repo, found = Repository(db.session), []
    for service_id in BookingRepository(db.session).bookable_service_ids():
        service = repo.service(service_id)
        if service is not None and service.active:
            found.append((service, BookingRepository(db.session).settings(service_id)))
    return sorted(found, key=lambda pair: pair[0].position)


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _slot_start(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else None


def _plan(uow, service_id: int, day: date):
    try:
        return bookings.day_plan(uow, service_id, day), None
    except (BookingRefused, NotFound) as refused:
        return None, message_for(refused)


@bp.route("/booking", methods=["GET", "POST"])
def index():
    return _book_page(staff=False)


@bp.route("/booking/staff", methods=["GET", "POST"])
def staff():
    """Staff book for a visitor without a phone (officer console, reception): the number is optional."""
    if not current_user.is_authenticated:
        return redirect(url_for("login.login", next=request.full_path.rstrip("?")))
    return _book_page(staff=True)


def _book_page(*, staff: bool):
    uow = unit_of_work()
    office = uow.repo.office()
    services = _services()
    chosen = request.values.get("service", type=int)
    service, settings = next(((s, b) for s, b in services if s.id == chosen), (None, None))
    # Today too where the service allows same-day booking (its slots still to come, online share only).
    first_day = bookings.today(uow) + timedelta(days=0 if settings is not None and settings.same_day else 1)
    day = _day(request.values.get("day"), first_day)
    form, error, plan = (StaffBookForm() if staff else BookForm()), None, None
    locale = str(get_locale() or "id")
    form.priority_group.choices = [("", _("None (online share)"))] + [
        (g.key, g.label(locale)) for g in groups_of(office.priority_groups)
    ]
    if service is not None:
        if form.validate_on_submit():
            slot_start = _slot_start(form.slot_start.data)
            try:
                if slot_start is None:
                    raise BookingRefused("no slot", code="slot_unknown")
                made, _replayed = bookings.book(
                    uow,
                    secret=secret(),
                    service_id=service.id,
                    day=day,
                    slot_start=slot_start,
                    name=form.name.data,
                    phone=form.phone.data or None,
                    nik=form.nik.data if settings.requires_identity else None,
                    device_id=None if staff else request.cookies.get("sd_device"),
                    source="staff" if staff else "online",
                    priority_group=(form.priority_group.data or None) if service.priority_allowed else None,
                )
                return redirect(url_for("booking.page", token=made.token), 303)
            except (BookingRefused, IdentityRefused, NotFound) as refused:
                error = message_for(refused)
        elif request.method == "POST":
            error = _("Please choose a slot and fill in your name and mobile number.")
        plan, plan_error = _plan(uow, service.id, day)
        error = error or plan_error
    status = 400 if error and request.method == "POST" else 200
    return render_template(
        "booking/index.html",
        office=office,
        services=services,
        service=service,
        settings=settings,
        day=day,
        first_day=first_day,
        last_day=bookings.today(uow) + timedelta(days=settings.horizon_days if settings else 14),
        plan=plan,
        form=form,
        error=error,
        staff=staff,
        endpoint="booking.staff" if staff else "booking.index",
        retention_days=BookingRepository(db.session).retention_days(),
        time_of=lambda moment: local_time(moment, office.time_zone),
    ), status


CHECK_IN_MESSAGES = {
    "booking_not_found": _l("No booking with this code. Please check the code."),
    "too_early": _l("It is too early to check in. Check-in opens at {opens_at}."),
    "not_today": _l("This booking is for another day ({day})."),
    "not_checkable": _l("This booking was already used or cancelled."),
    "device_token_required": _l("Please check in at the office's kiosk or at reception."),
    "device_token_invalid": _l("Please check in at the office's kiosk or at reception."),
}


@bp.route("/booking/check-in", methods=["GET", "POST"])
def kiosk_check_in():
    """The kiosk's "I have a booking" screen: the code typed, or read by the QR scanner (which types it)."""
    uow = unit_of_work()
    office = uow.repo.office()
    form, error, done, status = CheckInForm(), None, None, 200
    if form.validate_on_submit():
        try:
            require_check_in_place(form.device_token.data or request.headers.get("X-Device-Token"))
            done = bookings.check_in(uow, form.code.data)
        except DomainError as refused:
            template = str(CHECK_IN_MESSAGES.get(refused.code) or MESSAGES.get(refused.code) or message_for(refused))
            error = template.format_map({"opens_at": "", "day": "", **refused.details})
            status = 403 if isinstance(refused, NotAllowed) else 404 if isinstance(refused, NotFound) else 409
    elif request.method == "POST":
        error, status = _("Please type your booking code."), 400
    settings = BookingRepository(db.session).settings(done.booking.service_id) if done else None
    return render_template(
        "booking/kiosk.html", office=office, form=form, error=error, done=done, settings=settings
    ), status


@bp.get("/booking/<token>")
def page(token: str):
    uow = unit_of_work()
    booking = BookingRepository(db.session).by_token(token)
    if booking is None:
        return render_template("booking/missing.html", office=uow.repo.office()), 404
    return _render_page(uow, booking)


def _render_page(uow, booking, error: str | None = None, status: int = 200):
    office = uow.repo.office()
    service = uow.repo.service(booking.service_id)
    settings = BookingRepository(db.session).settings(booking.service_id)
    day = _day(request.values.get("day"), booking.day)
    plan = None
    if booking.status == "booked" and booking.rescheduled == 0 and request.values.get("day"):
        plan, error = _plan(uow, booking.service_id, day)
    return render_template(
        "booking/page.html",
        office=office,
        booking=booking,
        service=service,
        settings=settings,
        qr_svg=qr.svg(booking.code),
        day=day,
        plan=plan,
        error=error,
        form=RescheduleForm(),
        action=ActionForm(),
        time_of=lambda moment: local_time(moment, office.time_zone),
    ), status


def _missing(uow):
    return render_template("booking/missing.html", office=uow.repo.office()), 404


@bp.post("/booking/<token>/cancel")
def cancel(token: str):
    uow = unit_of_work()
    booking = BookingRepository(db.session).by_token(token)
    if booking is None:
        return _missing(uow)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("booking.page", token=token), 303)
    try:
        bookings.cancel(uow, token)
    except BookingRefused as refused:
        return _render_page(uow, bookings.by_token(uow, token), message_for(refused), 409)
    return redirect(url_for("booking.page", token=token), 303)


@bp.post("/booking/<token>/reschedule")
def reschedule(token: str):
    uow = unit_of_work()
    booking = BookingRepository(db.session).by_token(token)
    if booking is None:
        return _missing(uow)
    form = RescheduleForm()
    slot_start = _slot_start(form.slot_start.data) if form.validate_on_submit() else None
    try:
        if slot_start is None:
            raise BookingRefused("no slot", code="slot_unknown")
        day = _day(request.values.get("day"), booking.day)
        bookings.reschedule(uow, token, day, slot_start, secret=secret())
    except (BookingRefused, IssuingRefused) as refused:
        return _render_page(uow, bookings.by_token(uow, token), message_for(refused), 409)
    return redirect(url_for("booking.page", token=token), 303)


@bp.get("/booking/<token>/qr.svg")
def qr_svg(token: str):
    """The booking's QR to keep (it holds the code the kiosk reads)."""
    booking = BookingRepository(db.session).by_token(token)
    if booking is None:
        return Response(status=404)
    headers = {"Content-Disposition": f'attachment; filename="booking-{booking.code}.svg"'}
    return Response(qr.svg(booking.code), mimetype="image/svg+xml", headers=headers)
