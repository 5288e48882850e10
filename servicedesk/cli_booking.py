"""`flask booking …`: the scheduled jobs of booking ahead (a systemd timer runs them daily)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup


def register(app: Flask) -> None:
    group = AppGroup("booking", help="Booking ahead: no-shows, reminders, UU PDP retention.")

    @group.command("redact")
    def redact() -> None:
        """Redact the personal data of bookings past the office's retention; statistics stay."""
        from .services import booking
        from .web.context import unit_of_work

        with unit_of_work() as uow:
            count = booking.redact_expired(uow)
        click.echo(f"{count} booking(s) redacted.")

    @group.command("remind")
    def remind() -> None:
        """Mark yesterday's unused bookings as no-shows, then emit BookingReminderDue for tomorrow's
        and today's bookings (the notifications channel delivers them)."""
        from .services import booking
        from .web.context import unit_of_work

        with unit_of_work() as uow:
            missed = booking.mark_no_shows(uow)
            due = booking.remind(uow)
        click.echo(f"{missed} no-show(s); {len(due)} reminder(s) due.")

    app.cli.add_command(group)
