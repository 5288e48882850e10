"""the officer's day: day close time, cancel reasons, the no-show rule, counter call order, handover

The office closes its service day at a set local time (`day_closes_at`; `flask close-day --if-due`,
run by the systemd timer in deploy/systemd, acts once it has passed); it keeps the list of reasons an
officer chooses from to cancel a ticket, and says where a late no-show goes back in line (the end of
the line or its original place). A counter calls its services in the admin's order ('strict') or
the oldest ticket across them ('oldest', as before), and remembers when it was opened, so the day's
close knows a counter left open since yesterday. On PostgreSQL issue_ticket() counts the people
ahead within the ticket's service day only, as persistence/queries.py does.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 00:00:00

"""
import importlib.util
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

DEFAULT_CANCEL_REASONS = [
    'Dibatalkan atas permintaan pengunjung',
    'Berkas persyaratan tidak lengkap',
    'Salah memilih layanan',
    'Layanan tidak dapat diberikan hari ini',
]

COUNT_AHEAD = "WHERE w.status = 'waiting' AND w.service_id = p_service_id\n"
COUNT_AHEAD_TODAY = "WHERE w.status = 'waiting' AND w.service_id = p_service_id AND w.service_day = p_service_day\n"


def _issue_ticket_0007() -> str:
    path = Path(__file__).with_name('0007_priority_groups.py')
    spec = importlib.util.spec_from_file_location('migration_0007', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FUNCTION


def upgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_closes_at', sa.String(5), nullable=False, server_default='17:00'))
        batch_op.add_column(
            sa.Column('no_show_return_position', sa.String(16), nullable=False, server_default='original')
        )
        batch_op.add_column(sa.Column('cancel_reasons', sa.JSON(), nullable=True))
    op.get_bind().execute(
        sa.text('UPDATE office SET cancel_reasons = :reasons'), {'reasons': json.dumps(DEFAULT_CANCEL_REASONS)}
    )
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_order', sa.String(16), nullable=False, server_default='oldest'))
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True))
    if op.get_context().dialect.name == 'postgresql':
        function = _issue_ticket_0007()
        assert COUNT_AHEAD in function
        op.execute(function.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION').replace(COUNT_AHEAD, COUNT_AHEAD_TODAY))


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute(_issue_ticket_0007().replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'))
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.drop_column('opened_at')
        batch_op.drop_column('call_order')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('cancel_reasons')
        batch_op.drop_column('no_show_return_position')
        batch_op.drop_column('day_closes_at')
