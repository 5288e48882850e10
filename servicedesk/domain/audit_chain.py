"""A record that proves itself: the hash chain over the audit trail and the daily Merkle root of
the ticket events. Pure functions, so an auditor's own script can recompute every hash.

Audit record n carries `hash = sha256(canonical JSON of its content and the previous hash)`, where
the content is its position in the chain (seq), the moment as UTC ISO text, the user id, the
action, the entity and its id, and the snapshots before and after. Changing, deleting or moving
any record breaks its own hash or the next record's link; `verify_chain` names the first one.

A day's ticket events are summed up in one Merkle root (RFC 6962: leaves and nodes hashed with
different prefixes, the tree split at the largest power of two), which is recorded in the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64  # the "previous hash" of the first record


def canonical_json(value) -> str:
    """One text for one value: sorted keys, no spaces, UTF-8 kept, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def utc_iso(moment: datetime) -> str:
    """`2026-11-02T02:00:00.000000Z`: always UTC, always microseconds, whatever the database gave back."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime cannot be hashed")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ChainRecord:
    """An audit row as the chain sees it (id is the database's, not hashed; seq is the position)."""

    id: int
    seq: int | None
    at: datetime
    user_id: int | None
    action: str
    entity: str
    entity_id: int | None
    before: dict | None
    after: dict | None
    prev_hash: str | None = None
    hash: str | None = None


def record_content(
    *,
    seq: int,
    at: datetime,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict | None,
    after: dict | None,
    prev_hash: str,
) -> str:
    return canonical_json(
        {
            "seq": seq,
            "at": utc_iso(at),
            "user_id": user_id,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": before,
            "after": after,
            "prev_hash": prev_hash,
        }
    )


def record_hash(**content) -> str:
    """The hash of one audit record, given its content and the previous record's hash."""
    return _sha256(record_content(**content).encode("utf-8"))


def hash_of(record: ChainRecord, prev_hash: str) -> str:
    return record_hash(
        seq=record.seq,
        at=record.at,
        user_id=record.user_id,
        action=record.action,
        entity=record.entity,
        entity_id=record.entity_id,
        before=record.before,
        after=record.after,
        prev_hash=prev_hash,
    )


@dataclass(frozen=True)
class Break:
    """The first record that does not fit: its id (None when records at the end are missing)."""

    record_id: int | None
    seq: int | None
    reason: str


@dataclass(frozen=True)
class ChainVerdict:
    records: int
    last_seq: int
    last_hash: str
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_chain(records: Iterable[ChainRecord], head: tuple[int, str] | None = None) -> ChainVerdict:
    """Walk the records in chain order (seq, then id) and stop at the first that does not fit.

    head: the (seq, hash) the chain's head row holds; when given, records cut off at the end are
    found too. A record fits when its position follows the previous one, its ids go up with it, it
    links to the previous hash and its own hash is the hash of its content.
    """
    expected_seq, prev_hash, prev_id, count = 1, GENESIS, None, 0

    def verdict(broken: Break | None) -> ChainVerdict:
        return ChainVerdict(count, expected_seq - 1, prev_hash, broken)

    for record in records:
        if record.seq is None or record.hash is None:
            return verdict(Break(record.id, record.seq, "not sealed: written around the chain"))
        if record.seq > expected_seq:
            return verdict(
                Break(record.id, record.seq, f"record(s) missing before it: expected position {expected_seq}")
            )
        if record.seq < expected_seq:
            return verdict(Break(record.id, record.seq, f"position {record.seq} appears twice or out of order"))
        if prev_id is not None and record.id <= prev_id:
            return verdict(Break(record.id, record.seq, "out of order: its id is lower than the previous record's"))
        if record.prev_hash != prev_hash:
            return verdict(Break(record.id, record.seq, "does not link to the previous record (changed or removed)"))
        if hash_of(record, prev_hash) != record.hash:
            return verdict(Break(record.id, record.seq, "its content was changed after it was recorded"))
        expected_seq, prev_hash, prev_id, count = expected_seq + 1, record.hash, record.id, count + 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != count or head_hash != prev_hash:
            return verdict(
                Break(None, head_seq, f"the chain head says {head_seq} record(s) but {count} were found in order")
            )
    return verdict(None)


# --- ticket events: a Merkle root per day ---


def event_leaf(
    *,
    id: int,  # noqa: A002  (the column's name)
    ticket_id: int,
    kind: str,
    at: datetime,
    service_id: int,
    to_service_id: int | None,
    counter_id: int | None,
    officer_id: int | None,
    note: str | None,
) -> str:
    """The leaf hash of one ticket event (0x00 prefix, as RFC 6962 separates leaves from nodes)."""
    content = canonical_json(
        {
            "id": id,
            "ticket_id": ticket_id,
            "kind": kind,
            "at": utc_iso(at),
            "service_id": service_id,
            "to_service_id": to_service_id,
            "counter_id": counter_id,
            "officer_id": officer_id,
            "note": note,
        }
    )
    return _sha256(b"\x00" + content.encode("utf-8"))


def merkle_root(leaves: Sequence[str]) -> str:
    """RFC 6962's Merkle tree hash over hex leaf hashes, in order; the hash of nothing for no leaves."""
    if not leaves:
        return _sha256(b"")
    level = [bytes.fromhex(leaf) for leaf in leaves]
    return _root(level).hex()


def _root(nodes: list[bytes]) -> bytes:
    if len(nodes) == 1:
        return nodes[0]
    split = 1 << ((len(nodes) - 1).bit_length() - 1)  # the largest power of two below n
    return hashlib.sha256(b"\x01" + _root(nodes[:split]) + _root(nodes[split:])).digest()
