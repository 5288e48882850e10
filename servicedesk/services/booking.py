"""Booking ahead: find a free slot, book it, change it once, check in into the one queue, forget the person.

The seat is taken in the booking's transaction (BookingRepository.take_seat), so a refused or failed
booking gives it back with the rollback. Check-in goes through the issuing use case with the ticket's
place in line at the slot time (domain/booking.py check_in_rule).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from ..domain.booking import (
    Booking,
    BookingMade,
    BookingRefused,
    BookingReminderDue,
    BookingSettings,
    DayCapacity,
    Slot,
    day_slots,
)
from ..domain.errors import DomainError, NotFound
from ..domain.nik import IdentityRefused, nik_last4, validate_nik
from ..domain.numbering import service_day
from ..domain.phone import normalise_phone
from ..domain.priority_groups import groups_of
from ..persistence.bookings import BookingRepository
from . import audit, tickets
from .unit_of_work import UnitOfWork

#: Booking codes avoid look-alikes (0/O, 1/I/L): read aloud, typed at a kiosk, printed on a slip.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def keyed_hash(secret: str | bytes, kind: str, value: str) -> str:
    """An HMAC of a NIK or a device id with the app's secret: comparable, not reversible by a dump."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class FreeSlot:
    slot: Slot
    free: int  # seats of the online share still free
    priority_free: int = 0  # seats of the priority share still free (priority bookings only)

    def free_for(self, priority: bool) -> int:
        return self.priority_free if priority else self.free


@dataclass(frozen=True)
class DayPlan:
    day: date
    capacity: DayCapacity
    slots: list[FreeSlot]


def _settings(repo: BookingRepository, service_id: int) -> BookingSettings:
    settings = repo.settings(service_id)
    if settings is None or not settings.enabled:
        raise BookingRefused("This service cannot be booked ahead.", code="booking_not_offered")
    return settings


def _service(uow: UnitOfWork, service_id: int):
    service = uow.repo.service(service_id)
    if service is None or not service.active:
        raise NotFound(f"No active service with id {service_id}.")
    return service


def today(uow: UnitOfWork) -> date:
    return service_day(uow.clock(), uow.repo.office().time_zone)


def day_plan(uow: UnitOfWork, service_id: int, day: date) -> DayPlan:
    """The day's capacity and its slots with the seats still free (the past ones left out)."""
    repo = BookingRepository(uow.session)
    service, settings = _service(uow, service_id), _settings(repo, service_id)
    settings.bookable_day(day, today(uow))
    office = uow.repo.office()
    capacity, slots = day_slots(
        office.issuing_policy(uow.repo.holidays(agency_id=service.agency_id)),
        day,
        standard_minutes=service.standard_minutes,
        counters=repo.counters_for(service_id),
        split=settings.split,
        daily_quota=service.daily_quota,
        cutoff=service.cutoff_time,
    )
    taken = repo.taken(service_id, [s.start for s in slots])
    now = uow.clock()
    free = []
    for s in slots:
        if s.start > now:
            online, priority = taken.get(s.start, (0, 0))
            free.append(FreeSlot(s, s.seats - online, s.priority_seats - priority))
    return DayPlan(day, capacity, free)


def _slot(plan: DayPlan, slot_start: datetime) -> FreeSlot:
    for free in plan.slots:
        if free.slot.start == slot_start:
            return free
    raise BookingRefused("There is no such slot that day.", code="slot_unknown")


def book(
    uow: UnitOfWork,
    *,
    secret: str | bytes,
    service_id: int,
    day: date,
    slot_start: datetime,
    name: str,
    phone: str | None,
    nik: str | None = None,
    device_id: str | None = None,
    idempotency_key: str | None = None,
    source: str = "online",
    priority_group: str | None = None,
) -> tuple[Booking, bool]:
    """Book a seat; (booking, replayed). A repeated Idempotency-Key answers with the first booking."""
    if idempotency_key and (existing := BookingRepository(uow.session).by_idempotency_key(idempotency_key)):
        return existing, True
    try:
        return _book(
            uow,
            secret,
            service_id,
            day,
            slot_start,
            name,
            phone,
            nik,
            device_id,
            idempotency_key,
            source,
            priority_group,
        ), False
    except IntegrityError:
        uow.rollback()
        if idempotency_key and (existing := BookingRepository(uow.session).by_idempotency_key(idempotency_key)):
            return existing, True
        raise
    except DomainError:  # refused (full, limits) or not plausible (NIK, phone): nothing is kept
        uow.rollback()
        raise


def holder_keys(secret, nik_hash: str | None, phone: str | None, device_hash: str | None) -> list[tuple[str, str]]:
    """The person's lock keys: keyed hashes, so the lock rows hold no phone number in clear."""
    values = (("nik", nik_hash), ("phone", phone), ("device", device_hash))
    return [(kind, keyed_hash(secret, "holder", f"{kind}:{value}")) for kind, value in values if value]


