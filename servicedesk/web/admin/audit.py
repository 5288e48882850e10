"""The audit trail: filtered on the page and exported as CSV."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    render_template,
    request,
    url_for,
)

from ...domain.errors import FieldInvalid
from ...domain.model import EventKind
from ...extensions import db
from ...persistence import setup
from ...persistence.repository import Repository
from ...services import audit
from .base import ENTITY_LABELS, _services, bp, readable


def _audit_filters() -> tuple[dict, dict]:
    """Filters from the query string; a bad value is reported, never a 500."""
    args, errors = request.args, {}
    filters: dict = {}
    for name in ("since", "until"):
        text = args.get(name, "").strip()
        if text:
            try:
                filters[name] = date.fromisoformat(text)
            except ValueError:
                errors[name] = FieldInvalid("date_format", name)
    for name in ("user_id", "service_id", "officer_id"):
        text = args.get(name, "").strip()
        if text:
            if text.isdigit():
                filters[name] = int(text)
            else:
                errors[name] = FieldInvalid("unknown", name)
    entity = args.get("entity", "")
    if entity in audit.ENTITIES:
        filters["entity"] = entity
    kind = args.get("kind", "")
    if kind in {k.value for k in EventKind}:
        filters["kind"] = kind
    filters["action"] = args.get("action", "").strip()[:32] or None
    filters["number"] = args.get("number", "").strip()[:16] or None
    return filters, errors


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
@readable
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
@readable
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
