"""priority groups on tickets; English versions of the catalogue texts

tickets.priority_group: which group (kelompok rentan) a priority ticket was taken for.
services.*_en: optional English versions of the published Standar Pelayanan texts.

tickets.priority_group holds a key of office.priority_groups (NULL: the office's default list,
domain/priority_groups.py). On PostgreSQL the issue_ticket() function of 0005 writes every ticket
column, so it is replaced by one that also writes priority_group.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 00:00:00

"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION issue_ticket(
    p_prefix text, p_digits integer, p_quota integer,
    p_origin_service_id integer, p_service_id integer, p_service_day date, p_token varchar,
    p_priority boolean, p_priority_group varchar, p_idempotency_key varchar, p_status varchar, p_issued_at timestamptz,
    p_queued_at timestamptz, p_counter_id integer, p_officer_id integer, p_called_at timestamptz,
    p_started_at timestamptz, p_finished_at timestamptz, p_wait_seconds double precision,
    p_service_seconds double precision, p_recall_count integer, p_transfer_note varchar,
    p_event_kind varchar, p_event_at timestamptz, p_event_service_id integer, p_event_to_service_id integer,
    p_event_counter_id integer, p_event_officer_id integer, p_event_note varchar,
    p_since timestamptz, p_sample integer,
    OUT new_ticket_id integer, OUT new_event_id integer, OUT new_sequence integer,
    OUT ahead integer, OUT open_counters integer, OUT mean_seconds double precision
) LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO daily_sequences AS s (service_id, day, last_value)
    VALUES (p_origin_service_id, p_service_day, 1)
    ON CONFLICT (service_id, day) DO UPDATE SET last_value = s.last_value + 1
    RETURNING s.last_value INTO new_sequence;
    IF p_quota IS NOT NULL AND new_sequence > p_quota THEN
        RAISE EXCEPTION 'the daily quota (%) of service % is reached', p_quota, p_origin_service_id
            USING ERRCODE = 'SD001';
    END IF;
    INSERT INTO tickets AS t (
        origin_service_id, service_id, number, sequence, service_day, token, priority, priority_group, idempotency_key,
        status, issued_at, queued_at, counter_id, officer_id, called_at, started_at, finished_at,
        wait_seconds, service_seconds, recall_count, transfer_note
    ) VALUES (
        p_origin_service_id, p_service_id,
        p_prefix || lpad(new_sequence::text, greatest(p_digits, length(new_sequence::text)), '0'),
        new_sequence, p_service_day, p_token, p_priority, p_priority_group, p_idempotency_key,
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
    WHERE w.status = 'waiting' AND w.service_id = p_service_id
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
$$
"""

def _function_of_0005() -> str:
    """The function as 0005 made it, for the downgrade (read from that migration, not copied)."""
    path = Path(__file__).with_name('0005_issue_ticket_function.py')
    spec = importlib.util.spec_from_file_location('migration_0005', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FUNCTION


def upgrade():
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('priority_group', sa.String(length=40), nullable=True))
    with op.batch_alter_table('office') as batch:
        batch.add_column(sa.Column('priority_groups', sa.JSON(), nullable=True))
    with op.batch_alter_table('services') as batch:
        batch.add_column(sa.Column('description_en', sa.Text(), nullable=False, server_default=''))
        batch.add_column(sa.Column('requirements_en', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('procedure_en', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('fee_en', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('product_en', sa.String(length=500), nullable=False, server_default=''))
        batch.add_column(sa.Column('complaint_channel_en', sa.String(length=500), nullable=False, server_default=''))
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION issue_ticket')
        op.execute(FUNCTION)


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION issue_ticket')
        op.execute(_function_of_0005())
    with op.batch_alter_table('services') as batch:
        for column in ('description_en', 'requirements_en', 'procedure_en', 'fee_en', 'product_en', 'complaint_channel_en'):
            batch.drop_column(column)
    with op.batch_alter_table('office') as batch:
        batch.drop_column('priority_groups')
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('priority_group')
