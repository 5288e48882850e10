"""session generation: every staff session of a person dies at logout, password reset and deactivation

The session cookie carries the user's id and this number (User.get_id); the loader accepts the
cookie only while the number is the user's current one, and ending the sessions adds one to it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 00:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
