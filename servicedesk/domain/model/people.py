"""Counters (loket) and the staff who work at them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import CounterBusy, InvalidTransition, NotAllowed
from .events import _CollectsEvents
from .kinds import CallOrder, CounterStatus, Role
from .office import Service


@dataclass(frozen=True)
class CounterChanged:
    counter: Counter


@dataclass(frozen=True)
class SessionsEnded:
    """Every session of a staff member ended (logout, password reset, deactivation)."""

    user_id: int


class Counter(_CollectsEvents):
    """A loket. Only the officer who opened it acts at it; `priority_streak` feeds the priority rule."""

    def __init__(self, number: int, name: str = "", area: str = "", agency_id: int | None = None):
        self.agency_id = agency_id
        self.number = number
        self.name = name or f"Loket {number}"
        self.area = area
        self.status = CounterStatus.CLOSED
        self.officer_id: int | None = None
        self.priority_streak = 0
        self.services: list[Service] = []  # in the order it calls them
        self.call_order = CallOrder.OLDEST.value
        self.opened_at: datetime | None = None

    def open(self, officer_id: int, at: datetime | None = None) -> None:
        if self.officer_id not in (None, officer_id):
            raise CounterBusy(f"{self.name} is already opened by another officer.", code="counter_taken")
        if self.officer_id is None or self.status == CounterStatus.CLOSED:
            self.opened_at = at
        self.officer_id = officer_id
        self.status = CounterStatus.OPEN
        self.changes.append(CounterChanged(self))

    def take_over(self, officer_id: int, at: datetime) -> int | None:
        """A colleague left this counter open: the officer takes it over, explicitly. Returns who had it."""
        previous = self.officer_id
        self.officer_id = officer_id
        self.status = CounterStatus.OPEN
        self.opened_at = at
        self.priority_streak = 0
        self.changes.append(CounterChanged(self))
        return previous

    def take_break(self, officer_id: int) -> None:
        self.require_officer(officer_id)
        self.status = CounterStatus.BREAK
        self.changes.append(CounterChanged(self))

    def close(self) -> None:
        self.status = CounterStatus.CLOSED
        self.officer_id = None
        self.priority_streak = 0
        self.opened_at = None
        self.changes.append(CounterChanged(self))

    def require_officer(self, officer_id: int) -> None:
        if self.officer_id != officer_id:
            raise NotAllowed(f"You have not opened {self.name}.", code="not_your_counter")

    def require_open_for(self, officer_id: int) -> None:
        self.require_officer(officer_id)
        if self.status != CounterStatus.OPEN:
            raise InvalidTransition(f"{self.name} is not open.", code="counter_not_open")

    def serves(self, service_id: int) -> bool:
        return any(s.id == service_id for s in self.services)

    def require_serves(self, service_id: int) -> None:
        if not self.serves(service_id):
            raise NotAllowed(f"{self.name} does not serve this ticket's service.", code="not_served_here")

    def require_desk_for(self, user: User, service_id: int, *, open_now: bool = True) -> None:
        """The desk rule, as call-next applies it: an officer acts on a ticket only at a counter they
        opened (open, not on a break, when `open_now`), that serves the ticket's service, which they
        are assigned to serve."""
        if open_now:
            self.require_open_for(user.id)
        else:
            self.require_officer(user.id)
        user.require_competence(service_id)
        self.require_serves(service_id)


class User(_CollectsEvents):
    """A person who logs in: officer (petugas), supervisor, admin or auditor. Never deleted, only deactivated."""

    def __init__(self, username: str, full_name: str, role: Role = Role.OFFICER, password_hash: str = ""):
        self.username = username
        self.full_name = full_name
        self.role = role
        self.password_hash = password_hash
        self.active = True
        self.competences: list[Service] = []
        self.session_generation = 0
        self.agency_id: int | None = None  # None: site staff (domain/model/agency.py)

    # Flask-Login's protocol, written out so the domain does not import Flask-Login.
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What a session cookie holds: the id and the session generation, so ending the sessions
        (one more generation) makes every cookie signed before it worthless."""
        return f"{self.id}:{self.session_generation or 0}"

    def end_sessions(self) -> None:
        self.session_generation = (self.session_generation or 0) + 1
        self.changes.append(SessionsEnded(self.id))

    @staticmethod
    def parse_session_id(value: str) -> tuple[int, int] | None:
        """(user id, generation) from a session cookie's id, or None when it is not one."""
        user_id, _, generation = value.partition(":")
        if not (user_id.isdigit() and generation.isdigit()):
            return None
        return int(user_id), int(generation)

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def reads_reports(self) -> bool:
        """Reports, SKM pages, exports and the audit log: supervisors, admins and auditors."""
        return self.is_supervisor or self.is_auditor

    def competent_for(self, service_id: int) -> bool:
        return any(s.id == service_id for s in self.competences)

    def require_competence(self, service_id: int) -> None:
        if not self.competent_for(service_id):
            raise NotAllowed("You are not assigned to serve this service.", code="not_competent")
