"""What the supervisors' SKM pages and the public IKM page both show: the follow-up of the weakest element."""

from __future__ import annotations

from ..domain.reporting import follow_up_check, weakest_element
from ..extensions import db
from ..persistence import follow_up as follow_up_read
from ..persistence import reports as reports_read
from ..services import exports
from .labels import period_label


def _ikm_of(period, time_zone: str, service_id: int | None, names):
    figures = reports_read.figures(db.session, period, time_zone, reports_read.Filters(service_id), comment_limit=0)
    return exports.ikm_by_service(figures, names)[1]


def follow_up_view(period, time_zone: str, service_id: int | None) -> dict:
    """The period's weakest element, and whether the previous period's weakest one improved."""
    names = reports_read.names(db.session)
    now_ikm = _ikm_of(period, time_zone, service_id, names)
    previous = period.previous()
    before_ikm = _ikm_of(previous, time_zone, service_id, names) if previous != period else None
    return {
        "ikm": now_ikm,
        "weakest": weakest_element(now_ikm.nrr),
        "check": follow_up_check(before_ikm.nrr, now_ikm.nrr) if before_ikm else None,
        "previous_actions": follow_up_read.actions_of(db.session, previous.first, previous.last, service_id),
        "previous_label": period_label(previous),
    }
