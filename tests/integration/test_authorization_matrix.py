"""Who may call what: every route of the app, every kind of caller, the expected answer.

The MATRIX below is the authorization policy written down: for each route rule and method, the
actors allowed through. Everyone else must be turned away (401/403, or a redirect to the login
form for pages). "Allowed" means the request got past authorization: a 2xx/3xx answer, or a
refusal that only a caller already let in can get (400/422 bad input, 404 unknown row, 409 a rule
of the queue). No actor ever gets a 5xx.

Each route runs on a fresh scene (the demo office on both databases), with the actors that must be
refused asked first, so a hole cannot hide behind a state change made by an allowed actor.

Issuing is checked with the office's "kiosk only" setting on (require_device_token), the way an
office that registered its kiosks runs. CSRF is switched off in this test (WTF_CSRF_ENABLED=False):
it is tested on its own, and here an empty form must still be refused by role, not by a token.

A route added to the app without an entry here fails test_every_route_has_an_entry.

Sessions are part of the matrix: after the fresh round, every staff actor's old cookie is tried on
every staff route again once it was logged out, once the password was changed, once the account
was deactivated and once it was reactivated. Each of these must turn the old cookie away (the
route then answers as it answers an anonymous caller).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from servicedesk.domain.model import Agency, Counter, Holiday, Role, Service, User
from servicedesk.extensions import db, socketio
from servicedesk.services import admin, devices, tickets
from servicedesk.services.exports import TABLES
from servicedesk.web.context import unit_of_work
from tests.builders import FAST_HASH, Auth

# --- the actors ---

ANONYMOUS = "anonymous"
KIOSK = "kiosk"  # a registered kiosk's device token in X-Device-Token
DISPLAY = "display"  # a registered display's device token in X-Device-Token
OTHER_COUNTER = "officer of another counter"  # budi, at counter 2, on tickets at siti's counter 1
NO_COMPETENCE = "officer without the competence"  # dewi (B, D, E), at counter 4, on an A ticket
OWN_COUNTER = "officer at the right counter"  # siti (A, B), at counter 1
SUPERVISOR = "supervisor"
ADMIN = "admin"
AUDITOR = "auditor"  # the site's auditor (issue 26): reads reports, SKM, exports and the audit log only

ACTORS = (ANONYMOUS, KIOSK, DISPLAY, OTHER_COUNTER, NO_COMPETENCE, OWN_COUNTER, SUPERVISOR, ADMIN, AUDITOR)
LOGINS = {
    OTHER_COUNTER: "budi",
    NO_COMPETENCE: "dewi",
    OWN_COUNTER: "siti",
    SUPERVISOR: "supervisor",
    ADMIN: "admin",
    AUDITOR: "auditor",
}

EVERYONE = frozenset(ACTORS)
SIGNED_IN = frozenset(LOGINS)
# Staff who work the desk: everyone who logs in but the auditor, who never acts.
STAFF = SIGNED_IN - {AUDITOR}
SUPERVISORS = frozenset({SUPERVISOR, ADMIN})
# Reports, exports, SKM pages and the audit log: read by supervisors, admins and the auditor.
READERS = SUPERVISORS | {AUDITOR}
ADMINS = frozenset({ADMIN})
KIOSKS = frozenset({KIOSK})
# Acting on a ticket at a counter: the officer who opened it, or a supervisor anywhere.
AT_THE_COUNTER = frozenset({OWN_COUNTER, SUPERVISOR, ADMIN})
ONLY_THE_OFFICER = frozenset({OWN_COUNTER})

SURVEY = {"answers": {f"u{i}": 4 for i in range(1, 10)}, "comment": "ok"}


@dataclass(frozen=True)
class Entry:
    allowed: frozenset[str]
    path: str | None = None  # the rule with its parameters filled from the scene; None: the rule itself
    body: dict | None = None  # JSON for the API, form fields for pages


# Files anyone may fetch, kept out of the matrix on purpose: they carry no data of the office.
PUBLIC_FILES = {
    ("/static/<path:filename>", "GET"): "/static/base.css",
    ("/kiosk/static/<path:filename>", "GET"): "/kiosk/static/kiosk.js",
    ("/display/static/<path:filename>", "GET"): "/display/static/display.js",
    ("/vendor/<name>", "GET"): "/vendor/socket.io.esm.min.js",
    ("/favicon.ico", "GET"): "/favicon.ico",
}

MATRIX: dict[tuple[str, str], Entry] = {
    # --- open to everyone: the floor, the kiosk screen, the visitor's link, probes ---
    ("/", "GET"): Entry(EVERYONE),
    ("/healthz", "GET"): Entry(EVERYONE),
    ("/readyz", "GET"): Entry(EVERYONE),
    ("/metrics", "GET"): Entry(EVERYONE),  # queue counts per service code, no names; see docs/security.md
    ("/login", "GET"): Entry(EVERYONE),
    ("/login", "POST"): Entry(EVERYONE, body={}),
    ("/logout", "POST"): Entry(EVERYONE),
    ("/display/", "GET"): Entry(EVERYONE),
    ("/display/announcement", "GET"): Entry(EVERYONE, "/display/announcement?number=A001&counter=1"),
    ("/display/clips/<path:name>", "GET"): Entry(EVERYONE, "/display/clips/id/nomor.wav"),
    ("/display/logo", "GET"): Entry(EVERYONE),
    ("/admin/logo", "GET"): Entry(EVERYONE),  # the office logo, shown on kiosks, displays and slips
    ("/display/info", "GET"): Entry(EVERYONE),  # maklumat, standards, announcements, IKM, quota left
    ("/display/announcements/<name>", "GET"): Entry(EVERYONE, "/display/announcements/0123456789abcdef01234567.png"),
    ("/kiosk/", "GET"): Entry(EVERYONE),
    ("/kiosk/guidance/<step>", "GET"): Entry(EVERYONE, "/kiosk/guidance/start"),  # the accessible mode's voice
    ("/kiosk/tickets/<string:token>/slip", "GET"): Entry(EVERYONE, "/kiosk/tickets/{waiting_token}/slip"),
    ("/kiosk/tickets/<string:token>/qr.svg", "GET"): Entry(EVERYONE, "/kiosk/tickets/{waiting_token}/qr.svg"),
    # --- a registered kiosk asks how it prints, and prints a slip again on its ESC/POS printer ---
    ("/kiosk/device", "GET"): Entry(KIOSKS),
    ("/kiosk/tickets/<string:token>/print", "POST"): Entry(KIOSKS, "/kiosk/tickets/{waiting_token}/print"),
    ("/t/<string:token>", "GET"): Entry(EVERYONE, "/t/{waiting_token}"),
    ("/t/chime.wav", "GET"): Entry(EVERYONE),
    ("/t/push-sw.js", "GET"): Entry(EVERYONE),
    # --- the public API: reading the office, and what a ticket's holder may do with its token ---
    ("/api/v1/office", "GET"): Entry(EVERYONE),
    ("/api/v1/services", "GET"): Entry(EVERYONE),
    ("/api/v1/services/<int:service_id>", "GET"): Entry(EVERYONE, "/api/v1/services/{service_a}"),
    ("/api/v1/openapi.json", "GET"): Entry(EVERYONE),
    ("/api/v1/tickets", "POST"): Entry(KIOSKS, body={"service_id": "{service_a}"}),
    ("/api/v1/journeys", "POST"): Entry(KIOSKS, body={"service_ids": ["{service_a}", "{service_b}"]}),
    # A journey's token is its key, like a ticket's: anyone holding it reads it (an unknown one: 404).
    ("/api/v1/journeys/<string:token>", "GET"): Entry(EVERYONE, "/api/v1/journeys/no-such-journey-token"),
    ("/api/v1/tickets/<string:token>", "GET"): Entry(EVERYONE, "/api/v1/tickets/{waiting_token}"),
    ("/api/v1/tickets/<string:token>/withdraw", "POST"): Entry(EVERYONE, "/api/v1/tickets/{waiting_token}/withdraw"),
    ("/api/v1/tickets/<string:token>/notifications", "POST"): Entry(
        EVERYONE,
        "/api/v1/tickets/{waiting_token}/notifications",
        {"channel": "sms", "address": "081234567890", "consent": True},
    ),
    ("/api/v1/tickets/<string:token>/notifications/withdraw", "POST"): Entry(
        EVERYONE, "/api/v1/tickets/{waiting_token}/notifications/withdraw", {}
    ),
    ("/api/v1/notifications/push-key", "GET"): Entry(EVERYONE),
    # Replies come from the SMS/WhatsApp gateway with its own token, never from a browser or a login.
    ("/api/v1/notifications/replies", "POST"): Entry(frozenset(), body={"from": "081234567890", "text": "POSISI"}),
    # WhatsApp Cloud API's verification echoes the challenge only for the configured verify token.
    ("/api/v1/notifications/replies", "GET"): Entry(
        frozenset(), "/api/v1/notifications/replies?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42"
    ),
    ("/api/v1/tickets/<string:token>/survey", "GET"): Entry(EVERYONE, "/api/v1/tickets/{done_token}/survey"),
    ("/api/v1/tickets/<string:token>/survey", "POST"): Entry(EVERYONE, "/api/v1/tickets/{done_token}/survey", SURVEY),
    ("/api/v1/auth/login", "POST"): Entry(EVERYONE, body={}),
    ("/api/v1/auth/logout", "POST"): Entry(EVERYONE),
    ("/api/v1/auth/me", "GET"): Entry(SIGNED_IN),
    # --- the desk API ---
    ("/api/v1/queue", "GET"): Entry(STAFF),
    ("/api/v1/counters", "GET"): Entry(STAFF),
    ("/api/v1/figures/me", "GET"): Entry(STAFF),
    ("/api/v1/no-shows", "GET"): Entry(STAFF),
    ("/api/v1/cancel-reasons", "GET"): Entry(STAFF),
    ("/api/v1/figures", "GET"): Entry(SUPERVISORS),
    ("/api/v1/alerts", "GET"): Entry(SUPERVISORS),
    # Any staff member may sit at a counter; one already opened by someone else answers 409
    # counter_taken (a rule of the queue, not a role check), so the others count as "let in" here.
    ("/api/v1/counters/<int:counter_id>/open", "POST"): Entry(STAFF, "/api/v1/counters/{counter_1}/open"),
    ("/api/v1/counters/<int:counter_id>/break", "POST"): Entry(ONLY_THE_OFFICER, "/api/v1/counters/{counter_1}/break"),
    ("/api/v1/counters/<int:counter_id>/close", "POST"): Entry(AT_THE_COUNTER, "/api/v1/counters/{counter_1}/close"),
    ("/api/v1/counters/<int:counter_id>/call-next", "POST"): Entry(
        ONLY_THE_OFFICER, "/api/v1/counters/{counter_1}/call-next"
    ),
    ("/api/v1/counters/<int:counter_id>/call", "POST"): Entry(
        ONLY_THE_OFFICER, "/api/v1/counters/{counter_1}/call", {"ticket_id": "{waiting}", "reason": "elderly"}
    ),
    ("/api/v1/tickets/<int:ticket_id>/recall", "POST"): Entry(AT_THE_COUNTER, "/api/v1/tickets/{called}/recall", {}),
    ("/api/v1/tickets/<int:ticket_id>/start", "POST"): Entry(AT_THE_COUNTER, "/api/v1/tickets/{called}/start", {}),
    ("/api/v1/tickets/<int:ticket_id>/finish", "POST"): Entry(AT_THE_COUNTER, "/api/v1/tickets/{called}/finish", {}),
    ("/api/v1/tickets/<int:ticket_id>/no-show", "POST"): Entry(AT_THE_COUNTER, "/api/v1/tickets/{called}/no-show", {}),
    ("/api/v1/tickets/<int:ticket_id>/hold", "POST"): Entry(AT_THE_COUNTER, "/api/v1/tickets/{called}/hold", {}),
    ("/api/v1/tickets/<int:ticket_id>/transfer", "POST"): Entry(
        AT_THE_COUNTER, "/api/v1/tickets/{called}/transfer", {"to_service_id": "{service_b}"}
    ),
    ("/api/v1/tickets/<int:ticket_id>/cancel", "POST"): Entry(
        AT_THE_COUNTER, "/api/v1/tickets/{called}/cancel", {"reason": "Salah memilih layanan"}
    ),
    # A held ticket comes back at a counter the caller has open: supervisors have none open here.
    ("/api/v1/tickets/<int:ticket_id>/resume", "POST"): Entry(ONLY_THE_OFFICER, "/api/v1/tickets/{held}/resume", {}),
    # A late no-show is put back by any officer who serves its service, at whatever counter.
    ("/api/v1/tickets/<int:ticket_id>/requeue", "POST"): Entry(
        AT_THE_COUNTER | {OTHER_COUNTER}, "/api/v1/tickets/{no_show}/requeue", {}
    ),
    ("/api/v1/tickets/<int:ticket_id>/reopen", "POST"): Entry(SUPERVISORS, "/api/v1/tickets/{no_show}/reopen"),
    # --- the staff pages ---
    ("/officer/", "GET"): Entry(STAFF),
    ("/officer/counter", "POST"): Entry(STAFF, body={"counter_id": "{counter_3}"}),
    ("/officer/counter/take-over", "POST"): Entry(STAFF, body={"counter_id": "{counter_3}"}),
    ("/supervisor/", "GET"): Entry(SUPERVISORS),
    ("/reports/", "GET"): Entry(READERS),
    ("/reports/export/<name>.<fmt>", "GET"): Entry(READERS, f"/reports/export/{TABLES[0]}.csv"),
    ("/reports/review", "GET"): Entry(READERS),  # the management-review pack
    ("/reports/review.pdf", "GET"): Entry(READERS),
    ("/ikm/", "GET"): Entry(EVERYONE),  # the published SKM results: figures only, no comments or names
    ("/ikm/report.pdf", "GET"): Entry(EVERYONE),
    ("/skm/paper", "GET"): Entry(READERS),
    ("/skm/paper", "POST"): Entry(SUPERVISORS, body={}),
    ("/skm/complaints", "GET"): Entry(READERS),
    ("/skm/complaints", "POST"): Entry(SUPERVISORS, body={}),
    ("/skm/follow-up", "GET"): Entry(READERS),
    ("/skm/follow-up", "POST"): Entry(SUPERVISORS, body={}),
    # --- administration: supervisors read, admins change ---
    ("/admin/", "GET"): Entry(SUPERVISORS),
    ("/admin/audit", "GET"): Entry(READERS),
    ("/admin/audit.csv", "GET"): Entry(READERS),
    ("/admin/audit/verify", "GET"): Entry(READERS),
    ("/admin/services", "GET"): Entry(SUPERVISORS),
    ("/admin/services/new", "GET"): Entry(SUPERVISORS),
    ("/admin/services/new", "POST"): Entry(ADMINS, body={}),
    ("/admin/services/<int:service_id>", "GET"): Entry(SUPERVISORS, "/admin/services/{service_a}"),
    ("/admin/services/<int:service_id>", "POST"): Entry(ADMINS, "/admin/services/{service_a}", {}),
    ("/admin/services/<int:service_id>/active", "POST"): Entry(ADMINS, "/admin/services/{service_e}/active"),
    ("/admin/services/<int:service_id>/move", "POST"): Entry(
        ADMINS, "/admin/services/{service_a}/move", {"direction": "down"}
    ),
    ("/admin/services/export.<fmt>", "GET"): Entry(SUPERVISORS, "/admin/services/export.csv"),
    ("/admin/services/import", "GET"): Entry(SUPERVISORS),
    ("/admin/services/import", "POST"): Entry(ADMINS, body={}),
    ("/admin/counters", "GET"): Entry(SUPERVISORS),
    ("/admin/counters/new", "GET"): Entry(SUPERVISORS),
    ("/admin/counters/new", "POST"): Entry(ADMINS, body={}),
    ("/admin/counters/<int:counter_id>", "GET"): Entry(SUPERVISORS, "/admin/counters/{counter_3}"),
    ("/admin/counters/<int:counter_id>", "POST"): Entry(ADMINS, "/admin/counters/{counter_3}", {}),
    ("/admin/users", "GET"): Entry(SUPERVISORS),
    ("/admin/users/new", "GET"): Entry(SUPERVISORS),
    ("/admin/users/new", "POST"): Entry(ADMINS, body={}),
    ("/admin/users/<int:user_id>", "GET"): Entry(SUPERVISORS, "/admin/users/{agus}"),
    ("/admin/users/<int:user_id>", "POST"): Entry(ADMINS, "/admin/users/{agus}", {}),
    ("/admin/users/<int:user_id>/active", "POST"): Entry(ADMINS, "/admin/users/{agus}/active"),
    ("/admin/users/<int:user_id>/password", "GET"): Entry(ADMINS, "/admin/users/{agus}/password"),
    ("/admin/users/<int:user_id>/password", "POST"): Entry(ADMINS, "/admin/users/{agus}/password", {}),
    ("/admin/devices", "GET"): Entry(SUPERVISORS),
    ("/admin/devices/new", "GET"): Entry(SUPERVISORS),
    ("/admin/devices/new", "POST"): Entry(ADMINS, body={}),
    ("/admin/devices/<int:device_id>", "GET"): Entry(SUPERVISORS, "/admin/devices/{kiosk_device}"),
    ("/admin/devices/<int:device_id>", "POST"): Entry(ADMINS, "/admin/devices/{kiosk_device}", {}),
    ("/admin/devices/<int:device_id>/rotate", "POST"): Entry(ADMINS, "/admin/devices/{display_device}/rotate"),
    ("/admin/announcements/", "GET"): Entry(SUPERVISORS),
    ("/admin/announcements/", "POST"): Entry(ADMINS, body={}),
    ("/admin/announcements/<int:announcement_id>", "GET"): Entry(SUPERVISORS, "/admin/announcements/999"),
    ("/admin/announcements/<int:announcement_id>", "POST"): Entry(ADMINS, "/admin/announcements/999", {}),
    ("/admin/announcements/<int:announcement_id>/delete", "POST"): Entry(ADMINS, "/admin/announcements/999/delete"),
    ("/admin/settings", "GET"): Entry(SUPERVISORS),
    ("/admin/settings", "POST"): Entry(ADMINS, body={}),
    ("/admin/priority-groups/", "GET"): Entry(SUPERVISORS),
    ("/admin/priority-groups/", "POST"): Entry(ADMINS, body={}),
    ("/admin/desk/", "GET"): Entry(SUPERVISORS),
    ("/admin/desk/", "POST"): Entry(ADMINS, body={}),
    ("/admin/settings/logo", "POST"): Entry(ADMINS, body={}),
    ("/admin/holidays", "POST"): Entry(ADMINS, body={}),
    # No holiday is seeded: the admin gets the 404 of an unknown row, everyone else the role refusal.
    ("/admin/holidays/<int:holiday_id>/delete", "POST"): Entry(ADMINS, "/admin/holidays/999999/delete"),
    ("/admin/holidays/import", "POST"): Entry(ADMINS, body={}),
    # Tenancy (issue 26): the site's agencies are the site administrator's alone.
    ("/admin/agencies", "GET"): Entry(ADMINS),
    ("/admin/agencies", "POST"): Entry(ADMINS, body={}),
    ("/admin/agencies/<int:agency_id>", "GET"): Entry(ADMINS, "/admin/agencies/{agency}"),
    ("/admin/agencies/<int:agency_id>", "POST"): Entry(ADMINS, "/admin/agencies/{agency}", {}),
    # Booking ahead (issue 24): the visitor's side needs no login; a check-in only at a kiosk or by staff.
    ("/booking", "GET"): Entry(EVERYONE),
    ("/booking", "POST"): Entry(EVERYONE, body={}),
    ("/booking/<token>", "GET"): Entry(EVERYONE, "/booking/unknown"),
    ("/booking/<token>/cancel", "POST"): Entry(EVERYONE, "/booking/unknown/cancel", {}),
    ("/booking/<token>/reschedule", "POST"): Entry(EVERYONE, "/booking/unknown/reschedule", {}),
    ("/booking/<token>/qr.svg", "GET"): Entry(EVERYONE, "/booking/unknown/qr.svg"),
    ("/booking/check-in", "GET"): Entry(EVERYONE),
    ("/booking/staff", "GET"): Entry(STAFF),
    ("/booking/staff", "POST"): Entry(STAFF, body={}),
    ("/booking/check-in", "POST"): Entry(STAFF | KIOSKS, body={"code": "ABCDEF"}),
    ("/api/v1/booking/services", "GET"): Entry(EVERYONE),
    ("/api/v1/booking/services/<int:service_id>/slots", "GET"): Entry(
        EVERYONE, "/api/v1/booking/services/{service_a}/slots?day=2026-11-03"
    ),
    ("/api/v1/bookings", "POST"): Entry(EVERYONE, body={}),
    ("/api/v1/bookings/<string:token>", "GET"): Entry(EVERYONE, "/api/v1/bookings/unknown"),
    ("/api/v1/bookings/<string:token>/cancel", "POST"): Entry(EVERYONE, "/api/v1/bookings/unknown/cancel"),
    ("/api/v1/bookings/<string:token>/reschedule", "POST"): Entry(EVERYONE, "/api/v1/bookings/unknown/reschedule", {}),
    ("/api/v1/bookings/check-in", "POST"): Entry(STAFF | KIOSKS, body={"code": "ABCDEF"}),
    ("/admin/booking/", "GET"): Entry(SUPERVISORS),
    ("/admin/booking/<int:service_id>", "GET"): Entry(SUPERVISORS, "/admin/booking/{service_a}"),
    ("/admin/booking/<int:service_id>", "POST"): Entry(ADMINS, "/admin/booking/{service_a}", {}),
    ("/admin/booking/retention", "POST"): Entry(ADMINS, body={}),
    ("/admin/booking/person/<action>", "POST"): Entry(ADMINS, "/admin/booking/person/erase", {}),
    ("/admin/notifications", "GET"): Entry(SUPERVISORS),
    ("/admin/notifications/webhooks", "POST"): Entry(ADMINS, body={}),
    ("/admin/notifications/webhooks/<int:subscription_id>/rotate", "POST"): Entry(
        ADMINS, "/admin/notifications/webhooks/999/rotate"
    ),
    ("/admin/notifications/webhooks/<int:subscription_id>/active", "POST"): Entry(
        ADMINS, "/admin/notifications/webhooks/999/active"
    ),
    ("/admin/notifications/messages/<int:message_id>/again", "POST"): Entry(
        ADMINS, "/admin/notifications/messages/999/again"
    ),
}


def app_routes(app) -> set[tuple[str, str]]:
    return {(rule.rule, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}}


# --- the scene: an office in the middle of a morning ---


def build_scene(app, office) -> dict:
    """siti at counter 1 has served one visitor, marked one absent, set one aside and called a
    fourth; another A visitor waits. budi sits at counter 2, dewi at counter 4."""
    app.config["WTF_CSRF_ENABLED"] = False
    office.configure(require_device_token=True)
    scene = {
        "service_a": office.service("A"),
        "service_b": office.service("B"),
        "service_e": office.service("E"),
        "counter_1": office.counter(1),
        "counter_3": office.counter(3),
        "agus": office.users["agus"],
        "agency": office.agency,
    }
    siti, counter_1 = office.users["siti"], office.counter(1)
    with app.app_context():
        for username, number in (("siti", 1), ("budi", 2), ("dewi", 4)):
            tickets.open_counter(unit_of_work(), counter_id=office.counter(number), user_id=office.users[username])
        issued = [tickets.issue_ticket(unit_of_work(), service_id=scene["service_a"]).ticket for _ in range(5)]
        ids = [t.id for t in issued]
        scene["waiting_token"] = issued[4].token
        scene["done_token"] = issued[0].token

        def call():
            return tickets.call_next(unit_of_work(), counter_id=counter_1, user_id=siti).id

        done = call()
        tickets.start(unit_of_work(), ticket_id=done, user_id=siti)
        tickets.finish(unit_of_work(), ticket_id=done, user_id=siti)
        scene["no_show"] = call()
        tickets.no_show(unit_of_work(), ticket_id=scene["no_show"], user_id=siti)
        scene["held"] = call()
        tickets.hold(unit_of_work(), ticket_id=scene["held"], user_id=siti)
        scene["called"] = call()
        scene["waiting"] = ids[4]
        assert [done, scene["no_show"], scene["held"], scene["called"]] == ids[:4]
        # A second admin, so that the admin of the matrix can be deactivated in the session round. It
        # never logs in: stored with the tests' cheap hash, not hashed with scrypt for every route.
        uow = unit_of_work()
        uow.repo.add(User("admin2", "Admin Cadangan", Role.ADMIN, FAST_HASH))
        uow.repo.add(User("auditor", "Inspektorat", Role.AUDITOR, FAST_HASH))  # the site's auditor
        uow.commit()
        scene["users"] = dict(office.users) | {"auditor": db.session.query(User).filter_by(username="auditor").one().id}
        kiosk, scene["kiosk_token"] = devices.register_device(unit_of_work(), kind="kiosk", name="Kiosk 1")
        display, scene["display_token"] = devices.register_device(unit_of_work(), kind="display", name="TV 1")
        scene["kiosk_device"], scene["display_device"] = kiosk.id, display.id
    return scene


class Caller:
    """One actor with a client of its own: a staff session cookie, or a device token header."""

    def __init__(self, app, actor: str, scene: dict):
        self.client = app.test_client()
        self.headers = {}
        if actor in LOGINS:
            Auth(self.client).login(LOGINS[actor])
        elif actor == KIOSK:
            self.headers["X-Device-Token"] = scene["kiosk_token"]
        elif actor == DISPLAY:
            self.headers["X-Device-Token"] = scene["display_token"]

    def send(self, method: str, path: str, body: dict | None):
        if body is None:
            return self.client.open(path, method=method, headers=self.headers)
        if path.startswith("/api/"):
            return self.client.open(path, method=method, headers=self.headers, json=body)
        return self.client.open(path, method=method, headers=self.headers, data=body)


def fill(value, scene: dict):
    """Put the scene's ids into a path or a body ("{called}" → 12); a whole "{x}" becomes the int."""
    if isinstance(value, dict):
        return {key: fill(item, scene) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, scene) for item in value]
    if isinstance(value, str) and "{" in value:
        if value.startswith("{") and value.endswith("}") and value[1:-1] in scene:
            return scene[value[1:-1]]
        return value.format(**scene)
    return value


