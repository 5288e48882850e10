"""Liveness and readiness for load balancers and systemd: /healthz (the process runs), /readyz (it can work)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..extensions import db, socketio
from ..persistence.engine import ping

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok", "async_mode": socketio.async_mode})


@bp.get("/readyz")
def readyz():
    checks: dict[str, str] = {}
    try:
        ping(db.session)
        checks["database"] = "ok"
    except Exception as exc:  # report, do not raise: this endpoint exists to say what is down
        db.session.rollback()
        checks["database"] = f"error: {exc.__class__.__name__}"
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1).ping()
            checks["redis"] = "ok"
        except redis.RedisError as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify({"status": "ok" if ready else "unavailable", "checks": checks}), 200 if ready else 503
