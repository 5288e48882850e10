"""Where uploaded files live: the office logo and the display's announcement images.

Below the blueprints: the admin pages write these folders, the kiosk and the display read them.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def logo_folder() -> Path:
    """instance/ by default, where the display looks for logo.* as well."""
    return Path(current_app.config.get("LOGO_FOLDER") or current_app.instance_path)


def image_folder() -> Path:
    """instance/announcements/ by default: uploads stay out of the code and out of static/."""
    return Path(current_app.config.get("ANNOUNCEMENT_FOLDER") or Path(current_app.instance_path) / "announcements")
