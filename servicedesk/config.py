"""Settings from the environment, so one build runs a mini-PC on SQLite or a service mall on PostgreSQL."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from . import signing_key

ROOT = Path(__file__).resolve().parent.parent


def database_url(url: str | None) -> str:
    """Default to an SQLite file in instance/; accept plain postgresql:// URLs and use psycopg 3."""
    if not url:
        instance = ROOT / "instance"
        instance.mkdir(exist_ok=True)
        return f"sqlite:///{instance / 'servicedesk.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # One connection per process: SQLite has one writer anyway, and under green threads a
        # single connection avoids "database is locked" between greenlets of the same process.
        return {
            "pool_size": 1,
            "max_overflow": 0,
            "pool_timeout": 30,
            "connect_args": {"timeout": 30, "check_same_thread": False},
        }
    # A fixed pool: requests beyond it wait their turn for a connection (at most pool_timeout, then
    # 503). Connections beyond the pool ("overflow") are opened for one request and closed after
    # it, which at a kiosk peak costs more than the wait, and a few sessions per core already keep
    # PostgreSQL busy (docs/benchmarks.md: 32 clients). Processes x (size + overflow) must stay
    # below PostgreSQL's max_connections.
    options = {
        "pool_size": int(os.environ.get("DATABASE_POOL_SIZE", "10")),
        "max_overflow": int(os.environ.get("DATABASE_MAX_OVERFLOW", "0")),
        "pool_timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "2")),
        # psycopg 3 connections are checked at checkout without a round trip (persistence/engine.py);
        # any other driver gets SQLAlchemy's ping, a SELECT 1 per checkout.
        "pool_pre_ping": not url.startswith("postgresql+psycopg://"),
    }
    if url.startswith("postgresql+psycopg://"):
        options["connect_args"] = postgresql_timeouts(os.environ)
    return options


def postgresql_timeouts(env) -> dict:
    """A PostgreSQL that hangs (a stopped process, a lost network) must not hang requests: connecting,
    each statement, each lock wait and each wait for an answer are bounded (persistence/engine.py),
    and keepalives notice a peer that is gone. 0 switches a statement bound off."""
    statement = float(env.get("DATABASE_STATEMENT_TIMEOUT", "1.5"))
    milliseconds = int(statement * 1000)
    return {
        "connect_timeout": int(env.get("DATABASE_CONNECT_TIMEOUT", "2")),  # libpq's minimum is 2 s
        "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": 5000,
        # The client's own bound (persistence/engine.py): a little more than the server's statement_timeout.
        "wait_timeout": statement + 0.5 if statement else None,
    }


def on_off(value: str | bool | None, *, default: bool) -> bool:
    """A yes/no setting: "1", "true", "yes", "on" or a bool; unset or empty: the default."""
    if isinstance(value, bool):
        return value
    text = (value or "").strip().lower()
    if not text:
        return default
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise SettingInvalid(f"expected 1 or 0 (yes or no), not {value!r}")


def origin_list(value: str | list[str] | None) -> list[str]:
    """ "https://a.example/, https://b.example" -> ["https://a.example", "https://b.example"]."""
    items = value.split(",") if isinstance(value, str) else (value or [])
    return [item.strip().rstrip("/") for item in items if item.strip()]


class SettingInvalid(ValueError):
    """A setting from the environment that the application refuses to start with."""


