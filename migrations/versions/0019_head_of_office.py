"""The head of office who signs the management-review pack: name and NIP in the office settings

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('head_nip', sa.String(length=18), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('head_nip')
        batch_op.drop_column('head_name')
