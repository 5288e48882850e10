"""The ceiling for the issuing benchmark: a Flask app that parses a JSON body and answers JSON, nothing else.

Served by the same gunicorn + gevent configuration as the product (gunicorn.conf.py), so the ratio
product ÷ bare says how much of the server's capacity the product's own work takes.
"""

from __future__ import annotations

import itertools

from flask import Flask, jsonify, request

app = Flask(__name__)
_numbers = itertools.count(1)


@app.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@app.post("/api/v1/tickets")
def issue():
    body = request.get_json()
    return jsonify({"number": f"B{next(_numbers):03d}", "service_id": body["service_id"], "status": "waiting"}), 201
