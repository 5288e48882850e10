"""`flask …` commands for setting up and running an office from a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from .domain.catalogue import CatalogueInvalid
from .domain.model import Role
from .extensions import db


def _uow():
    from .web.context import unit_of_work

    return unit_of_work()


def _refusal(invalid) -> str:
    """A use case's coded field errors, in English, for the terminal."""
    return "; ".join(f"{field}: {error}" for field, error in invalid.errors.items())


def register(app: Flask) -> None:
    _office_commands(app)
    app.cli.add_command(_device_commands())
    app.cli.add_command(_voice_commands())
    app.cli.add_command(_audit_commands())
    app.cli.add_command(_report_commands())
    from .ops import backup

    backup.register(app)


def _office_commands(app: Flask) -> None:
    """Set-up and the day: demo data, the first admin, the catalogue in and out, closing the day."""

    @app.cli.command("seed-demo")
    @click.option("--always-open", is_flag=True, help="Open 24/7, so the demo issues tickets at any hour.")
    @click.option("--single-office", is_flag=True, help="Only the education office, without the immigration office.")
    def seed_demo(always_open: bool, single_office: bool) -> None:
        """Fill an empty database with a demo education office (services, counters, officers) and,
        beside it in the same hall, a small immigration office (unless --single-office)."""
        from .services import demo

        with _uow() as uow:
            created = demo.seed(uow, always_open=always_open, second_agency=not single_office)
        if created:
            people = demo.PEOPLE + ([] if single_office else demo.IMIGRASI_PEOPLE)
            click.echo(
                f"Demo office created. Logins: {', '.join(p[0] for p in people)} / password {demo.DEMO_PASSWORD}"
            )
        else:
            click.echo("Services exist already; demo data not added.")

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.option("--full-name", default="Administrator")
    @click.option("--agency", default="", help="An agency's code: the admin manages that agency only.")
    @click.password_option()
    def create_admin(username: str, full_name: str, agency: str, password: str) -> None:
        """Create an admin account (recorded in the audit trail as done by the system): the site's,
        or with --agency one agency's."""
        from .services.admin import Invalid, create_user

        data = {
            "username": username,
            "full_name": full_name,
            "role": Role.ADMIN.value,
            "password": password,
            "password_confirm": password,
            "competences": [],
        }
        try:
            with _uow() as uow:
                if agency:
                    data |= {"agency_id": _agency_id(uow, agency), "agency_chosen": True}
                create_user(uow, actor_id=None, data=data)
        except Invalid as invalid:
            raise click.ClickException(_refusal(invalid)) from None
        click.echo(f"Admin {username} created.")

    @app.cli.command("import-services")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_services(path: str) -> None:
        """Import the service catalogue from YAML or CSV; nothing is imported if any row is wrong."""
        from .services.catalogue import format_of, import_catalogue

        text = Path(path).read_text(encoding="utf-8-sig")
        try:
            with _uow() as uow:
                changes = import_catalogue(uow, text, format_of(path))
        except CatalogueInvalid as invalid:
            for error in invalid.errors:
                click.echo(f"{path}: {error}", err=True)
            raise click.ClickException(f"{len(invalid.errors)} error(s); nothing was imported.") from None
        for kind, codes in changes.items():
            click.echo(f"{kind}: {', '.join(codes) or '-'}")

    @app.cli.command("export-services")
    @click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default="yaml")
    @click.option("--output", type=click.Path(dir_okay=False), default=None)
    def export_services(fmt: str, output: str | None) -> None:
        """Write the service catalogue as YAML or CSV (the format import-services reads)."""
        from .services.catalogue import export_catalogue

        text = export_catalogue(db.session, fmt)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)

    @app.cli.command("close-day")
    @click.option(
        "--if-due",
        is_flag=True,
        help="Close today only once the office's close time has passed (the systemd timer's run); "
        "earlier days are always closed.",
    )
    def close_day(if_due: bool) -> None:
        """End the service day: tickets still open are cancelled as closed_at_day_end, counters closed."""
        from .services.tickets import close_day as close

        with _uow() as uow:
            closed = close(uow, if_due=if_due)
        click.echo(closed.report_line())


def _voice_commands() -> AppGroup:
    voice = AppGroup("voice", help="The waiting-room voice's recordings (servicedesk/ops/announce.py).")

    @voice.command("agencies")
    def voice_agencies() -> None:
        """Record every agency's name for the hall's voice ("... loket dua Imigrasi"), as setting one up does."""
        from .persistence import setup
        from .web.voice import record_agency_voices

        with _uow() as uow:
            found = [(a.code, a.short_name) for a in setup.agencies(uow.session)]
        recorded = record_agency_voices(found)
        click.echo(f"voice: {len(recorded)} agency clips recorded for {len(found)} agencies")

    return voice


