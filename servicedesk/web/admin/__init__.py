"""Administration at /admin (issue 6): the SOP catalogue, counters, people, devices, settings, audit trail.

Server-rendered forms. Each view reads the form, calls one use case of services/admin.py and
renders the page again with the messages next to the fields when the use case says `Invalid`.
Admins change things; supervisors may read every page; officers are turned away.
"""

from . import audit, chain, counters, devices, notifications, people, priority_groups, services, settings  # noqa: F401  (their views register on bp)
from .base import bp, can_edit
from .settings import logo_folder

__all__ = ["bp", "can_edit", "logo_folder"]
