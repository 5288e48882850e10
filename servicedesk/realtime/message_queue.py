"""The Redis message queue between server processes, made to notice when Redis is gone, hung or back.

While Redis is away every process still serves its own clients (python-socketio emits locally
first). What a process publishes for the others goes into a bounded outbox that a background task
sends in order, so a request never waits for Redis: a Redis that refuses, or hangs (a stopped
process, a lost network), only delays delivery. The task retries the head of the outbox until Redis
answers; an attempt that timed out may still reach Redis once it resumes, so every message carries
its process's sequence number and receivers drop what they already had. When the outbox overflows
the oldest messages are dropped and, once Redis answers again, a `resync` marker tells every other
process to bring its clients up to date from the database; so do messages that waited longer than
`outbox_max_age` (a call is announced late by seconds, not by minutes).

What other processes publish while this process is not subscribed never arrives. Once it is
subscribed again, `on_resubscribed(lost_since)` lets the app send its clients the current state from
the database. Nothing is missed in between: a process subscribes again only once Redis answers, and
it reads the database after subscribing, so whatever was committed before is in what it sends and
whatever is committed after arrives through Redis.

python-socketio has no public hook for sending or receiving: `_publish`, `_listen` and
`_redis_listen_with_retries` are overridden here, and tests/unit/test_message_queue_hooks.py fails
if the library changes them.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

import redis
import socketio
from redis.backoff import NoBackoff
from redis.retry import Retry

from .rooms import USER_PREFIX

log = logging.getLogger(__name__)

#: Longest wait between two attempts to subscribe again (python-socketio's own loop waits up to 60 s).
MAX_RETRY_SECONDS = 5
#: Longest wait between two attempts to publish the head of the outbox.
MAX_PUBLISH_RETRY_SECONDS = 1
#: A subscription silent for this long (its health checks unanswered) is given up and made again.
#: Not sooner: a Redis that hangs and resumes delivers what was published meanwhile on the same
#: subscription, calls included, while a new subscription only gets a resync (calls are not spoken
#: again). A peer that is gone (host down, network lost) is noticed sooner by TCP keepalives.
SILENT_SUBSCRIPTION_SECONDS = 30
#: TCP keepalive probes: a peer that does not acknowledge them for ~11 s is gone. A stopped Redis
#: process still acknowledges (its kernel answers), so a mere hang does not end a connection.
KEEPALIVE = {"TCP_KEEPIDLE": 5, "TCP_KEEPINTVL": 2, "TCP_KEEPCNT": 3}


def keepalive_options() -> dict[int, int]:
    import socket

    return {getattr(socket, name): value for name, value in KEEPALIVE.items() if hasattr(socket, name)}


#: The method of the marker that asks every other process to resync its clients.
RESYNC = "servicedesk.resync"


class Outbox:
    """Messages waiting to be published, oldest first. Full, it drops the oldest; a message older than
    `max_age` is dropped too (a call spoken minutes late would mislead the waiting room). Either way
    it remembers since when something was dropped, so that every process resyncs instead."""

    def __init__(self, size: int, max_age: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.size = size
        self.max_age = max_age
        self.clock = clock
        self._messages: deque[tuple[float, dict]] = deque()
        self._lock = threading.Lock()
        self.dropped_since: datetime | None = None

    def put(self, message: dict) -> None:
        with self._lock:
            self._messages.append((self.clock(), message))
            while len(self._messages) > self.size:
                self._drop_oldest()

    def head(self) -> dict | None:
        """The oldest message still worth sending."""
        with self._lock:
            if self.max_age is not None:
                now = self.clock()
                while self._messages and now - self._messages[0][0] > self.max_age:
                    self._drop_oldest()
            return self._messages[0][1] if self._messages else None

    def _drop_oldest(self) -> None:
        self._messages.popleft()
        self.dropped_since = self.dropped_since or datetime.now(UTC)

    def sent(self, message: dict) -> None:
        """The head was published (unless it was dropped meanwhile)."""
        with self._lock:
            if self._messages and self._messages[0][1] is message:
                self._messages.popleft()

    def forget_dropped(self, since: datetime) -> None:
        """The resync for what was dropped since `since` went out (unless more was dropped meanwhile...
        which is then still after `since`: the next resync covers it)."""
        with self._lock:
            if self.dropped_since == since:
                self.dropped_since = None

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)


class RedisQueue(socketio.RedisManager):
    def __init__(
        self,
        url: str,
        *,
        channel: str,
        on_resubscribed: Callable[[datetime], None] | None = None,
        timeout: float = 1.0,
        outbox_size: int = 10_000,
        outbox_max_age: float | None = 30.0,
        **kwargs,
    ):
        # Every command times out (a Redis that hangs answers nothing), idle connections are checked
        # before use, and the subscriber pings as often. No retries inside redis-py: it would
        # subscribe again silently, and nobody would know what was missed.
        options = {
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "health_check_interval": timeout,
            "socket_keepalive": True,
            "socket_keepalive_options": keepalive_options(),
            "retry": Retry(NoBackoff(), 0),
            **kwargs.pop("redis_options", {}),
        }
        super().__init__(url, channel=channel, redis_options=options, **kwargs)
        self.timeout = timeout
        self.on_resubscribed = on_resubscribed
        self.outbox = Outbox(outbox_size, outbox_max_age)
        self._sequence = itertools.count(1)
        self._sender_lock = threading.Lock()
        self._sender_started = False
        self._wakeup = None
        self._publisher: redis.Redis | None = None
        self._last_seen: dict[str, int] = {}  # host_id -> the last sequence number received

    # -- sending --

    def _publish(self, data):
        """Queue a message for the other processes; the sender task publishes it."""
        self.outbox.put({**data, "seq": next(self._sequence)})
        self._start_sender()
        self._wakeup.set()

    def _start_sender(self) -> None:
        if self._sender_started:
            return
        with self._sender_lock:
            if self._sender_started:
                return
            self._wakeup = self.server.eio.create_event()
            self.server.start_background_task(self._send_forever)
            self._sender_started = True

    def _send_forever(self) -> None:
        retry_sleep = 0.1
        while True:
            message = self.outbox.head()
            if message is None and self.outbox.dropped_since is None:
                self._wakeup.wait(self.timeout)
                self._wakeup.clear()
                continue
            try:
                if message is not None:
                    self._send(message)
                    self.outbox.sent(message)
                else:  # all sent but something was dropped: every other process resyncs
                    self._send_resync(self.outbox.dropped_since)
                retry_sleep = 0.1
            except Exception as exc:  # the task must survive: the message stays at the head
                self._publisher = None
                waiting = len(self.outbox)
                log.error("cannot publish to Redis (%s); %d waiting, retrying in %s s", exc, waiting, retry_sleep)
                self.server.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, MAX_PUBLISH_RETRY_SECONDS)

    def _send_resync(self, since: datetime) -> None:
        self._send({"method": RESYNC, "since": since.isoformat(), "host_id": self.host_id})
        log.warning("messages for the other processes dropped since %s: every process resyncs", since)
        self.outbox.forget_dropped(since)

    def _send(self, message: dict) -> None:
        if self._publisher is None:
            self._publisher = redis.Redis.from_url(self.redis_url, **self.redis_options)
        self._publisher.publish(self.channel, self.json.dumps(message))

    # -- receiving --

    def _listen(self):
        """python-socketio's receiving loop, without the copies a timed-out publish left, and with resyncs."""
        channel = self.channel.encode("utf-8")
        for message in self._redis_listen_with_retries():
            if message["channel"] != channel or message["type"] != "message" or "data" not in message:
                continue
            try:
                data = self.json.loads(message["data"])
            except ValueError:
                continue
            if not isinstance(data, dict) or self._seen_before(data):
                continue
            if data.get("method") == RESYNC:
                if data.get("host_id") != self.host_id:
                    self._resubscribed(datetime.fromisoformat(data["since"]))
                continue
            yield data

    def _seen_before(self, data: dict) -> bool:
        host, seq = data.get("host_id"), data.get("seq")
        if host is None or not isinstance(seq, int):
            return False
        if seq <= self._last_seen.get(host, 0):
            return True
        self._last_seen[host] = seq
        return False

    def _redis_listen_with_retries(self):
        """python-socketio's subscribe loop, with a shorter back-off, a check that Redis still answers,
        and a call once subscribed again."""
        retry_sleep = 1
        lost_since: datetime | None = None
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                self.redis.ping()  # raises unless Redis answers
                retry_sleep = 1
                if lost_since is not None:
                    log.warning("subscribed to Redis again; events published since %s were missed", lost_since)
                    self._resubscribed(lost_since)
                    lost_since = None
                while True:
                    message = self.pubsub.get_message(timeout=self.timeout)
                    if self.pubsub.health_check_response_counter * self.timeout > SILENT_SUBSCRIPTION_SECONDS:
                        raise redis.TimeoutError("Redis does not answer the subscriber's health checks")
                    if message is not None:
                        yield message
            except Exception as exc:
                lost_since = lost_since or datetime.now(UTC)
                log.error("cannot receive from Redis (%s); retrying in %s s", exc, retry_sleep)
                self._close_subscriber()
                time.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, MAX_RETRY_SECONDS)

    def _close_subscriber(self) -> None:
        try:
            if self.pubsub is not None:
                self.pubsub.close()
        except Exception:  # a connection that is already gone
            log.debug("closing the subscriber's connection failed", exc_info=True)

    def _resubscribed(self, lost_since: datetime) -> None:
        if self.on_resubscribed is None:
            return
        try:
            self.on_resubscribed(lost_since)
        except Exception:  # the listener must survive; the screens then catch up at their next event
            log.exception("bringing this process's screens up to date after Redis came back failed")

    def _handle_close_room(self, message):
        """A user room is closed when that person's sessions end: its members are disconnected here."""
        room = message.get("room") or ""
        if room.startswith(USER_PREFIX):
            namespace = message.get("namespace") or "/"
            for sid, _ in list(self.get_participants(namespace, room)):
                self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
        super()._handle_close_room(message)
