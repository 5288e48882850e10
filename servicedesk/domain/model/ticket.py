"""A visitor's ticket: its state machine and its event rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..errors import InvalidTransition
from .events import _CollectsEvents
from .kinds import ACTIVE_AT_COUNTER, DAY_END_REASON, EventKind, ReturnPosition, TicketStatus


@dataclass(frozen=True)
class TicketChanged:
    kind: EventKind
    ticket: Ticket
    previous_service_id: int | None = None


class TicketEvent:
    """One append-only row of a ticket's history: what happened, when, where and by whom."""

    def __init__(self, kind: EventKind, at: datetime, service_id: int, **where):
        self.kind = kind
        self.at = at
        self.service_id = service_id
        self.counter_id: int | None = where.get("counter_id")
        self.officer_id: int | None = where.get("officer_id")
        self.to_service_id: int | None = where.get("to_service_id")
        self.note: str | None = where.get("note")


def _seconds_between(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds(), 0.0)


class Ticket(_CollectsEvents):
    """A visitor's place in a queue, and every step of the visit as an event row."""

    def __init__(
        self,
        *,
        service_id: int,
        service_day: date,
        token: str,
        issued_at: datetime,
        priority: bool = False,
        idempotency_key: str | None = None,
        number: str | None = None,
        sequence: int | None = None,
        priority_group: str | None = None,
    ):
        """number and sequence: as taken already (tests, imports); issuing gets them from the database as it
        stores the ticket (persistence/numbering.py writes the number and checks the quota)."""
        self.service_id = service_id
        self.origin_service_id = service_id
        self.number = number
        self.sequence = sequence
        self.service_day = service_day
        self.token = token
        self.priority = priority or priority_group is not None
        self.priority_group = priority_group  # which kelompok rentan, when the visitor said
        self.idempotency_key = idempotency_key
        self.status = TicketStatus.WAITING
        self.issued_at = issued_at
        self.queued_at = issued_at
        self.counter_id: int | None = None
        self.officer_id: int | None = None
        self.called_at: datetime | None = None
        self.started_at: datetime | None = None
        self.finished_at: datetime | None = None
        # Kept on the row so a year's report aggregates two columns instead of replaying event rows.
        self.wait_seconds: float | None = None  # issue to the first call, see call()
        self.service_seconds: float | None = None  # the finished visit's service, see served_seconds()
        self.recall_count = 0
        self.transfer_note: str | None = None
        self.events: list[TicketEvent] = []
        self._record(EventKind.ISSUED, issued_at)

    # -- transitions --

    def call(self, counter_id: int, officer_id: int, at: datetime, note: str | None = None) -> None:
        self._require(TicketStatus.WAITING, action="call")
        self.status = TicketStatus.CALLED
        self.counter_id, self.officer_id = counter_id, officer_id
        self.called_at = at
        self.recall_count = 0
        if self.wait_seconds is None:  # the wait ends at the first call, not after a requeue or transfer
            self.wait_seconds = _seconds_between(self.issued_at, at)
        self._record(EventKind.CALLED, at, note=note)

    def recall(self, at: datetime, max_recalls: int) -> None:
        self._require(TicketStatus.CALLED, action="recall")
        if self.recall_count >= max_recalls:
            raise InvalidTransition(
                f"{self.number} has been recalled {self.recall_count} times already; mark it no-show.",
                code="recall_limit",
            )
        self.recall_count += 1
        self._record(EventKind.RECALLED, at)

    def start(self, at: datetime) -> None:
        self._require(TicketStatus.CALLED, action="start serving")
        self.status = TicketStatus.SERVING
        self.started_at = at
        self._record(EventKind.SERVING, at)

    def finish(self, at: datetime) -> None:
        self._require(TicketStatus.SERVING, action="finish")
        self.status = TicketStatus.DONE
        self.finished_at = at
        self._record(EventKind.DONE, at)
        self.service_seconds = self.served_seconds(at)

    def mark_no_show(self, at: datetime) -> None:
        self._require(TicketStatus.CALLED, action="mark as no-show")
        self.status = TicketStatus.NO_SHOW
        self._record(EventKind.NO_SHOW, at)

    def requeue(
        self,
        at: datetime,
        window_minutes: int,
        officer_id: int | None,
        position: ReturnPosition | str = ReturnPosition.ORIGINAL,
    ) -> None:
        """A late visitor turns up, within the window: back into the queue at their original place,
        or at the end of the line, as the office's rule says."""
        self._require(TicketStatus.NO_SHOW, action="requeue")
        no_show_at = self.last_event(EventKind.NO_SHOW).at
        if at - no_show_at > timedelta(minutes=window_minutes):
            raise InvalidTransition(
                f"{self.number} was marked no-show more than {window_minutes} minutes ago.",
                code="requeue_window_passed",
            )
        self.status = TicketStatus.WAITING
        self.counter_id = None
        if ReturnPosition(position) == ReturnPosition.END:
            self.queued_at = at
        self._record(EventKind.REQUEUED, at, officer_id=officer_id)
        self.officer_id = None

    def transfer(
        self, to_service_id: int, at: datetime, queued_at: datetime, officer_id: int | None, note: str | None
    ) -> None:
        """The visit continues in another service's queue, keeping its number and history."""
        self._require(TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, action="transfer")
        if to_service_id == self.service_id:
            raise InvalidTransition("The ticket is already in that service.", code="same_service")
        previous = self.service_id
        self._record(EventKind.TRANSFERRED, at, officer_id=officer_id, note=note, to_service_id=to_service_id)
        self.service_id = to_service_id
        self.status = TicketStatus.WAITING
        self.queued_at = queued_at
        # The row's times describe the visit in its current service; the first service's stay
        # stays in the event rows.
        self.started_at = None
        self.counter_id = self.officer_id = None
        self.transfer_note = note
        self.changes[-1] = TicketChanged(EventKind.TRANSFERRED, self, previous_service_id=previous)

    def hand_over(self, officer_id: int) -> None:
        """The counter it is at was taken over: the new officer carries on with the visit."""
        self._require(*ACTIVE_AT_COUNTER, action="hand over")
        self.officer_id = officer_id  # no event: a call would be announced again; the counter's change is published

    def hold(self, at: datetime) -> None:
        self._require(TicketStatus.CALLED, TicketStatus.SERVING, action="hold")
        self.status = TicketStatus.HELD
        self._record(EventKind.HELD, at)

    def resume(self, counter_id: int, officer_id: int, at: datetime) -> None:
        self._require(TicketStatus.HELD, action="resume")
        self.status = TicketStatus.SERVING
        self.counter_id, self.officer_id = counter_id, officer_id
        if self.started_at is None:
            self.started_at = at
        self._record(EventKind.RESUMED, at)

    def cancel(self, at: datetime, officer_id: int | None, reason: str | None = None) -> None:
        self._require(
            TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.HELD, TicketStatus.NO_SHOW, action="cancel"
        )
        self.status = TicketStatus.CANCELLED
        self._record(EventKind.CANCELLED, at, officer_id=officer_id, note=reason)

    def step_back(self, behind_queued_at: datetime | None, at: datetime, note: str) -> None:
        """The visitor lets the next person of the line go first (a TUNDA reply): once per ticket."""
        self._require(TicketStatus.WAITING, action="step back")
        if any(e.kind == EventKind.REQUEUED and e.note == note for e in self.events):
            raise InvalidTransition(f"Ticket {self.number} stepped back once already.", code="stepped_back_already")
        if behind_queued_at is None:
            raise InvalidTransition(f"Nobody waits behind {self.number}.", code="nobody_behind")
        self.queued_at = behind_queued_at + timedelta(milliseconds=1)
        self._record(EventKind.REQUEUED, at, note=note)

    def close_unserved(self, at: datetime) -> None:
        """End of day: a ticket still open was not served; its event row says why (DAY_END_REASON).

        A ticket never crosses its service day: tomorrow's counters never call it."""
        self._require(
            TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD, action="close"
        )
        self.status = TicketStatus.CANCELLED
        self._record(EventKind.CANCELLED, at, note=DAY_END_REASON)

    # -- helpers --

    def served_seconds(self, now: datetime) -> float:
        """How long this visit has been served, up to `now`: the service time of the reports and figures.

        Service runs from `serving` (or `resumed`) to `held`, `transferred` or `done`. Time on hold is
        not service: the visitor is away fetching a document. A new call starts a new visit, so what
        was served in a service the ticket was transferred out of is not counted here again."""
        served, since = 0.0, None
        for event in self.events:
            if event.kind == EventKind.CALLED:
                served, since = 0.0, None
            elif event.kind in (EventKind.SERVING, EventKind.RESUMED):
                since = event.at
            elif event.kind in (EventKind.HELD, EventKind.TRANSFERRED, EventKind.DONE) and since is not None:
                served += _seconds_between(since, event.at)
                since = None
        return served + (_seconds_between(since, now) if since is not None else 0.0)

    def last_event(self, kind: EventKind) -> TicketEvent:
        return next(e for e in reversed(self.events) if e.kind == kind)

    def waiting_minutes(self, now: datetime) -> float:
        return max((now - self.queued_at).total_seconds() / 60, 0.0)

    def _require(self, *allowed: TicketStatus, action: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(
                f"Cannot {action} ticket {self.number}: it is {self.status.value}.",
                details={"status": self.status.value},
            )

    def _record(self, kind: EventKind, at: datetime, **where) -> None:
        where.setdefault("counter_id", self.counter_id)
        where.setdefault("officer_id", self.officer_id)
        self.events.append(TicketEvent(kind, at, self.service_id, **where))
        self.changes.append(TicketChanged(kind, self))
