"""Bookings and their settings: load and lock them, take and give back a slot's seats, count holdings."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, case, func, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..domain.booking import HOLDS_SEAT, Booking, BookingSettings, BookingStatus, week_of
from ..domain.slip import Holder
from . import tables as t

DEFAULT_RETENTION_DAYS = 90


class BookingRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, entity) -> None:
        self.session.add(entity)

    # -- settings --

    def settings(self, service_id: int) -> BookingSettings | None:
        return self.session.get(BookingSettings, service_id)

    def settings_or_new(self, service_id: int) -> BookingSettings:
        settings = self.settings(service_id)
        if settings is None:
            settings = BookingSettings(service_id)
            self.session.add(settings)
        return settings

    def bookable_service_ids(self) -> list[int]:
        stmt = select(t.booking_settings.c.service_id).where(t.booking_settings.c.enabled.is_(True))
        return list(self.session.scalars(stmt))

    def retention_days(self) -> int:
        value = self.session.execute(select(t.booking_office.c.retention_days).limit(1)).scalar()
        return DEFAULT_RETENTION_DAYS if value is None else value

    def set_retention_days(self, days: int) -> None:
        if self.session.execute(select(t.booking_office.c.id)).first() is None:
            self.session.execute(t.booking_office.insert().values(id=1, retention_days=days))
        else:
            self.session.execute(update(t.booking_office).values(retention_days=days))

    def counters_for(self, service_id: int) -> int:
        """The counters scheduled for the service: those that list it."""
        stmt = select(func.count()).select_from(t.counter_services).where(t.counter_services.c.service_id == service_id)
        return self.session.execute(stmt).scalar_one()

    # -- seats --

    def taken(self, service_id: int, starts: list[datetime]) -> dict[datetime, tuple[int, int]]:
        """Per slot start: the seats taken of the online share and of the priority share."""
        if not starts:
            return {}
        s = t.booking_slots
        rows = self.session.execute(
            select(s.c.slot_start, s.c.taken, s.c.priority_taken).where(
                s.c.service_id == service_id, s.c.slot_start.in_(starts)
            )
        )
        return {start: (taken, priority_taken) for start, taken, priority_taken in rows}

    def take_seat(self, service_id: int, slot_start: datetime, seats: int, *, priority: bool = False) -> bool:
        """One more seat of the slot's online share (or priority share), unless all `seats` of it are
        taken: an upsert whose update refuses past them, so the slot's row lock (PostgreSQL) or BEGIN
        IMMEDIATE (SQLite) orders the bookers and the last seat goes to one of them only. The rollback
        of a refused booking gives the seat back."""
        if seats < 1:
            return False
        dialect = self.session.get_bind().dialect.name
        params = {"service_id": service_id, "slot_start": slot_start, "seats": seats}
        return self.session.execute(_take_seat(dialect, priority), params).first() is not None

    def give_back_seat(self, service_id: int, slot_start: datetime, *, priority: bool = False) -> None:
        s = t.booking_slots
        column = s.c.priority_taken if priority else s.c.taken
        self.session.execute(
            update(s)
            .where(s.c.service_id == service_id, s.c.slot_start == slot_start, column > 0)
            .values({column.name: column - 1})
        )

    # -- the person's lock --

    def lock_holders(self, service_id: int, keys: list[tuple[str, str]], day: date) -> None:
        """Lock the rows of the person's keys ((kind, keyed hash)), creating them, in one order for
        everyone (no deadlock): a second booking by the same NIK, phone or device waits here until the
        first commits, then counts it. An upsert that updates takes the row lock on PostgreSQL;
        SQLite's BEGIN IMMEDIATE already orders every writer."""
        dialect = self.session.get_bind().dialect.name
        for kind, key_hash in sorted(keys):
            params = {"service_id": service_id, "kind": kind, "key_hash": key_hash, "touched_on": day}
            self.session.execute(_lock_holder(dialect), params)

    def forget_holders(self, keys: list[tuple[str, str]]) -> None:
        """A person's request to be erased: their lock rows go with their bookings' data."""
        h = t.booking_holders
        for kind, key_hash in keys:
            self.session.execute(h.delete().where(h.c.kind == kind, h.c.key_hash == key_hash))

    def forget_holders_before(self, day: date) -> None:
        """UU PDP: the lock rows of people who have not booked since `day` go with the retention."""
        self.session.execute(t.booking_holders.delete().where(t.booking_holders.c.touched_on < day))

    # -- bookings --

    def by_code(self, code: str, *, lock: bool = False) -> Booking | None:
        return self._one(t.bookings.c.code == code, lock)

    def by_token(self, token: str, *, lock: bool = False) -> Booking | None:
        return self._one(t.bookings.c.token == token, lock)

    def by_idempotency_key(self, key: str) -> Booking | None:
        return self._one(t.bookings.c.idempotency_key == key, False)

    def _one(self, condition, lock: bool) -> Booking | None:
        stmt = select(Booking).where(condition)
        if lock:
            stmt = stmt.with_for_update(of=t.bookings)
        return self.session.scalars(stmt).first()

    def holdings(
        self, service_id: int, day: date, who: dict[str, str | None], *, exclude: int | None = None
    ) -> dict[str, tuple[int, int]]:
        """Per "nik", "phone", "device" given: bookings of the service holding a seat that day and in its
        week (but the booking `exclude`, the one being moved)."""
        b = t.bookings
        columns = {"nik": b.c.nik_hash, "phone": b.c.phone, "device": b.c.device_hash}
        first, last = week_of(day)
        counts = {}
        for kind, value in who.items():
            if value is None:
                continue
            column = columns[kind]
            stmt = select(func.count().filter(b.c.day == day), func.count()).where(
                b.c.service_id == service_id,
                column == value,
                b.c.day.between(first, last),
                b.c.status.in_([s.value for s in HOLDS_SEAT]),
                b.c.id != exclude if exclude is not None else true(),
            )
            counts[kind] = tuple(self.session.execute(stmt).one())
        return counts

    def no_shows(self, since: date, nik_hash: str | None, phone: str | None) -> int:
        b = t.bookings
        people = [c == v for c, v in ((b.c.nik_hash, nik_hash), (b.c.phone, phone)) if v is not None]
        if not people:
            return 0
        stmt = select(func.count()).where(b.c.status == BookingStatus.NO_SHOW.value, b.c.day >= since, or_(*people))
        return self.session.execute(stmt).scalar_one()

    def unused_before(self, day: date) -> list[Booking]:
        """Bookings still waiting for a check-in whose day is over: no-shows."""
        b = t.bookings
        stmt = select(Booking).where(b.c.status == BookingStatus.BOOKED.value, b.c.day < day)
        return list(self.session.scalars(stmt.with_for_update(of=b)))

    def booked_on(self, day: date) -> list[Booking]:
        b = t.bookings
        stmt = select(Booking).where(b.c.status == BookingStatus.BOOKED.value, b.c.day == day).order_by(b.c.slot_start)
        return list(self.session.scalars(stmt))

    def unredacted_before(self, day: date) -> list[Booking]:
        b = t.bookings
        stmt = select(Booking).where(b.c.redacted_at.is_(None), b.c.day < day)
        return list(self.session.scalars(stmt.with_for_update(of=b)))

    def holders(self, ticket_ids: list[int]) -> dict[int, Holder]:
        """Per ticket checked in from a booking: whom the booking is for (the non-transferable check)."""
        if not ticket_ids:
            return {}
        b = t.bookings
        rows = self.session.execute(
            select(b.c.ticket_id, b.c.code, b.c.name, b.c.nik_last4).where(b.c.ticket_id.in_(ticket_ids))
        )
        return {ticket_id: Holder(code, name, last4) for ticket_id, code, name, last4 in rows}

    def of_person(self, nik_hash: str | None, phone: str | None) -> list[Booking]:
        b = t.bookings
        people = [c == v for c, v in ((b.c.nik_hash, nik_hash), (b.c.phone, phone)) if v is not None]
        if not people:
            return []
        return list(self.session.scalars(select(Booking).where(or_(*people)).order_by(b.c.created_at)))


@cache
def _take_seat(dialect: str, priority: bool):
    s = t.booking_slots
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    column = s.c.priority_taken if priority else s.c.taken
    stmt = insert(s).values(
        service_id=bindparam("service_id"),
        slot_start=bindparam("slot_start"),
        taken=0 if priority else 1,
        priority_taken=1 if priority else 0,
    )
    return stmt.on_conflict_do_update(
        index_elements=[s.c.service_id, s.c.slot_start],
        set_={column.name: column + 1},
        where=column < bindparam("seats"),
    ).returning(column)


@cache
def _lock_holder(dialect: str):
    h = t.booking_holders
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(h).values(
        service_id=bindparam("service_id"),
        kind=bindparam("kind"),
        key_hash=bindparam("key_hash"),
        touched_on=bindparam("touched_on"),
    )
    # The update (not DO NOTHING) is what locks an existing row until the booking's commit.
    return stmt.on_conflict_do_update(
        index_elements=[h.c.service_id, h.c.kind, h.c.key_hash],
        set_={
            "touched_on": case(
                (stmt.excluded.touched_on > h.c.touched_on, stmt.excluded.touched_on), else_=h.c.touched_on
            )
        },
    )
