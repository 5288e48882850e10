"""Tenancy: the site's agencies, and the agency of services, counters, users, devices and holidays.
An existing single-office database becomes one agency named after the office; its services,
counters, devices, holidays and officers are assigned to it; its admins and supervisors stay the
site's (no agency): they keep every page they had, and someone can add the next agency. Nothing is lost.

Revision ID: 0015
Revises: 0017
Create Date: 2026-12-04 16:20:00

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0017'
branch_labels = None
depends_on = None

SCOPED = ('services', 'counters', 'users', 'devices', 'holidays')


def _code(name):
    """A code of the agency's form (domain/model/agency.py) from the office's name: its initials."""
    initials = ''.join(word[0] for word in re.findall(r'[A-Za-z][A-Za-z0-9]*', name or '')).upper()[:20]
    return initials if re.fullmatch(r'[A-Z][A-Z0-9_]{1,19}', initials) else 'KANTOR'


def upgrade():
    agencies = op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=50), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('brand_colour', sa.String(length=7), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('code', name=op.f('uq_agencies_code'))
    )
    conn = op.get_bind()
    for table in SCOPED:
        if conn.dialect.name == 'sqlite':
            # SQLite adds a nullable column with its reference in place; a batch copy of these
            # tables would trip the foreign keys of the tables pointing at them.
            op.execute(f'ALTER TABLE {table} ADD COLUMN agency_id INTEGER REFERENCES agencies (id)')
        else:
            op.add_column(table, sa.Column('agency_id', sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(f'fk_{table}_agency_id_agencies'), table, 'agencies', ['agency_id'], ['id'])
        op.create_index(op.f(f'ix_{table}_agency_id'), table, ['agency_id'], unique=False)

    office = conn.execute(sa.text('SELECT name FROM office ORDER BY id LIMIT 1')).first()
    has_rows = any(conn.execute(sa.text(f'SELECT 1 FROM {table} LIMIT 1')).first() for table in SCOPED)
    if office is None and not has_rows:
        return  # a new install: the first agency is created by the demo or the site administrator
    name = office[0] if office is not None else 'Kantor'
    code = _code(name)
    conn.execute(agencies.insert().values(code=code, name=name, short_name=name[:50], active=True))
    agency_id = conn.execute(sa.text('SELECT id FROM agencies WHERE code = :code'), {'code': code}).scalar_one()
    for table in ('services', 'counters', 'devices', 'holidays'):
        conn.execute(sa.text(f'UPDATE {table} SET agency_id = :agency'), {'agency': agency_id})
    conn.execute(sa.text("UPDATE users SET agency_id = :agency WHERE role = 'officer'"), {'agency': agency_id})


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in reversed(SCOPED):
        op.drop_index(op.f(f'ix_{table}_agency_id'), table_name=table)
        if sqlite:
            # A copy of the table without the column (and its foreign key): SQLite's own DROP COLUMN
            # refuses a column a table-level foreign key names, as after 0018's copy of the table.
            with op.batch_alter_table(table, recreate='always') as batch_op:
                batch_op.drop_column('agency_id')
        else:
            op.drop_constraint(op.f(f'fk_{table}_agency_id_agencies'), table, type_='foreignkey')
            op.drop_column(table, 'agency_id')
    op.drop_table('agencies')
