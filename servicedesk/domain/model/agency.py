"""Tenancy: a site (the building; its settings are the `office` row) holds agencies (instansi:
Dukcapil, Imigrasi, BPJS...). Each agency holds its services, counters, people, devices and
holidays; a row without an agency belongs to the site (site staff, hall devices, site holidays).

Who may act on what, as pure rules:
- a site administrator (an admin without an agency) manages the agencies and everything in them;
- an agency's administrator manages only rows of their own agency, never the site's;
- an officer, a supervisor or an auditor scoped to an agency sees only that agency's rows; scoped
  to the site (no agency), they see every agency's.
"""

from __future__ import annotations

import re

from ..errors import FieldInvalid
from .kinds import Role

#: An agency's code: 2 to 20 capital letters A-Z, digits or _, starting with a letter ("DUKCAPIL").
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{1,19}")
#: A brand colour is a #rrggbb hex colour.
COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
LANGUAGES = ("id", "en")


def agency_code(raw: str | None) -> str:
    """The code as stored: trimmed, upper-case; refused (`agency_code`) unless it has the form."""
    code = (raw or "").strip().upper()
    if not code:
        raise FieldInvalid("required")
    if not CODE_PATTERN.fullmatch(code):
        raise FieldInvalid("agency_code")
    return code


def brand_colour(raw: str | None) -> str | None:
    """An optional #rrggbb colour, lower-case; None when empty."""
    colour = (raw or "").strip()
    if not colour:
        return None
    if not COLOUR_PATTERN.fullmatch(colour):
        raise FieldInvalid("brand_colour")
    return colour.lower()


def agency_language(raw: str | None) -> str | None:
    """An optional language of the agency's pages; None: the site's."""
    language = (raw or "").strip()
    if not language:
        return None
    if language not in LANGUAGES:
        raise FieldInvalid("choose_option")
    return language


class Agency:
    """One agency (instansi) in the site. Never deleted, only deactivated: its tickets keep it."""

    def __init__(
        self,
        code: str,
        name: str,
        short_name: str = "",
        *,
        language: str | None = None,
        brand_colour: str | None = None,
    ):
        self.code = agency_code(code)
        self.name = name
        self.short_name = short_name or self.code
        self.language = language
        self.brand_colour = brand_colour
        self.active = True

    def rename(self, name: str, short_name: str = "") -> None:
        self.name = name
        self.short_name = short_name or self.code

    def deactivate(self) -> None:
        self.active = False

    def reactivate(self) -> None:
        self.active = True


def is_site_level(agency_id: int | None) -> bool:
    """Staff without an agency work for the site: they see every agency."""
    return agency_id is None


def may_manage_agencies(role: Role | str, agency_id: int | None) -> bool:
    """Only a site administrator creates, renames or deactivates agencies."""
    return role == Role.ADMIN and agency_id is None


def may_manage(role: Role | str, actor_agency_id: int | None, target_agency_id: int | None) -> bool:
    """May an administrator change a row (service, counter, person, device, holiday) of
    `target_agency_id` (None: a site row)? A site administrator may change any; an agency's
    administrator only their own agency's, never the site's rows nor another agency's."""
    if role != Role.ADMIN:
        return False
    if actor_agency_id is None:
        return True
    return target_agency_id == actor_agency_id


def may_see(actor_agency_id: int | None, target_agency_id: int | None) -> bool:
    """May a user scoped to `actor_agency_id` read a row of `target_agency_id`? Site-level staff see
    all; agency staff see their agency's rows and the site's shared ones (site holidays, hall devices)."""
    if actor_agency_id is None:
        return True
    return target_agency_id in (actor_agency_id, None)


def may_see_strictly(actor_agency_id: int | None, target_agency_id: int | None) -> bool:
    """As `may_see`, for rows that always belong to an agency (counters, tickets, services): agency
    staff see only their own agency's."""
    return actor_agency_id is None or target_agency_id == actor_agency_id


def assignable_agency(role: Role | str, actor_agency_id: int | None, wanted: int | None) -> int | None:
    """The agency a new row gets when an administrator creates it: an agency administrator's rows
    are always their agency's, whatever the form says; a site administrator chooses (None: the site)."""
    if actor_agency_id is not None:
        return actor_agency_id
    return wanted
