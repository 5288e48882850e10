"""Report rollups: closed days' counts and months' per-second histograms

A city's year is ten million tickets; the yearly report reads closed days from these tables
(domain/rollup.py). They start empty: `flask reports rollup` fills the days already closed, and each
day's close adds its day from then on. Until a day is rolled up, the report reads it from the tickets.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-04 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_rollup_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('time_zone', sa.String(length=64), nullable=False),
        sa.Column('tickets', sa.Integer(), nullable=False),
        sa.Column('rolled_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_report_rollup_days')),
    )
    op.create_table(
        'report_day_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('origin_service_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('counter_id', sa.Integer(), nullable=True),
        sa.Column('issued', sa.Integer(), nullable=False),
        sa.Column('priority', sa.Integer(), nullable=False),
        sa.Column('served', sa.Integer(), nullable=False),
        sa.Column('no_show', sa.Integer(), nullable=False),
        sa.Column('cancelled', sa.Integer(), nullable=False),
        sa.Column('within_standard', sa.Integer(), nullable=False),
        sa.Column('service_seconds', sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_day_tally')),
    )
    op.create_index(op.f('ix_report_day_tally_day'), 'report_day_tally', ['day'], unique=False)
    op.create_table(
        'report_day_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=500), nullable=True),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_day_counts')),
    )
    op.create_index('ix_report_day_counts_day_kind', 'report_day_counts', ['day', 'kind'], unique=False)
    op.create_table(
        'report_month_seconds',
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('measure', sa.String(length=8), nullable=False),
        sa.Column('service_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('priority_group', sa.String(length=40), nullable=False),
        sa.Column('sec', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('k', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            'month', 'measure', 'service_id', 'priority_group', 'sec', name=op.f('pk_report_month_seconds')
        ),
    )


def downgrade():
    op.drop_table('report_month_seconds')
    op.drop_index('ix_report_day_counts_day_kind', table_name='report_day_counts')
    op.drop_table('report_day_counts')
    op.drop_index(op.f('ix_report_day_tally_day'), table_name='report_day_tally')
    op.drop_table('report_day_tally')
    op.drop_table('report_rollup_days')
