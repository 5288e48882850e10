"""`flask notify work`: delivers the outbox, in a process of its own beside the web server.

Each round claims due messages (persistence/outbox.py: SKIP LOCKED on PostgreSQL) under a fresh
attempt id, committed as `sending` before any provider is called; sends them (a few at a time, each
call with a timeout); and records each result under that attempt id. A worker killed mid-way leaves
its messages `sending`: once their lease has run out another round takes them again, and then a
provider that honours the idempotency key is simply called again with the same key, while one that
does not is never called twice: the message goes to the dead letters, "interrupted", for the admin
to check and send again. So nothing is lost silently and nothing is delivered twice.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.notify import BASE_DELAY_SECONDS, MAX_ATTEMPTS, Channel, gives_up, next_attempt
from ..persistence import outbox, webhooks
from .providers import DeliveryFailed, Provider

log = logging.getLogger("servicedesk.notify")

INTERRUPTED = "interrupted while sending: the provider may or may not have it; check, then send again"


@dataclass
class WorkerSettings:
    lease_seconds: float = 120.0  # longer than any provider call may take (their timeouts)
    batch: int = 50
    concurrency: int = 8
    base_delay: float = BASE_DELAY_SECONDS
    max_attempts: int = MAX_ATTEMPTS
    idle_seconds: float = 0.5


class Worker:
    def __init__(
        self,
        session: Callable[[], Session],
        providers: dict[Channel, Provider],
        clock: Callable[[], datetime],
        settings: WorkerSettings | None = None,
    ):
        self.session = session
        self.providers = providers
        self.clock = clock
        self.settings = settings or WorkerSettings()

    def run(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set (SIGTERM), sleeping briefly when nothing is due."""
        with ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="notify") as pool:
            while not stop.is_set():
                try:
                    handled = self.run_once(pool)
                except Exception:  # a lost database connection: log, wait, go on
                    log.exception("notify worker round failed")
                    self.session().rollback()
                    handled = 0
                if not handled:
                    stop.wait(self.settings.idle_seconds)

    def run_once(self, pool: ThreadPoolExecutor | None = None) -> int:
        """One round: claim, send, record. Returns how many messages it handled."""
        session = self.session()
        attempt_id = uuid.uuid4().hex
        rows = outbox.claim(
            session,
            self.clock(),
            attempt_id=attempt_id,
            lease_seconds=self.settings.lease_seconds,
            limit=self.settings.batch,
        )
        if not rows:
            return 0
        to_send = []
        for row in rows:
            provider = self.providers[Channel(row["channel"])]
            if row["reclaimed"] and not provider.idempotent:
                # Killed between the claim and the result: a second call could deliver it twice.
                outbox.mark_failed(session, row["id"], attempt_id, INTERRUPTED, None)
                continue
            if row["subscription_id"] is not None:
                row["secrets"] = webhooks.signing_secrets(session, row["subscription_id"], self.clock())
            to_send.append((row, provider))
        session.commit()
        if pool is None:
            results = [(row, _attempt(provider, row)) for row, provider in to_send]
        else:
            futures = {pool.submit(_attempt, provider, row): row for row, provider in to_send}
            results = ((futures[f], f.result()) for f in as_completed(futures))
        for row, failure in results:
            self._settle(session, row, attempt_id, failure)
        return len(rows)

    def _settle(self, session: Session, row: dict, attempt_id: str, failure: DeliveryFailed | None) -> None:
        now = self.clock()
        if failure is None:
            outbox.mark_sent(session, row["id"], attempt_id, now)
            return
        final = failure.permanent or gives_up(row["attempts"], self.settings.max_attempts)
        retry_at = None if final else next_attempt(row["attempts"], now, self.settings.base_delay)
        outbox.mark_failed(session, row["id"], attempt_id, str(failure), retry_at)
        log.warning("notify %s #%s attempt %s failed: %s", row["channel"], row["id"], row["attempts"], failure)


def _attempt(provider: Provider, row: dict) -> DeliveryFailed | None:
    try:
        provider.send(row)
    except DeliveryFailed as failure:
        return failure
    except Exception as error:  # a provider's own bug must not stop the worker: retried, then dead
        log.exception("notify provider %s raised", provider.channel)
        return DeliveryFailed(f"{type(error).__name__}: {error}")
    return None
