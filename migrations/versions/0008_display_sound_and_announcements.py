"""display sound state and announcements

Displays report whether their browser lets them speak (devices.sound_muted, sound_reported_at), so
the supervisor's floor can list the muted ones. The admin manages what the waiting-room TV shows
besides the calls: the Maklumat Pelayanan and announcements of text and images (announcements).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sound_muted', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('sound_reported_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('image', sa.String(length=100), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )


def downgrade():
    op.drop_table('announcements')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('sound_reported_at')
        batch_op.drop_column('sound_muted')
