"""Counters and the services each serves, in order."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from ...domain.model import CallOrder, Counter
from ...extensions import db
from ...persistence import queries
from ...services import admin
from .base import _actor, _agency, _or_404, _saved, _services, bp, readable
from .forms import AdminForm, OneOf, Text, Whole, _rule, submitted, text


class CounterForm(AdminForm):
    number = text(Whole(1, 999))
    name = text(Text(100))
    area = text(Text(100))
    call_order = text(OneOf(order.value for order in CallOrder), empty=CallOrder.OLDEST.value)

    def validate(self, extra_validators=None) -> bool:
        """Also the services' order: `order_<service id>` holds its place ("" = not served)."""
        valid = super().validate(extra_validators)
        places: list[tuple[int, int]] = []
        for service in _services():
            place = request.form.get(f"order_{service.id}", "").strip()
            if not place:
                continue
            if not place.isdigit() or int(place) < 1:
                self._refused["services"] = _rule("order_number")
                continue
            places.append((int(place), service.id))
        if len({place for place, _ in places}) != len(places):
            self._refused["services"] = _rule("order_repeated")
        self.service_ids = [service_id for _, service_id in sorted(places)]
        return valid and not self._refused

    def values(self) -> dict:
        order = {s.id: request.form.get(f"order_{s.id}", "") for s in _services()}
        return super().values() | {"service_order": order}


def _counter_values(counter: Counter | None) -> dict:
    if counter is None:
        return {"number": "", "name": "", "area": "", "service_order": {}, "call_order": "oldest"}
    order = {s.id: str(i + 1) for i, s in enumerate(counter.services)}
    values = {"number": str(counter.number), "name": counter.name, "area": counter.area, "service_order": order}
    return values | {"call_order": counter.call_order}


def _counter_page(counter, values, errors, status=200):
    return render_template(
        "admin/counter_form.html", counter=counter, values=values, errors=errors, services=_services()
    ), status


def _save(counter: Counter | None):
    """Create (counter None) or update from the posted form; the form again with its messages if refused."""
    form = CounterForm()

    def save(uow, data):
        data |= {"service_ids": form.service_ids}
        if counter is None:
            return admin.create_counter(uow, actor_id=_actor(), data=data)
        return admin.update_counter(uow, actor_id=_actor(), counter_id=counter.id, data=data)

    try:
        counter = submitted(form, save)
    except admin.Invalid as invalid:
        form.refuse(invalid)
        return _counter_page(counter, form.values(), form.messages, 400)
    return _saved(_("%(name)s saved.", name=counter.name), "admin.counters")


@bp.get("/counters")
@readable
def counters():
    return render_template("admin/counters.html", counters=queries.counters(db.session, _agency()))


@bp.route("/counters/new", methods=["GET", "POST"])
@readable
def counter_new():
    if request.method == "GET":
        return _counter_page(None, _counter_values(None), {})
    return _save(None)


@bp.route("/counters/<int:counter_id>", methods=["GET", "POST"])
@readable
def counter_edit(counter_id: int):
    counter = _or_404(Counter, counter_id)
    if request.method == "GET":
        return _counter_page(counter, _counter_values(counter), {})
    return _save(counter)
