"""The office's settings, holidays and services, kept for a moment between requests.

Issuing reads them on every ticket, and at a kiosk peak that is hundreds of times a second for rows
that change a few times a year. A commit of this process that changed one of them empties the cache at
once; another process (a second server, a CLI command) sees the change within `seconds`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..domain.model import Agency, Holiday, Office, Service

T = TypeVar("T")
SETTINGS = (Office, Holiday, Service, Agency)  # Agency: the hall's voice says its short name
INFO_KEY = "servicedesk.settings_cache"


class SettingsCache:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self._entries: dict[object, tuple[float, object]] = {}
        self._derived: dict[object, tuple[tuple, object]] = {}
        self._loading: set[object] = set()  # keys a request is loading again
        self._lock = threading.Lock()

    def get(self, key: object, load: Callable[[], T]) -> T:
        """The value kept for `key`, or what `load` gives (kept for the next `seconds`)."""
        if self.seconds <= 0:
            return load()
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and (entry[0] > now or key in self._loading):
            # Fresh, or expired while another request is loading it again: the requests in flight at
            # the moment it expires would otherwise all load the same row, each one of them.
            return entry[1]  # type: ignore[return-value]
        self._loading.add(key)
        try:
            value = load()
        finally:
            self._loading.discard(key)
        with self._lock:
            self._entries[key] = (now + self.seconds, value)
        return value

    def kept(self, key: object) -> object | None:
        """What is kept for `key` now, expired or not, without loading it."""
        entry = self._entries.get(key)
        return entry[1] if entry is not None else None

    def derived(self, key: object, sources: tuple, build: Callable[[], T]) -> T:
        """A value computed from kept values (`sources`), computed again only when one of them is no
        longer the very object it was computed from: it never outlives what it was made of."""
        if any(source is None for source in sources):  # not kept (no cache): nothing to derive from
            return build()
        entry = self._derived.get(key)
        if entry is not None and all(a is b for a, b in zip(entry[0], sources, strict=True)):
            return entry[1]  # type: ignore[return-value]
        value = build()
        with self._lock:
            self._derived[key] = (sources, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._derived.clear()

    def watch(self, session: Session) -> None:
        """Empty this cache when `session` commits a change to a setting."""
        session.info[INFO_KEY] = self


@event.listens_for(Session, "after_flush")
def _note_settings_changed(session: Session, flush_context) -> None:
    if INFO_KEY in session.info and any(
        isinstance(entity, SETTINGS) for entity in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info["servicedesk.settings_changed"] = True


@event.listens_for(Session, "after_commit")
def _clear_when_committed(session: Session) -> None:
    if session.info.pop("servicedesk.settings_changed", False):
        session.info[INFO_KEY].clear()


@event.listens_for(Session, "after_soft_rollback")
def _forget_when_rolled_back(session: Session, previous_transaction) -> None:
    session.info.pop("servicedesk.settings_changed", None)
