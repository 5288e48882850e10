"""The audit trail: filtered on the page and exported as CSV."""

from __future__ import annotations

from flask import (
    Response,
    render_template,
    request,
    url_for,
)

from ...domain.model import EventKind
from ...extensions import db
from ...persistence import setup
from ...persistence.repository import Repository
from ...services import audit
from .base import ENTITY_LABELS, _services, audit_readable, bp
from .forms import AdminForm, Id, IsoDate, text


class AuditFilters(AdminForm):
    """The filters in the query string; a bad value is reported next to its field, never a 500."""

    since = text(IsoDate())
    until = text(IsoDate())
    user_id = text(Id())
    service_id = text(Id())
    officer_id = text(Id())
    entity = text()
    kind = text()
    action = text()
    number = text()


def _audit_filters() -> tuple[dict, dict]:
    form = AuditFilters(formdata=request.args)
    form.validate()
    filters = {name: value for name, value in form.data.items() if name not in form.errors}
    filters["entity"] = filters.get("entity") if filters.get("entity") in audit.ENTITIES else None
    filters["kind"] = filters.get("kind") if filters.get("kind") in {k.value for k in EventKind} else None
    filters["action"] = (filters.get("action") or "")[:32] or None
    filters["number"] = (filters.get("number") or "")[:16] or None
    return filters, form.messages


def _audit_query(source: str, filters: dict, limit: int | None):
    office = Repository(db.session).office()
    period = audit.Period(filters.get("since"), filters.get("until"))
    if source == "events":
        return audit.event_rows(
            db.session,
            time_zone=office.time_zone,
            period=period,
            kind=filters.get("kind"),
            service_id=filters.get("service_id"),
            officer_id=filters.get("officer_id"),
            number=filters.get("number"),
            limit=limit,
        )
    return audit.audit_rows(
        db.session,
        time_zone=office.time_zone,
        period=period,
        entity=filters.get("entity"),
        action=filters.get("action"),
        user_id=filters.get("user_id"),
        limit=limit,
    )


PAGE_ROWS = 200


@bp.get("/audit")
@audit_readable
def audit_page():
    source = "events" if request.args.get("source") == "events" else "changes"
    filters, errors = _audit_filters()
    rows = [] if errors else _audit_query(source, filters, PAGE_ROWS + 1)
    office = Repository(db.session).office()
    return render_template(
        "admin/audit.html",
        source=source,
        rows=rows[:PAGE_ROWS],
        more=len(rows) > PAGE_ROWS,
        errors=errors,
        args=request.args,
        time_zone=office.time_zone,
        entities=ENTITY_LABELS,
        actions=audit.audit_actions(db.session),
        people=setup.people(db.session),
        services=_services(),
        kinds=[k.value for k in EventKind],
        csv_url=url_for("admin.audit_csv", **request.args),
    ), (400 if errors else 200)


@bp.get("/audit.csv")
@audit_readable
def audit_csv():
    source = "events" if request.args.get("source") == "events" else "changes"
    filters, errors = _audit_filters()
    if errors:
        return audit_page()
    office = Repository(db.session).office()
    rows = _audit_query(source, filters, None)
    write = audit.events_csv if source == "events" else audit.audit_csv
    text = write(rows, office.time_zone)
    name = "ticket-events" if source == "events" else "audit-log"
    return Response(
        "\ufeff" + text,  # a BOM, so a spreadsheet opens Indonesian names correctly
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={name}.csv"},
    )
