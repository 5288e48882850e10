"""The service catalogue as a file (YAML or CSV): one row per service, checked field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from .hours import parse_hhmm

CODE = re.compile(r"^[A-Z]{1,4}$")
LIST_SEPARATOR = "|"  # how a CSV cell holds a list (requirements, procedure steps)

FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "unit",
    "requirements",
    "procedure",
    "standard_minutes",
    "fee",
    "product",
    "complaint_channel",
    "sop_number",
    "sop_effective_date",
    "sop_approved_by",
    "daily_quota",
    "cutoff_time",
    "priority_allowed",
    "alert_wait_minutes",
    "alert_service_minutes",
    "active",
    # The English versions of the published texts (optional): the English kiosk falls back to Indonesian.
    "description_en",
    "requirements_en",
    "procedure_en",
    "fee_en",
    "product_en",
    "complaint_channel_en",
)
LIST_FIELDS = ("requirements", "procedure", "requirements_en", "procedure_en")
#: Each published text and its optional English version.
ENGLISH_FIELDS = {
    "description": "description_en",
    "requirements": "requirements_en",
    "procedure": "procedure_en",
    "fee": "fee_en",
    "product": "product_en",
    "complaint_channel": "complaint_channel_en",
}


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class CatalogueInvalid(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [part.strip() for part in str(value).split(LIST_SEPARATOR) if part.strip()]


def _bool(value, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "ya", "y"):
        return True
    if text in ("0", "false", "no", "tidak", "n"):
        return False
    raise ValueError("use true/false")


#: The largest whole number a service field takes: the database's INTEGER.
MAX_NUMBER = 2**31 - 1


def _int(value, *, minimum: int, optional: bool) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValueError("is required")
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("must be a whole number") from None
    if number < minimum:
        raise ValueError(f"must be at least {minimum}")
    if number > MAX_NUMBER:
        raise ValueError(f"must be at most {MAX_NUMBER}")
    return number


def parse_row(raw: dict, line: int) -> tuple[dict, list[RowError]]:
    """One catalogue row -> the Service fields, or the list of what is wrong with it."""
    errors: list[RowError] = []
    unknown = set(raw) - set(FIELDS)
    for name in sorted(unknown):
        errors.append(RowError(line, name, "unknown column"))
    out: dict = {}

    def take(field_name: str, parse):
        try:
            out[field_name] = parse(raw.get(field_name))
        except (ValueError, TypeError) as exc:
            errors.append(RowError(line, field_name, str(exc)))

    def code(value):
        text = _text(value).upper()
        if not CODE.match(text):
            raise ValueError("1 to 4 letters A-Z (the ticket prefix)")
        return text

    def required_text(limit: int):
        def parse(value):
            text = _text(value)
            if not text:
                raise ValueError("is required")
            if len(text) > limit:
                raise ValueError(f"at most {limit} characters")
            return text

        return parse

    def optional_text(limit: int):
        def parse(value):
            text = _text(value)
            if len(text) > limit:
                raise ValueError(f"at most {limit} characters")
            return text

        return parse

    def day(value):
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError("use a date like 2025-01-31") from None

    def clock(value) -> time | None:
        if value in (None, ""):
            return None
        if isinstance(value, time):
            return value
        if isinstance(value, int) and not isinstance(value, bool):  # YAML reads 15:00 as sexagesimal minutes
            if not 0 <= value < 24 * 60:
                raise ValueError("use a time like 14:00")
            return time(value // 60, value % 60)
        try:
            return parse_hhmm(str(value).strip())
        except ValueError:
            raise ValueError("use a time like 14:00") from None

    take("code", code)
    take("name", required_text(200))
    take("name_en", optional_text(200))
    take("description", optional_text(2000))
    take("unit", optional_text(200))
    take("requirements", _list)
    take("procedure", _list)
    take("standard_minutes", lambda v: _int(v, minimum=1, optional=False))
    take("fee", lambda v: optional_text(200)(v) or "Gratis")
    take("product", optional_text(500))
    take("complaint_channel", optional_text(500))
    take("sop_number", optional_text(100))
    take("sop_effective_date", day)
    take("sop_approved_by", optional_text(200))
    take("daily_quota", lambda v: _int(v, minimum=1, optional=True))
    take("cutoff_time", clock)
    take("priority_allowed", lambda v: _bool(v, True))
    take("alert_wait_minutes", lambda v: _int(v, minimum=1, optional=True))
    take("alert_service_minutes", lambda v: _int(v, minimum=1, optional=True))
    take("active", lambda v: _bool(v, True))
    take("description_en", optional_text(2000))
    take("requirements_en", _list)
    take("procedure_en", _list)
    take("fee_en", optional_text(200))
    take("product_en", optional_text(500))
    take("complaint_channel_en", optional_text(500))
    if not out.get("name_en") and "name" in out:
        out["name_en"] = out["name"]
    return out, errors


def parse_catalogue(rows: list[tuple[int, dict]]) -> list[dict]:
    """All rows or none: every error of every row is reported, with its line."""
    parsed, errors, seen = [], [], {}
    for line, raw in rows:
        if not isinstance(raw, dict):
            errors.append(RowError(line, "-", "each service must be a mapping of fields"))
            continue
        fields, row_errors = parse_row(raw, line)
        errors.extend(row_errors)
        code = fields.get("code")
        if code and code in seen:
            errors.append(RowError(line, "code", f"{code} is also used on line {seen[code]}"))
        elif code:
            seen[code] = line
        parsed.append(fields)
    if errors:
        raise CatalogueInvalid(errors)
    return parsed


def export_row(service) -> dict:
    return {
        "code": service.code,
        "name": service.name,
        "name_en": service.name_en,
        "description": service.description,
        "unit": service.unit,
        "requirements": list(service.requirements),
        "procedure": list(service.procedure),
        "standard_minutes": service.standard_minutes,
        "fee": service.fee,
        "product": service.product,
        "complaint_channel": service.complaint_channel,
        "sop_number": service.sop_number,
        "sop_effective_date": service.sop_effective_date.isoformat() if service.sop_effective_date else "",
        "sop_approved_by": service.sop_approved_by,
        "daily_quota": service.daily_quota if service.daily_quota is not None else "",
        "cutoff_time": service.cutoff_time.strftime("%H:%M") if service.cutoff_time else "",
        "priority_allowed": service.priority_allowed,
        "alert_wait_minutes": service.alert_wait_minutes if service.alert_wait_minutes is not None else "",
        "alert_service_minutes": service.alert_service_minutes if service.alert_service_minutes is not None else "",
        "active": service.active,
        "description_en": service.description_en,
        "requirements_en": list(service.requirements_en or []),
        "procedure_en": list(service.procedure_en or []),
        "fee_en": service.fee_en,
        "product_en": service.product_en,
        "complaint_channel_en": service.complaint_channel_en,
    }
