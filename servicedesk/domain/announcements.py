"""What the waiting-room TV shows besides the calls: the office's Maklumat Pelayanan (service
pledge) and the admin's announcements of text or an image. Pure rules: which kinds exist, what a
valid one holds, and which image bytes are accepted (decided by their content, never their name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import Problems

KINDS = ("maklumat", "text", "image")
MAX_TITLE = 200
MAX_BODY = 2000
MAX_IMAGE_BYTES = 1024 * 1024

#: file extension -> a test on the first bytes. SVG is never accepted: it can carry script.
IMAGE_TYPES = {
    "png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


@dataclass
class Announcement:
    kind: str
    title: str
    body: str = ""
    image: str | None = None  # file name under instance/announcements/
    position: int = 0
    active: bool = True
    created_at: datetime | None = None


def problems(kind: str, title: str, body: str, has_image: bool) -> Problems:
    """What is wrong, field by field (coded; the page translates the codes)."""
    found = Problems()
    if kind not in KINDS:
        found.add("kind", "choose_option")
    if not title.strip():
        found.add("title", "required")
    elif len(title) > MAX_TITLE:
        found.add("title", "too_long", n=MAX_TITLE)
    if len(body) > MAX_BODY:
        found.add("body", "too_long", n=MAX_BODY)
    elif kind in ("maklumat", "text") and not body.strip():
        found.add("body", "required")
    if kind == "image" and not has_image:
        found.add("image", "choose_image")
    return found


def image_kind(data: bytes) -> str | None:
    """The image's extension by its first bytes (PNG, JPEG, WebP), or None for anything else."""
    for extension, test in IMAGE_TYPES.items():
        if test(data[:16]):
            return extension
    return None