def sent_to_login(response) -> bool:
    """A page's refusal of an anonymous caller: to the login form, with the way back."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    target = urlsplit(response.headers.get("Location", ""))
    return target.path == "/login" and "next" in parse_qs(target.query)


def verdict(response) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (401, 403) or sent_to_login(response):
        return "denied"
    if status < 400 or status in (400, 404, 409, 422):
        return "allowed"
    return "unexpected"


def test_every_route_has_an_entry(app):
    missing = app_routes(app) - set(MATRIX) - set(PUBLIC_FILES)
    stale = (set(MATRIX) | set(PUBLIC_FILES)) - app_routes(app)
    assert not missing, f"routes without an authorization entry: {sorted(missing)}"
    assert not stale, f"entries for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("rule, method", sorted(PUBLIC_FILES))
def test_public_files_are_served_to_everyone(app, office, rule, method):
    scene = build_scene(app, office)
    for actor in ACTORS:
        response = Caller(app, actor, scene).send(method, PUBLIC_FILES[(rule, method)], None)
        assert response.status_code == 200, (actor, response.status_code)
        response.close()


@pytest.mark.parametrize("rule, method", sorted(MATRIX), ids=[f"{m} {r}" for r, m in sorted(MATRIX)])
def test_each_actor_gets_the_expected_answer(app, office, rule, method):
    entry = MATRIX[(rule, method)]
    scene = build_scene(app, office)
    path = fill(entry.path or rule, scene)
    body = fill(entry.body, scene)
    # The refused go first, on the untouched scene; then the allowed, who may change it for each other.
    order = sorted(ACTORS, key=lambda actor: actor in entry.allowed)
    wrong = []
    for actor in order:
        response = Caller(app, actor, scene).send(method, path, body)
        expected = "allowed" if actor in entry.allowed else "denied"
        got = verdict(response)
        if got != expected:
            answer = response.get_data(as_text=True)[:200]
            wrong.append(f"{actor}: expected {expected}, got {response.status_code} {answer!r}")
        response.close()
    if entry.allowed != EVERYONE:  # a staff route: an ended session is turned away like nobody
        wrong += ended_sessions(app, scene, entry, method, path, body)
    assert not wrong, f"{method} {path}\n" + "\n".join(wrong)


# --- sessions: what an old cookie gets once its sessions ended ---

NEW_PASSWORD = "kata-sandi-baru-loket"


def _set_password_back(app, user_id: int) -> None:
    """Back to the demo password (below the policy: the test's own setup, not the app's)."""
    with app.app_context():
        db.session.get(User, user_id).password_hash = FAST_HASH
        db.session.commit()


def _end_sessions(app, user_id: int, how: str) -> None:
    with app.app_context():
        if how == "password changed":
            data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
            admin.reset_password(unit_of_work(), actor_id=None, user_id=user_id, data=data)
        elif how == "deactivated":
            admin.set_user_active(unit_of_work(), actor_id=None, user_id=user_id, active=False)
        elif how == "reactivated":
            admin.set_user_active(unit_of_work(), actor_id=None, user_id=user_id, active=True)
    if how == "password changed":
        _set_password_back(app, user_id)


def ended_sessions(app, scene: dict, entry: Entry, method: str, path: str, body) -> list[str]:
    """Each staff actor's old cookie after logout, password change, deactivation and reactivation."""
    expected = "allowed" if ANONYMOUS in entry.allowed else "denied"
    wrong = []
    for actor, username in LOGINS.items():
        user_id = scene["users"][username]
        for how in ("logged out", "password changed", "deactivated"):
            old = Caller(app, actor, scene)
            if how == "logged out":  # then the cookie from before the logout is sent again (a copy)
                copy = old.client.get_cookie("session").value
                old.client.post("/api/v1/auth/logout")
                old.client.set_cookie("session", copy)
            else:
                _end_sessions(app, user_id, how)
            attempts = [how] if how != "deactivated" else ["deactivated", "reactivated"]
            for state in attempts:
                if state == "reactivated":
                    _end_sessions(app, user_id, "reactivated")
                response = old.send(method, path, body)
                got = verdict(response)
                if got != expected:
                    wrong.append(f"{actor} {state}: expected {expected}, got {response.status_code}")
                response.close()
    return wrong


