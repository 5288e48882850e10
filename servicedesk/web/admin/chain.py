"""The audit trail's proof, read-only: is the chain whole, do the sealed days match their events?"""

from __future__ import annotations

from flask import render_template

from ...extensions import db
from ...persistence.repository import Repository
from ...services import audit_chain
from ..context import now
from .base import audit_readable, bp


@bp.get("/audit/verify")
@audit_readable
def audit_verify():
    verdict = audit_chain.verify(db.session)
    office = Repository(db.session).office()
    digest = audit_chain.digest(db.session, office_name=office.name, now=now())
    return render_template("admin/audit_verify.html", verdict=verdict, digest=digest)
