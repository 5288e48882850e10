"""The office's logo: checked by content, stored in the instance folder, audited."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import audit
from ..unit_of_work import UnitOfWork
from .base import FieldInvalid, Invalid

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


@contextmanager
def _audited_logo(uow: UnitOfWork, actor_id: int | None, old: tuple[Path, str] | None) -> Iterator[dict]:
    """The logo is a file, not a row: the block fills in what the office's logo becomes."""
    logo = {"logo": _digest(old[0]) if old else None}
    snapshot = lambda _office: dict(logo)  # noqa: E731
    office = uow.repo.office()
    with audit.audited(uow, user_id=actor_id, action="logo", entity="office", snapshot=snapshot, target=office):
        yield logo


def save_logo(uow: UnitOfWork, *, actor_id: int | None, folder: Path, data: bytes, content_type: str) -> Path:
    """Keep one logo (PNG, JPEG or WebP, at most 256 KB); SVG is refused because it can carry script."""
    if not data:
        raise Invalid([FieldInvalid("choose_image", "logo")])
    if len(data) > MAX_LOGO_BYTES:
        raise Invalid([FieldInvalid("image_too_large", "logo", kb=MAX_LOGO_BYTES // 1024)])
    kind = LOGO_TYPES.get((content_type or "").split(";")[0].strip().lower())
    if kind is None or not kind[1](data[:16]):
        raise Invalid([FieldInvalid("image_type", "logo")])
    folder.mkdir(parents=True, exist_ok=True)
    old = logo_path(folder)
    target = folder / f"{LOGO_STEM}.{kind[0]}"
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".logo-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    with _audited_logo(uow, actor_id, old) as logo:
        logo.update(logo=hashlib.sha256(data).hexdigest()[:16], type=content_type, bytes=len(data))
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
    with _audited_logo(uow, actor_id, old) as logo:
        logo.update(logo=None)
    uow.commit()
    _remove_logos(folder)
