"""Counter numbers and holiday days unique per agency, not per building

Two agencies of one hall both have a "Loket 1", and each may close on its own days. The site's own rows
(agency_id NULL: a hall's information desk, a holiday for the whole building) are one more scope: NULLs
are distinct in a unique constraint, so a partial unique index keeps two site counters from both being 1.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-04 19:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0016'
branch_labels = None
depends_on = None

SCOPED = (('counters', 'number'), ('holidays', 'day'))


def upgrade():
    site_only = sa.text('agency_id IS NULL')
    for table, column in SCOPED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'uq_{table}_{column}'), type_='unique')
            batch_op.create_unique_constraint(op.f(f'uq_{table}_agency_{column}'), ['agency_id', column])
        op.create_index(
            op.f(f'uq_{table}_site_{column}'), table, [column], unique=True,
            postgresql_where=site_only, sqlite_where=site_only,
        )


def downgrade():
    for table, column in SCOPED:
        op.drop_index(op.f(f'uq_{table}_site_{column}'), table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'uq_{table}_agency_{column}'), type_='unique')
            batch_op.create_unique_constraint(op.f(f'uq_{table}_{column}'), [column])
