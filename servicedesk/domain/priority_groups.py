"""Priority groups (kelompok rentan): who may take a priority number, as the office lists them.

UU 25/2009 art. 29 and its elucidation name those a public service must treat specially: persons
with disabilities, the elderly, pregnant women, children, and victims of natural and social
disasters. An office may add its own (e.g. mothers with infants). The ticket keeps the group's key,
so the reports count per group even after a label changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FieldInvalid

KEY = re.compile(r"^[a-z0-9_]{1,40}$")
MAX_GROUPS = 12


@dataclass(frozen=True)
class PriorityGroup:
    key: str
    name: str  # Indonesian
    name_en: str

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    def to_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "name_en": self.name_en}


#: The default list, per UU 25/2009 art. 29 (elucidation): an office edits it at /admin/priority-groups.
DEFAULT_GROUPS = (
    PriorityGroup("disabilitas", "Penyandang disabilitas", "Persons with disabilities"),
    PriorityGroup("lansia", "Lanjut usia", "Elderly"),
    PriorityGroup("ibu_hamil", "Ibu hamil", "Pregnant women"),
    PriorityGroup("anak", "Anak-anak", "Children"),
    PriorityGroup("korban_bencana", "Korban bencana alam atau sosial", "Victims of natural or social disasters"),
)


def groups_of(stored: list | None) -> tuple[PriorityGroup, ...]:
    """The office's groups as stored (a JSON list), or the default list when it has none."""
    if not stored:
        return DEFAULT_GROUPS
    return tuple(PriorityGroup(g["key"], g["name"], g.get("name_en", "")) for g in stored)


def label_of(groups: tuple[PriorityGroup, ...], key: str | None, locale: str) -> str:
    """A group's label; a key no longer in the list is shown as it is (old tickets keep theirs)."""
    for group in groups:
        if group.key == key:
            return group.label(locale)
    return key or ""


def to_text(groups: tuple[PriorityGroup, ...]) -> str:
    """One group a line, `key | Indonesian | English`, as the admin edits them."""
    return "\n".join(" | ".join(filter(None, (g.key, g.name, g.name_en))) for g in groups)


def from_text(text: str) -> tuple[PriorityGroup, ...]:
    """The inverse of to_text. FieldInvalid (a ValueError) says which line is wrong and how."""
    groups: list[PriorityGroup] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or not parts[1]:
            raise FieldInvalid("group_line", line=number)
        key = parts[0].lower()
        if not KEY.match(key):
            raise FieldInvalid("group_key", line=number)
        if any(g.key == key for g in groups):
            raise FieldInvalid("group_twice", line=number, key=key)
        if len(parts[1]) > 100 or len(parts[2] if len(parts) == 3 else "") > 100:
            raise FieldInvalid("group_name_too_long", line=number)
        groups.append(PriorityGroup(key, parts[1], parts[2] if len(parts) == 3 else ""))
    if not groups:
        raise FieldInvalid("groups_empty")
    if len(groups) > MAX_GROUPS:
        raise FieldInvalid("groups_many", n=MAX_GROUPS)
    return tuple(groups)