# --- tenancy (issue 26): a second agency in the same site never reaches the first one's rows ---

IMIGRASI_ADMIN = "imadmin"  # the administrator of the second agency
IMIGRASI_OFFICER = "rina"  # an officer of the second agency, competent for its service M, at counter 9


def build_second_agency(app, office, scene: dict) -> dict:
    """Next to the demo's agency (Dinas Pendidikan, services A-E, counters 1-4): the immigration
    office with service M, counter 9, its admin and its officer sitting at counter 9 with an M
    ticket called; the demo agency gets a kiosk and a holiday of its own."""
    with app.app_context():
        uow = unit_of_work()
        imigrasi = Agency("IMIGRASI", "Kantor Imigrasi", "Imigrasi")
        uow.repo.add(imigrasi)
        uow.session.flush()
        passport = Service("M", "Paspor Baru", agency_id=imigrasi.id, standard_minutes=20)
        uow.repo.add(passport)
        uow.session.flush()
        counter = Counter(9, "Loket Paspor", agency_id=imigrasi.id)
        uow.repo.add(counter)
        uow.session.flush()
        uow.repo.set_counter_services(counter, [passport.id])
        for username, role in ((IMIGRASI_ADMIN, Role.ADMIN), (IMIGRASI_OFFICER, Role.OFFICER)):
            user = User(username, username.title(), role, FAST_HASH)
            user.agency_id = imigrasi.id
            user.competences = [passport]
            uow.repo.add(user)
        uow.session.add(Holiday(date(2026, 12, 24), "Cuti Dinas Pendidikan", office.agency))
        uow.commit()
        ids = {"imigrasi": imigrasi.id, "service_m": passport.id, "counter_9": counter.id}
        rina = db.session.query(User).filter_by(username=IMIGRASI_OFFICER).one().id
        ids["holiday_disdik"] = db.session.query(Holiday).filter_by(name="Cuti Dinas Pendidikan").one().id
        uow = unit_of_work()
        kiosk, _ = admin.register_device(
            uow, actor_id=None, data={"kind": "kiosk", "name": "Kiosk Disdik", "agency_id": office.agency}
        )
        ids["device_disdik"] = kiosk.id
        tickets.open_counter(unit_of_work(), counter_id=counter.id, user_id=rina)
        tickets.issue_ticket(unit_of_work(), service_id=passport.id)
        ids["called_m"] = tickets.call_next(unit_of_work(), counter_id=counter.id, user_id=rina).id
    return scene | ids