def _device_commands() -> AppGroup:
    devices = AppGroup("devices", help="Registered kiosks and displays.")

    @devices.command("add")
    @click.argument("kind", type=click.Choice(["kiosk", "display"]))
    @click.argument("name")
    @click.option("--area", default="", help="A display's area or floor.")
    @click.option("--services", default="", help="Comma-separated service codes a display announces.")
    @click.option("--agency", default="", help="An agency's code: its own device (else the hall's).")
    def add_device(kind: str, name: str, area: str, services: str, agency: str) -> None:
        """Register a device and print its token (shown once)."""
        from .services.admin import Invalid
        from .services.devices import register_device

        with _uow() as uow:
            ids = []
            for code in filter(None, (c.strip().upper() for c in services.split(","))):
                service = uow.repo.service_by_code(code)
                if service is None:
                    raise click.ClickException(f"No service with code {code}.")
                ids.append(service.id)
            try:
                agency_id = _agency_id(uow, agency) if agency else None
                device, token = register_device(
                    uow, kind=kind, name=name, area=area, service_ids=ids, agency_id=agency_id
                )
            except Invalid as invalid:
                raise click.ClickException(_refusal(invalid)) from None
        click.echo(f"{kind} {name} registered. Token (keep it, it is shown once): {token}")

    return devices


def _agency_id(uow, code: str) -> int:
    """The id of the agency with `code` (any case), or the command stops with a message."""
    from .persistence import setup

    agency = setup.agency_by_code(uow.session, code.strip().upper())
    if agency is None:
        raise click.ClickException(f"No agency with code {code}.")
    return agency.id


def _report_commands() -> AppGroup:
    reports = AppGroup("reports", help="The reports' rollups of closed days (domain/rollup.py).")

    @reports.command("rollup")
    @click.option(
        "--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day to look at (default: the first ticket's)."
    )
    @click.option("--rebuild", is_flag=True, help="Forget every rollup and count every closed day again.")
    def rollup(since, rebuild: bool) -> None:
        """Roll up every closed day not rolled up yet (each day's close does it for its own day)."""
        from .services.report_rollups import roll_up

        with _uow() as uow:
            done = roll_up(uow, since=since.date() if since else None, rebuild=rebuild)
        click.echo(done.report_line())

    return reports


def _audit_commands() -> AppGroup:
    audit = AppGroup("audit", help="The tamper-evident audit trail (docs/security.md).")

    @audit.command("seal")
    def audit_seal() -> None:
        """Seal every ended day of ticket events into the audit chain (close-day does it too)."""
        from .services.audit_chain import seal

        with _uow() as uow:
            days = seal(uow)
        click.echo(f"Sealed {len(days)} day(s){': ' + ', '.join(d.isoformat() for d in days) if days else ''}.")

    @audit.command("verify")
    @click.option(
        "--digest",
        "digests",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="A digest file kept outside the database, checked against the chain too (repeatable).",
    )
    def audit_verify(digests: tuple[str, ...]) -> None:
        """Check the whole audit chain and every sealed day; exit 1 naming the first broken record."""
        import json

        from .services.audit_chain import check_digest, verify

        verdict = verify(db.session)
        click.echo(verdict.describe())
        failed = not verdict.ok
        for path in digests:
            try:
                kept = json.loads(Path(path).read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                kept = None
            problem = check_digest(db.session, kept) if isinstance(kept, dict) else "not a JSON digest"
            click.echo(f"{path}: {'BROKEN: ' + problem if problem else 'OK, the chain still holds it'}.")
            failed = failed or problem is not None
        if failed:
            sys.exit(1)

    @audit.command("digest")
    @click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="The JSON file to write.")
    @click.option("--day", default=None, help="A sealed day (YYYY-MM-DD); the last sealed day by default.")
    def audit_digest(out: str, day: str | None) -> None:
        """Seal ended days, then write the daily digest (date, root, last hash) and POST it to
        AUDIT_DIGEST_WEBHOOK_URL when one is set."""
        import json
        from datetime import date

        from flask import current_app

        from .services.audit_chain import WebhookFailed, digest, post_digest, seal

        try:
            chosen = date.fromisoformat(day) if day else None
        except ValueError:
            raise click.ClickException("Use a date like 2026-08-17 for --day.") from None
        with _uow() as uow:
            seal(uow)
            payload = digest(uow.session, office_name=uow.repo.office().name, now=uow.clock(), day=chosen)
        if chosen and payload["date"] is None:
            raise click.ClickException(f"{chosen.isoformat()} is not sealed.")
        Path(out).write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        click.echo(f"Digest of {payload['date'] or 'no sealed day yet'} written to {out}.")
        url = current_app.config.get("AUDIT_DIGEST_WEBHOOK_URL")
        if url:
            try:
                status = post_digest(url, payload, timeout=current_app.config["AUDIT_DIGEST_WEBHOOK_TIMEOUT"])
            except WebhookFailed as failed:
                raise click.ClickException(f"Digest written, but not sent: {failed}.") from None
            click.echo(f"Digest sent to the webhook ({status}).")

    return audit
