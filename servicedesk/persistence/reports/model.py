"""What the report queries return: plain dataclasses the pages and exports read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ...domain.reporting import EMPTY, Distribution, Period
from ...domain.survey import CODES, ikm

#: Comments shown on the page; the export has them all.
PAGE_COMMENTS = 200


@dataclass(frozen=True)
class Filters:
    service_id: int | None = None
    counter_id: int | None = None
    officer_id: int | None = None
    agency_id: int | None = None  # an agency's staff see their agency's figures only (None: the site)

    @property
    def any(self) -> bool:
        return any((self.service_id, self.counter_id, self.officer_id))


@dataclass
class ServiceFigures:
    """One row of the per-service table (or the total row)."""

    issued: int = 0
    priority: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    transferred: int = 0
    within_standard: int = 0
    waiting: Distribution = EMPTY
    service: Distribution = EMPTY


@dataclass
class StaffFigures:
    """One officer's or one counter's work: served, mean service time, share within standard."""

    key: int
    served: int = 0
    no_show: int = 0
    mean_service: float | None = None
    within_standard: int = 0


@dataclass
class SurveyTally:
    respondents: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CODES, 0))

    def add(self, respondents: int, sums: dict[str, int]) -> None:
        self.respondents += respondents
        for code in CODES:
            self.sums[code] += sums[code]

    def index(self):
        return ikm(self.sums, self.respondents)


@dataclass(frozen=True)
class Comment:
    submitted_at: datetime
    service_id: int
    counter_id: int | None
    officer_id: int | None
    text: str


@dataclass
class Figures:
    """Everything the report page and its exports show for one period and filter."""

    period: Period
    start: datetime
    end: datetime
    filters: Filters
    services: dict[int, ServiceFigures]
    total: ServiceFigures
    officers: list[StaffFigures]
    counters: list[StaffFigures]
    arrivals: dict[datetime, int]  # per UTC hour
    survey: dict[int, SurveyTally]
    survey_total: SurveyTally
    comments: list[Comment]
    comment_count: int
    # Priority tickets issued per group key (None: the visitor did not say, e.g. before groups existed).
    priority_groups: dict[str | None, int] = field(default_factory=dict)
    # field -> profile code (None: not answered) -> tally; and respondents per source (online, paper)
    profiles: dict[str, dict[str | None, SurveyTally]] = field(default_factory=dict)
    sources: dict[int | None, dict[str, int]] = field(default_factory=dict)  # per service; None: in total
    # Cancellations by reason (the note of the cancel event), most frequent first.
    cancel_reasons: dict[str, int] = field(default_factory=dict)