#: What the second agency's admin may never open or change: the first agency's rows and the site's.
OTHER_AGENCY_PAGES = [
    ("GET", "/admin/services/{service_a}", None),
    ("POST", "/admin/services/{service_a}", {"code": "A", "name": "Diambil alih"}),
    ("POST", "/admin/services/{service_e}/active", {}),
    ("POST", "/admin/services/{service_a}/move", {"direction": "down"}),
    ("GET", "/admin/counters/{counter_1}", None),
    ("POST", "/admin/counters/{counter_3}", {"number": "3", "name": "Diambil alih"}),
    ("GET", "/admin/users/{agus}", None),
    ("POST", "/admin/users/{agus}", {"full_name": "Diambil alih", "role": "officer"}),
    ("POST", "/admin/users/{agus}/active", {}),
    ("GET", "/admin/users/{agus}/password", None),
    ("POST", "/admin/users/{agus}/password", {"password": "sandi-baru-12345", "password_confirm": "sandi-baru-12345"}),
    ("GET", "/admin/devices/{device_disdik}", None),
    ("POST", "/admin/devices/{device_disdik}", {"name": "Diambil alih"}),
    ("POST", "/admin/devices/{device_disdik}/rotate", {}),
    ("GET", "/admin/devices/{kiosk_device}", None),  # a hall device is the site's
    ("POST", "/admin/holidays/{holiday_disdik}/delete", {}),
    ("GET", "/admin/agencies", None),
    ("POST", "/admin/agencies", {"code": "BPJS", "name": "BPJS Kesehatan"}),
    ("GET", "/admin/agencies/{imigrasi}", None),
    ("POST", "/admin/settings", {"name": "Diambil alih"}),
    ("GET", "/admin/services/export.csv", None),
    ("GET", "/admin/audit", None),
    ("GET", "/admin/audit.csv", None),
    ("GET", "/admin/notifications", None),
    ("GET", "/admin/booking/", None),
]

