"""Booking ahead: per-service booking settings, the office's retention, seats taken per slot, bookings

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 08:47:20

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('booking_office',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('retention_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_office'))
    )
    op.create_table('booking_settings',
    sa.Column('service_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('online_percent', sa.Integer(), nullable=False),
    sa.Column('priority_percent', sa.Integer(), nullable=False),
    sa.Column('walk_in_reserve_percent', sa.Integer(), nullable=False),
    sa.Column('requires_identity', sa.Boolean(), nullable=False),
    sa.Column('early_minutes', sa.Integer(), nullable=False),
    sa.Column('late_minutes', sa.Integer(), nullable=False),
    sa.Column('change_cutoff_hours', sa.Integer(), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('per_nik_day', sa.Integer(), nullable=True),
    sa.Column('per_nik_week', sa.Integer(), nullable=True),
    sa.Column('per_phone_day', sa.Integer(), nullable=True),
    sa.Column('per_phone_week', sa.Integer(), nullable=True),
    sa.Column('per_device_day', sa.Integer(), nullable=True),
    sa.Column('per_device_week', sa.Integer(), nullable=True),
    sa.Column('max_no_shows', sa.Integer(), nullable=True),
    sa.Column('no_show_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_settings_service_id_services')),
    sa.PrimaryKeyConstraint('service_id', name=op.f('pk_booking_settings'))
    )
    op.create_table('booking_slots',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('slot_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.CheckConstraint('taken >= 0', name=op.f('ck_booking_slots_taken_not_negative')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_slots_service_id_services')),
    sa.PrimaryKeyConstraint('service_id', 'slot_start', name=op.f('pk_booking_slots'))
    )
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('slot_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('nik_hash', sa.String(length=64), nullable=True),
    sa.Column('nik_last4', sa.String(length=4), nullable=True),
    sa.Column('device_hash', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('rescheduled', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('idempotency_key', sa.String(length=128), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_bookings_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_bookings_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('code', name=op.f('uq_bookings_code')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_bookings_idempotency_key')),
    sa.UniqueConstraint('token', name=op.f('uq_bookings_token'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_bookings_device_hash_day', ['device_hash', 'day'], unique=False)
        batch_op.create_index('ix_bookings_nik_hash_day', ['nik_hash', 'day'], unique=False)
        batch_op.create_index('ix_bookings_phone_day', ['phone', 'day'], unique=False)
        batch_op.create_index('ix_bookings_service_day', ['service_id', 'day', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_service_day')
        batch_op.drop_index('ix_bookings_phone_day')
        batch_op.drop_index('ix_bookings_nik_hash_day')
        batch_op.drop_index('ix_bookings_device_hash_day')
        batch_op.drop_index('ix_bookings_created_at')

    op.drop_table('bookings')
    op.drop_table('booking_slots')
    op.drop_table('booking_settings')
    op.drop_table('booking_office')