def _check_limits(uow, repo, secret, settings, service_id, day, nik_hash, phone, device_hash, exclude=None) -> None:
    """Anti-calo: lock the person's rows first, then count, so a parallel booking by the same NIK,
    phone or device waits for this one and sees it (the count is never stale)."""
    repo.lock_holders(service_id, holder_keys(secret, nik_hash, phone, device_hash), max(day, today(uow)))
    since = today(uow) - timedelta(days=settings.no_show_days)
    settings.limits.check(
        repo.holdings(service_id, day, {"nik": nik_hash, "phone": phone, "device": device_hash}, exclude=exclude),
        repo.no_shows(since, nik_hash, phone),
    )


def _priority_group(uow: UnitOfWork, priority_group: str | None) -> str | None:
    if priority_group is None:
        return None
    if priority_group not in {g.key for g in groups_of(uow.repo.office().priority_groups)}:
        raise BookingRefused("No such priority group.", code="priority_group_unknown")
    return priority_group


def _book(
    uow, secret, service_id, day, slot_start, name, phone, nik, device_id, idempotency_key, source, priority_group
) -> Booking:
    repo = BookingRepository(uow.session)
    settings = _settings(repo, service_id)
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise IdentityRefused("Please give the name on your identity card.", code="name_required")
    # Staff book for people without a phone (the officer console, reception): the number is optional then.
    phone = normalise_phone(phone) if phone or source != "staff" else None
    nik_hash = last4 = None
    if settings.requires_identity:  # UU PDP: the NIK only where the service needs identity
        if not nik:
            raise IdentityRefused("This service needs your NIK.", code="nik_required")
        nik = validate_nik(nik)
        nik_hash, last4 = keyed_hash(secret, "nik", nik), nik_last4(nik)
    device_hash = keyed_hash(secret, "device", device_id) if device_id and source == "online" else None
    priority_group = _priority_group(uow, priority_group)
    priority = priority_group is not None
    plan = day_plan(uow, service_id, day)
    free = _slot(plan, slot_start)
    _check_limits(uow, repo, secret, settings, service_id, day, nik_hash, phone, device_hash)
    if not repo.take_seat(service_id, free.slot.start, free.slot.seats_for(priority), priority=priority):
        raise BookingRefused("This slot has just been taken. Please choose another.", code="slot_full")
    booking = Booking(
        service_id=service_id,
        day=day,
        slot_start=free.slot.start,
        code=new_code(),
        token=tickets.new_token(),
        name=name,
        phone=phone,
        created_at=uow.clock(),
        nik_hash=nik_hash,
        nik_last4=last4,
        device_hash=device_hash,
        idempotency_key=idempotency_key,
        source=source,
        priority_group=priority_group,
    )
    repo.add(booking)
    booking.changes.append(BookingMade(booking))  # the confirmation joins the outbox in this commit
    uow.commit()
    return booking


def by_token(uow: UnitOfWork, token: str, *, lock: bool = False) -> Booking:
    booking = BookingRepository(uow.session).by_token(token, lock=lock)
    if booking is None:
        raise NotFound("No such booking.", code="booking_not_found")
    return booking


def by_code(uow: UnitOfWork, code: str, *, lock: bool = False) -> Booking:
    booking = BookingRepository(uow.session).by_code(normalise_code(code), lock=lock)
    if booking is None:
        raise NotFound("No booking with this code.", code="booking_not_found")
    return booking


def normalise_code(text: str) -> str:
    """What a visitor types or a QR holds: spaces and dashes dropped, upper case."""
    return "".join((text or "").replace("-", " ").split()).upper()


def cancel(uow: UnitOfWork, token: str) -> Booking:
    repo = BookingRepository(uow.session)
    booking = by_token(uow, token, lock=True)
    booking.cancel(uow.clock(), _settings(repo, booking.service_id).change_cutoff_hours)
    repo.give_back_seat(booking.service_id, booking.slot_start, priority=booking.priority_group is not None)
    uow.commit()
    return booking


def reschedule(uow: UnitOfWork, token: str, day: date, slot_start: datetime, *, secret: str | bytes) -> Booking:
    """Move the booking to another free slot of the same service (of its own share), once: the new day
    is bookable and the person's limits hold there as for a new booking (this booking not counted)."""
    repo = BookingRepository(uow.session)
    booking = by_token(uow, token, lock=True)
    settings = _settings(repo, booking.service_id)
    priority = booking.priority_group is not None
    try:
        booking.require_changeable(uow.clock(), settings.change_cutoff_hours)
        if booking.rescheduled >= 1:
            raise BookingRefused("A booking can be rescheduled once.", code="already_rescheduled")
        free = _slot(day_plan(uow, booking.service_id, day), slot_start)
        _check_limits(
            uow, repo, secret, settings, booking.service_id, day,
            booking.nik_hash, booking.phone, booking.device_hash, exclude=booking.id,
        )  # fmt: skip
        if not repo.take_seat(booking.service_id, free.slot.start, free.slot.seats_for(priority), priority=priority):
            raise BookingRefused("This slot has just been taken. Please choose another.", code="slot_full")
        old_start = booking.slot_start
        booking.reschedule(day, free.slot.start, uow.clock(), settings.change_cutoff_hours)
        repo.give_back_seat(booking.service_id, old_start, priority=priority)
    except BookingRefused:
        uow.rollback()
        raise
    uow.commit()
    return booking


