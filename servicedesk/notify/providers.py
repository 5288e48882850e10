"""The channels a message leaves by, each behind one interface: `send(message)` or DeliveryFailed.

`message` is an outbox row (persistence/outbox.py). Its `dedupe_key` is the idempotency key: sent
as `Idempotency-Key` (HTTP), as the Message-ID (e-mail) and as the webhook's event id. `idempotent`
says whether the provider is known to act once per key: only then may the worker repeat a call that
a crash interrupted (notify/worker.py); otherwise such a message is set aside for the admin.
Every network call has a timeout.
"""

from __future__ import annotations

import json
import logging
import smtplib
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from email.message import EmailMessage

import requests

from ..domain.notify import SIGNATURE_HEADER, TIMESTAMP_HEADER, Channel, signatures

log = logging.getLogger("servicedesk.notify")

#: (connect, read) seconds for every HTTP provider.
HTTP_TIMEOUT = (3.05, 10)


class DeliveryFailed(Exception):
    """The provider did not take the message. permanent: trying again cannot help (a 4xx, a gone subscription)."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


class Provider(ABC):
    """One channel's way out. idempotent: the provider honours the message's key, so a message left
    "sending" by a killed worker may be sent again (see notify/worker.py)."""

    channel: Channel
    idempotent = False

    @abstractmethod
    def send(self, message: dict) -> None:
        """Hand the message to the provider; raise DeliveryFailed if it did not take it."""


class LogProvider(Provider):
    """The default for every channel: the message is written to the log, nothing leaves the building."""

    idempotent = True  # a log line twice harms nobody

    def __init__(self, channel: Channel = Channel.LOG):
        self.channel = channel

    def send(self, message: dict) -> None:
        log.info(
            "notify %s to %s [%s]: %s",
            message["channel"],
            _masked(message["recipient"]),
            message["dedupe_key"],
            message["text"] or message["trigger"],
        )


def _masked(recipient: str) -> str:
    """Logs carry no full phone numbers or addresses (UU PDP)."""
    return recipient[:4] + "…" + recipient[-2:] if len(recipient) > 8 else "…"


def _post(url: str, *, key: str, json_body=None, data=None, headers=None, timeout=HTTP_TIMEOUT) -> requests.Response:
    try:
        response = requests.post(
            url, json=json_body, data=data, headers={"Idempotency-Key": key, **(headers or {})}, timeout=timeout
        )
    except requests.Timeout:
        raise DeliveryFailed(f"timed out after {timeout}s") from None
    except requests.RequestException as error:
        raise DeliveryFailed(f"unreachable: {type(error).__name__}") from None
    if response.status_code >= 500 or response.status_code in (408, 409, 425, 429):
        raise DeliveryFailed(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise DeliveryFailed(f"HTTP {response.status_code}: {response.text[:200]}", permanent=True)
    return response


@dataclass
class WhatsAppProvider(Provider):
    """WhatsApp Business Cloud API shape: POST {base}/{phone_number_id}/messages, an approved template
    in Indonesian with the message's parameters as its body's {{1}}, {{2}}, …"""

    base_url: str
    phone_number_id: str
    token: str
    idempotent: bool = False  # Meta does not deduplicate; a gateway in front may (NOTIFY_WHATSAPP_DEDUPES)
    timeout: tuple = HTTP_TIMEOUT
    channel: Channel = field(default=Channel.WHATSAPP, init=False)

    def send(self, message: dict) -> None:
        data = message["data"]
        body = {
            "messaging_product": "whatsapp",
            "to": message["recipient"],
            "type": "template",
            "biz_opaque_callback_data": message["dedupe_key"],
            "template": {
                "name": data["template"],
                "language": {"code": data.get("language", "id")},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": p} for p in data["parameters"]]}
                ],
            },
        }
        url = f"{self.base_url.rstrip('/')}/{self.phone_number_id}/messages"
        headers = {"Authorization": f"Bearer {self.token}"}
        _post(url, key=message["dedupe_key"], json_body=body, headers=headers, timeout=self.timeout)


@dataclass
class SmsGatewayProvider(Provider):
    """A generic HTTP SMS gateway: the URL and the body are the office's, with {to}, {text} and {key}
    filled in (JSON-escaped when the body is JSON)."""

    url: str
    body: str = '{"to": "{to}", "text": "{text}", "ref": "{key}"}'
    content_type: str = "application/json"
    token: str = ""
    idempotent: bool = False  # NOTIFY_SMS_DEDUPES: the gateway honours Idempotency-Key
    timeout: tuple = HTTP_TIMEOUT
    channel: Channel = field(default=Channel.SMS, init=False)

    def send(self, message: dict) -> None:
        values = {"to": message["recipient"], "text": message["text"], "key": message["dedupe_key"]}
        if "json" in self.content_type:
            values = {name: json.dumps(value)[1:-1] for name, value in values.items()}
        payload = self.body
        for name, value in values.items():
            payload = payload.replace("{" + name + "}", value)
        headers = {"Content-Type": self.content_type}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        _post(self.url, key=message["dedupe_key"], data=payload.encode(), headers=headers, timeout=self.timeout)


@dataclass
class SmtpProvider(Provider):
    host: str
    port: int = 25
    sender: str = "antrian@localhost"
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0
    channel: Channel = field(default=Channel.EMAIL, init=False)

    def send(self, message: dict) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message["recipient"]
        email["Subject"] = message["data"].get("title") or "Antrian"
        # A receiving system may drop a repeat by its Message-ID; SMTP itself cannot promise it.
        email["Message-ID"] = f"<{message['dedupe_key'].replace(':', '.')}@servicedesk>"
        email.set_content(message["text"])
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed(f"refused: {error}", permanent=True) from None
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(f"SMTP: {type(error).__name__}: {error}") from None


@dataclass
class WebPushProvider(Provider):
    """Web Push (RFC 8030/8291/8292) with the install's VAPID key (instance/vapid_private.pem)."""

    private_key_path: str
    subject: str = "mailto:admin@localhost"
    timeout: float = 10.0
    channel: Channel = field(default=Channel.WEBPUSH, init=False)

    def send(self, message: dict) -> None:
        from pywebpush import WebPushException, webpush

        payload = json.dumps(
            {"title": message["data"].get("title", ""), "body": message["text"], "url": message["data"].get("url", "")}
        )
        try:
            webpush(
                subscription_info=json.loads(message["recipient"]),
                data=payload,
                vapid_private_key=self.private_key_path,
                vapid_claims={"sub": self.subject},
                timeout=self.timeout,
                ttl=3600,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in (404, 410):
                raise DeliveryFailed(f"subscription gone (HTTP {status})", permanent=True) from None
            raise DeliveryFailed(f"push service: {status or error}") from None
        except requests.RequestException as error:
            raise DeliveryFailed(f"push service unreachable: {type(error).__name__}") from None


@dataclass
class WebhookProvider(Provider):
    """Signed JSON to a subscribed system. Receivers are told to drop a repeated event id (docs/notifications.md),
    so a call a crash interrupted may be repeated."""

    idempotent: bool = True
    clock: object = time.time
    timeout: tuple = HTTP_TIMEOUT
    channel: Channel = field(default=Channel.WEBHOOK, init=False)

    def send(self, message: dict) -> None:
        body = json.dumps(message["data"], separators=(",", ":"), sort_keys=True).encode()
        timestamp = int(self.clock())
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signatures(message.get("secrets") or [], timestamp, body),
            "X-Servicedesk-Event": message["trigger"],
            "X-Servicedesk-Delivery": message["dedupe_key"],
        }
        _post(message["recipient"], key=message["dedupe_key"], data=body, headers=headers, timeout=self.timeout)


