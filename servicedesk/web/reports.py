"""Reports for management review at /reports (issue 7): service times against the SOP, and the IKM.

Supervisors and admins pick a period of the office's calendar and, optionally, a service, counter
or officer; the database computes the figures (persistence/reports.py) and the page shows them as
tables, charts (chart.js, served by the app) and an A4 print layout. Every table also downloads as
CSV and XLSX with the same rounding as the page.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.numbering import service_day
from ..domain.reporting import (
    Period,
    PeriodKind,
    arrivals_grid,
    clock_minutes,
    heat_level,
    minutes,
    parse_period,
    percent,
)
from ..domain.survey import ELEMENTS
from ..extensions import db
from ..persistence import reports
from ..persistence.repository import Repository
from ..services import exports, pdf, review_tables
from ..services.review import review_figures, review_pack, summary_of
from .auth import page_reader_required
from .context import now
from .labels import period_label

bp = Blueprint("reports", __name__, url_prefix="/reports")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _request_period(time_zone: str) -> Period:
    try:
        return parse_period(request.args, service_day(now(), time_zone))
    except ValueError:
        abort(400, description=_("The period is not valid."))


def _filters() -> reports.Filters:
    # An agency's staff read their agency's figures only, whatever the query string says.
    return reports.Filters(_int_arg("service"), _int_arg("counter"), _int_arg("officer"), current_user.agency_id)


def _query(period: Period, filters: reports.Filters, **extra) -> dict:
    args = period.query()
    chosen = {"service": filters.service_id, "counter": filters.counter_id, "officer": filters.officer_id}
    for key, value in chosen.items():
        if value:
            args[key] = value
    return {**args, **extra}


def _heading(office, period: Period, filters: reports.Filters, names: reports.Names) -> list[str]:
    """The lines on top of every export and printout: whose figures, which period, which filter."""
    lines = [office.name, _("Period: %(period)s (%(zone)s)", period=period_label(period), zone=office.time_zone)]
    if filters.service_id and filters.service_id in names.services:
        service = names.services[filters.service_id]
        lines.append(_("Service: %(name)s", name=f"{service['code']} {service['name']}"))
    if filters.counter_id and filters.counter_id in names.counters:
        lines.append(_("Counter: %(name)s", name=names.counters[filters.counter_id]["name"]))
    if filters.officer_id and filters.officer_id in names.officers:
        lines.append(_("Officer: %(name)s", name=names.officers[filters.officer_id]))
    return lines


def _chart_data(figures: reports.Figures, names: reports.Names, grid: list[list[int]], ikm_total) -> dict:
    """What static/reports/report.js draws; numbers only, labels already translated."""
    ordered = [sid for sid in names.services if sid in figures.services]
    rows = [figures.services[sid] for sid in ordered]

    def as_float(value):
        return float(value) if value is not None else None

    return {
        "services": [names.services[sid]["code"] for sid in ordered],
        "standard": [names.services[sid]["standard_minutes"] for sid in ordered],
        "within": [as_float(percent(r.within_standard, r.served)) for r in rows],
        "waiting_median": [as_float(minutes(r.waiting.median)) for r in rows],
        "waiting_p90": [as_float(minutes(r.waiting.p90)) for r in rows],
        "service_median": [as_float(minutes(r.service.median)) for r in rows],
        "service_p90": [as_float(minutes(r.service.p90)) for r in rows],
        "hours": [f"{h:02d}" for h in range(24)],
        "arrivals_by_hour": [sum(grid[d][h] for d in range(7)) for h in range(24)],
        "elements": [f"U{i}" for i in range(1, len(ELEMENTS) + 1)],
        "nrr": [as_float(ikm_total.nrr.get(code)) for code, _id, _en in ELEMENTS],
        "labels": {
            "within": _("Within standard (%)"),
            "waiting_median": _("Waiting, median (min)"),
            "waiting_p90": _("Waiting, 90th percentile (min)"),
            "service_median": _("Service, median (min)"),
            "service_p90": _("Service, 90th percentile (min)"),
            "standard": _("Standard time (min)"),
            "arrivals": _("Tickets issued"),
            "nrr": _("NRR (1-4)"),
        },
    }


def _load(comment_limit: int | None = reports.PAGE_COMMENTS):
    office = Repository(db.session).office()
    period = _request_period(office.time_zone)
    filters = _filters()
    names = reports.names(db.session, current_user.agency_id)
    figures = reports.figures(db.session, period, office.time_zone, filters, comment_limit=comment_limit)
    return office, period, filters, names, figures


@bp.get("/")
@page_reader_required
def index():
    office, period, filters, names, figures = _load()
    english = str(get_locale()) == "en"
    tables = exports.report_tables(figures, names, office.time_zone, english=english)
    grid = arrivals_grid(figures.arrivals, office.time_zone)
    busiest = max((max(row) for row in grid), default=0)
    per_service_ikm, ikm_total = exports.ikm_by_service(figures, names)
    review = review_figures(db.session, period, office.time_zone, filters, current=summary_of(figures))
    review_tabs = _review_tables(review, names, english)
    chart_data = _chart_data(figures, names, grid, ikm_total)
    chart_data["review"] = review_tables.review_chart(review, review_tabs["group_waits"])
    return render_template(
        "reports/index.html",
        office=office,
        period=period,
        period_label=period_label(period),
        kinds=[(k.value, label) for k, label in _kind_labels().items()],
        filters=filters,
        names=names,
        english=english,
        figures=figures,
        tables=tables,
        grid=grid,
        weekdays=exports.weekdays(),
        heat=lambda count: heat_level(count, busiest),
        per_service_ikm=per_service_ikm,
        ikm_total=ikm_total,
        adequacy=exports.adequacy_text,
        heading=_heading(office, period, filters, names),
        chart_data=chart_data,
        review=review,
        review_tables=review_tabs,
        previous_period_label=period_label(review.previous_period),
        clock_minutes=clock_minutes,
        percent=percent,
        query=lambda **extra: _query(period, filters, **extra),
        previous_url=url_for(".index", **_query(period.previous(), filters)),
        following_url=url_for(".index", **_query(period.following(), filters)),
        today=service_day(now(), office.time_zone),
        cancel_reasons=[(exports.cancel_reason_label(r), n) for r, n in figures.cancel_reasons.items()],
    )


def _kind_labels() -> dict[PeriodKind, str]:
    return {
        PeriodKind.DAY: _("Day"),
        PeriodKind.WEEK: _("Week"),
        PeriodKind.MONTH: _("Month"),
        PeriodKind.YEAR: _("Year"),
        PeriodKind.CUSTOM: _("Custom range"),
    }


@bp.get("/export/<name>.<fmt>")
@page_reader_required
def export(name: str, fmt: str):
    """One table as CSV or XLSX; `all.xlsx` is every table, a sheet each."""
    known = (*exports.TABLES, *review_tables.REVIEW_TABLES)
    if fmt not in CONTENT_TYPES or (name not in known and not (name == "all" and fmt == "xlsx")):
        abort(404)
    office, period, filters, names, figures = _load(comment_limit=None)
    english = str(get_locale()) == "en"
    tables = exports.report_tables(figures, names, office.time_zone, english=english)
    if name in review_tables.REVIEW_TABLES or name == "all":
        review = review_figures(db.session, period, office.time_zone, filters, current=summary_of(figures))
        tables |= _review_tables(review, names, english)
    stem = f"report-{name}-{period.first.isoformat()}-{period.last.isoformat()}"
    if fmt == "csv":
        body = exports.to_csv(tables[name])
    else:
        chosen = [tables[n] for n in known] if name == "all" else [tables[name]]
        body = exports.to_xlsx(chosen, _heading(office, period, filters, names))
    return Response(
        body,
        content_type=CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )


def _review_tables(review, names: reports.Names, english: bool) -> dict[str, exports.Table]:
    return review_tables.review_tables(
        review,
        names,
        english,
        _("This period (%(period)s)", period=period_label(review.period)),
        _("Previous period (%(period)s)", period=period_label(review.previous_period)),
    )


# --- the management-review pack (ISO 9001 §9.3 inputs) ---


def _review_context(printing: bool) -> dict:
    office = Repository(db.session).office()
    period = _request_period(office.time_zone)
    names = reports.names(db.session, current_user.agency_id)
    english = str(get_locale()) == "en"
    pack = review_pack(db.session, period, office.time_zone, current_user.agency_id)
    return {
        "office": office,
        "period": period,
        "period_label": period_label(period),
        "previous_label": period_label(pack.review.previous_period),
        "english": english,
        "pack": pack,
        "tables": _review_tables(pack.review, names, english),
        "ikm": pack.review.current.ikm,
        "adequacy": exports.adequacy_text(pack.review.current.ikm),
        "services": names.services,
        "elements": {
            code: (f"U{i}", name_en if english else name_id)
            for i, (code, name_id, name_en) in enumerate(ELEMENTS, start=1)
        },
        "status_labels": {"planned": _("Planned"), "in_progress": _("In progress"), "done": _("Done")},
        # The head of office signs; the office settings may name them (else blank lines to fill by hand).
        "head_name": office.head_name,
        "head_nip": office.head_nip,
        "today": service_day(now(), office.time_zone),
        "kinds": [(k.value, label) for k, label in _kind_labels().items() if k is not PeriodKind.CUSTOM],
        "pdf_url": url_for(".review_pdf", **period.query()),
        "printing": printing,
    }


@bp.get("/review")
@page_reader_required
def review():
    """The management-review pack as a page; the PDF is this same HTML."""
    return render_template("reports/review.html", **_review_context(printing=False))


@bp.get("/review.pdf")
@page_reader_required
def review_pdf():
    context = _review_context(printing=True)
    body = pdf.render_pdf(render_template("reports/review.html", **context), base_url=request.host_url)
    period = context["period"]
    stem = f"management-review-{period.first.isoformat()}-{period.last.isoformat()}"
    return Response(
        body, content_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{stem}.pdf"'}
    )
