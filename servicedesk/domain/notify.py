"""Messages to people and systems: what each ticket event says, on which channel, and when to try again.

Plain Python, like the rest of domain/: the outbox (persistence/outbox.py) stores what `Message`
describes, in the transaction of the event that causes it; the worker (notify/worker.py) delivers it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from .errors import DomainError


class Channel(StrEnum):
    LOG = "log"  # the default: written to the log, nothing leaves the building
    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"
    WEBPUSH = "webpush"
    WEBHOOK = "webhook"  # a system, not a person: signed JSON (sign() below)


#: The channels a visitor may opt into (UU PDP: each is consented to and recorded).
PERSON_CHANNELS = (Channel.WHATSAPP, Channel.SMS, Channel.EMAIL, Channel.WEBPUSH)


class MessageStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt at next_attempt_at
    SENDING = "sending"  # claimed by a worker under attempt_id; the provider call may be under way
    SENT = "sent"
    DEAD = "dead"  # gave up: the admin sees it and may send it again


class Trigger(StrEnum):
    """What happened to a ticket that a person or a system hears about."""

    SUBSCRIBED = "ticket.subscribed"  # the visitor opted in: the link to the phone page
    ISSUED = "ticket.issued"
    NEAR = "ticket.near"  # N people ahead or M minutes away (office settings)
    CALLED = "ticket.called"
    RECALLED = "ticket.recalled"
    NO_SHOW = "ticket.no_show"
    DONE = "ticket.done"  # to a person: the survey invitation
    CANCELLED = "ticket.cancelled"
    POSITION = "ticket.position"  # the answer to a POSISI reply
    BOOKING_CONFIRMED = "booking.confirmed"  # to the phone given when booking: the code
    BOOKING_REMINDER = "booking.reminder"  # the day before and on the day


#: The ticket event kinds (model.EventKind values) that a trigger follows directly.
TRIGGER_OF_EVENT = {
    "issued": Trigger.ISSUED,
    "called": Trigger.CALLED,
    "recalled": Trigger.RECALLED,
    "no_show": Trigger.NO_SHOW,
    "done": Trigger.DONE,
    "cancelled": Trigger.CANCELLED,
}
#: What webhook subscribers may ask for.
WEBHOOK_EVENTS = tuple(
    t.value
    for t in (Trigger.ISSUED, Trigger.CALLED, Trigger.RECALLED, Trigger.NO_SHOW, Trigger.DONE, Trigger.CANCELLED)
)

# Indonesian first: the WhatsApp templates are approved in Indonesian ("id"); {n} are the parameters.
# The English texts (ENGLISH below) go out under the same template names, approved in English ("en").
TEMPLATES: dict[Trigger, tuple[str, str]] = {
    Trigger.SUBSCRIBED: ("antrian_terdaftar", "Nomor antrian {number} ({service}). Pantau giliran Anda: {link}"),
    Trigger.NEAR: (
        "antrian_hampir",
        "Nomor {number}: {ahead} orang lagi sebelum giliran Anda (sekitar {minutes} menit).",
    ),
    Trigger.CALLED: ("antrian_dipanggil", "Nomor {number} dipanggil ke loket {counter}. Silakan menuju loket."),
    Trigger.RECALLED: ("antrian_dipanggil_ulang", "Panggilan ulang: nomor {number} ke loket {counter}."),
    Trigger.NO_SHOW: ("antrian_tidak_hadir", "Nomor {number} tidak hadir saat dipanggil. Silakan lapor ke petugas."),
    Trigger.DONE: ("survei_kepuasan", "Terima kasih. Mohon isi survei kepuasan (SKM) untuk nomor {number}: {link}"),
    Trigger.CANCELLED: ("antrian_dibatalkan", "Nomor antrian {number} telah dibatalkan."),
    Trigger.POSITION: ("antrian_posisi", "Nomor {number}: {ahead} orang di depan Anda (sekitar {minutes} menit)."),
    Trigger.BOOKING_CONFIRMED: (
        "booking_terkonfirmasi",
        "Booking {service} pada {when} diterima. Kode booking: {code}. Tunjukkan kode ini di kiosk.",
    ),
    Trigger.BOOKING_REMINDER: ("booking_pengingat", "Pengingat: {service} pada {when}. Kode booking: {code}."),
}
#: The same messages in English, with the same parameters in the same order (a test checks it).
ENGLISH: dict[Trigger, str] = {
    Trigger.SUBSCRIBED: "Ticket {number} ({service}). Follow your turn: {link}",
    Trigger.NEAR: "Ticket {number}: {ahead} more before your turn (about {minutes} minutes).",
    Trigger.CALLED: "Ticket {number} is called to counter {counter}. Please go to the counter.",
    Trigger.RECALLED: "Called again: ticket {number} to counter {counter}.",
    Trigger.NO_SHOW: "Ticket {number} was not there when called. Please see an officer.",
    Trigger.DONE: "Thank you. Please fill in the satisfaction survey (SKM) for ticket {number}: {link}",
    Trigger.CANCELLED: "Ticket {number} has been cancelled.",
    Trigger.POSITION: "Ticket {number}: {ahead} ahead of you (about {minutes} minutes).",
    Trigger.BOOKING_CONFIRMED: (
        "Booking for {service} on {when} received. Booking code: {code}. Show this code at the kiosk."
    ),
    Trigger.BOOKING_REMINDER: "Reminder: {service} on {when}. Booking code: {code}.",
}
#: The texts of each language a message may be written in (domain/branding.py LANGUAGES).
TEXTS: dict[str, dict[Trigger, str]] = {
    "id": {trigger: text for trigger, (_, text) in TEMPLATES.items()},
    "en": ENGLISH,
}
MESSAGE_LANGUAGE = "id"  # when the language asked for has no texts here
#: The parameters of each template, in the order the WhatsApp template numbers them ({{1}}, {{2}}, ...).
_FIELD = re.compile(r"{(\w+)}")


def message_language(language: str | None) -> str:
    """The language a message is written in: `language` when we have its texts, else Indonesian."""
    return language if language in TEXTS else MESSAGE_LANGUAGE


def template_parameters(trigger: Trigger) -> list[str]:
    return _FIELD.findall(TEMPLATES[trigger][1])


def render(trigger: Trigger, values: dict, language: str | None = MESSAGE_LANGUAGE) -> str:
    """The text of `trigger` in `language` (Indonesian when we have no texts in it)."""
    return TEXTS[message_language(language)][trigger].format(**values)


@dataclass(frozen=True)
class Message:
    """One message to write to the outbox: to whom, on which channel, what it says."""

    channel: Channel
    recipient: str  # a phone number, an e-mail address, a push subscription (JSON) or a webhook URL
    trigger: Trigger
    dedupe_key: str  # unique in the outbox: the same fact is never queued twice, and the provider's idempotency key
    text: str = ""
    data: dict = field(default_factory=dict)  # template name and parameters, or the webhook's JSON body
    ticket_id: int | None = None
    subscription_id: int | None = None


# --- retries ---

BASE_DELAY_SECONDS = 5.0
MAX_DELAY_SECONDS = 3600.0
MAX_ATTEMPTS = 8


def next_attempt(attempts: int, now: datetime, base: float = BASE_DELAY_SECONDS, cap: float = MAX_DELAY_SECONDS):
    """Exponential backoff after `attempts` failed tries: base, 2 base, 4 base, ... up to cap."""
    return now + timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def gives_up(attempts: int, max_attempts: int = MAX_ATTEMPTS) -> bool:
    return attempts >= max_attempts


# --- contacts and replies (the phone number rule: domain/phone.py) ---


class InvalidContact(DomainError):
    code = "invalid_contact"


class Reply(StrEnum):
    CANCEL = "BATAL"
    STEP_BACK = "TUNDA"
    POSITION = "POSISI"


#: The English words a visitor of an English-speaking agency may answer with, beside the Indonesian.
ENGLISH_REPLIES = {"CANCEL": Reply.CANCEL, "DELAY": Reply.STEP_BACK, "POSITION": Reply.POSITION}


def parse_reply(text: str) -> Reply | None:
    """The visitor's one-word reply (Indonesian or English), whatever the case and spacing; None for anything else."""
    word = (text or "").strip().split(maxsplit=1)
    if not word:
        return None
    said = word[0].upper()
    try:
        return Reply(said)
    except ValueError:
        return ENGLISH_REPLIES.get(said)


# --- webhook signatures ---

SIGNATURE_HEADER = "X-Servicedesk-Signature"
TIMESTAMP_HEADER = "X-Servicedesk-Timestamp"
REPLAY_WINDOW_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex: the value of the signature header is "v1=<hex>"."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={mac}"


def signatures(secrets: list[str], timestamp: int, body: bytes) -> str:
    """During a rotation both secrets sign: receivers accept any v1 value that matches theirs."""
    return ",".join(sign(secret, timestamp, body) for secret in secrets if secret)


def verify(
    secret: str, header: str, timestamp: int, body: bytes, now: int, window: int = REPLAY_WINDOW_SECONDS
) -> bool:
    """What a receiver does: a recent timestamp and one matching signature (constant-time comparison)."""
    if abs(now - timestamp) > window:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, part.strip()) for part in header.split(","))
