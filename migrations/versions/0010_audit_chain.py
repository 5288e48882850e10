"""audit chain: every audit record hashed and linked to the previous one; sealed days of events

The audit rows already recorded are hashed here, in id order, with the same function the
application uses (servicedesk/domain/audit_chain.py), and the chain's head row is set to the last.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 06:00:00

"""
from alembic import op
import sqlalchemy as sa

from servicedesk.domain.audit_chain import GENESIS, record_hash
from servicedesk.persistence.tables import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_audit_log_seq', ['seq'], unique=True)

    head = op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    op.create_table('event_day_roots',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('root', sa.String(length=64), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit_log.id'], name=op.f('fk_event_day_roots_audit_id_audit_log')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_event_day_roots'))
    )

    log = sa.table(
        'audit_log',
        sa.column('id', sa.Integer), sa.column('at', UTCDateTime), sa.column('user_id', sa.Integer),
        sa.column('action', sa.String), sa.column('entity', sa.String), sa.column('entity_id', sa.Integer),
        sa.column('before', sa.JSON), sa.column('after', sa.JSON),
        sa.column('seq', sa.Integer), sa.column('prev_hash', sa.String), sa.column('hash', sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(log.c.id, log.c.at, log.c.user_id, log.c.action, log.c.entity, log.c.entity_id, log.c.before, log.c.after)
        .order_by(log.c.id)
    ).all()
    seq, prev = 0, GENESIS
    for row in rows:
        seq += 1
        digest = record_hash(
            seq=seq, at=row.at, user_id=row.user_id, action=row.action, entity=row.entity,
            entity_id=row.entity_id, before=row.before, after=row.after, prev_hash=prev,
        )
        bind.execute(sa.update(log).where(log.c.id == row.id).values(seq=seq, prev_hash=prev, hash=digest))
        prev = digest
    op.bulk_insert(head, [{'id': 1, 'seq': seq, 'hash': prev}])


def downgrade():
    op.drop_table('event_day_roots')
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_seq')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
