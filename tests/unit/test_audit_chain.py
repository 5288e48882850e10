"""The hash chain and the Merkle root, computed by hand where it matters and verified without a database."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from servicedesk.domain.audit_chain import (
    GENESIS,
    ChainRecord,
    canonical_json,
    event_leaf,
    hash_of,
    merkle_root,
    record_hash,
    utc_iso,
    verify_chain,
)

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def chain(n: int) -> list[ChainRecord]:
    records, prev = [], GENESIS
    for i in range(1, n + 1):
        record = ChainRecord(
            id=10 + i,
            seq=i,
            at=T0 + timedelta(minutes=i),
            user_id=1,
            action="update",
            entity="service",
            entity_id=i,
            before={"name": f"old {i}"},
            after={"name": f"Legalisir ijazah {i}", "fee": 0},
        )
        digest = hash_of(record, prev)
        records.append(replace(record, prev_hash=prev, hash=digest))
        prev = digest
    return records


def test_the_canonical_text_is_the_same_whatever_the_key_order():
    assert canonical_json({"b": 1, "a": [1, "é"]}) == canonical_json({"a": [1, "é"], "b": 1}) == '{"a":[1,"é"],"b":1}'


def test_moments_are_hashed_as_utc_with_microseconds_whatever_their_zone():
    jakarta = timezone(timedelta(hours=7))
    assert utc_iso(datetime(2026, 11, 2, 9, 0, tzinfo=jakarta)) == "2026-11-02T02:00:00.000000Z"
    with pytest.raises(ValueError):
        utc_iso(datetime(2026, 11, 2, 9, 0))


def test_a_record_hash_is_sha256_over_its_canonical_content_and_the_previous_hash():
    expected_text = (
        '{"action":"create","after":{"name":"A"},"at":"2026-11-02T02:00:00.000000Z","before":null,'
        '"entity":"service","entity_id":3,"prev_hash":"' + GENESIS + '","seq":1,"user_id":null}'
    )
    digest = record_hash(
        seq=1, at=T0, user_id=None, action="create", entity="service", entity_id=3,
        before=None, after={"name": "A"}, prev_hash=GENESIS,
    )  # fmt: skip
    assert digest == hashlib.sha256(expected_text.encode()).hexdigest()


def test_an_intact_chain_verifies_with_its_count_and_last_hash():
    records = chain(5)
    verdict = verify_chain(records, head=(5, records[-1].hash))
    assert verdict.ok and verdict.records == 5 and verdict.last_hash == records[-1].hash
    assert verify_chain([], head=(0, GENESIS)).ok


def test_a_changed_record_is_named():
    records = chain(5)
    records[2] = replace(records[2], after={"name": "Legalisir ijazah 3", "fee": 50000})
    verdict = verify_chain(records)
    assert verdict.broken.record_id == records[2].id and "changed" in verdict.broken.reason
    assert verdict.records == 2


def test_a_rehashed_record_breaks_the_link_of_the_next_one():
    records = chain(5)
    forged = replace(records[1], after={"name": "forged"})
    records[1] = replace(forged, hash=hash_of(forged, records[0].hash))
    assert verify_chain(records).broken.record_id == records[2].id


def test_a_deleted_record_is_found_at_the_next_one():
    records = chain(5)
    del records[2]
    broken = verify_chain(records).broken
    assert broken.record_id == 14 and "missing" in broken.reason


def test_swapped_positions_are_found_at_the_first_moved_record():
    records = chain(5)
    records[1], records[2] = replace(records[2], seq=2), replace(records[1], seq=3)
    assert verify_chain(records).broken.record_id == records[1].id


def test_records_cut_off_at_the_end_are_found_by_the_head():
    records = chain(5)
    verdict = verify_chain(records[:3], head=(5, records[-1].hash))
    assert verdict.broken.record_id is None and "5 record(s) but 3" in verdict.broken.reason


def test_a_record_written_around_the_chain_is_named():
    records = chain(2) + [replace(chain(3)[2], seq=None, hash=None)]
    assert "not sealed" in verify_chain(records).broken.reason


def leaf(i: int) -> str:
    return event_leaf(
        id=i, ticket_id=i, kind="issued", at=T0, service_id=1,
        to_service_id=None, counter_id=None, officer_id=None, note=None,
    )  # fmt: skip


def h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_the_merkle_root_follows_rfc_6962_by_hand_for_three_leaves():
    a, b, c = (bytes.fromhex(leaf(i)) for i in (1, 2, 3))
    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()
    assert merkle_root([leaf(1)]) == leaf(1)
    assert merkle_root([leaf(1), leaf(2), leaf(3)]) == h(b"\x01" + h(b"\x01" + a + b) + c).hex()


def test_an_event_leaf_is_prefixed_so_a_node_cannot_pass_for_a_leaf():
    content = canonical_json(
        {"id": 1, "ticket_id": 1, "kind": "issued", "at": "2026-11-02T02:00:00.000000Z", "service_id": 1,
         "to_service_id": None, "counter_id": None, "officer_id": None, "note": None}
    )  # fmt: skip
    assert leaf(1) == hashlib.sha256(b"\x00" + content.encode()).hexdigest()


def test_changing_removing_or_reordering_events_changes_the_root():
    leaves = [leaf(i) for i in range(1, 8)]
    root = merkle_root(leaves)
    assert merkle_root(leaves[:3] + leaves[4:]) != root
    assert merkle_root([leaves[1], leaves[0], *leaves[2:]]) != root
    assert merkle_root(leaves[:6] + [leaf(99)]) != root
