"""One phone rule: booking phone numbers stored as 628… like the notification contacts (domain/phone.py)

Bookings kept "+628…" and the notification contacts "628…": the same person was two strings, so a
booking's number never matched its WhatsApp replies. The lock rows of phone numbers are keyed hashes of
the old form; they only serialise concurrent bookings (the counts read the bookings), so they are
dropped and made again, under the new form, by the person's next booking.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 19:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text("UPDATE bookings SET phone = substr(phone, 2) WHERE phone LIKE '+%'"))
    op.execute(sa.text("DELETE FROM booking_holders WHERE kind = 'phone'"))


def downgrade():
    op.execute(sa.text("UPDATE bookings SET phone = '+' || phone WHERE phone LIKE '62%'"))
    op.execute(sa.text("DELETE FROM booking_holders WHERE kind = 'phone'"))
