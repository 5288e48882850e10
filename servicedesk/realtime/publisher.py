"""Turns committed domain events into Socket.IO messages for rooms (realtime/handlers.py answers a
connecting client itself), and resyncs this process's clients after Redis was away."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta

from flask_socketio import SocketIO
from socketio import PubSubManager
from sqlalchemy.orm import Session

from ..domain.model import (
    CounterChanged,
    EventKind,
    SessionsEnded,
    Ticket,
    TicketChanged,
    TicketStatus,
)
from ..domain.numbering import service_day
from ..persistence import queries
from ..persistence.bookings import BookingRepository
from ..persistence.repository import Repository
from ..persistence.settings_cache import SettingsCache
from . import payloads, rooms, snapshots

log = logging.getLogger(__name__)

CALL_KINDS = (EventKind.CALLED, EventKind.RECALLED)
#: Clocks of several machines differ a little: resync the phones of tickets changed a bit earlier too.
RESYNC_MARGIN = timedelta(minutes=1)
#: Sending the lines may take about this share of a process's time at most: when they are long (a
#: peak) or the process is busy, the window grows to ten times what the last send took...
LINES_SHARE = 0.1
#: ...but never beyond a second: screens and phones stay live to the second.
MAX_LINES_WINDOW = 1.0


def end_staff_connections(socketio: SocketIO, user_id: int) -> None:
    """Drop every Socket.IO connection of a person whose sessions ended, in every process.

    This process disconnects its own; with a Redis message queue, closing the person's room reaches
    the other processes, whose queue (realtime/message_queue.py) disconnects the members of a user
    room instead of only emptying it. A dropped client reconnects with its cookie, which is refused.
    """
    server = socketio.server
    if server is None:
        return
    room = rooms.user(user_id)
    for sid, _ in list(server.manager.get_participants("/", room)):
        server.disconnect(sid, namespace="/", ignore_queue=True)
    if isinstance(server.manager, PubSubManager):  # a message queue: the other processes
        server.manager.close_room(room, namespace="/")


def lines_window(configured: float, spent: float) -> float:
    """The window after a send of the lines that took `spent` seconds (wall time: a busy process
    counts too). 0 configured: no window, every change is sent at once."""
    if not configured:
        return 0.0
    return min(MAX_LINES_WINDOW, max(configured, spent / LINES_SHARE))


class Publisher:
    """Emits what a commit changed, to the rooms that show it.

    What one ticket or counter did is sent at once. A line's `queue.changed` carries the whole
    waiting line, so with `coalesce_seconds` > 0 the lines that issuing changed are sent at most once
    per window: a ticket after a quiet window goes out at once, and the tickets that follow within the
    window are read and sent together when it ends, by a background task (at a kiosk peak, ten tickets
    in 100 ms cost one read of the line instead of ten). The window grows with what sending the lines
    costs (LINES_SHARE, up to MAX_LINES_WINDOW). Any other change (an officer's call above all: every
    phone's place moves) sends its lines at once, window or not: the counters set that pace, not the
    kiosks. With 0 (the tests' default) every change is sent before the commit's caller returns.
    """

    def __init__(
        self,
        socketio: SocketIO,
        session: Callable[[], Session],
        clock: Callable[[], datetime],
        *,
        coalesce_seconds: float = 0.0,
        context: Callable[[], AbstractContextManager] | None = None,
        settings: SettingsCache | None = None,
    ):
        self.socketio = socketio
        self.session = session
        self.clock = clock
        self.coalesce_seconds = coalesce_seconds
        self.context = context or nullcontext
        self.settings = settings  # the services as issuing keeps them: a line's read needs no query for them
        self._lock = threading.Lock()
        self._pending: set[int] = set()
        self._scheduled = False
        self._last_sent = float("-inf")  # time.monotonic() of the last lines sent
        self.window = coalesce_seconds

    def __call__(self, events: list) -> None:
        try:
            self.publish(events)
        except Exception:  # the commit stands; a screen catches up from its next snapshot
            log.exception("publishing %d events failed", len(events))
            # A database error (a restart) leaves the session's read transaction unusable: roll it
            # back so the caller can still answer for what it committed, on a fresh connection.
            try:
                self.session().rollback()
            except Exception:  # the end of the request invalidates what cannot roll back
                log.warning("rolling back after a failed publish failed too", exc_info=True)

    def publish(self, events: list) -> None:
        for ended in [e for e in events if isinstance(e, SessionsEnded)]:
            end_staff_connections(self.socketio, ended.user_id)
        events = [e for e in events if not isinstance(e, SessionsEnded)]
        if not events:
            return
        session, now = self.session(), self.clock()
        repo = Repository(session)
        service_ids: set[int] = set()
        counter_ids: set[int] = set()
        tickets: dict[int, Ticket] = {}
        followed_ids: set[int] = set()  # tickets that did more than being issued
        for event in events:
            if isinstance(event, TicketChanged):
                self._ticket_event(repo, event, now)
                ticket = event.ticket
                if event.kind != EventKind.ISSUED:
                    followed_ids.add(ticket.id)
                tickets[ticket.id] = ticket
                service_ids.add(ticket.service_id)
                if event.previous_service_id:
                    service_ids.add(event.previous_service_id)
                if ticket.counter_id:
                    counter_ids.add(ticket.counter_id)
                for row in ticket.events[-1:]:
                    if row.counter_id:
                        counter_ids.add(row.counter_id)
            elif isinstance(event, CounterChanged):
                counter_ids.add(event.counter.id)
                service_ids.update(s.id for s in event.counter.services)

        # A phone follows its ticket from the answer's link, so nobody follows a ticket that was only
        # just issued. A ticket that waits again (requeued, transferred, resumed) needs its place.
        followed = [ticket for ticket in tickets.values() if ticket.id in followed_ids]
        issuing_only = all(isinstance(e, TicketChanged) and e.kind == EventKind.ISSUED for e in events)
        now_lines = not service_ids or not self.coalesce_seconds or self._now_or_later(service_ids, issuing_only)
        read = service_ids if now_lines else {t.service_id for t in followed if t.status == TicketStatus.WAITING}
        started = time.monotonic()
        lines = self._lines(session, read, now)
        for ticket in followed:
            line = lines.get(ticket.service_id)
            service = line.service if line else repo.service(ticket.service_id)
            counter = repo.counter(ticket.counter_id) if ticket.counter_id else None
            ahead = line.people_ahead(ticket.id) if line else 0  # 0 once it no longer waits
            estimate = line.estimate_for(ahead) if line else 0
            self.emit(
                "ticket.updated",
                payloads.ticket_public(ticket, service, counter, ahead, estimate),
                rooms.ticket(ticket.token),
            )
        if now_lines:
            self._emit_lines(lines.values())
            self._adapt_window(time.monotonic() - started)
        if counter_ids:
            self._emit_counters(session, repo, counter_ids)

    def _emit_counters(self, session: Session, repo: Repository, counter_ids: set[int]) -> None:
        """Each changed counter with the ticket at it now: the staff see the officer, the displays do not."""
        current = queries.current_tickets(session, sorted(counter_ids))
        for counter_id in sorted(counter_ids):
            counter = repo.counter(counter_id)
            officer = repo.user(counter.officer_id) if counter.officer_id else None
            ticket = current.get(counter_id)
            self.emit(
                "counter.changed",
                payloads.counter_staff(counter, ticket, officer and officer.full_name),
                rooms.staff_for(counter.agency_id),
            )
            self.emit("counter.changed", payloads.counter_public(counter, ticket), rooms.DISPLAYS)

    # -- lines --

    def _lines(self, session: Session, service_ids: set[int], now: datetime) -> dict[int, queries.ServiceLine]:
        """Each affected line read once: the phones' places come from the lines queue.changed sends."""
        if not service_ids:
            return {}
        repo = Repository(session, self.settings)
        services = [s for s in (repo.service(sid, kept=True) for sid in sorted(service_ids)) if s]
        day = service_day(now, repo.office(kept=True).time_zone)  # issuing's kept office: no query
        return queries.service_lines(session, services, now, day=day)

    def _emit_lines(self, lines) -> None:
        for line in lines:
            self.emit(
                "queue.changed",
                payloads.queue_line(line),
                [*rooms.staff_for(line.service.agency_id), rooms.DISPLAYS, rooms.service(line.service.id)],
            )

    def _now_or_later(self, service_ids: set[int], may_wait: bool) -> bool:
        """True: send these lines now (they may not wait, or the window since the last lines has
        passed). False: they are left for the background task, which sends them when the window ends."""
        with self._lock:
            now = time.monotonic()
            if not may_wait or (not self._scheduled and now - self._last_sent >= self.window):
                self._last_sent = now
                self._pending -= service_ids  # read after every change that left them pending
                return True
            self._pending |= service_ids
            if self._scheduled:
                return False
            self._scheduled = True
            delay = self._last_sent + self.window - now
        self.socketio.start_background_task(self._flush_after_window, delay)
        return False

    def _flush_after_window(self, delay: float) -> None:
        self.socketio.sleep(max(delay, 0.0))
        with self._lock:
            service_ids, self._pending, self._scheduled = self._pending, set(), False
            self._last_sent = started = time.monotonic()
        try:
            with self.context():
                self._emit_lines(self._lines(self.session(), service_ids, self.clock()).values())
            self._adapt_window(time.monotonic() - started)
        except Exception:  # the next change or a screen's next snapshot brings the line
            log.exception("publishing the lines of services %s failed", sorted(service_ids))

    def _adapt_window(self, spent: float) -> None:
        self.window = lines_window(self.coalesce_seconds, spent)

    def _ticket_event(self, repo: Repository, event: TicketChanged, now: datetime) -> None:
        ticket = event.ticket
        service = repo.service(ticket.service_id)
        counter = repo.counter(ticket.counter_id) if ticket.counter_id else None
        name = payloads.EVENT_NAMES[event.kind]
        holder = None
        if ticket.status in payloads.AT_COUNTER:
            holder = BookingRepository(repo.session).holders([ticket.id]).get(ticket.id)
        self.emit(
            name, payloads.ticket_staff(ticket, service, counter, now, holder), rooms.staff_for(service.agency_id)
        )
        if event.kind in CALL_KINDS and counter is not None:
            row = ticket.last_event(event.kind)
            agency = repo.agency(counter.agency_id)
            call = queries.CallRow(
                row.id,
                event.kind,
                row.at,
                ticket.number,
                service.id,
                service.code,
                counter.id,
                counter.number,
                counter.name,
                counter.area,
                counter.agency_id,
                agency.code if agency else None,
                agency.short_name if agency else None,
            )
            self.emit(name, payloads.call(call), rooms.calls_for(counter.area, service.id, counter.agency_id))

    def emit(self, name: str, payload: dict, to) -> None:
        self.socketio.emit(name, payload, to=to)

    # -- after Redis was away --

    def resync(self, since: datetime) -> None:
        """Bring this process's screens up to date from the database once Redis is back.

        What other processes published while Redis was away never reached them. Sent to this
        process's clients only (every process resyncs its own): the staff floor, every line and
        counter for the displays, and the phones of the tickets that changed since `since`. Calls
        are not replayed: a display shows a missed call at its counter, it does not speak it.
        """
        session, now = self.session(), self.clock()
        self._emit_here("snapshot", snapshots.staff(session, now), rooms.STAFF)
        for agency_id in queries.agency_ids(session):  # each agency's staff, their own floor only
            self._emit_here("snapshot", snapshots.staff(session, now, agency_id), rooms.staff_of(agency_id))
        for line in queries.service_lines(session, queries.services(session), now).values():
            self._emit_here(
                "queue.changed", payloads.queue_line(line), [rooms.DISPLAYS, rooms.service(line.service.id)]
            )
        current = queries.current_tickets(session)
        for counter in queries.counters(session):
            self._emit_here(
                "counter.changed", payloads.counter_public(counter, current.get(counter.id)), rooms.DISPLAYS
            )
        for ticket in Repository(session).tickets_changed_since(since - RESYNC_MARGIN):
            self._emit_here("snapshot", snapshots.ticket(session, ticket, now), rooms.ticket(ticket.token))

    def _emit_here(self, name: str, payload: dict, to) -> None:
        self.socketio.emit(name, payload, to=to, ignore_queue=True)
