"""Tamper-evident records: sealing each ended day of ticket events into the audit chain, verifying
the chain and the sealed days, and the daily digest kept outside the database.

See docs/security.md, "Tamper-evident records", for why ticket events get a daily Merkle root
rather than a chain of their own.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..domain.audit_chain import GENESIS, ChainVerdict, merkle_root, utc_iso, verify_chain
from ..persistence import audit_chain as chain
from .audit import record
from .unit_of_work import UnitOfWork

SEAL_ACTION, SEAL_ENTITY = "seal_day", "ticket_events"


def day_window(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """A local day of the office as a UTC window [start, end)."""
    zone = ZoneInfo(time_zone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _sealed_content(day: date, starts_at: datetime, ends_at: datetime, events: int, root: str) -> dict:
    return {
        "day": day.isoformat(),
        "starts_at": utc_iso(starts_at),
        "ends_at": utc_iso(ends_at),
        "events": events,
        "root": root,
    }


def seal_ended_days(uow: UnitOfWork) -> list[date]:
    """Seal every day that has ended and is not sealed yet, from the first day with events (or the
    day after the last sealed one) to yesterday: its events' Merkle root goes into a row of its own
    and into the audit chain. The caller commits. Days without events are sealed too, so deleting
    a whole day's events shows."""
    session, office = uow.session, uow.repo.office()
    zone = ZoneInfo(office.time_zone)
    today = uow.clock().astimezone(zone).date()
    last = chain.last_sealed_day(session)
    if last is not None:
        day = last + timedelta(days=1)
    else:
        first = chain.first_event_at(session)
        if first is None:
            return []
        day = first.astimezone(zone).date()
    sealed = []
    while day < today:
        starts_at, ends_at = day_window(day, office.time_zone)
        leaves = chain.event_leaves(session, starts_at, ends_at)
        content = _sealed_content(day, starts_at, ends_at, len(leaves), merkle_root(leaves))
        entry = record(uow, user_id=None, action=SEAL_ACTION, entity=SEAL_ENTITY, entity_id=None, after=content)
        session.flush()
        chain.add_day_root(
            session,
            day=day,
            starts_at=starts_at,
            ends_at=ends_at,
            events=content["events"],
            root=content["root"],
            audit_id=entry.id,
        )
        sealed.append(day)
        day += timedelta(days=1)
    return sealed


def seal(uow: UnitOfWork) -> list[date]:
    sealed = seal_ended_days(uow)
    uow.commit()
    return sealed


# --- verifying ---


@dataclass(frozen=True)
class DayBreak:
    day: date
    reason: str


@dataclass(frozen=True)
class Verdict:
    chain: ChainVerdict
    days: int
    events: int
    broken_day: DayBreak | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.broken_day is None

    def describe(self) -> str:
        """The verdict in one line of English, for the terminal and logs."""
        broken = self.chain.broken
        if broken is not None:
            where = f"audit record #{broken.record_id}" if broken.record_id is not None else "the end of the chain"
            position = f" (position {broken.seq})" if broken.seq is not None else ""
            return f"BROKEN: {where}{position}: {broken.reason}."
        if self.broken_day is not None:
            return f"BROKEN: ticket events of {self.broken_day.day.isoformat()}: {self.broken_day.reason}."
        return (
            f"OK: {self.chain.records} audit record(s) chained, last hash {self.chain.last_hash}; "
            f"{self.days} sealed day(s) with {self.events} ticket event(s) match their roots."
        )


def _check_day(session: Session, row) -> str | None:
    leaves = chain.event_leaves(session, row.starts_at, row.ends_at)
    expected = _sealed_content(row.day, row.starts_at, row.ends_at, row.events, row.root)
    if chain.audit_after(session, row.audit_id) != expected:
        return f"its sealed root differs from the one in audit record #{row.audit_id}"
    if len(leaves) != row.events:
        return f"{len(leaves)} event(s) now, {row.events} when sealed"
    if merkle_root(leaves) != row.root:
        return "an event was changed after the day was sealed"
    return None


def verify(session: Session) -> Verdict:
    """The whole audit chain, then every sealed day's events against its root."""
    head = chain.head(session) or (0, GENESIS)
    with closing(chain.chain_records(session)) as records:
        chain_verdict = verify_chain(records, head)
    if not chain_verdict.ok:
        return Verdict(chain_verdict, 0, 0)
    days = events = 0
    for row in chain.sealed_days(session):
        reason = _check_day(session, row)
        if reason:
            return Verdict(chain_verdict, days, events, DayBreak(row.day, reason))
        days, events = days + 1, events + row.events
    return Verdict(chain_verdict, days, events)


# --- the digest kept outside the database ---


def digest(session: Session, *, office_name: str, now: datetime, day: date | None = None) -> dict:
    """The last sealed day (or `day`): its date and root, and the chain's last hash now."""
    seq, last_hash = chain.head(session) or (0, GENESIS)
    rows = [row for row in chain.sealed_days(session) if day is None or row.day == day]
    sealed = rows[-1] if rows else None
    return {
        "office": office_name,
        "generated_at": utc_iso(now),
        "date": sealed.day.isoformat() if sealed else None,
        "events": sealed.events if sealed else 0,
        "root": sealed.root if sealed else None,
        "audit_records": seq,
        "last_hash": last_hash,
    }


def check_digest(session: Session, kept: dict) -> str | None:
    """A digest kept outside the database against the database now: the chain must still hold the
    kept last hash at its position, and the kept day its root. None when both hold, else why not."""
    try:
        seq, last_hash = int(kept["audit_records"]), str(kept["last_hash"])
        day, root = (date.fromisoformat(kept["date"]), kept["root"]) if kept.get("date") else (None, None)
    except (KeyError, TypeError, ValueError):
        return "not a digest written by `flask audit digest`"
    if seq and chain.hash_at(session, seq) != last_hash:
        return f"the audit chain no longer holds the kept hash at position {seq}: it was rewritten"
    if day is not None and chain.day_root(session, day) != root:
        return f"the sealed root of {day.isoformat()} differs from the kept one"
    return None


class WebhookFailed(Exception):
    pass


def post_digest(url: str, payload: dict, *, timeout: float) -> int:
    """POST the digest as JSON; a slow or failing receiver is reported, never waited on forever."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, sort_keys=True).encode("utf-8"),
        headers={"Content-Type": "application/json", "User-Agent": "servicedesk-audit-digest"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  (the office's own URL)
            return response.status
    except urllib.error.HTTPError as error:
        raise WebhookFailed(f"the webhook answered {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise WebhookFailed(f"the webhook could not be reached: {reason}") from None
