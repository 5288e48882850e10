"""The rules of the management-review reports, free of Flask and SQL so a unit test can reach them.

A report covers whole days of the office's calendar: "November" means from local midnight on
1 November to local midnight on 1 December, which in UTC is a different pair of instants for an
office in WIB, WITA or WIT. The database stores UTC, so every period is turned into UTC bounds here.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from zoneinfo import ZoneInfo

from .survey import CODES, PROFILE, Index, grade, krejcie_morgan, round_half_up

#: The longest custom range a report accepts: two years is already more than a management review asks.
MAX_CUSTOM_DAYS = 731


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO week, Monday to Sunday
    MONTH = "month"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """Whole local days from `first` to `last`, both included."""

    kind: PeriodKind
    first: date
    last: date

    def bounds(self, time_zone: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the first day to local midnight after the last."""
        zone = ZoneInfo(time_zone)
        start = datetime.combine(self.first, time(0), zone)
        end = datetime.combine(self.last + timedelta(days=1), time(0), zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def query(self) -> dict[str, str]:
        """The query-string parameters that select this period again (links, exports)."""
        if self.kind is PeriodKind.CUSTOM:
            return {"period": self.kind.value, "from": self.first.isoformat(), "to": self.last.isoformat()}
        return {"period": self.kind.value, "date": self.first.isoformat()}

    def previous(self) -> Period:
        return period_for(self.kind, self.first - timedelta(days=1)) if self.kind is not PeriodKind.CUSTOM else self

    def following(self) -> Period:
        return period_for(self.kind, self.last + timedelta(days=1)) if self.kind is not PeriodKind.CUSTOM else self


def period_for(kind: PeriodKind | str, anchor: date, last: date | None = None) -> Period:
    """The day, ISO week, month or year that contains `anchor`; or the custom range anchor..last."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.DAY:
        return Period(kind, anchor, anchor)
    if kind is PeriodKind.WEEK:
        monday = anchor - timedelta(days=anchor.weekday())
        return Period(kind, monday, monday + timedelta(days=6))
    if kind is PeriodKind.MONTH:
        return Period(kind, anchor.replace(day=1), anchor.replace(day=monthrange(anchor.year, anchor.month)[1]))
    if kind is PeriodKind.YEAR:
        return Period(kind, date(anchor.year, 1, 1), date(anchor.year, 12, 31))
    last = last or anchor
    if last < anchor:
        anchor, last = last, anchor
    if (last - anchor).days + 1 > MAX_CUSTOM_DAYS:
        raise ValueError(f"a custom period is at most {MAX_CUSTOM_DAYS} days")
    return Period(kind, anchor, last)


def parse_period(args: Mapping[str, str], today: date) -> Period:
    """A period from a query string (period=month&date=2026-11-05, or period=custom&from=…&to=…).

    Raises ValueError on a malformed date or an unknown kind; a missing one means this month."""
    kind = PeriodKind(args.get("period") or PeriodKind.MONTH.value)
    if kind is PeriodKind.CUSTOM:
        first = date.fromisoformat(args.get("from") or today.isoformat())
        last = date.fromisoformat(args.get("to") or first.isoformat())
        return period_for(kind, first, last)
    return period_for(kind, date.fromisoformat(args.get("date") or today.isoformat()))


# --- time against the SOP standard ---


def within_standard(seconds: float, standard_minutes: int) -> bool:
    """A service finished in exactly its standard time kept the promise; one second more did not.

    The seconds are the ticket's service time (Ticket.served_seconds: time on hold is not service).
    persistence/reports.within_standard applies the same rule in SQL, for the reports and for the
    officer's figures of the day alike."""
    return seconds <= standard_minutes * 60


# --- percentiles ---

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def percentile_ranks(count: int, p: Fraction) -> tuple[int, int, Fraction]:
    """(lower rank, upper rank, weight of the upper) for the p-th percentile of `count` sorted values.

    Linear interpolation between closest ranks, as PostgreSQL's percentile_cont and Excel's
    PERCENTILE.INC do: position h = (n - 1) * p, counted from 0. Ranks here count from 1, as SQL's
    row_number() does. Integer arithmetic, so 0.9 * 10 never becomes 8.999…"""
    if count <= 0:
        raise ValueError("no values")
    position = (count - 1) * p
    lower = position.numerator // position.denominator
    return lower + 1, min(lower + 2, count), position - lower


def interpolate(lower: float, upper: float, weight: Fraction) -> float:
    return float(lower + (upper - lower) * weight) if weight else float(lower)


@dataclass(frozen=True)
class Distribution:
    """Count, mean, median and 90th percentile of a set of durations, in seconds."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None

    @classmethod
    def from_ranks(cls, count: int, mean: float | None, values_at: Mapping[int, float]) -> Distribution:
        """Built from the few ranked values the database returned (see percentile_ranks)."""
        if count == 0:
            return EMPTY

        def pick(p: Fraction) -> float:
            lower, upper, weight = percentile_ranks(count, p)
            return interpolate(values_at[lower], values_at[upper], weight)

        return cls(count, mean, pick(MEDIAN), pick(P90))


EMPTY = Distribution(0, None, None, None)


def wanted_ranks(count: int) -> set[int]:
    """The ranks whose values the median and the 90th percentile need."""
    wanted: set[int] = set()
    for p in (MEDIAN, P90):
        lower, upper, _ = percentile_ranks(count, p)
        wanted |= {lower, upper}
    return wanted


# --- shares and formatting ---


def share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def percent(part: int, whole: int, places: int = 1) -> Decimal | None:
    """A share as a percentage rounded half up, as a person rounding by hand would."""
    value = share(part, whole)
    return None if value is None else round_half_up(value * 100, places)


def minutes(seconds: float | None, places: int = 1) -> Decimal | None:
    return None if seconds is None else round_half_up(Fraction(seconds) / 60, places)


def clock_minutes(seconds: float | None) -> str:
    """12 min 30 s as "12:30", 1 h 2 min 3 s as "1:02:03": how a duration reads on a printed annex."""
    if seconds is None:
        return "–"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    mins, secs = divmod(rest, 60)
    return f"{hours}:{mins:02d}:{secs:02d}" if hours else f"{mins}:{secs:02d}"


# --- the satisfaction index as the report shows it ---


@dataclass(frozen=True)
class IkmFigures:
    """The IKM of a period (and service) as published: two decimals, and the grade of that figure."""

    respondents: int
    served: int
    nrr: dict[str, Decimal]  # per element, two decimals
    score: Decimal | None  # 25-100, two decimals
    grade: tuple[str, str, str] | None  # (A-D, Indonesian label, English label)

    @property
    def sample_needed(self) -> int:
        """Krejcie-Morgan sample size for the visitors served in the period."""
        return krejcie_morgan(self.served)

    @property
    def sample_reached(self) -> bool:
        return self.served > 0 and self.respondents >= self.sample_needed


def ikm_figures(index: Index | None, served: int) -> IkmFigures:
    """Rounds the exact IKM to two decimals; `grade` grades that same published figure.

    PermenPANRB 14/2017 gives its intervals on two-decimal values (76.61-88.30 is B, 88.31-100 is A),
    so an exact 88.305 is published as 88.31 and must then read A, not B: the grade goes with the
    number the reader sees."""
    if index is None:
        return IkmFigures(0, served, {}, None, None)
    score = round_half_up(index.score, 2)
    return IkmFigures(
        index.respondents,
        served,
        {code: round_half_up(index.nrr[code], 2) for code in CODES},
        score,
        grade(score),
    )


@dataclass(frozen=True)
class ProfileGroup:
    """One group of a profile question: how many respondents, their share, and their own IKM."""

    code: str | None  # None: the respondents who did not answer this question
    respondents: int
    share: Decimal | None  # percent of the period's respondents, one decimal
    ikm: IkmFigures


def profile_groups(name: str, groups: Mapping[str | None, tuple[int, Index | None]]) -> list[ProfileGroup]:
    """A profile question's distribution in the form's order, every group listed (0 when nobody),
    then "not answered" when some skipped it. `groups` maps a code to (respondents, their index)."""
    total = sum(count for count, _index in groups.values())
    codes: list[str | None] = [code for code, _id, _en in PROFILE[name][2]]
    if groups.get(None, (0, None))[0]:
        codes.append(None)
    rows = []
    for code in codes:
        count, index = groups.get(code, (0, None))
        rows.append(ProfileGroup(code, count, percent(count, total), ikm_figures(index, 0)))
    return rows


FOLLOW_UP_STATUSES = ("planned", "in_progress", "done")


def weakest_element(nrr: Mapping[str, Decimal]) -> str | None:
    """The element (unsur) with the lowest NRR, the first in the regulation's order on a tie."""
    scored = [code for code in CODES if nrr.get(code) is not None]
    return min(scored, key=lambda code: (nrr[code], CODES.index(code))) if scored else None


@dataclass(frozen=True)
class FollowUpCheck:
    """Whether the weakest element of the previous period improved in this one."""

    element: str
    before: Decimal
    after: Decimal | None  # None: no respondents this period yet

    @property
    def improved(self) -> bool | None:
        return None if self.after is None else self.after > self.before


def follow_up_check(previous_nrr: Mapping[str, Decimal], nrr: Mapping[str, Decimal]) -> FollowUpCheck | None:
    element = weakest_element(previous_nrr)
    if element is None:
        return None
    return FollowUpCheck(element, previous_nrr[element], nrr.get(element))


def element_score(nrr: Decimal) -> Decimal:
    """An element's NRR (1-4) on the 25-100 scale, so each element can be graded like the total."""
    return round_half_up(Fraction(nrr) * 25, 2)


# --- arrivals ---


def arrivals_grid(hour_counts: Mapping[datetime, int], time_zone: str) -> list[list[int]]:
    """Arrivals per local weekday (0 = Monday) and hour from counts per UTC hour.

    The database groups by UTC hour on both backends (SQLite knows no time zones); the local
    weekday and hour are read here, so offices in WIB, WITA and WIT get their own clock."""
    zone = ZoneInfo(time_zone)
    grid = [[0] * 24 for _ in range(7)]
    for moment, count in hour_counts.items():
        local = moment.replace(tzinfo=UTC).astimezone(zone) if moment.tzinfo is None else moment.astimezone(zone)
        grid[local.weekday()][local.hour] += count
    return grid


def heat_level(count: int, highest: int, levels: int = 5) -> int:
    """0 for no arrivals, else 1..levels in proportion to the busiest hour: the heat map's shade."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, -(-count * levels // highest))
