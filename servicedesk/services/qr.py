"""QR codes made on the server, so a kiosk without internet still prints the link to the visitor's page."""

from __future__ import annotations

import io
import re

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _code(data: str, box_size: int = 10) -> qrcode.QRCode:
    # Level M survives a smudged thermal print; a border of 4 modules is the quiet zone scanners need.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=box_size)
    code.add_data(data)
    code.make(fit=True)
    return code


def svg(data: str) -> str:
    """An inline <svg> element (one path, no fixed size: the page's CSS sizes it without blurring)."""
    image = _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    text = image.to_string(encoding="unicode")
    text = text[text.index("<svg") :]
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg role="img" class="qr"', text, count=1)


def png(data: str, box_size: int = 8) -> bytes:
    """A black-on-white PNG, for an ESC/POS printer or an <img>."""
    image = _code(data, box_size).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
