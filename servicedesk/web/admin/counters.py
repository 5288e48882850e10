"""Counters and the services each serves, in order."""

from __future__ import annotations

from flask import (
    render_template,
    request,
)
from flask_babel import gettext as _

from ...domain.model import Counter
from ...extensions import db
from ...persistence import queries
from ...services import admin
from ..context import unit_of_work
from .base import _actor, _form, _or_404, _saved, _services, bp, readable


def _counter_values(counter: Counter | None) -> dict:
    if counter is None:
        return {"number": "", "name": "", "area": "", "service_order": {}, "call_order": "oldest"}
    order = {s.id: str(i + 1) for i, s in enumerate(counter.services)}
    values = {"number": str(counter.number), "name": counter.name, "area": counter.area, "service_order": order}
    return values | {"call_order": counter.call_order}


def _counter_data() -> dict:
    data = _form()
    order = {}
    for service in _services():
        order[service.id] = request.form.get(f"order_{service.id}", "")
    data["service_order"] = order
    return data


def _counter_page(counter, values, errors, status=200):
    return render_template(
        "admin/counter_form.html", counter=counter, values=values, errors=errors, services=_services()
    ), status


@bp.get("/counters")
@readable
def counters():
    return render_template("admin/counters.html", counters=queries.counters(db.session))


@bp.route("/counters/new", methods=["GET", "POST"])
@readable
def counter_new():
    if request.method == "GET":
        return _counter_page(None, _counter_values(None), {})
    data = _counter_data()
    try:
        with unit_of_work() as uow:
            counter = admin.create_counter(uow, actor_id=_actor(), data=data)
    except admin.Invalid as invalid:
        return _counter_page(None, data, invalid.errors, 400)
    return _saved(_("%(name)s saved.", name=counter.name), "admin.counters")


@bp.route("/counters/<int:counter_id>", methods=["GET", "POST"])
@readable
def counter_edit(counter_id: int):
    counter = _or_404(Counter, counter_id)
    if request.method == "GET":
        return _counter_page(counter, _counter_values(counter), {})
    data = _counter_data()
    try:
        with unit_of_work() as uow:
            admin.update_counter(uow, actor_id=_actor(), counter_id=counter_id, data=data)
    except admin.Invalid as invalid:
        return _counter_page(counter, data, invalid.errors, 400)
    return _saved(_("%(name)s saved.", name=counter.name), "admin.counters")


# --- people ---
