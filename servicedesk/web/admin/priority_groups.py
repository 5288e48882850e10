"""/admin/priority-groups: the office's list of priority groups the kiosk offers (UU 25/2009 art. 29)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from wtforms import TextAreaField

from ...domain.priority_groups import groups_of, to_text
from ...extensions import db
from ...persistence.repository import Repository
from ...services.admin import Invalid
from ...services.admin.priority_groups import update_priority_groups
from ..context import unit_of_work
from .base import _actor, _saved, bp, readable
from .forms import AdminForm


class GroupsForm(AdminForm):
    """The list's rules are the domain's (domain/priority_groups.py): they come back coded."""

    groups = TextAreaField(default="")


def _page(text: str, errors: dict, status: int = 200):
    return render_template("admin/priority_groups.html", values={"groups": text}, errors=errors), status


@bp.route("/priority-groups/", methods=["GET", "POST"])
@readable
def priority_groups():
    if request.method == "GET":
        return _page(to_text(groups_of(Repository(db.session).office().priority_groups)), {})
    form = GroupsForm()
    try:
        with unit_of_work() as uow:
            update_priority_groups(uow, actor_id=_actor(), text=form.groups.data)
    except Invalid as invalid:
        form.refuse(invalid)
        return _page(form.groups.data, form.messages, 400)
    return _saved(_("Priority groups saved."), "admin.priority_groups")
