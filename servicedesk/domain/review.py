"""What a management review compares (ISO 9001 §9.3 inputs): a period against the one before it,
day by day, and the wait per priority group beside the general wait (UU 25/2009 art. 29).

Pure rules and shapes; the database counts (persistence/reports/review.py), this module says what
"the period before" is and how a change is expressed: in the unit the report prints (minutes to one
decimal, percent to one decimal, the IKM to two), so a reader can subtract the printed figures by
hand and get the printed change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .reporting import Distribution, IkmFigures, Period, PeriodKind, minutes, percent

#: Keys of the per-group wait: tickets taken without priority, and priority tickets whose visitor
#: named no group (before groups existed). Group keys are [a-z0-9_], so these never clash.
REGULAR = "-"
UNSAID = "?"

#: A period up to a quarter long trends day by day; a longer one (a year) month by month: 365 rows
#: read as noise, and a day's median over a year costs the database a sort of every day's histogram.
DAILY_TREND_MAX_DAYS = 92


def monthly_trend(period: Period) -> bool:
    return period.days > DAILY_TREND_MAX_DAYS


def preceding(period: Period) -> Period:
    """The period to compare with: last month for a month, last year for a year, yesterday for a
    day, last week for a week; for a custom range, as many days right before it."""
    if period.kind is PeriodKind.CUSTOM:
        return Period(PeriodKind.CUSTOM, period.first - timedelta(days=period.days), period.first - timedelta(days=1))
    return period.previous()


@dataclass(frozen=True)
class Summary:
    """The headline figures of one period (or one day)."""

    issued: int
    served: int
    within_standard: int
    waiting: Distribution
    service: Distribution
    ikm: IkmFigures

    @property
    def compliance(self) -> Decimal | None:
        """Percent of the visits served within their service's SOP standard time."""
        return percent(self.within_standard, self.served)


#: The compared figures, in the order the report prints them.
METRICS = (
    "issued",
    "served",
    "waiting_mean",
    "waiting_median",
    "waiting_p90",
    "service_mean",
    "service_median",
    "service_p90",
    "compliance",
    "respondents",
    "ikm",
)


def metric(summary: Summary, name: str) -> int | Decimal | None:
    """One figure as the report prints it."""
    if name in ("issued", "served"):
        return getattr(summary, name)
    if name.startswith(("waiting_", "service_")):
        which, statistic = name.split("_", 1)
        return minutes(getattr(getattr(summary, which), statistic))
    if name == "compliance":
        return summary.compliance
    if name == "respondents":
        return summary.ikm.respondents
    if name == "ikm":
        return summary.ikm.score
    raise KeyError(name)


@dataclass(frozen=True)
class Change:
    metric: str
    current: int | Decimal | None
    previous: int | Decimal | None

    @property
    def difference(self) -> int | Decimal | None:
        """Current minus previous, of the printed figures; None when either is missing."""
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


def compare(current: Summary, previous: Summary) -> list[Change]:
    return [Change(name, metric(current, name), metric(previous, name)) for name in METRICS]


@dataclass(frozen=True)
class DayFigures:
    """One local day of the trend, or one month (`day` its first) when the period is long."""

    day: date
    summary: Summary
    whole_month: bool = False

    @property
    def label(self) -> str:
        return self.day.strftime("%Y-%m") if self.whole_month else self.day.isoformat()
