"""Booking gaps: a lock row per person key, the priority share's seats, same-day booking

Revision ID: 0017
Revises: 0019
Create Date: 2026-12-04 16:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('booking_holders',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('touched_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_holders_service_id_services')),
    sa.PrimaryKeyConstraint('service_id', 'kind', 'key_hash', name=op.f('pk_booking_holders'))
    )
    with op.batch_alter_table('booking_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('same_day', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('booking_slots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_taken', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint(op.f('ck_booking_slots_priority_taken_not_negative'), 'priority_taken >= 0')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_group', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('priority_group')
    with op.batch_alter_table('booking_slots', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_booking_slots_priority_taken_not_negative'), type_='check')
        batch_op.drop_column('priority_taken')
    with op.batch_alter_table('booking_settings', schema=None) as batch_op:
        batch_op.drop_column('same_day')
    op.drop_table('booking_holders')
