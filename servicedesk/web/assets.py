"""Front-end libraries from the npm registry (node_modules/), served by the app: offices may be offline."""

from __future__ import annotations

from flask import Blueprint, abort, send_file

from ..config import ROOT

bp = Blueprint("assets", __name__)

NODE_MODULES = ROOT / "node_modules"
#: The files pages may load, by the name they load them under: ES module builds where the package
#: ships one that a browser runs as it is (tests/unit/test_browser_code.py says why chart.js does not).
VENDOR = {
    "socket.io.esm.min.js": "socket.io-client/dist/socket.io.esm.min.js",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
}


@bp.get("/vendor/<name>")
def vendor(name: str):
    relative = VENDOR.get(name)
    path = NODE_MODULES / relative if relative else None
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, max_age=24 * 3600)