@dataclass(frozen=True)
class CheckedIn:
    booking: Booking
    issued: tickets.Issued
    on_time: bool


def check_in(uow: UnitOfWork, code: str) -> CheckedIn:
    """At the kiosk or by staff: the booking becomes a ticket, standing at its slot time when on
    time (ahead of walk-ins issued later), at the check-in time when late (a walk-in)."""
    repo = BookingRepository(uow.session)
    booking = by_code(uow, code, lock=True)
    settings = _settings(repo, booking.service_id)
    try:
        decision = booking.check_in(uow.clock(), settings.tolerance, uow.repo.office().time_zone)
    except BookingRefused:
        uow.rollback()
        raise
    # The booking's new status commits with the ticket (issue_ticket commits the session); a
    # repeated check-in after a failure in between is answered by the same ticket (the key).
    issued = tickets.issue_ticket(
        uow,
        service_id=booking.service_id,
        idempotency_key=f"booking:{booking.code}",
        queue_at=decision.queue_at,
        priority_group=booking.priority_group,
    )
    booking.ticket_id = issued.ticket.id
    uow.commit()
    return CheckedIn(booking, issued, decision.on_time)


# --- the day's end, reminders, UU PDP ---


def mark_no_shows(uow: UnitOfWork) -> int:
    """Bookings of past days never checked in become no-shows (they count against future bookings)."""
    missed = BookingRepository(uow.session).unused_before(today(uow))
    for booking in missed:
        booking.mark_no_show()
    uow.commit()
    return len(missed)


def remind(uow: UnitOfWork) -> list[BookingReminderDue]:
    """The day before and on the day: a BookingReminderDue per booking still held, published after
    the commit like every domain event (the notifications issue delivers them)."""
    repo, day = BookingRepository(uow.session), today(uow)
    due = []
    for which, when in (("day_before", day + timedelta(days=1)), ("same_day", day)):
        for booking in repo.booked_on(when):
            event = BookingReminderDue(
                booking.id, booking.code, booking.phone, booking.slot_start, which, booking.service_id
            )
            booking.changes.append(event)
            due.append(event)
    uow.commit()
    return due


def redact_expired(uow: UnitOfWork) -> int:
    """Personal data of bookings older than the office's retention goes; the rows stay for statistics."""
    repo = BookingRepository(uow.session)
    expired = repo.unredacted_before(today(uow) - timedelta(days=repo.retention_days()))
    now = uow.clock()
    for booking in expired:
        booking.redact(now)
    repo.forget_holders_before(today(uow) - timedelta(days=repo.retention_days()))
    uow.commit()
    return len(expired)


def person_data(booking: Booking) -> dict:
    return {
        "code": booking.code,
        "service_id": booking.service_id,
        "slot_start": booking.slot_start.isoformat(),
        "name": booking.name,
        "phone": booking.phone,
        "nik_last4": booking.nik_last4,
        "status": str(booking.status),
        "created_at": booking.created_at.isoformat(),
    }


def _person(uow: UnitOfWork, secret: str | bytes, nik: str | None, phone: str | None) -> list[Booking]:
    nik_hash = keyed_hash(secret, "nik", validate_nik(nik)) if nik else None
    phone = normalise_phone(phone) if phone else None
    if nik_hash is None and phone is None:
        raise IdentityRefused("Give the person's NIK or phone number.", code="person_required")
    return BookingRepository(uow.session).of_person(nik_hash, phone)


def export_person(uow: UnitOfWork, *, secret, user_id: int, nik: str | None, phone: str | None) -> list[dict]:
    """What we hold on a person (their request under UU 27/2022), recorded in the audit trail."""
    found = _person(uow, secret, nik, phone)
    audit.record(
        uow,
        user_id=user_id,
        action="export",
        entity="booking_person",
        entity_id=None,
        after={"bookings": [b.id for b in found]},
    )
    uow.commit()
    return [person_data(b) for b in found]


def erase_person(uow: UnitOfWork, *, secret, user_id: int, nik: str | None, phone: str | None) -> int:
    """Erase a person's data on their request: redacted at once, audited (which rows, not whose)."""
    found = _person(uow, secret, nik, phone)
    repo, now = BookingRepository(uow.session), uow.clock()
    for booking in found:
        repo.forget_holders(holder_keys(secret, booking.nik_hash, booking.phone, booking.device_hash))
        if booking.erase(now):
            repo.give_back_seat(booking.service_id, booking.slot_start, priority=booking.priority_group is not None)
    audit.record(
        uow,
        user_id=user_id,
        action="erase",
        entity="booking_person",
        entity_id=None,
        after={"bookings": [b.id for b in found]},
    )
    uow.commit()
    return len(found)
