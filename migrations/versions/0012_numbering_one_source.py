"""numbering in one place: issue_ticket() rendered from persistence/numbering.py

The ticket number (prefix + sequence padded to three digits, growing past 999) and the daily quota
were written twice, in this function (0005, 0007, 0009) and in Python. They are now one SQL
expression and one upsert in persistence/numbering.py, which SQLite's issuing runs as they are and
from which persistence/issuing_function.py renders this function: it no longer takes the number of
digits, takes no number past the quota (the upsert's WHERE; nothing to undo), and returns the number
it wrote. FUNCTION below is that rendering, frozen; tests/integration/test_numbering.py fails when the
code renders another, so a change of the rules comes with a migration.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 09:00:00

"""
import importlib.util
from pathlib import Path

from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

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
    INSERT INTO daily_sequences (service_id, day, last_value) SELECT p_origin_service_id, p_service_day, 1 AS last_value  WHERE p_quota IS NULL OR 1 <= p_quota ON CONFLICT (service_id, day) DO UPDATE SET last_value = (daily_sequences.last_value + 1) WHERE p_quota IS NULL OR daily_sequences.last_value + 1 <= p_quota RETURNING daily_sequences.last_value INTO new_sequence;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the daily quota (%) of service % is reached', p_quota, p_origin_service_id
            USING ERRCODE = 'SD001';
    END IF;
    new_number := p_prefix || CASE WHEN (new_sequence < 1000) THEN substr(CAST(1000 + new_sequence AS TEXT), 2) ELSE CAST(new_sequence AS TEXT) END;
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

FUNCTION = f"CREATE FUNCTION {SIGNATURE} LANGUAGE plpgsql AS $${BODY}$$"


def _function_of_0009() -> str:
    """The function as 0009 left it (0007's, counting within the service day), for the downgrade."""
    path = Path(__file__).with_name('0009_officers_day.py')
    spec = importlib.util.spec_from_file_location('migration_0009', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._issue_ticket_0007().replace(module.COUNT_AHEAD, module.COUNT_AHEAD_TODAY)


def upgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION issue_ticket')
        op.execute(FUNCTION)


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION issue_ticket')
        op.execute(_function_of_0009())