#: What the second agency's officer may never do to the first agency's counters and tickets.
OTHER_AGENCY_API = [
    ("POST", "/api/v1/counters/{counter_3}/open", None),
    ("POST", "/api/v1/counters/{counter_1}/break", None),
    ("POST", "/api/v1/counters/{counter_1}/close", None),
    ("POST", "/api/v1/counters/{counter_1}/call-next", None),
    ("POST", "/api/v1/counters/{counter_9}/call", {"ticket_id": "{waiting}", "reason": "elderly"}),
    ("POST", "/api/v1/tickets/{called}/start", {}),
    ("POST", "/api/v1/tickets/{called}/done", {}),
    ("POST", "/api/v1/tickets/{called}/recall", {}),
    ("POST", "/api/v1/tickets/{called}/cancel", {"reason": "Salah memilih layanan"}),
    ("POST", "/api/v1/tickets/{no_show}/requeue", {}),
    ("POST", "/api/v1/tickets/{called_m}/transfer", {"to_service_id": "{service_a}"}),
]

#: Names of the first agency's rows that must never appear in an answer to the second agency.
DISDIK_SECRETS = ("Siti Rahmawati", "agus", "Kiosk Disdik", "Cuti Dinas Pendidikan", "Loket 1")


def _login_other(app, username: str):
    client = app.test_client()
    Auth(client).login(username)
    return client


