"""The visitor's phone page at /t/<token>, opened from the QR code on the slip (issue 3)."""

from flask import Blueprint

bp = Blueprint("visitor", __name__)
