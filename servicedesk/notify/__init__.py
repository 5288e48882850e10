"""Notifications beside the requests: the providers, the outbox worker, the install's VAPID keys.

init_app(app) puts the outbox hook (services/notify.py) where every unit of work of the app finds it
and adds `flask notify work` / `flask notify vapid`. Settings come from the app's config or, failing
that, the environment (NOTIFY_*: see docs/notifications.md); without any, every channel is log-only.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app, has_request_context
from flask.cli import with_appcontext

SETTINGS = (
    "NOTIFY_WHATSAPP_URL", "NOTIFY_WHATSAPP_PHONE_ID", "NOTIFY_WHATSAPP_TOKEN", "NOTIFY_WHATSAPP_DEDUPES",
    "NOTIFY_SMS_URL", "NOTIFY_SMS_BODY", "NOTIFY_SMS_CONTENT_TYPE", "NOTIFY_SMS_TOKEN", "NOTIFY_SMS_DEDUPES",
    "NOTIFY_SMTP_HOST", "NOTIFY_SMTP_PORT", "NOTIFY_SMTP_FROM", "NOTIFY_SMTP_USER", "NOTIFY_SMTP_PASSWORD",
    "NOTIFY_SMTP_STARTTLS", "NOTIFY_WEBPUSH", "NOTIFY_VAPID_SUBJECT", "VAPID_PRIVATE_KEY_PATH",
    "NOTIFY_LEASE_SECONDS", "NOTIFY_BASE_DELAY", "NOTIFY_MAX_ATTEMPTS", "NOTIFY_CONCURRENCY", "NOTIFY_IDLE_SECONDS",
    "NOTIFY_BATCH", "NOTIFY_REPLY_TOKEN", "NOTIFY_WHATSAPP_VERIFY_TOKEN", "NOTIFY_WHATSAPP_APP_SECRET",
)  # fmt: skip


def settings(app: Flask) -> dict:
    return {name: app.config.get(name, os.environ.get(name)) for name in SETTINGS}


def init_app(app: Flask) -> None:
    from ..services.notify import Outbox

    def phone_link(token: str) -> str:
        path = f"/t/{token}"
        if has_request_context():
            from ..web.links import public_url_for

            return public_url_for("visitor.page", token=token)
        return (current_app.config.get("PUBLIC_URL") or "") + path

    def booking_channel():
        from ..domain.notify import Channel

        config = settings(current_app)
        if config["NOTIFY_WHATSAPP_URL"]:
            return Channel.WHATSAPP
        return Channel.SMS if config["NOTIFY_SMS_URL"] else Channel.LOG

    app.extensions["servicedesk.outbox"] = Outbox(phone_link, booking_channel=booking_channel)
    app.cli.add_command(notify_cli)


@click.group("notify", help="Notifications: the outbox worker, the Web Push keys, UU PDP retention.")
def notify_cli() -> None:
    pass


@notify_cli.command("work")
@click.option("--once", is_flag=True, help="One round, then exit (for cron or a test).")
def work(once: bool) -> None:
    """Deliver the outbox until SIGTERM (deploy/servicedesk-notify.service runs this)."""
    import signal
    import threading

    from ..extensions import db
    from .providers import from_config
    from .worker import Worker, WorkerSettings

    config = settings(current_app)
    numbers = {
        "lease_seconds": ("NOTIFY_LEASE_SECONDS", float),
        "base_delay": ("NOTIFY_BASE_DELAY", float),
        "max_attempts": ("NOTIFY_MAX_ATTEMPTS", int),
        "concurrency": ("NOTIFY_CONCURRENCY", int),
        "idle_seconds": ("NOTIFY_IDLE_SECONDS", float),
        "batch": ("NOTIFY_BATCH", int),
    }
    chosen = {field: kind(config[name]) for field, (name, kind) in numbers.items() if config.get(name)}
    if not config.get("VAPID_PRIVATE_KEY_PATH"):
        config["VAPID_PRIVATE_KEY_PATH"] = str(vapid_key_path(Path(current_app.instance_path)))
    clock = lambda: current_app.config["CLOCK"]()  # noqa: E731
    worker = Worker(lambda: db.session, from_config(config), clock, WorkerSettings(**chosen))
    if once:
        click.echo(f"{worker.run_once()} message(s) handled")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    click.echo("notify worker: delivering the outbox", err=True)
    worker.run(stop)


@notify_cli.command("redact")
@with_appcontext
def redact() -> None:
    """Erase the visitors' addresses and message contents past the office's retention (UU PDP)."""
    from ..services.notify import redact_expired
    from ..web.context import unit_of_work

    contacts, messages = redact_expired(unit_of_work())
    click.echo(f"{contacts} contact(s) and {messages} message(s) redacted.")


@notify_cli.command("vapid")
def vapid() -> None:
    """Create the install's VAPID key pair (once) and print the public key the phone page subscribes with."""
    path = vapid_key_path(Path(current_app.instance_path))
    click.echo(vapid_public_key(path))


def vapid_key_path(instance: Path) -> Path:
    """instance/vapid_private.pem, created on first use like the development secret key (owner-only)."""
    path = instance / "vapid_private.pem"
    if not path.exists():
        from py_vapid import Vapid

        instance.mkdir(parents=True, exist_ok=True)
        key = Vapid()
        key.generate_keys()
        key.save_key(str(path))
        os.chmod(path, 0o600)
    return path


def vapid_public_key(path: Path) -> str:
    """The application server key for PushManager.subscribe(): the raw P-256 point, base64url."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid

    raw = Vapid.from_file(str(path)).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