@pytest.mark.parametrize("method, path, body", OTHER_AGENCY_PAGES, ids=[f"{m} {p}" for m, p, _ in OTHER_AGENCY_PAGES])
def test_an_agency_admin_gets_a_refusal_never_data_on_another_agency_s_rows(app, office, method, path, body):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _login_other(app, IMIGRASI_ADMIN)
    response = client.open(fill(path, scene), method=method, data=fill(body, scene))
    text = response.get_data(as_text=True)
    assert response.status_code in (403, 404), (response.status_code, text[:300])
    assert not [secret for secret in DISDIK_SECRETS if secret in text]


def test_an_agency_admin_s_lists_hold_only_their_agency_s_rows(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _login_other(app, IMIGRASI_ADMIN)
    for page in ("/admin/", "/admin/services", "/admin/counters", "/admin/users", "/admin/devices", "/admin/settings"):
        response = client.get(page)
        text = response.get_data(as_text=True)
        assert response.status_code == 200, page
        assert not [secret for secret in DISDIK_SECRETS if secret in text], page
    assert "Paspor Baru" in client.get("/admin/services").get_data(as_text=True)
    assert "Loket Paspor" in client.get("/admin/counters").get_data(as_text=True)
    assert scene["imigrasi"]


def test_an_agency_admin_s_new_rows_are_their_agency_s_and_use_only_its_services(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _login_other(app, IMIGRASI_ADMIN)
    # Service A is not this agency's: its order is not read (the form lists only the agency's services).
    form = {"number": "10", f"order_{scene['service_a']}": "1", f"order_{scene['service_m']}": "2"}
    assert client.post("/admin/counters/new", data=form).status_code == 303
    with app.app_context():
        counter = db.session.query(Counter).filter_by(number=10).one()
        assert (counter.agency_id, [s.id for s in counter.services]) == (scene["imigrasi"], [scene["service_m"]])


@pytest.mark.parametrize("method, path, body", OTHER_AGENCY_API, ids=[f"{m} {p}" for m, p, _ in OTHER_AGENCY_API])
def test_an_agency_officer_gets_a_refusal_never_data_on_another_agency_s_counters_and_tickets(
    app, office, method, path, body
):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _login_other(app, IMIGRASI_OFFICER)
    response = client.open(fill(path, scene), method=method, json=fill(body, scene))
    assert response.status_code in (403, 404), (response.status_code, response.get_data(as_text=True)[:300])
    assert "error" in response.json and "number" not in response.json


def test_an_agency_officer_s_counters_and_queue_hold_only_their_agency(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _login_other(app, IMIGRASI_OFFICER)
    counters = client.get("/api/v1/counters").json
    assert [c["id"] for c in counters] == [scene["counter_9"]]
    queue = client.get("/api/v1/queue").json
    assert {q["service_id"] for q in queue["queues"]} == {scene["service_m"]}
    assert {c["id"] for c in queue["counters"]} == {scene["counter_9"]}
    assert {t["id"] for t in queue["tickets"]} == {scene["called_m"]}
    page = client.get("/officer/").get_data(as_text=True)
    assert not [secret for secret in DISDIK_SECRETS if secret in page]


def test_the_site_administrator_still_reaches_every_agency(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _login_other(app, "admin")
    assert client.get(f"/admin/services/{scene['service_m']}").status_code == 200
    assert client.get(f"/admin/services/{scene['service_a']}").status_code == 200
    assert "Kantor Imigrasi" in client.get("/admin/agencies").get_data(as_text=True)
    assert {c["id"] for c in client.get("/api/v1/counters").json} >= {scene["counter_1"], scene["counter_9"]}


def test_an_agency_s_staff_read_only_their_agency_s_reports_and_floor(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _login_other(app, IMIGRASI_ADMIN)
    for page in ("/reports/", "/supervisor/", f"/reports/?service={scene['service_a']}"):
        response = client.get(page)
        text = response.get_data(as_text=True)
        assert response.status_code == 200, page
        leaked = [name for name in (*DISDIK_SECRETS, "Legalisir Ijazah", "Mutasi Siswa") if name in text]
        assert not leaked, (page, leaked)
    assert "Paspor Baru" in client.get("/reports/").get_data(as_text=True)
    site = _login_other(app, "admin")
    assert "Legalisir Ijazah" in site.get("/reports/").get_data(as_text=True)  # the site reads every agency's


def test_a_site_administrator_s_new_counter_and_officer_join_the_only_agency_of_a_single_office(app, office):
    scene = build_scene(app, office)
    client = _login_other(app, "admin")
    form = {"number": "7", f"order_{scene['service_a']}": "1"}
    assert client.post("/admin/counters/new", data=form).status_code == 303
    with app.app_context():
        counter = db.session.query(Counter).filter_by(number=7).one()
        assert counter.agency_id == office.agency
    agus = _login_other(app, "agus")  # an officer of that agency, not at a counter yet
    assert agus.post(f"/api/v1/counters/{counter.id}/open").status_code == 200


def test_an_agency_s_staff_socket_carries_only_their_agency_s_tickets_and_counters(app, office):
    """The live room is scoped like the pages: the immigration officer's console never hears of a
    Dinas Pendidikan ticket, the Disdik officer never of a passport ticket; the site hears both."""
    scene = build_second_agency(app, office, build_scene(app, office))
    sockets = {}
    for username in (IMIGRASI_OFFICER, "budi", "supervisor"):
        sockets[username] = socketio.test_client(app, flask_test_client=_login_other(app, username))
        assert sockets[username].is_connected(), username
        sockets[username].get_received()
    with app.app_context():
        a_ticket = tickets.issue_ticket(unit_of_work(), service_id=scene["service_a"]).ticket.number
        m_ticket = tickets.issue_ticket(unit_of_work(), service_id=scene["service_m"]).ticket.number
        tickets.call_next(unit_of_work(), counter_id=office.counter(2), user_id=office.users["budi"])

    def heard(username) -> str:
        return json.dumps([e["args"] for e in sockets[username].get_received()])

    imigrasi, disdik, site = heard(IMIGRASI_OFFICER), heard("budi"), heard("supervisor")
    assert m_ticket in imigrasi and a_ticket not in imigrasi and "Legalisir Ijazah" not in imigrasi
    assert '"number": 2' not in imigrasi  # counter 2's change is Disdik's
    assert a_ticket in disdik and m_ticket not in disdik and "Paspor Baru" not in disdik
    assert a_ticket in site and m_ticket in site


def test_an_agency_s_holiday_closes_its_own_services_only_and_a_site_holiday_closes_the_hall(app, office, clock):
    scene = build_second_agency(app, office, build_scene(app, office))  # Disdik is off on 24 December
    clock.set(datetime(2026, 12, 24, 2, 0, tzinfo=UTC))  # 09:00 in Jakarta, a Thursday
    kiosk = app.test_client()
    kiosk.environ_base["HTTP_X_DEVICE_TOKEN"] = scene["kiosk_token"]
    refusals = {s["id"]: (s.get("refusal") or {}).get("code") for s in kiosk.get("/api/v1/services").json}
    assert refusals[scene["service_a"]] == "holiday" and refusals[scene["service_m"]] is None
    assert kiosk.post("/api/v1/tickets", json={"service_id": scene["service_a"]}).json["error"]["code"] == "holiday"
    assert kiosk.post("/api/v1/tickets", json={"service_id": scene["service_m"]}).status_code == 201

    with app.app_context():
        db.session.add(Holiday(date(2026, 12, 25), "Hari Raya Natal"))  # the site's: no agency
        db.session.commit()
    app.extensions["servicedesk.settings"].clear()
    clock.set(datetime(2026, 12, 25, 2, 0, tzinfo=UTC))
    refusals = {s["id"]: (s.get("refusal") or {}).get("code") for s in kiosk.get("/api/v1/services").json}
    assert refusals[scene["service_a"]] == refusals[scene["service_m"]] == "holiday"


def test_each_agency_numbers_its_own_counters_and_closes_on_its_own_days(app, office):
    """Disdik has Loket 1 and a holiday on 24 December; immigration may have both too (migration 0018),
    but not twice within itself; the building's holiday list (a site form) keeps the hall's days apart."""
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _login_other(app, IMIGRASI_ADMIN)
    form = {"number": "1", "name": "Loket 1 Paspor", f"order_{scene['service_m']}": "1"}
    assert client.post("/admin/counters/new", data=form).status_code == 303
    again = client.post("/admin/counters/new", data=form | {"name": "Loket 1 lagi"})
    assert again.status_code == 400 and "Loket 1 lagi" not in {c.name for c in _counters(app)}
    assert client.post("/admin/holidays", data={"day": "2026-12-24", "name": "Cuti Imigrasi"}).status_code == 303
    assert client.post("/admin/holidays", data={"day": "2026-12-24", "name": "Lagi"}).status_code == 400
    listed = "2026-12-25 Hari Raya Natal\n2026-12-24 Cuti Bersama Natal"
    assert _login_other(app, "admin").post("/admin/holidays/import", data={"list": listed}).status_code == 303
    with app.app_context():
        ones = {(c.agency_id, c.name) for c in db.session.query(Counter).filter_by(number=1)}
        holidays = {(h.day.isoformat(), h.name): h.agency_id for h in db.session.query(Holiday)}
    assert ones == {(office.agency, "Loket 1"), (scene["imigrasi"], "Loket 1 Paspor")}
    assert holidays == {
        ("2026-12-24", "Cuti Dinas Pendidikan"): office.agency,
        ("2026-12-24", "Cuti Imigrasi"): scene["imigrasi"],
        ("2026-12-24", "Cuti Bersama Natal"): None,  # the building's list: the hall's own days
        ("2026-12-25", "Hari Raya Natal"): None,
    }


def _counters(app) -> list[Counter]:
    with app.app_context():
        found = db.session.query(Counter).all()
        db.session.expunge_all()
    return found


def test_the_database_keeps_one_number_per_agency_and_one_for_the_hall(app, office):
    from sqlalchemy.exc import IntegrityError

    scene = build_second_agency(app, office, build_scene(app, office))
    with app.app_context():
        db.session.add(Counter(9, "Loket 9 Disdik", agency_id=office.agency))  # immigration's 9 is another
        db.session.add(Counter(20, "Informasi", agency_id=None))  # the hall's own desk
        db.session.commit()
        for twin in (Counter(20, "Informasi 2", agency_id=None), Counter(9, "Paspor 2", agency_id=scene["imigrasi"])):
            db.session.add(twin)
            with pytest.raises(IntegrityError):
                db.session.commit()
            db.session.rollback()
        db.session.add(Holiday(date(2026, 12, 25), "Natal"))
        db.session.commit()
        db.session.add(Holiday(date(2026, 12, 25), "Natal lagi"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_an_agency_auditor_reads_only_their_agency_s_reports_and_changes_nothing(app, office):
    """The immigration office's auditor reads its report figures and exports, never Disdik's, and
    is refused every form, the desk, the floor and the site's audit log (a site page)."""
    scene = build_second_agency(app, office, build_scene(app, office))
    with app.app_context():
        auditor = User("imaudit", "Inspektorat Imigrasi", Role.AUDITOR, FAST_HASH)
        auditor.agency_id = scene["imigrasi"]
        db.session.add(auditor)
        db.session.commit()
    client = _login_other(app, "imaudit")
    disdik_names = (*DISDIK_SECRETS, "Legalisir Ijazah", "Mutasi Siswa")
    for page in ("/reports/", f"/reports/?service={scene['service_a']}", "/reports/export/services.csv", "/skm/paper"):
        response = client.get(page)
        text = response.get_data(as_text=True)
        assert response.status_code == 200, page
        assert not [name for name in disdik_names if name in text], page
    assert "Paspor Baru" in client.get("/reports/").get_data(as_text=True)
    refused = [
        ("GET", "/supervisor/", None),
        ("GET", "/officer/", None),
        ("GET", "/admin/services", None),
        ("POST", "/admin/services/new", {"code": "X", "name": "Diam-diam"}),
        ("POST", "/skm/paper", {}),
        ("GET", "/admin/audit", None),
        ("GET", "/admin/audit?source=events", None),
        ("GET", "/admin/audit.csv", None),
        ("GET", "/admin/audit/verify", None),
        ("POST", "/api/v1/counters/{counter_9}/open", None),
        ("GET", "/api/v1/queue", None),
    ]
    for method, path, body in refused:
        response = client.open(fill(path, scene), method=method, data=body)
        assert response.status_code == 403, (method, path, response.status_code)
        if path.startswith("/admin/audit"):  # the site's log: refused with the reason, in words
            assert "Jejak audit mencatat perubahan semua instansi" in response.get_data(as_text=True), path
    review = client.get("/reports/review").get_data(as_text=True)  # the agency's review pack: no site audit trail
    assert 'id="audit-table"' not in review and "auditor gedung" in review
    assert not socketio.test_client(app, flask_test_client=client).is_connected()  # no live queue either
    site = _login_other(app, "admin")
    assert "Legalisir Ijazah" in site.get("/reports/").get_data(as_text=True)