def from_config(config: dict) -> dict[Channel, Provider]:
    """The providers the settings configure; every other channel writes to the log only."""
    providers: dict[Channel, Provider] = {channel: LogProvider(channel) for channel in Channel}
    providers[Channel.WEBHOOK] = WebhookProvider()
    if config.get("NOTIFY_WHATSAPP_URL"):
        providers[Channel.WHATSAPP] = WhatsAppProvider(
            config["NOTIFY_WHATSAPP_URL"],
            config.get("NOTIFY_WHATSAPP_PHONE_ID", ""),
            config.get("NOTIFY_WHATSAPP_TOKEN", ""),
            idempotent=bool(config.get("NOTIFY_WHATSAPP_DEDUPES")),
        )
    if config.get("NOTIFY_SMS_URL"):
        providers[Channel.SMS] = SmsGatewayProvider(
            config["NOTIFY_SMS_URL"],
            **({"body": config["NOTIFY_SMS_BODY"]} if config.get("NOTIFY_SMS_BODY") else {}),
            content_type=config.get("NOTIFY_SMS_CONTENT_TYPE") or "application/json",
            token=config.get("NOTIFY_SMS_TOKEN", ""),
            idempotent=bool(config.get("NOTIFY_SMS_DEDUPES")),
        )
    if config.get("NOTIFY_SMTP_HOST"):
        providers[Channel.EMAIL] = SmtpProvider(
            config["NOTIFY_SMTP_HOST"],
            int(config.get("NOTIFY_SMTP_PORT") or 25),
            config.get("NOTIFY_SMTP_FROM") or "antrian@localhost",
            config.get("NOTIFY_SMTP_USER", ""),
            config.get("NOTIFY_SMTP_PASSWORD", ""),
            bool(config.get("NOTIFY_SMTP_STARTTLS")),
        )
    if config.get("NOTIFY_WEBPUSH") and config.get("VAPID_PRIVATE_KEY_PATH"):
        providers[Channel.WEBPUSH] = WebPushProvider(
            config["VAPID_PRIVATE_KEY_PATH"], config.get("NOTIFY_VAPID_SUBJECT") or "mailto:admin@localhost"
        )
    return providers
