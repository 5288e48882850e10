"""What a commit tells people and systems: the outbox rows written in the transaction of their events.

`Outbox.write` runs inside UnitOfWork.commit, after the flush and before the COMMIT: the messages
and the change that causes them are stored together or not at all (the transactional outbox).
The worker (notify/worker.py) delivers them later, in its own process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..domain.branding import page_language
from ..domain.model import EventKind, Ticket, TicketChanged, TicketStatus
from ..domain.notify import (
    TEMPLATES,
    TRIGGER_OF_EVENT,
    Channel,
    InvalidContact,
    Message,
    Trigger,
    message_language,
    render,
    template_parameters,
)
from ..domain.phone import PhoneRefused, normalise_phone
from ..persistence import outbox, queries
from ..persistence.repository import Repository

#: What a person hears about (their own ticket); NEAR is worked out from the line, not from one event.
PERSON_TRIGGERS = (Trigger.CALLED, Trigger.RECALLED, Trigger.NO_SHOW, Trigger.DONE, Trigger.CANCELLED)
#: A ticket leaving the waiting line moves everyone behind it forward.
LINE_MOVES = (EventKind.CALLED, EventKind.CANCELLED, EventKind.TRANSFERRED)


class Outbox:
    """Turns the domain events of a commit into outbox rows. One per app (create_app via notify.init_app)."""

    def __init__(
        self,
        phone_link: Callable[[str], str],
        cache_seconds: float = 2.0,
        booking_channel: Callable[[], Channel] = lambda: Channel.LOG,
    ):
        self.phone_link = phone_link
        #: Where a booking's confirmation and reminders go: the phone given when booking, on WhatsApp
        #: when configured, else SMS, else the log (notify.init_app decides from the settings).
        self.booking_channel = booking_channel
        self.cache_seconds = cache_seconds
        self._subscriptions: list[dict] | None = None
        self._read_at = 0.0

    # -- webhook subscriptions, kept briefly: issuing must stay one statement when nobody listens --

    def forget(self) -> None:
        """A subscription changed in this process: read them again (other processes within cache_seconds)."""
        self._subscriptions = None

    def _fresh(self) -> bool:
        return self._subscriptions is not None and time.monotonic() - self._read_at < self.cache_seconds

    def subscriptions(self, session: Session, *, refresh: bool = True) -> list[dict]:
        if refresh and not self._fresh():
            self._subscriptions = outbox.subscriptions(session)
            self._read_at = time.monotonic()
        return self._subscriptions or []

    def may_skip_transaction(self, trigger: Trigger) -> bool:
        """True when, as far as is known this moment, no subscriber wants `trigger`: issuing may then
        run in autocommit. Unknown (not read lately) is False: the transaction keeps the outbox atomic."""
        return self._fresh() and not any(trigger.value in s["events"] for s in self._subscriptions)

    # -- the hook --

    def write(self, session: Session, events: list, now: datetime, *, refresh: bool = True) -> None:
        batch: list[Message] = self._bookings(session, events)
        changed = [e for e in events if isinstance(e, TicketChanged)]
        if not changed:
            outbox.add(session, batch, now)
            return
        batch += self._webhooks(session, changed, now, refresh)
        batch += self._to_people(session, changed, now)
        batch += self._near(session, changed, now)
        outbox.add(session, batch, now)

    def _webhooks(self, session: Session, changed: list[TicketChanged], now: datetime, refresh: bool) -> list[Message]:
        subscribers = self.subscriptions(session, refresh=refresh)
        found = []
        for event in changed:
            trigger = TRIGGER_OF_EVENT.get(event.kind.value)
            if trigger is None:
                continue
            ticket = event.ticket
            occurrence = _occurrence(ticket, event.kind)
            for subscription in subscribers:
                if trigger.value not in subscription["events"]:
                    continue
                key = f"wh:{subscription['id']}:{ticket.id}:{event.kind.value}:{occurrence}"
                body = {
                    "id": key,
                    "event": trigger.value,
                    "occurred_at": now.isoformat(),
                    "ticket": {
                        "id": ticket.id,
                        "number": ticket.number,
                        "service_id": ticket.service_id,
                        "status": ticket.status.value,
                        "counter_id": ticket.counter_id,
                        "service_day": ticket.service_day.isoformat(),
                    },
                }
                found.append(
                    Message(
                        Channel.WEBHOOK,
                        subscription["url"],
                        trigger,
                        key,
                        data=body,
                        ticket_id=ticket.id,
                        subscription_id=subscription["id"],
                    )
                )
        return found

    def _to_people(self, session: Session, changed: list[TicketChanged], now: datetime) -> list[Message]:
        wanted = [e for e in changed if TRIGGER_OF_EVENT.get(e.kind.value) in PERSON_TRIGGERS]
        if not wanted:
            return []
        listeners = outbox.contacts_of(session, sorted({e.ticket.id for e in wanted}))
        repo = Repository(session)
        found = []
        for event in wanted:
            ticket = event.ticket
            for contact in listeners.get(ticket.id, []):
                trigger = TRIGGER_OF_EVENT[event.kind.value]
                values = self.values_of(repo, ticket)
                key = f"{trigger.value}:{ticket.id}:{_occurrence(ticket, event.kind)}:{contact['id']}"
                found.append(to_person(contact, trigger, key, values, ticket.id))
        return found

    def _near(self, session: Session, changed: list[TicketChanged], now: datetime) -> list[Message]:
        moved = {e.previous_service_id or e.ticket.service_id for e in changed if e.kind in LINE_MOVES}
        if not moved:
            return []
        repo = Repository(session)
        office = repo.office()
        people, minutes = office.notify_people_ahead or 0, office.notify_minutes_ahead or 0
        if not (people or minutes):
            return []
        found = []
        waiting = outbox.waiting_with_contacts(session, moved)
        listeners = outbox.contacts_of(session, [t.id for t in waiting])
        for ticket in waiting:
            _, _, ahead, wait = queries.ticket_status(session, ticket, now)
            if not ((people and ahead <= people) or (minutes and wait <= minutes)):
                continue
            values = self.values_of(repo, ticket) | {"ahead": ahead, "minutes": wait}
            for contact in listeners.get(ticket.id, []):
                # Once per ticket and channel: the dedupe key makes a later move skip it.
                key = f"{Trigger.NEAR.value}:{ticket.id}:{contact['id']}"
                found.append(to_person(contact, Trigger.NEAR, key, values, ticket.id))
        return found

    def _bookings(self, session: Session, events: list) -> list[Message]:
        """A new booking's confirmation; reminders (one per booking and kind: the dedupe key makes
        running `flask booking remind` again send nothing more)."""
        from ..domain.booking import BookingMade, BookingReminderDue

        wanted = [e for e in events if isinstance(e, BookingMade | BookingReminderDue)]
        if not wanted:
            return []
        repo, channel, found = Repository(session), self.booking_channel(), []
        zone = ZoneInfo(repo.office().time_zone)
        for event in wanted:
            if isinstance(event, BookingMade):
                booking = event.booking
                trigger, key = Trigger.BOOKING_CONFIRMED, f"booking.confirmed:{booking.id}"
                phone, code, service_id, start = booking.phone, booking.code, booking.service_id, booking.slot_start
            else:
                trigger, key = Trigger.BOOKING_REMINDER, f"booking.reminder:{event.booking_id}:{event.which}"
                phone, code, service_id, start = event.phone, event.code, event.service_id, event.slot_start
            if not phone:  # booked at the desk for someone without a phone
                continue
            service = repo.service(service_id) if service_id else None
            values = {
                "code": code,
                "service": service.name if service else "",
                "when": start.astimezone(zone).strftime("%d-%m-%Y %H.%M"),
                "language": language_of(repo, service),
            }
            found.append(_message(channel, normalise_phone(phone), trigger, key, values, None, title=f"Booking {code}"))
        return found

    def values_of(self, repo: Repository, ticket: Ticket) -> dict:
        """What a template may say about `ticket`: number, service, counter, the phone page link."""
        counter = repo.counter(ticket.counter_id) if ticket.counter_id else None
        service = repo.service(ticket.service_id)
        return {
            "number": ticket.number,
            "service": service.name if service else "",
            "counter": counter.number if counter else "",
            "link": self.phone_link(ticket.token),
            "ahead": 0,
            "minutes": 0,
            "language": language_of(repo, service),
        }


def language_of(repo: Repository, service) -> str:
    """The language of a message about `service`: its agency's when the agency names one, else the
    site's; Indonesian when neither is a language we have texts in (the pages' rule, branding.py)."""
    agency = repo.agency(service.agency_id) if service is not None else None
    chosen = page_language(
        asked=None, remembered=None, agency=agency.language if agency else None, office=repo.office().language
    )
    return message_language(chosen)


def _occurrence(ticket: Ticket, kind: EventKind) -> int:
    """Which time this ticket had an event of `kind` (a second call after a requeue is a new message)."""
    return sum(1 for e in ticket.events if e.kind == kind) if ticket.events else 1


def to_person(contact: dict, trigger: Trigger, key: str, values: dict, ticket_id: int | None) -> Message:
    """One message on the contact's channel: the rendered text, and the WhatsApp template's parameters."""
    return _message(
        Channel(contact["channel"]),
        contact["address"],
        trigger,
        key,
        values,
        ticket_id,
        title=f"{'Ticket' if message_language(values.get('language')) == 'en' else 'Antrian'} {values['number']}",
    )


def _message(
    channel: Channel, address: str, trigger: Trigger, key: str, values: dict, ticket_id: int | None, *, title: str
) -> Message:
    language = message_language(values.get("language"))
    text = render(trigger, values, language)
    template, _ = TEMPLATES[trigger]
    data = {
        "template": template,
        "language": language,
        "parameters": [str(values[name]) for name in template_parameters(trigger)],
        "title": title,
        "url": values.get("link", ""),
    }
    return Message(channel, address, trigger, key, text, data, ticket_id)


# --- the visitor opts in (UU PDP: the wording agreed to and the moment are recorded) ---

CONSENT_TEXT = (
    "Saya setuju nomor/alamat ini dipakai hanya untuk pemberitahuan antrian tiket ini "
    "dan dihapus setelah masa simpan kantor."
)


def check_address(channel: Channel, address: str) -> str:
    """The address as stored, or InvalidContact."""
    if channel in (Channel.WHATSAPP, Channel.SMS):
        try:
            return normalise_phone(address)
        except PhoneRefused as refused:  # the opt-in's documented 400 invalid_contact
            raise InvalidContact(refused.message, details=refused.details) from None
    if channel == Channel.EMAIL:
        if "@" not in address or len(address) > 254 or any(ch.isspace() for ch in address):
            raise InvalidContact("Not an e-mail address.", details={"email": address})
        return address
    if channel == Channel.WEBPUSH:
        try:
            subscription = json.loads(address) if isinstance(address, str) else address
            keys = subscription["keys"]
            if not (
                str(subscription["endpoint"]).startswith(("https://", "http://")) and keys["p256dh"] and keys["auth"]
            ):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            raise InvalidContact("Not a push subscription.", code="invalid_subscription") from None
        return json.dumps(
            {"endpoint": subscription["endpoint"], "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}
        )
    raise InvalidContact("Unknown channel.", details={"channel": str(channel)})


def opt_in(uow, outbox_: Outbox, *, token: str, channel: str, address: str, consent_text: str = CONSENT_TEXT) -> int:
    """Record the visitor's consent for one channel and send the link to their phone page there."""
    from ..domain.errors import InvalidTransition, NotFound

    try:
        chosen = Channel(channel)
    except ValueError:
        raise InvalidContact("Unknown channel.", details={"channel": channel}) from None
    if chosen in (Channel.LOG, Channel.WEBHOOK):
        raise InvalidContact("Unknown channel.", details={"channel": channel})
    ticket = uow.repo.ticket_by_token(token)
    if ticket is None:
        raise NotFound("No such ticket.")
    stored = check_address(chosen, address)
    if ticket.status in (TicketStatus.DONE, TicketStatus.CANCELLED):
        raise InvalidTransition(f"Ticket {ticket.number} is over.", code="ticket_over")
    now = uow.clock()
    contact_id = outbox.add_contact(
        uow.session, ticket_id=ticket.id, channel=chosen.value, address=stored, consent_text=consent_text, now=now
    )
    contact = {"id": contact_id, "channel": chosen.value, "address": stored}
    values = outbox_.values_of(uow.repo, ticket)
    key = f"{Trigger.SUBSCRIBED.value}:{ticket.id}:{contact_id}"
    outbox.add(uow.session, [to_person(contact, Trigger.SUBSCRIBED, key, values, ticket.id)], now)
    uow.commit()
    return contact_id


def opt_out(uow, *, token: str) -> int:
    """The visitor withdraws every consent given for this ticket; returns how many channels stopped."""
    from ..domain.errors import NotFound

    ticket = uow.repo.ticket_by_token(token)
    if ticket is None:
        raise NotFound("No such ticket.")
    stopped = outbox.withdraw_contacts(uow.session, ticket.id, uow.clock())
    uow.commit()
    return stopped


def redact_expired(uow) -> tuple[int, int]:
    """The office's retention (the days set for booking data, UU 27/2022) applied to notifications:
    (contacts erased, messages erased). `flask notify redact` runs it daily (deploy/systemd)."""
    from datetime import timedelta

    from ..persistence.bookings import BookingRepository

    now = uow.clock()
    cutoff = now - timedelta(days=BookingRepository(uow.session).retention_days())
    erased = outbox.redact_before(uow.session, cutoff, now)
    uow.commit()
    return erased
