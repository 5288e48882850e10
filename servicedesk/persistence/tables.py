"""The schema. Alembic migrations in migrations/ create it; this module only describes it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

from ..domain.model import CounterStatus, EventKind, Role, TicketStatus

# Stable constraint names, so batch migrations on SQLite can find and alter them.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum(enum_class, name: str) -> Enum:
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


office = Table(
    "office",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("address", String(500), nullable=False, default=""),
    Column("time_zone", String(64), nullable=False, default="Asia/Jakarta"),
    Column("language", String(8), nullable=False, default="id"),
    Column("opening_hours", JSON, nullable=False),
    Column("priority_max_in_a_row", Integer, nullable=False, default=3),
    Column("max_recalls", Integer, nullable=False, default=3),
    Column("no_show_window_minutes", Integer, nullable=False, default=30),
    Column("transfer_position", String(16), nullable=False, default="original"),
    Column("number_reading", String(16), nullable=False, default="words"),
    Column("running_text", Text, nullable=False, default=""),
    Column("paper_width_mm", Integer, nullable=False, default=80),
    Column("require_device_token", Boolean, nullable=False, default=False),
    Column("priority_groups", JSON, nullable=True),  # [{key, name, name_en}]; None: domain/priority_groups.py defaults
    Column("day_closes_at", String(5), nullable=False, default="17:00", server_default="17:00"),
    Column("no_show_return_position", String(16), nullable=False, default="original", server_default="original"),
    Column("cancel_reasons", JSON, nullable=True),  # the office's own wording, in its order
    Column("survey_link_days", Integer, nullable=False, default=7),  # the survey link lives this long after service
    Column("complaint_url", String(500), nullable=False, default=""),  # the office's SP4N-LAPOR! address
    Column("notify_people_ahead", Integer, nullable=False, default=3, server_default="3"),  # 0: off
    Column("notify_minutes_ahead", Integer, nullable=False, default=0, server_default="0"),  # 0: off
    # Who signs the management-review pack (blank: lines to fill by hand).
    Column("head_name", String(200), nullable=False, default="", server_default=""),
    Column("head_nip", String(18), nullable=False, default="", server_default=""),
)

#: The agencies (instansi) of the site; the `office` row holds the site's (building's) settings.
#: A row of services, counters, users, devices or holidays without an agency is the site's
#: (domain/model/agency.py): site staff, hall devices, site-wide holidays (migration 0015).
agencies = Table(
    "agencies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("short_name", String(50), nullable=False),
    Column("language", String(8), nullable=True),  # None: the site's
    Column("brand_colour", String(7), nullable=True),  # #rrggbb, None: the site's
    Column("active", Boolean, nullable=False, default=True),
)


def _agency() -> Column:
    return Column("agency_id", ForeignKey("agencies.id"), nullable=True, index=True)


holidays = Table(
    "holidays",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False),
    Column("name", String(200), nullable=False),
    _agency(),
)


def _unique_per_agency(table: Table, column: str) -> None:
    """`column` unique within each agency and among the site's own rows (agency_id NULL, which a plain
    unique constraint lets repeat): migration 0018."""
    table.append_constraint(UniqueConstraint("agency_id", column, name=f"uq_{table.name}_agency_{column}"))
    site_only = text("agency_id IS NULL")
    Index(
        f"uq_{table.name}_site_{column}",
        table.c[column],
        unique=True,
        postgresql_where=site_only,
        sqlite_where=site_only,
    )


_unique_per_agency(holidays, "day")  # each agency's closing days, and the building's

services = Table(
    "services",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(4), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("unit", String(200), nullable=False, default=""),
    Column("requirements", JSON, nullable=False),
    Column("procedure", JSON, nullable=False),
    Column("standard_minutes", Integer, nullable=False),
    Column("fee", String(200), nullable=False, default="Gratis"),
    Column("product", String(500), nullable=False, default=""),
    Column("complaint_channel", String(500), nullable=False, default=""),
    Column("sop_number", String(100), nullable=False, default=""),
    Column("sop_effective_date", Date, nullable=True),
    Column("sop_approved_by", String(200), nullable=False, default=""),
    Column("daily_quota", Integer, nullable=True),
    Column("cutoff_time", Time, nullable=True),
    Column("priority_allowed", Boolean, nullable=False, default=True),
    Column("alert_wait_minutes", Integer, nullable=True),
    Column("alert_service_minutes", Integer, nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("position", Integer, nullable=False, default=0),
    # Optional English versions of the published texts (empty: the Indonesian one is shown).
    Column("description_en", Text, nullable=False, server_default=""),
    Column("requirements_en", JSON, nullable=True),
    Column("procedure_en", JSON, nullable=True),
    Column("fee_en", String(200), nullable=False, server_default=""),
    Column("product_en", String(500), nullable=False, server_default=""),
    Column("complaint_channel_en", String(500), nullable=False, server_default=""),
    _agency(),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("role", _enum(Role, "user_role"), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    # Part of every session cookie of the user; one more ends them all (migration 0006).
    Column("session_generation", Integer, nullable=False, default=0, server_default="0"),
    _agency(),
)

user_services = Table(
    "user_services",
    metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True),
)

counters = Table(
    "counters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", Integer, nullable=False),
    Column("name", String(100), nullable=False),
    Column("area", String(100), nullable=False, default=""),
    Column("status", _enum(CounterStatus, "counter_status"), nullable=False),
    Column("officer_id", ForeignKey("users.id"), nullable=True),
    Column("priority_streak", Integer, nullable=False, default=0),
    Column("call_order", String(16), nullable=False, default="oldest", server_default="oldest"),
    Column("opened_at", UTCDateTime, nullable=True),
    _agency(),
)
_unique_per_agency(counters, "number")  # Loket 1 of each agency, and of the hall

counter_services = Table(
    "counter_services",
    metadata,
    Column("counter_id", ForeignKey("counters.id"), primary_key=True),
    Column("service_id", ForeignKey("services.id"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)

daily_sequences = Table(
    "daily_sequences",
    metadata,
    Column("service_id", ForeignKey("services.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("origin_service_id", ForeignKey("services.id"), nullable=False),
    Column("service_id", ForeignKey("services.id"), nullable=False),
    Column("number", String(16), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("service_day", Date, nullable=False),
    Column("token", String(64), nullable=False, unique=True),
    Column("priority", Boolean, nullable=False, default=False),
    Column("priority_group", String(40), nullable=True),  # a key of office.priority_groups, or None
    Column("idempotency_key", String(128), nullable=True, unique=True),
    Column("status", _enum(TicketStatus, "ticket_status"), nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("queued_at", UTCDateTime, nullable=False),
    Column("counter_id", ForeignKey("counters.id"), nullable=True),
    Column("officer_id", ForeignKey("users.id"), nullable=True),
    Column("called_at", UTCDateTime, nullable=True),
    Column("started_at", UTCDateTime, nullable=True),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("wait_seconds", Float, nullable=True),  # issue to the first call (Ticket.call)
    Column("service_seconds", Float, nullable=True),  # the finished visit, holds excluded (Ticket.served_seconds)
    Column("recall_count", Integer, nullable=False, default=0),
    Column("transfer_note", String(500), nullable=True),
    UniqueConstraint("service_day", "number", name="uq_tickets_day_number"),
    UniqueConstraint("origin_service_id", "service_day", "sequence", name="uq_tickets_day_sequence"),
    Index("ix_tickets_queue", "status", "service_id", "priority", "queued_at"),
    Index("ix_tickets_counter_status", "counter_id", "status"),
    Index("ix_tickets_issued_at", "issued_at"),
)

ticket_events = Table(
    "ticket_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", ForeignKey("tickets.id"), nullable=False, index=True),
    Column("kind", _enum(EventKind, "event_kind"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("service_id", ForeignKey("services.id"), nullable=False),
    Column("to_service_id", ForeignKey("services.id"), nullable=True),
    Column("counter_id", ForeignKey("counters.id"), nullable=True),
    Column("officer_id", ForeignKey("users.id"), nullable=True),
    Column("note", String(500), nullable=True),
    Index("ix_ticket_events_kind_at", "kind", "at"),
    # Only the transfers (2% of the rows), covering on PostgreSQL: the reports count a year's
    # transfers from this small index alone, without reading the event rows.
    Index(
        "ix_ticket_events_transfers",
        "at",
        postgresql_include=["ticket_id", "service_id", "counter_id", "officer_id"],
        postgresql_where=text("kind = 'transferred'"),
        sqlite_where=text("kind = 'transferred'"),
    ),
)

devices = Table(
    "devices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("area", String(100), nullable=False, default=""),
    Column("service_ids", JSON, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("settings", JSON, nullable=False),
    # What a display last said of its sound: muted when its browser forbids audio (None: never said).
    Column("sound_muted", Boolean, nullable=True),
    Column("sound_reported_at", UTCDateTime, nullable=True),
    _agency(),
)

#: What the waiting-room TV shows besides the calls, managed by the admin: the Maklumat Pelayanan
#: (kind "maklumat"), and announcements of text ("text") or an image uploaded to instance/ ("image").
announcements = Table(
    "announcements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False, default=""),
    Column("image", String(100), nullable=True),
    Column("position", Integer, nullable=False, default=0),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
)

# Report rollups (domain/rollup.py, persistence/reports/rollups.py): figures of closed days, derived
# from the tickets and rebuilt from them at any time (`flask reports rollup --rebuild`), so their ids
# are plain numbers, not foreign keys. A day is in them when it has a row in report_rollup_days,
# rolled up in that time zone's days.
report_rollup_days = Table(
    "report_rollup_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("time_zone", String(64), nullable=False),
    Column("tickets", Integer, nullable=False),
    Column("rolled_at", UTCDateTime, nullable=False),
)

#: A day's tickets counted per (service taken for, service that ended it, officer, counter).
report_day_tally = Table(
    "report_day_tally",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False, index=True),
    Column("origin_service_id", Integer, nullable=False),
    Column("service_id", Integer, nullable=False),
    Column("officer_id", Integer, nullable=True),
    Column("counter_id", Integer, nullable=True),
    Column("issued", Integer, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("served", Integer, nullable=False),
    Column("no_show", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("within_standard", Integer, nullable=False),
    Column("service_seconds", Float, nullable=True),
)

#: A day's other counts per service: transfers out, cancellations by reason, priority tickets by
#: group, arrivals per UTC hour (kind says which; key the reason, the group or the hour).
report_day_counts = Table(
    "report_day_counts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("service_id", Integer, nullable=False),
    Column("key", String(500), nullable=True),
    Column("n", Integer, nullable=False),
    Index("ix_report_day_counts_day_kind", "day", "kind"),
)

#: How many tickets of a month's rolled-up days waited (measure 'wait', per service taken for and
#: priority group: REGULAR, UNSAID or the group's key) or were served (measure 'service', per service
#: that finished them; priority_group '') each whole second, with the exact seconds between them:
#: the month's medians and 90th percentiles, exactly.
report_month_seconds = Table(
    "report_month_seconds",
    metadata,
    Column("month", Date, primary_key=True),
    Column("measure", String(8), primary_key=True),
    Column("service_id", Integer, primary_key=True, autoincrement=False),
    Column("priority_group", String(40), primary_key=True),
    Column("sec", Integer, primary_key=True, autoincrement=False),
    Column("k", Integer, nullable=False),
    Column("seconds", Float, nullable=False),
)

#: The survey's days rolled up (submitted that local day; a day is rolled up once it has ended, so no
#: answer can still arrive in it: an answer's time is the moment it is submitted or typed in).
report_survey_days = Table(
    "report_survey_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("time_zone", String(64), nullable=False),
    Column("responses", Integer, nullable=False),
    Column("rolled_at", UTCDateTime, nullable=False),
)

#: A month's rolled-up survey answers per service: respondents, comments and the sum of each
#: element's answers, in total (dimension 'all', grp ''), per source ('source': online, paper) and
#: per group of each profile question (dimension the question, grp its code, '' not answered).
report_month_survey = Table(
    "report_month_survey",
    metadata,
    Column("month", Date, primary_key=True),
    Column("service_id", Integer, primary_key=True, autoincrement=False),
    Column("dimension", String(16), primary_key=True),
    Column("grp", String(16), primary_key=True),
    Column("respondents", Integer, nullable=False),
    Column("comments", Integer, nullable=False),
    *(Column(f"u{i}", Integer, nullable=False) for i in range(1, 10)),
)

survey_responses = Table(
    "survey_responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", ForeignKey("tickets.id"), nullable=False, unique=True),  # one response per ticket
    Column("service_id", ForeignKey("services.id"), nullable=False),
    Column("counter_id", ForeignKey("counters.id"), nullable=True),
    Column("officer_id", ForeignKey("users.id"), nullable=True),
    Column("submitted_at", UTCDateTime, nullable=False),
    *(
        Column(f"u{i}", SmallInteger, CheckConstraint(f"u{i} BETWEEN 1 AND 4", name=f"u{i}_range"), nullable=False)
        for i in range(1, 10)
    ),
    Column("comment", Text, nullable=True),
    # The respondent's profile (PermenPANRB 14/2017), each optional: codes of domain/survey.PROFILE.
    Column("gender", String(16), nullable=True),
    Column("age_group", String(16), nullable=True),
    Column("education", String(16), nullable=True),
    Column("occupation", String(16), nullable=True),
    Column("source", String(8), nullable=False, default="online"),  # online (the phone) or paper (staff entered)
    Column("entered_by", ForeignKey("users.id"), nullable=True),  # who typed in a paper form
    Column("is_complaint", Boolean, nullable=False, default=False),
    Column("complaint_status", String(16), nullable=True),  # open, answered; None when not a complaint
    Column("complaint_response", Text, nullable=True),
    Column("complaint_answered_at", UTCDateTime, nullable=True),
    Column("complaint_answered_by", ForeignKey("users.id"), nullable=True),
    Index("ix_survey_responses_submitted_at", "submitted_at"),
    Index("ix_survey_responses_service_submitted", "service_id", "submitted_at"),
    Index("ix_survey_responses_complaint_status", "complaint_status"),
)

follow_up_actions = Table(
    "follow_up_actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("period_kind", String(8), nullable=False),
    Column("period_first", Date, nullable=False),
    Column("period_last", Date, nullable=False),
    Column("service_id", ForeignKey("services.id"), nullable=True),  # None: the whole office
    Column("element", String(4), nullable=False),  # u1..u9, the unsur the action improves
    Column("action", Text, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("status", String(16), nullable=False),  # planned, in_progress, done
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_follow_up_actions_period", "period_first", "period_last"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=True),  # None: a CLI command or the system
    Column("action", String(32), nullable=False),  # create, update, deactivate, rotate_token, import, ...
    Column("entity", String(32), nullable=False),  # service, counter, user, device, office, holiday
    Column("entity_id", Integer, nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    # The hash chain (domain/audit_chain.py): position, the previous record's hash, this record's.
    Column("seq", Integer, nullable=True),
    Column("prev_hash", String(64), nullable=True),
    Column("hash", String(64), nullable=True),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_entity", "entity", "entity_id"),
    Index("ix_audit_log_seq", "seq", unique=True),
)

# One row (id 1): the last position and hash of the audit chain. Appending locks it, so two
# transactions never link to the same previous record.
audit_chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# A sealed day of ticket events: its UTC window, how many events, their Merkle root, and the
# audit record that chained the root.
event_day_roots = Table(
    "event_day_roots",
    metadata,
    Column("day", Date, primary_key=True),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("events", Integer, nullable=False),
    Column("root", String(64), nullable=False),
    Column("audit_id", ForeignKey("audit_log.id"), nullable=False),
)

# --- booking ahead (issue 24; domain/booking.py) ---

#: Per service: whether it can be booked, the split of its day, the check-in window, anti-calo limits.
booking_settings = Table(
    "booking_settings",
    metadata,
    Column("service_id", ForeignKey("services.id"), primary_key=True, autoincrement=False),
    Column("enabled", Boolean, nullable=False, default=False),
    Column("online_percent", Integer, nullable=False, default=40),
    Column("priority_percent", Integer, nullable=False, default=10),
    Column("walk_in_reserve_percent", Integer, nullable=False, default=30),
    Column("requires_identity", Boolean, nullable=False, default=False),  # NIK asked only where the service needs it
    Column("early_minutes", Integer, nullable=False, default=30),
    Column("late_minutes", Integer, nullable=False, default=15),
    Column("change_cutoff_hours", Integer, nullable=False, default=2),
    Column("horizon_days", Integer, nullable=False, default=14),
    Column("same_day", Boolean, nullable=False, default=False),  # today's slots may be booked too
    *(
        Column(f"per_{who}_{period}", Integer, nullable=True)
        for who in ("nik", "phone", "device")
        for period in ("day", "week")
    ),
    Column("max_no_shows", Integer, nullable=True),
    Column("no_show_days", Integer, nullable=False, default=30),
)

#: The office's one row of booking settings: how long personal data is kept (UU 27/2022).
booking_office = Table(
    "booking_office",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("retention_days", Integer, nullable=False, default=90),
)

#: Seats taken per slot: booking increments the row with an upsert that refuses past the slot's seats,
#: so concurrent bookings of one slot queue on its row lock (SQLite: BEGIN IMMEDIATE) and never oversell.
booking_slots = Table(
    "booking_slots",
    metadata,
    Column("service_id", ForeignKey("services.id"), primary_key=True),
    Column("slot_start", UTCDateTime, primary_key=True),
    Column("taken", Integer, nullable=False),
    Column("priority_taken", Integer, nullable=False, default=0),  # seats of the priority share
    CheckConstraint("taken >= 0", name="taken_not_negative"),
    CheckConstraint("priority_taken >= 0", name="priority_taken_not_negative"),
)

#: One row per service and person key (a keyed hash of the NIK, phone or device, never the value):
#: a booking or a reschedule locks its person's rows before counting their holdings, so two parallel
#: bookings by one person are ordered and cannot both pass a limit. Removed with the retention.
booking_holders = Table(
    "booking_holders",
    metadata,
    Column("service_id", ForeignKey("services.id"), primary_key=True),
    Column("kind", String(8), primary_key=True),  # nik, phone, device
    Column("key_hash", String(64), primary_key=True),
    Column("touched_on", Date, nullable=False),
)

bookings = Table(
    "bookings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("service_id", ForeignKey("services.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("slot_start", UTCDateTime, nullable=False),
    Column("code", String(12), nullable=False, unique=True),  # typed at the kiosk, in the QR
    Column("token", String(64), nullable=False, unique=True),  # the visitor's link to see, cancel, reschedule
    # Personal data, None once redacted: the NIK only as an HMAC keyed with the app's secret, plus its last 4.
    Column("name", String(200), nullable=True),
    Column("phone", String(20), nullable=True),
    Column("nik_hash", String(64), nullable=True),
    Column("nik_last4", String(4), nullable=True),
    Column("device_hash", String(64), nullable=True),
    Column("status", String(16), nullable=False),
    Column("source", String(8), nullable=False, default="online"),
    Column("priority_group", String(40), nullable=True),  # booked in the priority share (kelompok rentan)
    Column("rescheduled", Integer, nullable=False, default=0),
    Column("ticket_id", ForeignKey("tickets.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("checked_in_at", UTCDateTime, nullable=True),
    Column("cancelled_at", UTCDateTime, nullable=True),
    Column("redacted_at", UTCDateTime, nullable=True),
    Column("idempotency_key", String(128), nullable=True, unique=True),
    Index("ix_bookings_service_day", "service_id", "day", "status"),
    Index("ix_bookings_phone_day", "phone", "day"),
    Index("ix_bookings_nik_hash_day", "nik_hash", "day"),
    Index("ix_bookings_device_hash_day", "device_hash", "day"),
    Index("ix_bookings_created_at", "created_at"),
)

#: A visitor's journey through several services in sequence (domain/journey.py, migration 0021):
#: the steps in order, each with its ticket once issued. Tickets stay as they are (issue_ticket()
#: writes every column of theirs): a ticket is a journey's step when a step row names it.
journeys = Table(
    "journeys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),  # a refused next step ended it
    Column("end_reason", String(40), nullable=True),
)

journey_steps = Table(
    "journey_steps",
    metadata,
    Column("journey_id", ForeignKey("journeys.id"), primary_key=True),
    Column("position", SmallInteger, primary_key=True),
    Column("service_id", ForeignKey("services.id"), nullable=False),
    # Unique: a ticket is the step of one journey; the step's own row holds at most one ticket.
    Column("ticket_id", ForeignKey("tickets.id"), nullable=True, unique=True),
)
