"""The office's settings, its holidays and the service catalogue."""

from __future__ import annotations

from datetime import date, time

from ..hours import IssuingPolicy, OpeningHours
from ..routing import PriorityRule
from .kinds import DEFAULT_CANCEL_REASONS, ReturnPosition, TransferPosition


class Office:
    """The office's settings: one row. Defaults are a typical Indonesian government desk."""

    def __init__(self, name: str = "Unit Layanan Terpadu", **settings):
        self.name = name
        self.address = settings.get("address", "")
        self.time_zone = settings.get("time_zone", "Asia/Jakarta")
        self.language = settings.get("language", "id")
        self.opening_hours = settings.get("opening_hours", DEFAULT_OPENING_HOURS)
        self.priority_max_in_a_row = settings.get("priority_max_in_a_row", 3)
        self.max_recalls = settings.get("max_recalls", 3)
        self.no_show_window_minutes = settings.get("no_show_window_minutes", 30)
        self.transfer_position = settings.get("transfer_position", TransferPosition.ORIGINAL.value)
        self.number_reading = settings.get("number_reading", "words")
        self.running_text = settings.get("running_text", "")
        self.paper_width_mm = settings.get("paper_width_mm", 80)
        self.require_device_token = settings.get("require_device_token", False)
        self.priority_groups = settings.get("priority_groups")  # None: the default list (domain/priority_groups.py)
        self.day_closes_at = settings.get("day_closes_at", "17:00")
        self.no_show_return_position = settings.get("no_show_return_position", ReturnPosition.ORIGINAL.value)
        self.cancel_reasons = list(settings.get("cancel_reasons", DEFAULT_CANCEL_REASONS))
        self.survey_link_days = settings.get("survey_link_days", 7)
        self.complaint_url = settings.get("complaint_url", "")
        # A visitor who opted in hears "N more" once this few are ahead, or about this many minutes (0: off).
        self.notify_people_ahead = settings.get("notify_people_ahead", 3)
        self.notify_minutes_ahead = settings.get("notify_minutes_ahead", 0)
        # The head of office signs the management-review pack with name and NIP (domain/nip.py).
        self.head_name = settings.get("head_name", "")
        self.head_nip = settings.get("head_nip", "")

    @property
    def cancel_reason_list(self) -> list[str]:
        """The reasons an officer chooses from; the defaults when the office has not written its own."""
        return list(self.cancel_reasons or DEFAULT_CANCEL_REASONS)

    @property
    def priority_rule(self) -> PriorityRule:
        return PriorityRule(self.priority_max_in_a_row)

    def issuing_policy(self, holidays: frozenset[date] = frozenset()) -> IssuingPolicy:
        return IssuingPolicy(self.time_zone, OpeningHours.from_dict(self.opening_hours), holidays)


DEFAULT_OPENING_HOURS = {
    "mon": [["08:00", "12:00"], ["13:00", "15:30"]],
    "tue": [["08:00", "12:00"], ["13:00", "15:30"]],
    "wed": [["08:00", "12:00"], ["13:00", "15:30"]],
    "thu": [["08:00", "12:00"], ["13:00", "15:30"]],
    # Friday: the break is longer for Friday prayer (salat Jumat).
    "fri": [["08:00", "11:30"], ["13:30", "16:00"]],
    "sat": [],
    "sun": [],
}


class Holiday:
    def __init__(self, day: date, name: str, agency_id: int | None = None):
        self.day = day
        self.name = name
        self.agency_id = agency_id  # None: the whole site's


class Service:
    """A jenis layanan with the six published components of its Standar Pelayanan and its SOP."""

    def __init__(self, code: str, name: str, **fields):
        self.code = code
        self.name = name
        self.agency_id: int | None = fields.get("agency_id")
        self.name_en = fields.get("name_en") or name
        self.description = fields.get("description", "")
        self.unit = fields.get("unit", "")
        self.requirements: list[str] = list(fields.get("requirements", []))
        self.procedure: list[str] = list(fields.get("procedure", []))
        self.standard_minutes: int = fields.get("standard_minutes", 15)
        self.fee = fields.get("fee", "Gratis")
        self.product = fields.get("product", "")
        self.complaint_channel = fields.get("complaint_channel", "")
        self.sop_number = fields.get("sop_number", "")
        self.sop_effective_date: date | None = fields.get("sop_effective_date")
        self.sop_approved_by = fields.get("sop_approved_by", "")
        self.daily_quota: int | None = fields.get("daily_quota")
        self.cutoff_time: time | None = fields.get("cutoff_time")
        self.priority_allowed: bool = fields.get("priority_allowed", True)
        # Supervisor alerts; None means the SOP standard time.
        self.alert_wait_minutes: int | None = fields.get("alert_wait_minutes")
        self.alert_service_minutes: int | None = fields.get("alert_service_minutes")
        self.active: bool = fields.get("active", True)
        self.position: int = fields.get("position", 0)
        # Optional English versions of the published texts; empty: the English kiosk shows the Indonesian.
        self.description_en: str = fields.get("description_en", "")
        self.requirements_en: list[str] = list(fields.get("requirements_en") or [])
        self.procedure_en: list[str] = list(fields.get("procedure_en") or [])
        self.fee_en: str = fields.get("fee_en", "")
        self.product_en: str = fields.get("product_en", "")
        self.complaint_channel_en: str = fields.get("complaint_channel_en", "")
