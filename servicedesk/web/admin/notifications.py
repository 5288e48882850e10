"""Notifications in the admin: the delivery log with its dead letters and "send again", and the
webhook subscriptions of other systems (events, secret shown once, rotation, on/off)."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ...domain.errors import DomainError
from ...domain.notify import WEBHOOK_EVENTS, MessageStatus
from ...extensions import db
from ...persistence import outbox, webhooks
from ...services import notify_admin
from ..context import unit_of_work
from .base import _actor, _saved, admin_only, bp, readable


class SubscriptionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    url = StringField(_l("Address (URL)"), validators=[DataRequired(), Length(max=500), URL(require_tld=False)])
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(event, event) for event in WEBHOOK_EVENTS],
        validators=[DataRequired()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )


def _outbox():
    return current_app.extensions["servicedesk.outbox"]


def _page(form: SubscriptionForm, status: int = 200):
    chosen = request.args.get("status") or None
    if chosen not in {s.value for s in MessageStatus}:
        chosen = None
    log = outbox.recent(db.session, status=chosen, limit=200)
    return render_template(
        "admin/notifications.html",
        form=form,
        subscriptions=webhooks.all_(db.session),
        log=log,
        counts=outbox.counts(db.session),
        chosen=chosen,
        statuses=[s.value for s in MessageStatus],
    ), status


def _secret_page(name: str, secret: str) -> Response:
    """The only time the secret is shown: never cached."""
    response = Response(render_template("admin/webhook_secret.html", name=name, secret=secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/notifications")
@readable
def notifications():
    return _page(SubscriptionForm())


@bp.post("/notifications/webhooks")
@admin_only
def webhook_new():
    form = SubscriptionForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    with unit_of_work() as uow:
        _, secret = notify_admin.create_subscription(
            uow, _outbox(), actor_id=_actor(), name=form.name.data, url=form.url.data, events=form.events.data
        )
    return _secret_page(form.name.data, secret)


@bp.post("/notifications/webhooks/<int:subscription_id>/rotate")
@admin_only
def webhook_rotate(subscription_id: int):
    try:
        with unit_of_work() as uow:
            secret = notify_admin.rotate_secret(uow, _outbox(), actor_id=_actor(), subscription_id=subscription_id)
    except DomainError:
        abort(404)
    return _secret_page(webhooks.get(db.session, subscription_id)["name"], secret)


@bp.post("/notifications/webhooks/<int:subscription_id>/active")
@admin_only
def webhook_active(subscription_id: int):
    active = request.form.get("active") == "1"
    try:
        with unit_of_work() as uow:
            notify_admin.set_active(uow, _outbox(), actor_id=_actor(), subscription_id=subscription_id, active=active)
    except DomainError:
        abort(404)
    return _saved(_("Saved."), "admin.notifications")


@bp.post("/notifications/messages/<int:message_id>/again")
@admin_only
def message_again(message_id: int):
    try:
        with unit_of_work() as uow:
            notify_admin.send_again(uow, actor_id=_actor(), message_id=message_id)
    except DomainError as refused:
        if refused.code == "not_found":
            abort(404)
        return _saved(_("The message is still on its way."), "admin.notifications")
    return _saved(_("The message is queued again."), "admin.notifications")
