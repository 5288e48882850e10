"""Journeys across agencies: one visitor, several services in sequence on one slip and phone page

A journey's steps are rows of their own (journey_steps), each naming its ticket once issued. The
tickets table stays as it was: issue_ticket() (0005, 0012) writes every column of a ticket, and a
column here would change that function. A ticket names at most one step (a unique ticket_id).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 21:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('journeys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journeys')),
    sa.UniqueConstraint('token', name=op.f('uq_journeys_token'))
    )
    op.create_table('journey_steps',
    sa.Column('journey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['journey_id'], ['journeys.id'], name=op.f('fk_journey_steps_journey_id_journeys')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_journey_steps_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_journey_steps_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('journey_id', 'position', name=op.f('pk_journey_steps')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_journey_steps_ticket_id'))
    )


def downgrade():
    op.drop_table('journey_steps')
    op.drop_table('journeys')
