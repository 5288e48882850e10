"""The management-review figures, aggregated by the database (issue 7).

A year of a busy office is a million tickets and four million event rows, so nothing here loads
tickets into Python, and no figure replays event rows: the ticket row carries its waiting time and
its service time (Ticket.call and Ticket.served_seconds put them there, time on hold excluded), so
a year is a few scans of one table. The counts come from one GROUP BY over the period's tickets (a
few hundred rows back); a median or 90th percentile from how many tickets took each whole number of
seconds, ranked with running sums (window functions, which SQLite and PostgreSQL both have;
PostgreSQL's percentile_cont sorts every value, which is slower), so only the values at the needed
ranks come back. bench/report_bench.py times it; docs/benchmarks.md has the results.

Which tickets a period holds: those *issued* in it (the office's calendar, see domain/reporting.py).
A ticket taken at 23:50 and served after midnight belongs, with its wait and its service, to the
day its number belongs to. Survey answers belong to the period in which they were submitted.

Which service a figure belongs to, when a visit was transferred:
- issued, priority and waiting time (issued -> first call): the service the ticket was taken for;
- served, service time and the share within the SOP standard time: the service that finished it,
  measured against that service's standard;
- no-show and cancelled: the service the ticket was in at the end;
- transferred: the service it was transferred out of (each transfer counts).
With a counter or officer filter, a ticket counts where that counter or officer handled it last
(the ticket row's counter and officer); transfers where the transfer was made.

The package: sql.py (shared SQL pieces, percentiles), model.py (the dataclasses), tickets.py and
survey.py (the period's queries), report.py (one period's figures, names), review.py (comparison
with the previous period, the per-day trend, waits per priority group, the review pack's summaries).
Every public name is re-exported here, so `from ..persistence import reports` keeps working.
"""

from .model import PAGE_COMMENTS, Comment, Figures, Filters, ServiceFigures, StaffFigures, SurveyTally
from .report import Names, figures, names, prepare_aggregates
from .review import audit_activity, complaint_counts, group_waits, open_follow_ups, summary, trend
from .sql import utc_hour, whole_seconds, within_standard
from .survey import comments, profile_tallies, source_counts, survey_tallies
from .tickets import arrivals, cancel_reasons, priority_group_counts, ticket_figures

__all__ = [
    "PAGE_COMMENTS",
    "Comment",
    "Figures",
    "Filters",
    "Names",
    "ServiceFigures",
    "StaffFigures",
    "SurveyTally",
    "arrivals",
    "audit_activity",
    "complaint_counts",
    "group_waits",
    "open_follow_ups",
    "summary",
    "trend",
    "cancel_reasons",
    "comments",
    "figures",
    "names",
    "prepare_aggregates",
    "priority_group_counts",
    "profile_tallies",
    "source_counts",
    "survey_tallies",
    "ticket_figures",
    "utc_hour",
    "whole_seconds",
    "within_standard",
]
