"""Loading and locking the entities the use cases change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache

from sqlalchemy import Integer, String, bindparam, case, delete, func, insert, or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, make_transient_to_detached

from ..domain.hours import IssuingPolicy, quota_reached
from ..domain.journey import Journey
from ..domain.model import (
    ACTIVE_AT_COUNTER,
    Agency,
    Counter,
    CounterStatus,
    Device,
    Holiday,
    Office,
    Service,
    Ticket,
    TicketStatus,
    User,
)
from ..domain.routing import CallPlan
from ..domain.survey import SurveyResponse
from . import numbering, queries, tables
from .issuing_function import QUOTA_REACHED
from .settings_cache import SettingsCache


class Repository:
    def __init__(self, session: Session, settings: SettingsCache | None = None):
        self.session = session
        self.settings = settings or SettingsCache(0)
        if settings is not None:
            settings.watch(session)
        self._merged: dict[object, object] = {}  # kept entities merged into this session, by key

    def add(self, entity) -> None:
        self.session.add(entity)

    # -- office --

    def office(self, *, kept: bool = False) -> Office:
        """The office, read once per session: a request asks for it from several places.

        kept: as kept in the settings cache (issuing reads it on every ticket).
        """
        if kept:
            return self._kept("office", lambda: self.session.scalars(self._office_statement()).first()) or self.office()
        office = self.session.info.get("office")
        if office is not None and office in self.session:
            return office
        office = self.session.scalars(self._office_statement()).first()
        if office is None:
            office = Office()
            self.session.add(office)
            self.session.flush()
        self.session.info["office"] = office
        return office

    @staticmethod
    def _office_statement():
        return select(Office).order_by(tables.office.c.id).limit(1)

    def holidays(self, *, kept: bool = False, agency_id: int | None = None) -> frozenset[date]:
        """The days the site is closed, and with `agency_id` also that agency's own (an agency's
        holiday closes its services only, never the rest of the hall)."""
        column = tables.holidays.c.agency_id
        whose = column.is_(None) if agency_id is None else or_(column.is_(None), column == agency_id)
        load = lambda: frozenset(self.session.scalars(select(Holiday.day).where(whose)))  # noqa: E731
        return self.settings.get(("holidays", agency_id), load) if kept else load()

    def issuing_policy(self, *, kept: bool = False, agency_id: int | None = None) -> IssuingPolicy:
        """The calendar for issuing (opening hours parsed, the site's holidays and those of `agency_id`).
        kept: built once from the kept office and holidays, and built again as soon as either is reloaded."""
        office, holidays = self.office(kept=kept), self.holidays(kept=kept, agency_id=agency_id)
        if not kept:
            return office.issuing_policy(holidays)
        sources = (self.settings.kept("office"), holidays)
        key = ("issuing_policy", agency_id)
        return self.settings.derived(key, sources, lambda: office.issuing_policy(holidays))

    def _kept(self, key: object, load: Callable[[], object | None]):
        """An entity as kept in the settings cache, merged into this session without a query, once
        per unit of work (a request asks for the office from more than one place)."""
        merged = self._merged.get(key)
        if merged is not None and merged in self.session:
            return merged

        def detached():
            entity = load()
            if entity is not None:
                self.session.expunge(entity)  # the cache keeps its own copy; this session gets a merged one
            return entity

        entity = self.settings.get(key, detached)
        if entity is None:
            return None
        merged = self._merged[key] = self.session.merge(entity, load=False)
        return merged

    # -- catalogue and people --

    def service(self, service_id: int, *, kept: bool = False) -> Service | None:
        if kept:
            return self._kept(("service", service_id), lambda: self.session.get(Service, service_id))
        return self.session.get(Service, service_id)

    def service_by_code(self, code: str) -> Service | None:
        return self.session.scalars(select(Service).where(tables.services.c.code == code)).first()

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def user_by_username(self, username: str) -> User | None:
        return self.session.scalars(select(User).where(tables.users.c.username == username)).first()

    def agency(self, agency_id: int | None) -> Agency | None:
        """An agency by id; None for the site's own rows (no agency)."""
        return self.session.get(Agency, agency_id) if agency_id is not None else None

    def counter(self, counter_id: int, *, lock: bool = False) -> Counter | None:
        if not lock:
            return self.session.get(Counter, counter_id)
        stmt = select(Counter).where(tables.counters.c.id == counter_id).with_for_update(of=tables.counters)
        return self.session.scalars(stmt).first()

    def counter_by_number(self, number: int, agency_id: int | None) -> Counter | None:
        """The agency's counter with this number (agency None: the site's own): numbers repeat across agencies."""
        c = tables.counters.c
        return self.session.scalars(
            select(Counter).where(
                c.number == number, c.agency_id.is_(agency_id) if agency_id is None else c.agency_id == agency_id
            )
        ).first()

    def counters_of_officer(self, user_id: int) -> list[Counter]:
        stmt = select(Counter).where(
            tables.counters.c.officer_id == user_id, tables.counters.c.status != CounterStatus.CLOSED
        )
        return list(self.session.scalars(stmt.with_for_update(of=tables.counters)))

    def set_counter_services(self, counter: Counter, service_ids: list[int]) -> None:
        """Replace a counter's ordered list of services."""
        self.session.flush()
        self.session.execute(delete(tables.counter_services).where(tables.counter_services.c.counter_id == counter.id))
        if service_ids:
            self.session.execute(
                insert(tables.counter_services),
                [{"counter_id": counter.id, "service_id": sid, "position": i} for i, sid in enumerate(service_ids)],
            )
        self.session.expire(counter, ["services"])

    def device_by_token_hash(self, token_hash: str) -> Device | None:
        return self.session.scalars(select(Device).where(tables.devices.c.token_hash == token_hash)).first()

    # -- survey --

    def survey_response(self, response_id: int) -> SurveyResponse | None:
        return self.session.get(SurveyResponse, response_id)

    def survey_response_of(self, ticket_id: int) -> SurveyResponse | None:
        """A ticket's survey response, if the visitor answered (at most one per ticket)."""
        stmt = select(SurveyResponse).where(tables.survey_responses.c.ticket_id == ticket_id)
        return self.session.scalars(stmt).first()

    # -- tickets --

    def ticket(self, ticket_id: int, *, lock: bool = False) -> Ticket | None:
        if not lock:
            return self.session.get(Ticket, ticket_id)
        stmt = select(Ticket).where(tables.tickets.c.id == ticket_id).with_for_update(of=tables.tickets)
        return self.session.scalars(stmt).first()

    def ticket_by_token(self, token: str, *, lock: bool = False) -> Ticket | None:
        stmt = select(Ticket).where(tables.tickets.c.token == token)
        if lock:
            stmt = stmt.with_for_update(of=tables.tickets)
        return self.session.scalars(stmt).first()

    def ticket_by_number(self, service_day: date, number: str) -> Ticket | None:
        """A ticket by the number on its slip and its day (numbers restart every day)."""
        stmt = select(Ticket).where(tables.tickets.c.service_day == service_day, tables.tickets.c.number == number)
        return self.session.scalars(stmt).first()

    def store_issued(self, ticket: Ticket, service: Service, now: datetime) -> tuple[int, int]:
        """Take a new ticket's number, store it with its first event row, and count its place.

        PostgreSQL: one call of the issue_ticket() function (persistence/issuing_function.py) does all
        of it; in the autocommit the issuing view asks for (UnitOfWork.write_in_one_statement) that call
        is the whole transaction, one round trip, and the sequence row is locked for it only. SQLite:
        the sequence upsert (persistence/numbering.py, as in the function), two INSERT ... RETURNING and
        the count (queries.place_counts) in the session's transaction. Either way no ORM flush (the
        largest single cost of issuing once), and the place is counted after the number was taken:
        every ticket stored before is seen. The number and the quota are the database's, written once
        in persistence/numbering.py.
        The objects then join the session as if loaded from it.
        """
        (event,) = ticket.events
        if self.session.get_bind().dialect.name == "postgresql":
            values = _values(tables.tickets, ticket, "p_", skip=NUMBERED) | _values(
                tables.ticket_events, event, "p_event_", skip=("id", "ticket_id")
            )
            values |= {"p_prefix": service.code, "p_quota": service.daily_quota}
            recent = queries.place_params(ticket, now)  # the history the wait estimate averages
            values |= {"p_since": recent["since"], "p_sample": recent["sample"]}
            try:
                connection = self.session.connection()
                sql, processors, positional = _issue_call(connection.dialect)
                params = {name: process(values[name]) if process else values[name] for name, process in processors}
                arguments = tuple(params.values()) if positional else params  # processors are in the driver's order
                row = connection.exec_driver_sql(sql, arguments).one()
            except DBAPIError as error:
                if getattr(error.orig, "sqlstate", None) == QUOTA_REACHED:
                    raise quota_reached(service.daily_quota) from None
                raise
            ticket.id, event.id, ticket.sequence, ticket.number, *counts = row
        else:
            # The upsert locks the sequence row until commit, so concurrent kiosks queue up behind it,
            # and a rollback gives the number back: numbers stay unique and gap-free. Past the quota
            # it takes none (persistence/numbering.py).
            key = {"service_id": service.id, "day": ticket.service_day, "quota": service.daily_quota}
            ticket.sequence = self.session.execute(numbering.sqlite_take_sequence(), key).scalar()
            if ticket.sequence is None:
                raise quota_reached(service.daily_quota)
            values = _values(tables.tickets, ticket, "ticket_", skip=("id", "number")) | {"prefix": service.code}
            ticket.id, ticket.number = self.session.execute(_insert_ticket(), values).one()
            event.ticket_id = ticket.id
            event_values = _values(tables.ticket_events, event, "event_")
            event.id = self.session.execute(_insert_event(), event_values).scalar_one()
            counts = queries.place_counts(self.session, ticket, now)
        event.ticket_id = ticket.id
        make_transient_to_detached(event)
        make_transient_to_detached(ticket)
        self.session.add(ticket)
        return queries.place(service, *counts)

    def autocommit(self) -> None:
        """PostgreSQL: let each statement of this session's next transaction commit itself.

        Only for a unit of work whose one write is a single statement (issuing): it saves the
        BEGIN and COMMIT round trips. It must come before the session's first query.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    def ticket_by_idempotency_key(self, key: str) -> Ticket | None:
        return self.session.scalars(select(Ticket).where(tables.tickets.c.idempotency_key == key)).first()

    def next_to_call(self, plan: CallPlan, day: date) -> Ticket | None:
        """The first free ticket of today in the counter's call order, locked for this transaction.

        PostgreSQL: the queue pattern, FOR UPDATE SKIP LOCKED over the whole candidate set in the
        plan's order with LIMIT 1, so exactly one row is locked: two counters calling at the same
        instant take the two first eligible tickets, and never one younger than a free older one
        (locking the head of each line separately held a ticket neither took). SQLite has no row
        locks and ignores the clause: BEGIN IMMEDIATE has already serialised the whole transaction.
        """
        t = tables.tickets
        order = []
        if plan.priority_rule_on:
            order.append(t.c.priority.desc() if plan.priority_first else t.c.priority.asc())
        if plan.strict:
            order.append(case({sid: i for i, sid in enumerate(plan.service_ids)}, value=t.c.service_id))
        stmt = (
            select(Ticket)
            .where(
                t.c.status == TicketStatus.WAITING,
                t.c.service_id.in_(plan.service_ids),
                t.c.service_day == day,
            )
            .order_by(*order, t.c.queued_at, t.c.id)
            .limit(1)
            .with_for_update(of=t, skip_locked=True)
        )
        return self.session.scalars(stmt).first()

    def active_ticket_at(self, counter_id: int) -> Ticket | None:
        t = tables.tickets
        stmt = select(Ticket).where(t.c.counter_id == counter_id, t.c.status.in_(ACTIVE_AT_COUNTER))
        return self.session.scalars(stmt).first()

    def earliest_queued_at(self, service_id: int, day: date) -> datetime | None:
        t = tables.tickets
        stmt = select(func.min(t.c.queued_at)).where(
            t.c.service_id == service_id, t.c.status == TicketStatus.WAITING, t.c.service_day == day
        )
        value = self.session.execute(stmt).scalar()
        return tables.UTCDateTime().process_result_value(value, self.session.get_bind().dialect) if value else None

    def unfinished_tickets(self, until_day: date) -> list[Ticket]:
        t = tables.tickets
        stmt = select(Ticket).where(
            t.c.service_day <= until_day,
            t.c.status.in_([TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD]),
        )
        return list(self.session.scalars(stmt.with_for_update(of=t)))

    def tickets_changed_since(self, moment: datetime) -> list[Ticket]:
        """The tickets with an event at or after `moment` (the phones to bring up to date)."""
        changed = select(tables.ticket_events.c.ticket_id).where(tables.ticket_events.c.at >= moment)
        return list(self.session.scalars(select(Ticket).where(tables.tickets.c.id.in_(changed))))

    # -- journeys --

    def journey_by_token(self, token: str) -> Journey | None:
        return self.session.scalars(select(Journey).where(tables.journeys.c.token == token)).first()

    def journey_of_ticket(self, ticket_id: int, *, lock: bool = False) -> Journey | None:
        """The journey one of whose steps is this ticket; locked: the advance of a journey is one at a time."""
        steps = select(tables.journey_steps.c.journey_id).where(tables.journey_steps.c.ticket_id == ticket_id)
        stmt = select(Journey).where(tables.journeys.c.id.in_(steps))
        if lock:
            stmt = stmt.with_for_update(of=tables.journeys).execution_options(populate_existing=True)
        return self.session.scalars(stmt).first()

    def open_counters(self) -> list[Counter]:
        stmt = select(Counter).where(tables.counters.c.status != CounterStatus.CLOSED)
        return list(self.session.scalars(stmt.with_for_update(of=tables.counters)))


#: The columns issue_ticket() fills itself: the daily number it takes.
NUMBERED = ("id", "number", "sequence")


def _values(table, entity, prefix: str, skip: tuple[str, ...] = ("id",)) -> dict:
    """A new entity's column values as its mapping reads them, keyed as the bound parameters below."""
    return {prefix + c.key: getattr(entity, c.key) for c in table.columns if c.key not in skip}


def _bound(table, prefix: str, skip: tuple[str, ...] = ("id",)) -> dict:
    return {c.key: bindparam(prefix + c.key, type_=c.type) for c in table.columns if c.key not in skip}


@cache
def _insert_ticket():
    """SQLite: the ticket row, its number written from the prefix and sequence (persistence/numbering.py)."""
    t = tables.tickets
    number = numbering.number_of(bindparam("prefix", type_=String()), bindparam("ticket_sequence", type_=Integer()))
    values = _bound(t, "ticket_", skip=("id", "number")) | {"number": number}
    return insert(t).values(values).returning(t.c.id, t.c.number)


@cache
def _insert_event():
    events = tables.ticket_events
    return insert(events).values(_bound(events, "event_")).returning(events.c.id)


@cache
def _issue_call(dialect) -> tuple[str, tuple, bool]:
    """PostgreSQL: issue_ticket() with every argument by name (a column the function lacks fails loudly),
    compiled once for the driver: its SQL, each argument's bind processor in the driver's order, and
    whether the driver takes them by position.

    Run with exec_driver_sql: the statement is fixed, so SQLAlchemy's compile-cache lookup, bind and
    result processing per call (about 6 % of a ticket's instructions) buy nothing here.
    """
    arguments = [
        *((f"p_{c.key}", c.type) for c in tables.tickets.columns if c.key not in NUMBERED),
        *((f"p_event_{c.key}", c.type) for c in tables.ticket_events.columns if c.key not in ("id", "ticket_id")),
        ("p_prefix", String()),
        ("p_quota", Integer()),
        ("p_since", tables.tickets.c.finished_at.type),
        ("p_sample", Integer()),
    ]
    call = ", ".join(f"{name} => :{name}" for name, _ in arguments)
    statement = text(f"SELECT * FROM issue_ticket({call})").bindparams(
        *(bindparam(name, type_=type_) for name, type_ in arguments)
    )
    compiled = statement.compile(dialect=dialect)
    types = dict(arguments)
    order = compiled.positiontup if compiled.positional else list(types)
    processors = tuple((name, types[name].bind_processor(dialect)) for name in order)
    return compiled.string, processors, compiled.positional
