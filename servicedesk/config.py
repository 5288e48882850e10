"""Settings from the environment, so one build runs a mini-PC on SQLite or a service mall on PostgreSQL."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

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
    return {
        "pool_size": int(os.environ.get("DATABASE_POOL_SIZE", "10")),
        "max_overflow": int(os.environ.get("DATABASE_MAX_OVERFLOW", "0")),
        "pool_timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        # psycopg 3 connections are checked at checkout without a round trip (persistence/engine.py);
        # any other driver gets SQLAlchemy's ping, a SELECT 1 per checkout.
        "pool_pre_ping": not url.startswith("postgresql+psycopg://"),
    }


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
        self.SECRET_KEY = env.get("SECRET_KEY", "dev-only-change-me")
        self.SQLALCHEMY_DATABASE_URI = database_url(env.get("DATABASE_URL"))
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
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
        self.MAX_CONTENT_LENGTH = 64 * 1024
        self.JSON_SORT_KEYS = False
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env.get("SESSION_COOKIE_SECURE", "0") == "1"
        # A staff page session ends after this long without a request (renewed by each request).
        self.PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(env.get("SESSION_LIFETIME_MINUTES", "240")))
        # Behind nginx: how many proxies set X-Forwarded-For/-Proto (0 = trust none).
        self.TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "0"))
        # Name the answering process in a response header (multi-process diagnostics and tests).
        self.SERVED_BY_HEADER = env.get("SERVED_BY_HEADER", "0") == "1"
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
        # `flask audit digest` also POSTs the day's digest here (a copy of the proof outside the database).
        self.AUDIT_DIGEST_WEBHOOK_URL = env.get("AUDIT_DIGEST_WEBHOOK_URL") or None
        self.AUDIT_DIGEST_WEBHOOK_TIMEOUT = float(env.get("AUDIT_DIGEST_WEBHOOK_TIMEOUT", "5"))

        self.API_TITLE = "servicedesk"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.API_SPEC_OPTIONS = {
            "info": {"description": "Queue system for public service desks (kiosk, counters, displays)."}
        }
        for key, value in (overrides or {}).items():
            setattr(self, key, value)
        self.SQLALCHEMY_DATABASE_URI = database_url(self.SQLALCHEMY_DATABASE_URI)
        if "RATELIMIT_STORAGE_URI" not in (overrides or {}):
            self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        if "SQLALCHEMY_ENGINE_OPTIONS" not in (overrides or {}):
            self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
