"""Acting on the administration pages as a person would: log in, read a form's CSRF token, post it."""

from __future__ import annotations

import re

from sqlalchemy import select

from servicedesk.domain.model import AuditEntry
from servicedesk.extensions import db

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class AdminPages:
    def __init__(self, client, auth, app):
        self.client, self.auth, self.app = client, auth, app

    def login(self, username: str = "admin"):
        return self.auth.login(username)

    def csrf(self) -> str:
        match = CSRF.search(self.client.get("/admin/").get_data(as_text=True))
        assert match, "no CSRF token on /admin/"
        return match.group(1)

    def post(self, path: str, data: dict | None = None, **kwargs):
        """Post a form with a fresh CSRF token (unless the test gives its own)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf())
        return self.client.post(path, data=data, **kwargs)

    def html(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, response.status_code
        return response.get_data(as_text=True)

    def audit(self, entity: str | None = None) -> list[AuditEntry]:
        """Audit rows, oldest first, detached so a test reads them after the app context closes.

        Logins and logouts (entity "session") only when asked for: the other rows are set-up changes."""
        with self.app.app_context():
            stmt = select(AuditEntry).order_by(AuditEntry.id)
            rows = [
                e for e in db.session.scalars(stmt) if e.entity == entity or (entity is None and e.entity != "session")
            ]
            for row in rows:
                db.session.expunge(row)
            return rows


def field_error(html: str, field_id: str) -> str:
    """The message shown next to a field (`<p class="field__error" id="e-f-code">`), or ""."""
    match = re.search(rf'<p class="field__error" id="e-{re.escape(field_id)}">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""
