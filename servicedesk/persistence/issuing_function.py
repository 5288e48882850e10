"""PostgreSQL's issue_ticket() function, rendered from the numbering rules of persistence/numbering.py.

One call takes the service's next daily number (refused past the daily quota with SQLSTATE SD001,
nothing taken), writes the ticket and its first event row, and counts the visitor's place with
statements of their own, after the number was taken, so they see every ticket committed before
(as persistence/queries.py place_columns() counts it). The application runs it in autocommit: one
round trip per ticket (persistence/repository.py store_issued).

The database holds the text a migration installed (migrations/versions/0012_numbering_one_source.py
holds this rendering, frozen); tests/integration/test_numbering.py fails when the code renders a
different function from the one the migrations install, so a rule changed here comes with a migration.
"""

from __future__ import annotations

from sqlalchemy import literal_column
from sqlalchemy.dialects import postgresql

from .numbering import number_of, take_sequence

#: The SQLSTATE issue_ticket() raises past the daily quota.
QUOTA_REACHED = "SD001"

SIGNATURE = """issue_ticket(
    p_prefix text, p_quota integer,
    p_origin_service_id integer, p_service_id integer, p_service_day date, p_token varchar,
    p_priority boolean, p_priority_group varchar, p_idempotency_key varchar, p_status varchar, p_issued_at timestamptz,
    p_queued_at timestamptz, p_counter_id integer, p_officer_id integer, p_called_at timestamptz,
    p_started_at timestamptz, p_finished_at timestamptz, p_wait_seconds double precision,
    p_service_seconds double precision, p_recall_count integer, p_transfer_note varchar,
    p_event_kind varchar, p_event_at timestamptz, p_event_service_id integer, p_event_to_service_id integer,
    p_event_counter_id integer, p_event_officer_id integer, p_event_note varchar,
    p_since timestamptz, p_sample integer,
    OUT new_ticket_id integer, OUT new_event_id integer, OUT new_sequence integer, OUT new_number varchar,
    OUT ahead integer, OUT open_counters integer, OUT mean_seconds double precision
)"""

BODY = """
BEGIN
    {take_sequence} INTO new_sequence;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the daily quota (%) of service % is reached', p_quota, p_origin_service_id
            USING ERRCODE = '{quota_reached}';
    END IF;
    new_number := {number};
    INSERT INTO tickets AS t (
        origin_service_id, service_id, number, sequence, service_day, token, priority, priority_group, idempotency_key,
        status, issued_at, queued_at, counter_id, officer_id, called_at, started_at, finished_at,
        wait_seconds, service_seconds, recall_count, transfer_note
    ) VALUES (
        p_origin_service_id, p_service_id, new_number, new_sequence, p_service_day, p_token, p_priority,
        p_priority_group, p_idempotency_key,
        p_status, p_issued_at, p_queued_at, p_counter_id, p_officer_id, p_called_at, p_started_at, p_finished_at,
        p_wait_seconds, p_service_seconds, p_recall_count, p_transfer_note
    ) RETURNING t.id INTO new_ticket_id;
    INSERT INTO ticket_events AS e (ticket_id, kind, at, service_id, to_service_id, counter_id, officer_id, note)
    VALUES (
        new_ticket_id, p_event_kind, p_event_at, p_event_service_id, p_event_to_service_id,
        p_event_counter_id, p_event_officer_id, p_event_note
    ) RETURNING e.id INTO new_event_id;
    -- The visitor's place, as persistence/queries.py place_columns() counts it. A new statement of
    -- this function sees every ticket committed before it, so the count is exact.
    SELECT count(*) INTO ahead FROM tickets AS w,
        LATERAL (SELECT w.queued_at < p_queued_at OR w.queued_at = p_queued_at AND w.id < new_ticket_id) AS e(earlier)
    WHERE w.status = 'waiting' AND w.service_id = p_service_id AND w.service_day = p_service_day
        AND CASE WHEN p_priority THEN w.priority AND earlier ELSE w.priority OR earlier END;
    SELECT count(*) INTO open_counters FROM counter_services AS cs JOIN counters AS c ON c.id = cs.counter_id
    WHERE c.status = 'open' AND cs.service_id = p_service_id;
    SELECT avg(recent.service_seconds) INTO mean_seconds FROM (
        SELECT d.service_seconds FROM tickets AS d
        WHERE d.status = 'done' AND d.service_id = p_service_id AND d.service_seconds IS NOT NULL
            AND d.finished_at >= p_since
        ORDER BY d.finished_at DESC LIMIT p_sample
    ) AS recent;
END
"""


def _sql(clause) -> str:
    return str(clause.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def body() -> str:
    """The function's body (what pg_proc.prosrc holds once it is created)."""
    var = literal_column
    taken = take_sequence(postgresql.insert, var("p_origin_service_id"), var("p_service_day"), var("p_quota"))
    return BODY.format(
        take_sequence=_sql(taken).replace("\n", " "),
        quota_reached=QUOTA_REACHED,
        number=_sql(number_of(var("p_prefix"), var("new_sequence"))),
    )


def create_statement() -> str:
    return f"CREATE FUNCTION {SIGNATURE} LANGUAGE plpgsql AS $${body()}$$"
