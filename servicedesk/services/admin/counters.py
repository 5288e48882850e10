"""Counters (loket) and the services each serves, audited."""

from __future__ import annotations

from collections.abc import Mapping

from ...domain.audit import (
    counter_snapshot,
)
from ...domain.model import CallOrder, Counter, CounterChanged
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Invalid, _choice, _codes_by_id, _get, _service_ids, _text, _whole

# --- counters (loket) ---


CALL_ORDERS = tuple(order.value for order in CallOrder)


def _counter_fields(uow: UnitOfWork, data: Mapping, counter_id: int | None) -> tuple[dict, list[int]]:
    """`data["service_order"]` maps a service id to its place at the counter ("" = not served)."""
    errors: dict[str, str] = {}
    number = _whole(errors, "number", data.get("number"), minimum=1, maximum=999)
    if number is not None:
        other = uow.repo.counter_by_number(number)
        if other is not None and other.id != counter_id:
            errors["number"] = f"counter {number} exists already"
    name = _text(errors, "name", data.get("name"), limit=100)
    area = _text(errors, "area", data.get("area"), limit=100)
    places: list[tuple[int, int]] = []
    for service_id, place in (data.get("service_order") or {}).items():
        text = str(place or "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            errors["services"] = "order numbers are whole numbers from 1"
            continue
        places.append((int(text), service_id))
    if len({place for place, _ in places}) != len(places):
        errors["services"] = "each order number may be used once"
    service_ids = _service_ids(uow, errors, "services", [sid for _, sid in sorted(places)])
    call_order = _choice(errors, "call_order", data.get("call_order") or CallOrder.OLDEST.value, CALL_ORDERS)
    if errors:
        raise Invalid(errors)
    return {"number": number, "name": name or f"Loket {number}", "area": area, "call_order": call_order}, service_ids


def _counter_snapshot(uow: UnitOfWork, counter: Counter, service_ids: list[int]) -> dict:
    codes = _codes_by_id(uow)
    return counter_snapshot(counter, [codes[i] for i in service_ids])


def create_counter(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Counter:
    fields, service_ids = _counter_fields(uow, data, None)
    counter = Counter(fields["number"], fields["name"], fields["area"])
    counter.call_order = fields["call_order"]
    uow.repo.add(counter)
    uow.session.flush()
    uow.repo.set_counter_services(counter, service_ids)
    audit.record(
        uow,
        user_id=actor_id,
        action="create",
        entity="counter",
        entity_id=counter.id,
        after=_counter_snapshot(uow, counter, service_ids),
    )
    uow.commit()
    return counter


def update_counter(uow: UnitOfWork, *, actor_id: int | None, counter_id: int, data: Mapping) -> Counter:
    counter = _get(uow.repo.counter, counter_id)
    fields, service_ids = _counter_fields(uow, data, counter_id)
    before = _counter_snapshot(uow, counter, [s.id for s in counter.services])
    counter.number, counter.name, counter.area = fields["number"], fields["name"], fields["area"]
    counter.call_order = fields["call_order"]
    uow.repo.set_counter_services(counter, service_ids)
    entry = audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="counter",
        entity_id=counter.id,
        before=before,
        after=_counter_snapshot(uow, counter, service_ids),
    )
    if entry is not None:
        counter.changes.append(CounterChanged(counter))  # supervisors' floor shows the new set-up
    uow.commit()
    return counter
