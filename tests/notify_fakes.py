"""Real local stand-ins for the providers: an HTTP gateway (WhatsApp/SMS/push/webhooks), an SMTP server.

Each is a server on 127.0.0.1 that the code under test reaches over the network as it would reach
the real one; the test reads what arrived. They record, they do not judge.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Arrival:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class FakeGateway:
    """An HTTP provider: answers 200 unless told to fail, hang or be slow; keeps every request.

    dedupes: like a provider that honours Idempotency-Key, a repeated key is answered 200 and not
    delivered again (`delivered` holds one entry per key)."""

    dedupes: bool = True
    delay: float = 0.0
    arrivals: list[Arrival] = field(default_factory=list)
    delivered: dict[str, Arrival] = field(default_factory=dict)
    plan: list = field(default_factory=list)  # per request, in order: an int status, "hang" or None (200)
    on_arrival: object = None  # a callable(arrival) -> (status, body) or None

    def __post_init__(self):
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                arrival = Arrival(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with gateway.lock:
                    gateway.arrivals.append(arrival)
                    step = gateway.plan.pop(0) if gateway.plan else None
                if step == "hang":
                    time.sleep(30)
                    return
                if gateway.delay:
                    time.sleep(gateway.delay)
                status, answer = (step, b'{"error": "down"}') if isinstance(step, int) else (200, b"{}")
                if status == 200 and gateway.on_arrival is not None:
                    status, answer = gateway.on_arrival(arrival)
                if status == 200:
                    key = arrival.headers.get("idempotency-key", str(len(gateway.arrivals)))
                    with gateway.lock:
                        if key not in gateway.delivered:
                            gateway.delivered[key] = arrival
                        elif not gateway.dedupes:
                            gateway.duplicates.append(arrival)  # a provider without keys would act twice
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.duplicates: list[Arrival] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def keys(self) -> list[str]:
        return [a.headers.get("idempotency-key") for a in self.arrivals]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refused_url() -> str:
    """An address where nothing listens: connections are refused."""
    return f"http://127.0.0.1:{free_port()}"


class SmtpCollector:
    """aiosmtpd on a free port, keeping every message it is handed."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        collector = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes

                collector.messages.append(message_from_bytes(envelope.content))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()
