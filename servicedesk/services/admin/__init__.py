"""Setting up the office: services, counters, people, devices and settings, each change audited.

Every use case checks all of its input first and raises `Invalid` (field -> message) before it
touches anything, so nothing invalid is ever saved. The audit row is added to the same
transaction as the change: both commit, or neither does.
"""

from .agencies import agencies, create_agency, update_agency
from .base import FieldInvalid, Invalid, Missing
from .counters import create_counter, update_counter
from .devices import register_device, rotate_device_token, update_device
from .holidays import HOLIDAY_LINE, HolidayImport, add_holiday, import_holidays, parse_holiday_list, remove_holiday
from .logo import LOGO_STEM, LOGO_TYPES, MAX_LOGO_BYTES, STORED_LOGOS, logo_path, remove_logo, save_logo
from .people import USERNAME, create_user, reset_password, set_user_active, update_user
from .services import create_service, move_service, parse_service, set_service_active, update_service
from .settings import (
    LANGUAGES,
    NUMBER_READINGS,
    SPAN,
    TRANSFER_POSITIONS,
    hours_from_text,
    hours_to_text,
    parse_office,
    update_office,
)

__all__ = [
    "agencies",
    "create_agency",
    "update_agency",
    "FieldInvalid",
    "Invalid",
    "Missing",
    "parse_service",
    "create_service",
    "update_service",
    "set_service_active",
    "move_service",
    "create_counter",
    "update_counter",
    "USERNAME",
    "create_user",
    "update_user",
    "set_user_active",
    "reset_password",
    "register_device",
    "update_device",
    "rotate_device_token",
    "LANGUAGES",
    "NUMBER_READINGS",
    "TRANSFER_POSITIONS",
    "SPAN",
    "hours_to_text",
    "hours_from_text",
    "parse_office",
    "update_office",
    "MAX_LOGO_BYTES",
    "LOGO_TYPES",
    "LOGO_STEM",
    "STORED_LOGOS",
    "logo_path",
    "save_logo",
    "remove_logo",
    "HOLIDAY_LINE",
    "HolidayImport",
    "add_holiday",
    "remove_holiday",
    "parse_holiday_list",
    "import_holidays",
]
