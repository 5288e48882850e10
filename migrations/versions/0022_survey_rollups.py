"""Survey rollups: the months' survey answers per service, profile group and source

The yearly report's survey figures read the months from these (domain/rollup.py), the days not
rolled up yet from the answers. They start empty: `flask reports rollup` fills the days already
over, and each day's close adds the days that have ended from then on.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 01:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_survey_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("rolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_report_survey_days")),
    )
    op.create_table(
        "report_month_survey",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("grp", sa.String(length=16), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        *(sa.Column(f"u{i}", sa.Integer(), nullable=False) for i in range(1, 10)),
        sa.PrimaryKeyConstraint("month", "service_id", "dimension", "grp", name=op.f("pk_report_month_survey")),
    )


def downgrade():
    op.drop_table("report_month_survey")
    op.drop_table("report_survey_days")
