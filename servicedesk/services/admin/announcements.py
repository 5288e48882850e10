"""Admin use cases for what the waiting-room TV shows besides the calls: the Maklumat Pelayanan and
announcements of text or an uploaded image. Images are checked by their bytes and size, stored under
instance/announcements/ with a random name, and removed with their announcement. Every change is audited."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import func, select

from ...domain.announcements import MAX_IMAGE_BYTES, Announcement, image_kind, problems
from ...persistence import tables as t
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Invalid, Missing


def snapshot(item: Announcement) -> dict:
    return {
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "image": item.image,
        "position": item.position,
        "active": item.active,
    }


def _fields(data: Mapping) -> tuple[str, str, str, int, bool]:
    kind = (data.get("kind") or "").strip()
    title = (data.get("title") or "").strip()
    body = (data.get("body") or "").replace("\r\n", "\n").strip()
    try:
        position = int(data.get("position") or 0)
    except ValueError:
        raise Invalid({"position": "must be at least 0"}) from None
    return kind, title, body, position, bool(data.get("active"))


def _check_image(image: bytes | None) -> str | None:
    """The stored extension of an uploaded image; Invalid when it is too large or not an image."""
    if not image:
        return None
    if len(image) > MAX_IMAGE_BYTES:
        raise Invalid({"image": f"the image is larger than {MAX_IMAGE_BYTES // 1024} KB"})
    extension = image_kind(image)
    if extension is None:
        raise Invalid({"image": "use a PNG, JPEG or WebP image"})
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
    found = uow.session.get(Announcement, announcement_id)
    if found is None:
        raise Missing(announcement_id)
    return found


def listed(session) -> list[Announcement]:
    """Every announcement in the order the display shows them."""
    a = t.announcements.c
    return list(session.scalars(select(Announcement).order_by(a.position, a.id)))


def create(uow: UnitOfWork, *, actor_id: int | None, data: Mapping, image: bytes | None, folder: Path) -> Announcement:
    kind, title, body, position, active = _fields(data)
    errors = problems(kind, title, body, has_image=bool(image))
    if errors:
        raise Invalid(errors)
    extension = _check_image(image) if kind == "image" else None
    if position == 0:
        position = (uow.session.scalar(select(func.max(t.announcements.c.position))) or 0) + 1
    item = Announcement(kind=kind, title=title, body=body, position=position, active=active, created_at=uow.clock())
    stored = _store(folder, image, extension) if extension else None
    item.image = stored
    uow.repo.add(item)
    uow.session.flush()
    audit.record(uow, user_id=actor_id, action="create", entity="announcement", entity_id=item.id, after=snapshot(item))
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
    errors = problems(kind, title, body, has_image=bool(image or item.image))
    if errors:
        raise Invalid(errors)
    extension = _check_image(image) if kind == "image" else None
    before, old_image = snapshot(item), item.image
    item.kind, item.title, item.body, item.position, item.active = kind, title, body, position, active
    stored = _store(folder, image, extension) if extension else None
    if stored or kind != "image":
        item.image = stored
    audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="announcement",
        entity_id=item.id,
        before=before,
        after=snapshot(item),
    )
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
    before, image = snapshot(item), item.image
    uow.session.delete(item)
    audit.record(
        uow, user_id=actor_id, action="delete", entity="announcement", entity_id=announcement_id, before=before
    )
    uow.commit()
    _remove(folder, image)
