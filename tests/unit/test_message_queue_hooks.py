"""What the Redis queue and the bounded database connections take from their libraries without a
public hook: these fail when python-socketio or psycopg change what servicedesk overrides."""

from __future__ import annotations

import inspect

import psycopg
import socketio
from socketio.pubsub_manager import PubSubManager

from servicedesk.persistence.engine import bounded_connection_class
from servicedesk.realtime.message_queue import Outbox, RedisQueue


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_python_socketio_still_sends_and_receives_through_the_methods_the_queue_overrides():
    assert parameters(socketio.RedisManager._publish) == ["self", "data"]
    assert parameters(socketio.RedisManager._listen) == ["self"]
    assert parameters(socketio.RedisManager._redis_listen_with_retries) == ["self"]
    assert parameters(socketio.RedisManager._redis_connect) == ["self"]
    # Every message for the other processes goes through _publish; _thread takes parsed messages too.
    assert "self._publish(message)" in inspect.getsource(PubSubManager.emit)
    assert "isinstance(message, dict)" in inspect.getsource(PubSubManager._thread)
    for name in ("_publish", "_listen", "_redis_listen_with_retries"):
        assert name in vars(RedisQueue)


def test_psycopg_still_waits_for_the_server_through_connection_wait_with_a_timeout():
    assert parameters(psycopg.Connection.wait) == ["self", "gen", "interval", "timeout"]
    assert issubclass(psycopg.errors._WaitTimeout, psycopg.OperationalError)
    assert "self._conn.wait(" in inspect.getsource(psycopg.Cursor.execute)
    assert issubclass(bounded_connection_class(), psycopg.Connection)


def test_the_outbox_keeps_order_and_sends_each_message_once():
    outbox = Outbox(size=3)
    for seq in (1, 2):
        outbox.put({"seq": seq})
    first = outbox.head()
    assert first == {"seq": 1}
    outbox.sent(first)
    outbox.sent(first)  # a second confirmation of the same message removes nothing more
    assert outbox.head() == {"seq": 2}
    assert len(outbox) == 1
    assert outbox.dropped_since is None


def test_a_full_outbox_drops_the_oldest_and_remembers_that_screens_need_a_resync():
    outbox = Outbox(size=2)
    for seq in (1, 2, 3):
        outbox.put({"seq": seq})
    assert outbox.head() == {"seq": 2}
    assert len(outbox) == 2
    since = outbox.dropped_since
    assert since is not None
    outbox.forget_dropped(since)
    assert outbox.dropped_since is None


def test_messages_older_than_the_outbox_allows_are_dropped_and_a_resync_is_owed():
    now = [0.0]
    outbox = Outbox(size=10, max_age=30, clock=lambda: now[0])
    outbox.put({"seq": 1})
    now[0] = 20.0
    outbox.put({"seq": 2})
    now[0] = 31.0  # the first waited too long: a call would be announced half a minute late
    assert outbox.head() == {"seq": 2}
    assert outbox.dropped_since is not None
    now[0] = 60.0
    assert outbox.head() is None
    assert len(outbox) == 0


def test_a_message_dropped_from_a_full_outbox_while_being_sent_is_not_confirmed_twice():
    outbox = Outbox(size=1)
    outbox.put({"seq": 1})
    sending = outbox.head()
    outbox.put({"seq": 2})  # overflow drops the message being sent
    outbox.sent(sending)
    assert outbox.head() == {"seq": 2}


def test_the_receiver_drops_copies_a_timed_out_publish_left_and_keeps_others():
    queue = RedisQueue("redis://127.0.0.1:1/0", channel="test")
    assert not queue._seen_before({"host_id": "a", "seq": 1})
    assert queue._seen_before({"host_id": "a", "seq": 1})  # the copy of a retried publish
    assert not queue._seen_before({"host_id": "b", "seq": 1})  # another process counts on its own
    assert not queue._seen_before({"host_id": "a", "seq": 2})
    assert not queue._seen_before({"method": "emit"})  # no sequence: passed on
