"""The Redis message queue between server processes, made to notice when Redis is gone and when it is back.

While Redis is away every process still serves its own clients (python-socketio emits locally
first, and a publish that fails is logged and dropped), but what other processes publish never
arrives. Once this process is subscribed again, `on_resubscribed(lost_since)` lets the app send its
clients the current state from the database. Nothing is missed in between: a process subscribes
again only once Redis answers, and it reads the database after subscribing, so whatever was
committed before is in what it sends and whatever is committed after arrives through Redis.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

import socketio
from redis.backoff import NoBackoff
from redis.retry import Retry

from .rooms import USER_PREFIX

log = logging.getLogger(__name__)

#: Longest wait between two attempts to subscribe again (python-socketio's own loop waits up to 60 s).
MAX_RETRY_SECONDS = 5


class RedisQueue(socketio.RedisManager):
    def __init__(
        self,
        url: str,
        *,
        channel: str,
        on_resubscribed: Callable[[datetime], None] | None = None,
        **kwargs,
    ):
        # No socket timeout: the subscriber blocks on reads by design. A connect timeout keeps a
        # Redis host that does not answer at all from holding up requests that publish. No retries
        # inside redis-py: it would subscribe again silently, and nobody would know what was missed.
        options = {
            "socket_connect_timeout": 1,
            "socket_keepalive": True,
            "retry": Retry(NoBackoff(), 0),
            **kwargs.pop("redis_options", {}),
        }
        super().__init__(url, channel=channel, redis_options=options, **kwargs)
        self.on_resubscribed = on_resubscribed

    def _redis_listen_with_retries(self):
        """python-socketio's subscribe loop, with a shorter back-off and a call once subscribed again."""
        retry_sleep = 1
        lost_since: datetime | None = None
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                retry_sleep = 1
                if lost_since is not None:
                    log.warning("subscribed to Redis again; events published since %s were missed", lost_since)
                    self._resubscribed(lost_since)
                    lost_since = None
                yield from self.pubsub.listen()
            except Exception as exc:
                lost_since = lost_since or datetime.now(UTC)
                log.error("cannot receive from Redis (%s); retrying in %s s", exc, retry_sleep)
                time.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, MAX_RETRY_SECONDS)

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