def public_url(value: str | None, *, required: bool) -> str | None:
    """PUBLIC_URL, checked at start: the address a phone outside the building reaches the app at.

    Only scheme, host and port (`https://antrean.example.go.id`, `http://192.168.1.10:8000`): the
    links put the application's own paths after it, so a path, query or fragment would break them.
    """
    text = (value or "").strip()
    if not text:
        if required:
            raise SettingInvalid(
                "PUBLIC_URL is required in production (SERVICEDESK_ENV=production): the address visitors' "
                "phones reach this server at, e.g. https://antrean.example.go.id"
            )
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingInvalid(
            f"PUBLIC_URL must be an absolute http(s) URL such as https://antrean.example.go.id, not {text!r}"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise SettingInvalid(f"PUBLIC_URL takes only scheme, host and port (no path, query or login), not {text!r}")
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        raise SettingInvalid(f"PUBLIC_URL has an invalid port: {text!r}") from None
    return f"{parts.scheme}://{parts.netloc}"


def detect_async_mode() -> str:
    """gunicorn -k gevent patches before loading the app; so does `python -m servicedesk`."""
    if "gevent" in sys.modules:
        from gevent import monkey

        if monkey.is_module_patched("socket"):
            return "gevent"
    if "eventlet" in sys.modules:
        import eventlet.patcher

        if eventlet.patcher.is_monkey_patched("socket"):
            return "eventlet"
    return "threading"


class Config:
    def __init__(self, overrides: dict | None = None):
        env = os.environ
        # production (the default), development (`make run`) or testing: see signing_key.py. Production
        # refuses to start without the settings it needs (a strong SECRET_KEY, PUBLIC_URL).
        self.SERVICEDESK_ENV = env.get("SERVICEDESK_ENV", "production")
        self.SECRET_KEY = env.get("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = database_url(env.get("DATABASE_URL"))
        self._redis_and_limits(env)
        self._web(env)
        self._api()
        for key, value in (overrides or {}).items():
            setattr(self, key, value)
        self._resolve(overrides or {})

    def _redis_and_limits(self, env) -> None:
        self.REDIS_URL = env.get("REDIS_URL") or None
        # Processes of one office share a channel; two offices may share one Redis with two channels.
        self.SOCKETIO_CHANNEL = env.get("SOCKETIO_CHANNEL", "servicedesk")
        # threading | gevent | eventlet; by default whatever the server has monkey-patched.
        self.SOCKETIO_ASYNC_MODE = env.get("SOCKETIO_ASYNC_MODE") or detect_async_mode()
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_ENABLED = env.get("RATELIMIT_ENABLED", "1") == "1"
        self.RATELIMIT_HEADERS_ENABLED = True
        # Redis down must not stop the kiosks: count in this process's memory until Redis answers
        # again (Flask-Limiter re-checks it after 2, 4, 8 … s), and never turn a limiter error into
        # a 500. Short timeouts, so a Redis that hangs instead of refusing does not hang requests.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1, "health_check_interval": 1}
        # Every Redis command of the message queue times out after this (a Redis that hangs answers
        # nothing); what a process publishes waits in an outbox of this many messages meanwhile.
        self.REDIS_TIMEOUT_SECONDS = float(env.get("REDIS_TIMEOUT_SECONDS", "1"))
        self.REDIS_OUTBOX_SIZE = int(env.get("REDIS_OUTBOX_SIZE", "10000"))
        # A message older than this is dropped rather than sent, and every process resyncs its screens.
        self.REDIS_OUTBOX_MAX_AGE_SECONDS = float(env.get("REDIS_OUTBOX_MAX_AGE_SECONDS", "30"))

    def _web(self, env) -> None:
        self.MAX_CONTENT_LENGTH = 64 * 1024
        self.JSON_SORT_KEYS = False
        # A form token lives as long as the session (which ends at logout or when idle): an officer's
        # console stays open all day (web/csrf_page.py answers a stale one).
        self.WTF_CSRF_TIME_LIMIT = None
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env.get("SESSION_COOKIE_SECURE", "0") == "1"
        # A staff page session ends after this long without a request (renewed by each request).
        self.PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(env.get("SESSION_LIFETIME_MINUTES", "240")))
        # Behind nginx: how many proxies set X-Forwarded-For/-Proto (0 = trust none).
        self.TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "0"))
        # Name the answering process in a response header (multi-process diagnostics and tests).
        self.SERVED_BY_HEADER = env.get("SERVED_BY_HEADER", "0") == "1"
        # The origins (scheme://host[:port], comma-separated) whose pages may open a Socket.IO
        # connection, e.g. https://antrean.example.go.id. Empty: the page's own origin only.
        self.ALLOWED_ORIGINS = origin_list(env.get("ALLOWED_ORIGINS", ""))
        # A line goes to the screens at most once per window (a change after a quiet window at once,
        # later ones together at its end); 0 = every change at once.
        self.PUBLISH_COALESCE_SECONDS = float(env.get("PUBLISH_COALESCE_SECONDS", "0.1"))
        # Issuing keeps the office, holidays and services this long; another process's change shows
        # after at most this (a change made by this process, at once). 0 = read them every time.
        # `flask db ...` needs Flask-Migrate; the server entry points (wsgi.py, __main__) set this off.
        self.MIGRATIONS = True
        self.SETTINGS_CACHE_SECONDS = float(env.get("SETTINGS_CACHE_SECONDS", "2"))
        # How long issuing waits for a kiosk's ESC/POS printer (connect and send) before it reports a failure.
        self.PRINTER_TIMEOUT_SECONDS = float(env.get("PRINTER_TIMEOUT_SECONDS", "3"))
        # Every link that leaves the building (slip QR, visitor page, notifications) starts with this;
        # unset in development, the request's own host stands in. Checked below.
        self.PUBLIC_URL = env.get("PUBLIC_URL") or None
        # Only registered kiosks (X-Device-Token) may issue tickets, whatever the office setting says:
        # on by default in production, so nobody on the network drains the day's quota; off in
        # development and tests. REQUIRE_DEVICE_TOKEN=0 turns it off (the office setting then decides).
        self.REQUIRE_DEVICE_TOKEN = env.get("REQUIRE_DEVICE_TOKEN")
        # `flask audit digest` also POSTs the day's digest here (a copy of the proof outside the database).
        self.AUDIT_DIGEST_WEBHOOK_URL = env.get("AUDIT_DIGEST_WEBHOOK_URL") or None
        self.AUDIT_DIGEST_WEBHOOK_TIMEOUT = float(env.get("AUDIT_DIGEST_WEBHOOK_TIMEOUT", "5"))

    def _api(self) -> None:
        self.API_TITLE = "servicedesk"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.API_SPEC_OPTIONS = {
            "info": {"description": "Queue system for public service desks (kiosk, counters, displays)."}
        }

    def _resolve(self, overrides: dict) -> None:
        """What follows from the settings once overrides are in: the key, the URL forms, the defaults."""
        self.SECRET_KEY = signing_key.resolve(self.SECRET_KEY, self.SERVICEDESK_ENV, ROOT / "instance")
        self.SQLALCHEMY_DATABASE_URI = database_url(self.SQLALCHEMY_DATABASE_URI)
        if "RATELIMIT_STORAGE_URI" not in overrides:
            self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        if "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
            self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.PUBLIC_URL = public_url(self.PUBLIC_URL, required=self.SERVICEDESK_ENV == "production")
        self.REQUIRE_DEVICE_TOKEN = on_off(self.REQUIRE_DEVICE_TOKEN, default=self.SERVICEDESK_ENV == "production")
