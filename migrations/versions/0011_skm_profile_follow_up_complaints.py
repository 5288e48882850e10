"""SKM as PermenPANRB 14/2017 asks: respondent profile, paper responses, survey window, follow-up
actions and complaints

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('survey_link_days', sa.Integer(), nullable=False, server_default='7'))
        batch_op.add_column(sa.Column('complaint_url', sa.String(length=500), nullable=False, server_default=''))

    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gender', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('age_group', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('education', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('occupation', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=8), nullable=False, server_default='online'))
        batch_op.add_column(sa.Column('entered_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_complaint', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('complaint_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('complaint_response', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('complaint_answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('complaint_answered_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_survey_responses_entered_by_users'), 'users', ['entered_by'], ['id']
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_survey_responses_complaint_answered_by_users'), 'users', ['complaint_answered_by'], ['id']
        )
        batch_op.create_index('ix_survey_responses_complaint_status', ['complaint_status'], unique=False)

    op.create_table('follow_up_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_kind', sa.String(length=8), nullable=False),
    sa.Column('period_first', sa.Date(), nullable=False),
    sa.Column('period_last', sa.Date(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('element', sa.String(length=4), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_follow_up_actions_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_actions'))
    )
    with op.batch_alter_table('follow_up_actions', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_actions_period', ['period_first', 'period_last'], unique=False)


def downgrade():
    with op.batch_alter_table('follow_up_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_actions_period')
    op.drop_table('follow_up_actions')

    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_complaint_status')
        batch_op.drop_constraint(batch_op.f('fk_survey_responses_complaint_answered_by_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_survey_responses_entered_by_users'), type_='foreignkey')
        for column in ('complaint_answered_by', 'complaint_answered_at', 'complaint_response', 'complaint_status',
                       'is_complaint', 'entered_by', 'source', 'occupation', 'education', 'age_group', 'gender'):
            batch_op.drop_column(column)

    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('complaint_url')
        batch_op.drop_column('survey_link_days')
