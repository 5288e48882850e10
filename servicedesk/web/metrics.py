"""Prometheus-style /metrics for the operations team: request latency, queue lengths and waits."""

from __future__ import annotations

import time
from datetime import datetime

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from ..extensions import db
from ..persistence import queries

bp = Blueprint("metrics", __name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class QueueCollector:
    """Read at scrape time, so the numbers are the database's, whichever process answers."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        waiting = GaugeMetricFamily("servicedesk_waiting_tickets", "Tickets waiting per service", labels=["service"])
        longest = GaugeMetricFamily(
            "servicedesk_longest_wait_seconds", "Longest current wait per service", labels=["service"]
        )
        open_counters = GaugeMetricFamily(
            "servicedesk_counters_open", "Counters open for each service", labels=["service"]
        )
        with self.app.app_context():
            now: datetime = self.app.config["CLOCK"]()
            services = queries.services(db.session)
            for line in queries.service_lines(db.session, services, now).values():
                code = line.service.code
                waiting.add_metric([code], len(line.waiting))
                oldest = min((e.queued_at for e in line.waiting), default=None)
                longest.add_metric([code], (now - oldest).total_seconds() if oldest else 0.0)
                open_counters.add_metric([code], line.counters_open)
            db.session.remove()
        yield from (waiting, longest, open_counters)


def init_app(app: Flask) -> None:
    registry = CollectorRegistry()
    latency = Histogram(
        "servicedesk_request_seconds",
        "HTTP request latency",
        ["method", "endpoint", "status"],
        buckets=LATENCY_BUCKETS,
        registry=registry,
    )
    registry.register(QueueCollector(app))
    app.extensions["servicedesk.metrics"] = registry

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("request_started", None)
        if started is not None and request.endpoint != "metrics.metrics":
            latency.labels(request.method, request.endpoint or "unmatched", str(response.status_code)).observe(
                time.perf_counter() - started
            )
        return response

    app.register_blueprint(bp)


@bp.get("/metrics")
def metrics():
    return Response(generate_latest(current_app.extensions["servicedesk.metrics"]), mimetype=CONTENT_TYPE_LATEST)
