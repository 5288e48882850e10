"""Kiosks and displays: registration, their settings and printer, token rotation."""

from __future__ import annotations

from flask import (
    Response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ...domain.model import Device
from ...domain.slip import BROWSER, DEFAULT_PRINTER_PORT, KioskPrinter, usb_id
from ...extensions import db
from ...persistence import setup
from ...services import admin
from ..context import unit_of_work
from .base import _actor, _agency, _or_404, _saved, _services, admin_only, bp, readable
from .forms import AdminForm, ListField, Required, Text, check, submitted, text


def _device_values(device: Device | None, kind: str = "kiosk") -> dict:
    if device is None:
        return {
            "kind": kind,
            "service_ids": [],
            "copies": "1",
            "auto_print": True,
            "active": True,
            "print_mode": BROWSER,
            "printer_port": str(DEFAULT_PRINTER_PORT),
        }
    printer = KioskPrinter.of(device.settings)
    return {
        "kind": device.kind,
        "name": device.name,
        "area": device.area,
        "service_ids": [str(i) for i in device.service_ids or []],
        "paper_width_mm": str(printer.paper_width_mm or ""),
        "auto_print": printer.auto_print,
        "copies": str(printer.copies),
        "print_mode": printer.mode,
        "printer_host": printer.host,
        "printer_port": str(printer.port),
        "usb_vendor_id": usb_id(printer.usb_vendor_id),
        "usb_product_id": usb_id(printer.usb_product_id),
        "active": device.active,
    }


class DeviceForm(AdminForm):
    """A kiosk's printer settings are checked by the domain (domain/slip.py), coded."""

    name = text(Required(), Text(100))
    area = text(Text(100))
    service_ids = ListField()
    active = check()
    paper_width_mm = text()
    auto_print = check()
    copies = text()
    print_mode = text()
    printer_host = text()
    printer_port = text()
    usb_vendor_id = text()
    usb_product_id = text()


class NewDeviceForm(DeviceForm):
    kind = text()


def _device_page(device, values, errors, status=200):
    return render_template(
        "admin/device_form.html", device=device, values=values, errors=errors, services=_services()
    ), status


def _token_page(device: Device, token: str):
    """The only time the token is shown: the response must not be cached anywhere."""
    path = url_for("kiosk.index") if device.kind == "kiosk" else url_for("display.index")
    link = f"{request.host_url.rstrip('/')}{path}?device={token}"
    response = Response(render_template("admin/device_token.html", device=device, token=token, link=link))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/devices")
@readable
def devices():
    rows = setup.devices(db.session, _agency())
    codes = {s.id: s.code for s in _services()}
    return render_template("admin/devices.html", devices=rows, codes=codes)


@bp.route("/devices/new", methods=["GET", "POST"])
@readable
def device_new():
    if request.method == "GET":
        kind = request.args.get("kind", "kiosk")
        return _device_page(None, _device_values(None, kind if kind in ("kiosk", "display") else "kiosk"), {})
    form = NewDeviceForm()
    try:
        device, token = submitted(form, lambda uow, data: admin.register_device(uow, actor_id=_actor(), data=data))
    except admin.Invalid as invalid:
        form.refuse(invalid)
        return _device_page(None, form.values(), form.messages, 400)
    return _token_page(device, token)


@bp.route("/devices/<int:device_id>", methods=["GET", "POST"])
@readable
def device_edit(device_id: int):
    device = _or_404(Device, device_id)
    if request.method == "GET":
        return _device_page(device, _device_values(device), {})
    form = DeviceForm()
    try:
        submitted(form, lambda uow, data: admin.update_device(uow, actor_id=_actor(), device_id=device_id, data=data))
    except admin.Invalid as invalid:
        form.refuse(invalid)
        return _device_page(device, form.values() | {"kind": device.kind}, form.messages, 400)
    return _saved(_("%(name)s saved.", name=device.name), "admin.devices")


@bp.post("/devices/<int:device_id>/rotate")
@admin_only
def device_rotate(device_id: int):
    device = _or_404(Device, device_id)
    with unit_of_work() as uow:
        token = admin.rotate_device_token(uow, actor_id=_actor(), device_id=device_id)
    return _token_page(device, token)


# --- office settings, logo, holidays ---
