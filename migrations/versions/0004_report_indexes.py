"""report indexes: waiting and service time on the ticket row, an index of the transfers

The reports of a year aggregate a million tickets. Replaying their event rows for the first call
and the time on hold cost more than every other figure together, so the ticket row now keeps its
waiting time (issue to the first call) and its service time (serving to done, time on hold
excluded), set by the domain (Ticket.call, Ticket.finish); this migration fills them for the
tickets already there. A partial index holds the transfer event rows only (2% of them), on
PostgreSQL with the columns a transfer count reads, so a year's transfers never touch the table;
and statistics on the whole-second durations let the planner see that a year has thousands of
distinct seconds, not a million (so it aggregates them in parallel).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 00:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

TRANSFER_COLUMNS = ['ticket_id', 'service_id', 'counter_id', 'officer_id']
TRANSFERS = "kind = 'transferred'"

# Expressions exactly as persistence/reports.py (whole_seconds) renders them, so the planner matches them.
STATISTICS = {
    'st_tickets_wait_whole_seconds': 'origin_service_id, (CAST(floor(wait_seconds + 0.5) AS INTEGER))',
    'st_tickets_service_whole_seconds': 'service_id, (CAST(floor(service_seconds + 0.5) AS INTEGER))',
}


def upgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wait_seconds', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('service_seconds', sa.Float(), nullable=True))

    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.create_index(
            'ix_ticket_events_transfers',
            ['at'],
            unique=False,
            postgresql_include=TRANSFER_COLUMNS,
            postgresql_where=sa.text(TRANSFERS),
            sqlite_where=sa.text(TRANSFERS),
        )

    bind = op.get_bind()
    _fill_waits(bind)
    _fill_service_times(bind)
    if bind.dialect.name == 'postgresql' and bind.dialect.server_version_info >= (14,):
        for name, columns in STATISTICS.items():
            op.execute(f'CREATE STATISTICS {name} ON {columns} FROM tickets')
        op.execute('ANALYZE tickets')


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        for name in STATISTICS:
            op.execute(f'DROP STATISTICS IF EXISTS {name}')

    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_events_transfers')

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('service_seconds')
        batch_op.drop_column('wait_seconds')


def _seconds(bind, start: str, end: str) -> str:
    """end - start in seconds, never negative (as Ticket records it)."""
    if bind.dialect.name == 'postgresql':
        return f"GREATEST(date_part('epoch', {end} - {start}), 0)"
    # julianday() counts whole milliseconds; rounding to 3 places gives them back exactly.
    return f'MAX(ROUND((julianday({end}) - julianday({start})) * 86400.0, 3), 0)'


def _fill_waits(bind) -> None:
    """Issue to the first call: the first `called` event row, not the ticket's latest call."""
    first_call = (
        "(SELECT min(e.at) FROM ticket_events e WHERE e.ticket_id = tickets.id AND e.kind = 'called')"
    )
    op.execute(
        f'UPDATE tickets SET wait_seconds = {_seconds(bind, "issued_at", first_call)} '
        'WHERE called_at IS NOT NULL'
    )


def _fill_service_times(bind) -> None:
    """Serving to done for the finished tickets; those ever held or transferred replay their events.

    The replay is the rule of Ticket.served_seconds as it stands at this revision: service runs
    from serving (or resumed) to held, transferred or done, and a new call starts a new visit."""
    replayed = "SELECT ticket_id FROM ticket_events WHERE kind IN ('held', 'transferred')"
    op.execute(
        f'UPDATE tickets SET service_seconds = {_seconds(bind, "started_at", "finished_at")} '
        f"WHERE status = 'done' AND started_at IS NOT NULL AND id NOT IN ({replayed})"
    )

    events = sa.table(
        'ticket_events', sa.column('id'), sa.column('ticket_id'), sa.column('kind'), sa.column('at', sa.DateTime())
    )
    tickets = sa.table('tickets', sa.column('id'), sa.column('status'))
    done = sa.select(tickets.c.id).where(tickets.c.status == 'done')
    rows = bind.execute(
        sa.select(events.c.ticket_id, events.c.kind, events.c.at)
        .where(
            events.c.ticket_id.in_(sa.select(events.c.ticket_id).where(events.c.kind.in_(['held', 'transferred']))),
            events.c.ticket_id.in_(done),
        )
        .order_by(events.c.ticket_id, events.c.id)
    )
    served: dict[int, float] = {}
    since = None
    for ticket_id, kind, at in rows:
        if ticket_id not in served:
            served[ticket_id], since = 0.0, None
        if kind == 'called':
            served[ticket_id], since = 0.0, None
        elif kind in ('serving', 'resumed'):
            since = at
        elif kind in ('held', 'transferred', 'done') and since is not None:
            served[ticket_id] += max((at - since).total_seconds(), 0.0)
            since = None
    if served:
        update = sa.text('UPDATE tickets SET service_seconds = :seconds WHERE id = :id')
        bind.execute(update, [{'id': key, 'seconds': value} for key, value in served.items()])
