"""A transaction that publishes the domain events of what it changed, only once it has committed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.orm import Session

from ..persistence.repository import Repository
from ..persistence.settings_cache import SettingsCache

Publisher = Callable[[list], None]


class OutboxWriter(Protocol):
    """The outbox's hook (services/notify.py Outbox): writes the messages of events in their transaction."""

    def write(self, session: Session, events: list, now: datetime, *, refresh: bool = True) -> None: ...

    def may_skip_transaction(self, trigger) -> bool: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class UnitOfWork:
    def __init__(
        self,
        session: Session,
        publish: Publisher | None = None,
        clock: Callable[[], datetime] = utc_now,
        settings: SettingsCache | None = None,
        outbox: OutboxWriter | None = None,
    ):
        self.session = session
        self.repo = Repository(session, settings)
        self._publish = publish or (lambda events: None)
        self.clock = clock
        self._outbox = outbox
        self._one_statement = False

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.rollback()

    def write_in_one_statement(self) -> None:
        """What this unit of work writes is one atomic statement (issuing): on PostgreSQL it runs in
        autocommit, without the BEGIN and COMMIT round trips. Call it before anything is read.
        Not while a webhook subscriber may want the issued ticket: its outbox row joins the transaction."""
        from ..domain.notify import Trigger

        if self._outbox is None or self._outbox.may_skip_transaction(Trigger.ISSUED):
            self._one_statement = True
            self.repo.autocommit()

    def commit(self) -> None:
        self.session.flush()
        events = list(self._collect_events())
        if events and self._outbox is not None:
            # The transactional outbox: the messages these events cause commit with them, or not at all.
            self._outbox.write(self.session, events, self.clock(), refresh=not self._one_statement)
        self.session.commit()
        # Screens must never show what the database does not hold: publish after commit only.
        if events:
            self._publish(events)

    def rollback(self) -> None:
        self.session.rollback()
        for entity in self._entities():
            entity.__dict__.pop("_changes", None)

    def _entities(self) -> Iterable:
        yield from self.session.new
        yield from self.session.identity_map.values()

    def _collect_events(self) -> Iterable:
        for entity in list(self._entities()):
            changes = entity.__dict__.pop("_changes", None)
            if changes:
                yield from changes
