"""Setting up the office: services, counters, people, devices and settings, each change audited.

Every use case checks all of its input first and raises `Invalid` (field -> message) before it
touches anything, so nothing invalid is ever saved. The audit row is added to the same
transaction as the change: both commit, or neither does.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import available_timezones

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from ..domain.audit import (
    counter_snapshot,
    device_snapshot,
    holiday_snapshot,
    office_snapshot,
    service_snapshot,
    user_snapshot,
)
from ..domain.catalogue import FIELDS as SERVICE_FIELDS
from ..domain.catalogue import parse_row
from ..domain.hours import WEEKDAYS, OpeningHours
from ..domain.model import CallOrder, Counter, CounterChanged, Device, Holiday, Role, Service, User
from ..domain.slip import parse_printer
from ..persistence import queries
from ..persistence import tables as t
from . import audit
from .devices import KINDS, hash_token
from .unit_of_work import UnitOfWork


class Invalid(Exception):
    """What is wrong with a form, field by field; nothing was saved."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = dict(errors)


class Missing(Exception):
    """The record asked for does not exist."""


def _get(getter, entity_id: int):
    found = getter(entity_id)
    if found is None:
        raise Missing(entity_id)
    return found


def _whole(errors: dict, field: str, value, *, minimum: int, maximum: int) -> int | None:
    """A whole number within bounds, or an error under `field`."""
    text = "" if value is None else str(value).strip()
    if not text:
        errors[field] = "is required"
        return None
    try:
        number = int(text)
    except ValueError:
        errors[field] = "must be a whole number"
        return None
    if not minimum <= number <= maximum:
        errors[field] = f"must be between {minimum} and {maximum}"
        return None
    return number


