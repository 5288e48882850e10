"""Administration at /admin (issue 6): the SOP catalogue, counters, people, devices, settings, audit trail.

Server-rendered forms. Each view reads its WTForms form (forms.py), calls one use case of
services/admin/ and renders the page again with the messages next to the fields when the form or the
use case (a coded `Invalid`, translated through messages.py) refuses.
Admins change things; supervisors may read every page; officers are turned away.
"""

from . import (  # noqa: F401  (their views register on bp; announcements and desk are blueprints of their own)
    agencies,
    announcements,
    audit,
    booking,
    chain,
    counters,
    desk,
    devices,
    notifications,
    people,
    priority_groups,
    services,
    settings,
)
from .base import bp, can_edit

__all__ = ["bp", "can_edit"]
