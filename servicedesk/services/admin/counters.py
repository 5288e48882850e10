"""Counters (loket) and the services each serves, audited."""

from __future__ import annotations

from collections.abc import Mapping

from ...domain.audit import (
    counter_snapshot,
)
from ...domain.model import CallOrder, Counter, CounterChanged
from ...persistence import queries, tables
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Problems, _agency_of_new_row, _codes_by_id, _fits, _get, _service_ids

# --- counters (loket) ---


CALL_ORDERS = tuple(order.value for order in CallOrder)


def _counter_fields(uow: UnitOfWork, data: Mapping, counter_id: int | None) -> tuple[dict, list[int]]:
    """`data` as the page's form has checked it: `number` (int), `name`, `area`, `call_order` and
    `service_ids` in calling order. The office's rules are checked here: one counter a number, known services."""
    errors = Problems()
    _fits(errors, tables.counters, {"name": data.get("name"), "area": data.get("area")})
    number = data["number"]
    other = uow.repo.counter_by_number(number, data.get("agency_id"))
    if other is not None and other.id != counter_id:
        errors.add("number", "counter_exists", number=number)
    service_ids = _own_services(uow, errors, data.get("service_ids"), data.get("agency_id"))
    call_order = data.get("call_order") or CallOrder.OLDEST.value
    if call_order not in CALL_ORDERS:
        errors.add("call_order", "choose_option")
    errors.check()
    name = data.get("name") or f"Loket {number}"
    return {"number": number, "name": name, "area": data.get("area") or "", "call_order": call_order}, service_ids


def _own_services(uow: UnitOfWork, errors: Problems, ids, agency_id: int | None) -> list[int]:
    """The services a counter calls, in order: known ones, all of the counter's own agency (a
    counter of the site's own, e.g. the hall's information desk, only the site's)."""
    service_ids = _service_ids(uow, errors, "services", ids)
    agencies = {s.id: (s.agency_id, s.code) for s in queries.services(uow.session, active_only=False)}
    others = [agencies[i][1] for i in service_ids if agencies[i][0] != agency_id]
    if others and "services" not in errors:
        errors.add("services", "service_of_other_agency", codes=", ".join(others))
    return service_ids


def _snapshot(uow: UnitOfWork):
    codes = _codes_by_id(uow)
    return lambda counter: counter_snapshot(counter, [codes[s.id] for s in counter.services])


def create_counter(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Counter:
    data = {**data, "agency_id": _agency_of_new_row(uow, data)}
    fields, service_ids = _counter_fields(uow, data, None)
    snapshot = _snapshot(uow)
    with audit.audited(uow, user_id=actor_id, action="create", entity="counter", snapshot=snapshot) as change:
        change.target = counter = Counter(fields["number"], fields["name"], fields["area"], data.get("agency_id"))
        counter.call_order = fields["call_order"]
        uow.repo.add(counter)
        uow.repo.set_counter_services(counter, service_ids)
    uow.commit()
    return counter


def update_counter(uow: UnitOfWork, *, actor_id: int | None, counter_id: int, data: Mapping) -> Counter:
    counter = _get(uow.repo.counter, counter_id)
    fields, service_ids = _counter_fields(uow, {**data, "agency_id": counter.agency_id}, counter_id)
    snapshot = _snapshot(uow)
    with audit.audited(
        uow, user_id=actor_id, action="update", entity="counter", snapshot=snapshot, target=counter
    ) as change:
        counter.number, counter.name, counter.area = fields["number"], fields["name"], fields["area"]
        counter.call_order = fields["call_order"]
        uow.repo.set_counter_services(counter, service_ids)
    if change.entry is not None:
        counter.changes.append(CounterChanged(counter))  # supervisors' floor shows the new set-up
    uow.commit()
    return counter