def _text(errors: dict, field: str, value, *, limit: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors[field] = "is required"
    elif len(text) > limit:
        errors[field] = f"at most {limit} characters"
    return text


def _choice(errors: dict, field: str, value, choices) -> str:
    text = "" if value is None else str(value).strip()
    if text not in choices:
        errors[field] = "choose one of the options"
    return text


def _service_ids(uow: UnitOfWork, errors: dict, field: str, ids) -> list[int]:
    """Ids of existing services, each once, in the order given."""
    known = {s.id for s in queries.services(uow.session, active_only=False)}
    chosen: list[int] = []
    for value in ids or []:
        try:
            service_id = int(value)
        except (TypeError, ValueError):
            errors[field] = "unknown service"
            continue
        if service_id not in known:
            errors[field] = "unknown service"
        elif service_id not in chosen:
            chosen.append(service_id)
    return chosen


def _codes_by_id(uow: UnitOfWork) -> dict[int, str]:
    return {s.id: s.code for s in queries.services(uow.session, active_only=False)}


# --- services (jenis layanan) ---


def parse_service(uow: UnitOfWork, data: Mapping, *, service_id: int | None = None) -> dict:
    """The catalogue's row rules (the same as `flask import-services`), plus a unique prefix."""
    fields, row_errors = parse_row({k: v for k, v in data.items() if k in SERVICE_FIELDS}, line=0)
    errors = {e.field: e.message for e in row_errors}
    code = fields.get("code")
    if code:
        other = uow.repo.service_by_code(code)
        if other is not None and other.id != service_id:
            errors["code"] = f"{code} is already the prefix of {other.name}"
    if errors:
        raise Invalid(errors)
    return fields


def create_service(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Service:
    fields = parse_service(uow, data)
    last = uow.session.execute(select(func.max(t.services.c.position))).scalar()
    service = Service(position=(last + 1) if last is not None else 0, **fields)
    uow.repo.add(service)
    uow.session.flush()
    audit.record(
        uow, user_id=actor_id, action="create", entity="service", entity_id=service.id, after=service_snapshot(service)
    )
    uow.commit()
    return service


def update_service(uow: UnitOfWork, *, actor_id: int | None, service_id: int, data: Mapping) -> Service:
    service = _get(uow.repo.service, service_id)
    fields = parse_service(uow, data, service_id=service_id)
    before = service_snapshot(service)
    for name, value in fields.items():
        setattr(service, name, value)
    audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="service",
        entity_id=service.id,
        before=before,
        after=service_snapshot(service),
    )
    uow.commit()
    return service


def set_service_active(uow: UnitOfWork, *, actor_id: int | None, service_id: int, active: bool) -> Service:
    """Deactivate (the kiosk stops offering it; history keeps it) or bring it back."""
    service = _get(uow.repo.service, service_id)
    before = service_snapshot(service)
    service.active = active
    audit.record(
        uow,
        user_id=actor_id,
        action="activate" if active else "deactivate",
        entity="service",
        entity_id=service.id,
        before=before,
        after=service_snapshot(service),
    )
    uow.commit()
    return service


def move_service(uow: UnitOfWork, *, actor_id: int | None, service_id: int, offset: int) -> None:
    """One place up (-1) or down (+1) in the kiosk's order; positions are renumbered 0..n."""
    ordered = queries.services(uow.session, active_only=False)
    moved = _get(uow.repo.service, service_id)
    before = [s.code for s in ordered]
    index = ordered.index(moved)
    target = min(max(index + offset, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, service in enumerate(ordered):
        service.position = position
    audit.record(
        uow,
        user_id=actor_id,
        action="reorder",
        entity="service",
        entity_id=moved.id,
        before={"order": before},
        after={"order": [s.code for s in ordered]},
    )
    uow.commit()


# --- counters (loket) ---


CALL_ORDERS = tuple(order.value for order in CallOrder)


def _counter_fields(uow: UnitOfWork, data: Mapping, counter_id: int | None) -> tuple[dict, list[int]]:
    """`data["service_order"]` maps a service id to its place at the counter ("" = not served)."""
    errors: dict[str, str] = {}
    number = _whole(errors, "number", data.get("number"), minimum=1, maximum=999)
    if number is not None:
        other = uow.repo.counter_by_number(number)
        if other is not None and other.id != counter_id:
            errors["number"] = f"counter {number} exists already"
    name = _text(errors, "name", data.get("name"), limit=100)
    area = _text(errors, "area", data.get("area"), limit=100)
    places: list[tuple[int, int]] = []
    for service_id, place in (data.get("service_order") or {}).items():
        text = str(place or "").strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            errors["services"] = "order numbers are whole numbers from 1"
            continue
        places.append((int(text), service_id))
    if len({place for place, _ in places}) != len(places):
        errors["services"] = "each order number may be used once"
    service_ids = _service_ids(uow, errors, "services", [sid for _, sid in sorted(places)])
    call_order = _choice(errors, "call_order", data.get("call_order") or CallOrder.OLDEST.value, CALL_ORDERS)
    if errors:
        raise Invalid(errors)
    return {"number": number, "name": name or f"Loket {number}", "area": area, "call_order": call_order}, service_ids


def _counter_snapshot(uow: UnitOfWork, counter: Counter, service_ids: list[int]) -> dict:
    codes = _codes_by_id(uow)
    return counter_snapshot(counter, [codes[i] for i in service_ids])


def create_counter(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Counter:
    fields, service_ids = _counter_fields(uow, data, None)
    counter = Counter(fields["number"], fields["name"], fields["area"])
    counter.call_order = fields["call_order"]
    uow.repo.add(counter)
    uow.session.flush()
    uow.repo.set_counter_services(counter, service_ids)
    audit.record(
        uow,
        user_id=actor_id,
        action="create",
        entity="counter",
        entity_id=counter.id,
        after=_counter_snapshot(uow, counter, service_ids),
    )
    uow.commit()
    return counter


def update_counter(uow: UnitOfWork, *, actor_id: int | None, counter_id: int, data: Mapping) -> Counter:
    counter = _get(uow.repo.counter, counter_id)
    fields, service_ids = _counter_fields(uow, data, counter_id)
    before = _counter_snapshot(uow, counter, [s.id for s in counter.services])
    counter.number, counter.name, counter.area = fields["number"], fields["name"], fields["area"]
    counter.call_order = fields["call_order"]
    uow.repo.set_counter_services(counter, service_ids)
    entry = audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="counter",
        entity_id=counter.id,
        before=before,
        after=_counter_snapshot(uow, counter, service_ids),
    )
    if entry is not None:
        counter.changes.append(CounterChanged(counter))  # supervisors' floor shows the new set-up
    uow.commit()
    return counter


# --- people ---

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 8


def _password(errors: dict, password: str | None, confirm: str | None) -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"at least {MIN_PASSWORD} characters"
    elif len(password) > 256:
        errors["password"] = "at most 256 characters"
    elif password != (confirm or ""):
        errors["password_confirm"] = "the two passwords differ"
    return password


def _active_admins(uow: UnitOfWork) -> int:
    u = t.users
    return uow.session.execute(
        select(func.count()).select_from(u).where(u.c.role == Role.ADMIN, u.c.active.is_(True))
    ).scalar_one()


def _competences(uow: UnitOfWork, errors: dict, ids) -> list[Service]:
    chosen = _service_ids(uow, errors, "competences", ids)
    return [uow.repo.service(i) for i in chosen]


def create_user(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> User:
    errors: dict[str, str] = {}
    username = (data.get("username") or "").strip().lower()
    if not USERNAME.match(username):
        errors["username"] = "3 to 64 characters: small letters, digits, . _ -"
    elif uow.repo.user_by_username(username) is not None:
        errors["username"] = "this username is taken"
    full_name = _text(errors, "full_name", data.get("full_name"), limit=200, required=True)
    role = _choice(errors, "role", data.get("role"), [r.value for r in Role])
    password = _password(errors, data.get("password"), data.get("password_confirm"))
    competences = _competences(uow, errors, data.get("competences"))
    if errors:
        raise Invalid(errors)
    user = User(username, full_name, Role(role), generate_password_hash(password))
    user.competences = competences
    uow.repo.add(user)
    uow.session.flush()
    audit.record(uow, user_id=actor_id, action="create", entity="user", entity_id=user.id, after=user_snapshot(user))
    uow.commit()
    return user


def update_user(uow: UnitOfWork, *, actor_id: int | None, user_id: int, data: Mapping) -> User:
    user = _get(uow.repo.user, user_id)
    errors: dict[str, str] = {}
    full_name = _text(errors, "full_name", data.get("full_name"), limit=200, required=True)
    role = _choice(errors, "role", data.get("role"), [r.value for r in Role])
    competences = _competences(uow, errors, data.get("competences"))
    if user.role == Role.ADMIN and user.active and role and role != Role.ADMIN and _active_admins(uow) <= 1:
        errors["role"] = "the office needs at least one active admin"
    if errors:
        raise Invalid(errors)
    before = user_snapshot(user)
    user.full_name, user.role, user.competences = full_name, Role(role), competences
    audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="user",
        entity_id=user.id,
        before=before,
        after=user_snapshot(user),
    )
    uow.commit()
    return user


def set_user_active(uow: UnitOfWork, *, actor_id: int | None, user_id: int, active: bool) -> User:
    """Deactivate instead of delete: tickets and audit rows keep the person's name."""
    user = _get(uow.repo.user, user_id)
    if not active:
        if user.id == actor_id:
            raise Invalid({"active": "you cannot deactivate your own account"})
        if user.role == Role.ADMIN and user.active and _active_admins(uow) <= 1:
            raise Invalid({"active": "the office needs at least one active admin"})
    before = user_snapshot(user)
    user.active = active
    if not active:
        for counter in uow.repo.counters_of_officer(user.id):
            counter.close()  # nobody may act at a counter in the name of someone who left
    audit.record(
        uow,
        user_id=actor_id,
        action="activate" if active else "deactivate",
        entity="user",
        entity_id=user.id,
        before=before,
        after=user_snapshot(user),
    )
    uow.commit()
    return user


def reset_password(uow: UnitOfWork, *, actor_id: int | None, user_id: int, data: Mapping) -> User:
    """The audit row says that the password changed, never what it is."""
    user = _get(uow.repo.user, user_id)
    errors: dict[str, str] = {}
    password = _password(errors, data.get("password"), data.get("password_confirm"))
    if errors:
        raise Invalid(errors)
    user.password_hash = generate_password_hash(password)
    audit.record(
        uow,
        user_id=actor_id,
        action="reset_password",
        entity="user",
        entity_id=user.id,
        before={"username": user.username, "password": "(old)"},
        after={"username": user.username, "password": "(new, not recorded)"},
    )
    uow.commit()
    return user


# --- devices (kiosks and displays) ---


def _device_fields(uow: UnitOfWork, kind: str, data: Mapping) -> dict:
    errors: dict[str, str] = {}
    fields = {
        "name": _text(errors, "name", data.get("name"), limit=100, required=True),
        "area": _text(errors, "area", data.get("area"), limit=100),
        "service_ids": _service_ids(uow, errors, "service_ids", data.get("service_ids")),
        "settings": {},
    }
    if kind == "kiosk":
        # A kiosk prints on its own thermal printer, from the browser or over ESC/POS; its paper may
        # differ from the office default.
        form = parse_printer(data)
        errors.update(form.errors)
        if form.printer is not None:
            fields["settings"] = form.printer.settings()
    if errors:
        raise Invalid(errors)
    return fields


def register_device(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> tuple[Device, str]:
    """The token is returned once, for the admin to type into the device; only its hash is kept."""
    kind = (data.get("kind") or "").strip()
    if kind not in KINDS:
        raise Invalid({"kind": "choose one of the options"})
    fields = _device_fields(uow, kind, data)
    token = secrets.token_urlsafe(24)
    device = Device(kind=kind, token_hash=hash_token(token), **fields)
    uow.repo.add(device)
    uow.session.flush()
    audit.record(
        uow,
        user_id=actor_id,
        action="create",
        entity="device",
        entity_id=device.id,
        after=device_snapshot(device, _codes_by_id(uow)),
    )
    uow.commit()
    return device, token


def update_device(uow: UnitOfWork, *, actor_id: int | None, device_id: int, data: Mapping) -> Device:
    device = _get(lambda i: uow.session.get(Device, i), device_id)
    fields = _device_fields(uow, device.kind, data)
    codes = _codes_by_id(uow)
    before = device_snapshot(device, codes)
    device.name, device.area, device.service_ids = fields["name"], fields["area"], fields["service_ids"]
    device.settings = fields["settings"]
    device.active = bool(data.get("active"))
    audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="device",
        entity_id=device.id,
        before=before,
        after=device_snapshot(device, codes),
    )
    uow.commit()
    return device


def rotate_device_token(uow: UnitOfWork, *, actor_id: int | None, device_id: int) -> str:
    """A new token (shown once); the old one stops working at once."""
    device = _get(lambda i: uow.session.get(Device, i), device_id)
    token = secrets.token_urlsafe(24)
    device.token_hash = hash_token(token)
    audit.record(
        uow,
        user_id=actor_id,
        action="rotate_token",
        entity="device",
        entity_id=device.id,
        before={"name": device.name, "token": "(old)"},
        after={"name": device.name, "token": "(new, not recorded)"},
    )
    uow.commit()
    return token


# --- office settings ---

LANGUAGES = ("id", "en")
NUMBER_READINGS = ("words", "digits")
TRANSFER_POSITIONS = ("original", "front")
SPAN = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*-\s*(\d{1,2}[:.]\d{2})\s*$")


def hours_to_text(spans: list) -> str:
    """`[["08:00", "12:00"], ["13:00", "15:30"]]` -> `"08:00-12:00, 13:00-15:30"` (a break between)."""
    return ", ".join(f"{start}-{end}" for start, end in spans)


def hours_from_text(text: str) -> list[list[str]]:
    """The inverse of hours_to_text; an empty text is a closed day. ValueError says what is wrong."""
    spans = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        match = SPAN.match(part)
        if not match:
            raise ValueError("write intervals like 08:00-12:00, 13:00-15:30")
        spans.append([match.group(1).replace(".", ":").zfill(5), match.group(2).replace(".", ":").zfill(5)])
    return spans


def parse_office(data: Mapping) -> dict:
    errors: dict[str, str] = {}
    fields = {
        "name": _text(errors, "name", data.get("name"), limit=200, required=True),
        "address": _text(errors, "address", data.get("address"), limit=500),
        "time_zone": (data.get("time_zone") or "").strip(),
        "language": _choice(errors, "language", data.get("language"), LANGUAGES),
        "running_text": _text(errors, "running_text", data.get("running_text"), limit=1000),
        "paper_width_mm": _choice(errors, "paper_width_mm", data.get("paper_width_mm"), ("58", "80")),
        "priority_max_in_a_row": _whole(
            errors, "priority_max_in_a_row", data.get("priority_max_in_a_row"), minimum=1, maximum=20
        ),
        "max_recalls": _whole(errors, "max_recalls", data.get("max_recalls"), minimum=0, maximum=10),
        "no_show_window_minutes": _whole(
            errors, "no_show_window_minutes", data.get("no_show_window_minutes"), minimum=0, maximum=480
        ),
        "number_reading": _choice(errors, "number_reading", data.get("number_reading"), NUMBER_READINGS),
        "transfer_position": _choice(errors, "transfer_position", data.get("transfer_position"), TRANSFER_POSITIONS),
        "require_device_token": bool(data.get("require_device_token")),
    }
    if fields["time_zone"] not in available_timezones():
        errors["time_zone"] = "not a time zone name; use e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura"
    if "paper_width_mm" in errors:
        errors["paper_width_mm"] = "58 or 80 mm"
    else:
        fields["paper_width_mm"] = int(fields["paper_width_mm"])
    hours = {}
    for day in WEEKDAYS:
        try:
            hours[day] = hours_from_text(data.get(f"hours_{day}", ""))
            OpeningHours.from_dict({day: hours[day]})
        except ValueError as exc:
            message = str(exc)
            errors[f"hours_{day}"] = message.split(": ", 1)[1] if message.startswith(f"{day}: ") else message
    fields["opening_hours"] = hours
    if errors:
        raise Invalid(errors)
    return fields


def update_office(uow: UnitOfWork, *, actor_id: int | None, data: Mapping):
    fields = parse_office(data)
    office = uow.repo.office()
    before = office_snapshot(office)
    for name, value in fields.items():
        setattr(office, name, value)
    audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="office",
        entity_id=office.id,
        before=before,
        after=office_snapshot(office),
    )
    uow.commit()
    return office


# --- the logo ---

MAX_LOGO_BYTES = 256 * 1024
#: content type -> (file extension, a test on the first bytes). The bytes decide, not the file name.
LOGO_TYPES = {
    "image/png": ("png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "image/jpeg": ("jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "image/webp": ("webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
}
LOGO_STEM = "logo"
#: Where the display looks too (servicedesk/web/display.py): an SVG put there by hand is trusted and
#: served, but never accepted as an upload.
STORED_LOGOS = (("svg", "image/svg+xml"), ("png", "image/png"), ("jpg", "image/jpeg"), ("webp", "image/webp"))


def logo_path(folder: Path) -> tuple[Path, str] | None:
    """The office's logo and its content type, if it has one."""
    for ext, content_type in STORED_LOGOS:
        path = folder / f"{LOGO_STEM}.{ext}"
        if path.is_file():
            return path, content_type
    return None


def _remove_logos(folder: Path, keep: Path | None = None) -> None:
    for ext, _ in STORED_LOGOS:
        path = folder / f"{LOGO_STEM}.{ext}"
        if path != keep and path.is_file():
            path.unlink()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def save_logo(uow: UnitOfWork, *, actor_id: int | None, folder: Path, data: bytes, content_type: str) -> Path:
    """Keep one logo (PNG, JPEG or WebP, at most 256 KB); SVG is refused because it can carry script."""
    if not data:
        raise Invalid({"logo": "choose an image file"})
    if len(data) > MAX_LOGO_BYTES:
        raise Invalid({"logo": f"the image is larger than {MAX_LOGO_BYTES // 1024} KB"})
    kind = LOGO_TYPES.get((content_type or "").split(";")[0].strip().lower())
    if kind is None or not kind[1](data[:16]):
        raise Invalid({"logo": "use a PNG, JPEG or WebP image"})
    folder.mkdir(parents=True, exist_ok=True)
    old = logo_path(folder)
    target = folder / f"{LOGO_STEM}.{kind[0]}"
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".logo-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    office = uow.repo.office()
    audit.record(
        uow,
        user_id=actor_id,
        action="logo",
        entity="office",
        entity_id=office.id,
        before={"logo": _digest(old[0]) if old else None},
        after={"logo": hashlib.sha256(data).hexdigest()[:16], "type": content_type, "bytes": len(data)},
    )
    try:
        uow.commit()
    except Exception:
        os.unlink(temp)
        raise
    os.replace(temp, target)
    _remove_logos(folder, keep=target)
    return target


def remove_logo(uow: UnitOfWork, *, actor_id: int | None, folder: Path) -> None:
    old = logo_path(folder)
    if old is None:
        return
    office = uow.repo.office()
    audit.record(
        uow,
        user_id=actor_id,
        action="logo",
        entity="office",
        entity_id=office.id,
        before={"logo": _digest(old[0])},
        after={"logo": None},
    )
    uow.commit()
    _remove_logos(folder)


# --- holidays ---

HOLIDAY_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[,;\t ]\s*(.+?)\s*$")


@dataclass(frozen=True)
class HolidayImport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def _holiday_by_day(uow: UnitOfWork, day: date) -> Holiday | None:
    return uow.session.scalars(select(Holiday).where(t.holidays.c.day == day)).first()


def _parse_day(errors: dict, field: str, value) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors[field] = "use a date like 2026-08-17"
        return None


def add_holiday(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Holiday:
    errors: dict[str, str] = {}
    day = _parse_day(errors, "day", data.get("day"))
    name = _text(errors, "name", data.get("name"), limit=200, required=True)
    if day and _holiday_by_day(uow, day) is not None:
        errors["day"] = "this day is a holiday already"
    if errors:
        raise Invalid(errors)
    holiday = Holiday(day, name)
    uow.repo.add(holiday)
    uow.session.flush()
    audit.record(
        uow, user_id=actor_id, action="create", entity="holiday", entity_id=holiday.id, after=holiday_snapshot(holiday)
    )
    uow.commit()
    return holiday


def remove_holiday(uow: UnitOfWork, *, actor_id: int | None, holiday_id: int) -> None:
    """A holiday entered by mistake goes away; the audit row keeps what it was."""
    holiday = _get(lambda i: uow.session.get(Holiday, i), holiday_id)
    audit.record(
        uow,
        user_id=actor_id,
        action="delete",
        entity="holiday",
        entity_id=holiday.id,
        before=holiday_snapshot(holiday),
    )
    uow.session.delete(holiday)
    uow.commit()


def parse_holiday_list(text: str) -> list[tuple[date, str]]:
    """One holiday a line, `2026-08-17 Hari Kemerdekaan` (comma, semicolon or tab also separate).

    Blank lines and lines starting with # are skipped; every bad line is reported by number.
    """
    errors: dict[str, str] = {}
    parsed: list[tuple[date, str]] = []
    seen: dict[date, int] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = HOLIDAY_LINE.match(line)
        day = None
        if match:
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                day = None
        if match is None or day is None:
            errors[f"line {number}"] = "write a date and a name, like 2026-08-17 Hari Kemerdekaan"
        elif len(match.group(2)) > 200:
            errors[f"line {number}"] = "the name has more than 200 characters"
        elif day in seen:
            errors[f"line {number}"] = f"{day.isoformat()} is also on line {seen[day]}"
        else:
            seen[day] = number
            parsed.append((day, match.group(2)))
    if not parsed and not errors:
        errors["line 1"] = "the list is empty"
    if errors:
        raise Invalid(errors)
    return parsed


def import_holidays(uow: UnitOfWork, *, actor_id: int | None, text: str) -> HolidayImport:
    """The year's list (e.g. the SKB of national holidays and cuti bersama): all lines or none."""
    result = HolidayImport([], [], [])
    for day, name in parse_holiday_list(text):
        holiday = _holiday_by_day(uow, day)
        if holiday is None:
            holiday = Holiday(day, name)
            uow.repo.add(holiday)
            uow.session.flush()
            audit.record(
                uow,
                user_id=actor_id,
                action="import",
                entity="holiday",
                entity_id=holiday.id,
                after=holiday_snapshot(holiday),
            )
            result.created.append(day.isoformat())
        elif holiday.name != name:
            before = holiday_snapshot(holiday)
            holiday.name = name
            audit.record(
                uow,
                user_id=actor_id,
                action="import",
                entity="holiday",
                entity_id=holiday.id,
                before=before,
                after=holiday_snapshot(holiday),
            )
            result.updated.append(day.isoformat())
        else:
            result.unchanged.append(day.isoformat())
    uow.commit()
    return result
