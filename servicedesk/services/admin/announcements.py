"""Admin use cases for what the waiting-room TV shows besides the calls: the Maklumat Pelayanan and
announcements of text or an uploaded image. Images are checked by their bytes and size, stored under
instance/announcements/ with a random name, and removed with their announcement. Every change is audited."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from ...domain.announcements import MAX_IMAGE_BYTES, Announcement, image_kind, problems
from ...persistence import setup
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import FieldInvalid, Invalid, Missing


def snapshot(item: Announcement) -> dict:
    return {
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "image": item.image,
        "position": item.position,
        "active": item.active,
    }


def _audited(uow: UnitOfWork, actor_id: int | None, action: str, item: Announcement | None = None):
    return audit.audited(uow, user_id=actor_id, action=action, entity="announcement", snapshot=snapshot, target=item)


def _fields(data: Mapping) -> tuple[str, str, str, int, bool]:
    kind = (data.get("kind") or "").strip()
    title = (data.get("title") or "").strip()
    body = (data.get("body") or "").replace("\r\n", "\n").strip()
    try:
        position = int(data.get("position") or 0)
    except ValueError:
        raise Invalid([FieldInvalid("at_least", "position", n=0)]) from None
    return kind, title, body, position, bool(data.get("active"))


def _check_image(image: bytes | None) -> str | None:
    """The stored extension of an uploaded image; Invalid when it is too large or not an image."""
    if not image:
        return None
    if len(image) > MAX_IMAGE_BYTES:
        raise Invalid([FieldInvalid("image_too_large", "image", kb=MAX_IMAGE_BYTES // 1024)])
    extension = image_kind(image)
    if extension is None:
        raise Invalid([FieldInvalid("image_type", "image")])
    return extension


def _store(folder: Path, image: bytes, extension: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(12)}.{extension}"
    temp = folder / f".{name}.part"
    temp.write_bytes(image)
    os.replace(temp, folder / name)
    return name


def _remove(folder: Path, name: str | None) -> None:
    if name and (folder / name).is_file():
        (folder / name).unlink()


def get(uow: UnitOfWork, announcement_id: int) -> Announcement:
    found = setup.find(uow.session, Announcement, announcement_id)
    if found is None:
        raise Missing(announcement_id)
    return found


def listed(session) -> list[Announcement]:
    """Every announcement in the order the display shows them."""
    return setup.announcements(session)


def create(uow: UnitOfWork, *, actor_id: int | None, data: Mapping, image: bytes | None, folder: Path) -> Announcement:
    kind, title, body, position, active = _fields(data)
    problems(kind, title, body, has_image=bool(image)).check()
    extension = _check_image(image) if kind == "image" else None
    if position == 0:
        position = setup.next_announcement_position(uow.session)
    stored = _store(folder, image, extension) if extension else None
    with _audited(uow, actor_id, "create") as change:
        change.target = item = Announcement(
            kind=kind, title=title, body=body, position=position, active=active, created_at=uow.clock()
        )
        item.image = stored
        uow.repo.add(item)
    try:
        uow.commit()
    except Exception:
        _remove(folder, stored)
        raise
    return item


def update(
    uow: UnitOfWork, *, actor_id: int | None, announcement_id: int, data: Mapping, image: bytes | None, folder: Path
) -> Announcement:
    item = get(uow, announcement_id)
    kind, title, body, position, active = _fields(data)
    problems(kind, title, body, has_image=bool(image or item.image)).check()
    extension = _check_image(image) if kind == "image" else None
    old_image = item.image
    stored = _store(folder, image, extension) if extension else None
    with _audited(uow, actor_id, "update", item):
        item.kind, item.title, item.body, item.position, item.active = kind, title, body, position, active
        if stored or kind != "image":
            item.image = stored
    try:
        uow.commit()
    except Exception:
        _remove(folder, stored)
        raise
    if item.image != old_image:
        _remove(folder, old_image)
    return item


def delete(uow: UnitOfWork, *, actor_id: int | None, announcement_id: int, folder: Path) -> None:
    item = get(uow, announcement_id)
    image = item.image
    with _audited(uow, actor_id, "delete", item):
        setup.remove(uow.session, item)
    uow.commit()
    _remove(folder, image)
