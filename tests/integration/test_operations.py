"""What the operations team reads: health, readiness and metrics."""

import json
import logging

from servicedesk.ops.logs import JsonFormatter


def test_healthz_answers_without_touching_the_database(client):
    assert client.get("/healthz").json["status"] == "ok"


def test_readyz_checks_the_database(client):
    body = client.get("/readyz").json
    assert body == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_reports_an_unreachable_redis_as_503(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"].startswith("error")
    assert response.json["checks"]["database"] == "ok"


def test_metrics_show_queue_lengths_and_request_latency(client, office, clock):
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service_id": office.service("B")})
    clock.advance(minutes=10)
    text = client.get("/metrics").data.decode()
    assert 'servicedesk_waiting_tickets{service="B"} 3.0' in text
    assert 'servicedesk_waiting_tickets{service="A"} 0.0' in text
    assert 'servicedesk_longest_wait_seconds{service="B"} 600.0' in text
    assert 'servicedesk_request_seconds_count{endpoint="public_api.issue",method="POST",status="201"} 3.0' in text


def test_json_logs_are_one_object_per_line_with_extra_fields():
    record = logging.makeLogRecord(
        {"msg": "ticket %s issued", "args": ("A001",), "levelname": "INFO", "name": "servicedesk", "service": "A"}
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "ticket A001 issued"
    assert entry["service"] == "A" and entry["level"] == "INFO"


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/api/v1/services", "/healthz"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_the_browser_gets_a_favicon_instead_of_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.cache_control.max_age == 86400
    response.close()
