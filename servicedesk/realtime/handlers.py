"""Socket.IO connect handling: who the client is decides its rooms; then it gets a snapshot."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import SocketIO, emit, join_room, leave_room
from flask_socketio import rooms as joined_rooms

from ..persistence.repository import Repository
from ..services import devices
from ..services.unit_of_work import UnitOfWork
from . import payloads, rooms, snapshots


def register(socketio: SocketIO, session, clock) -> None:
    @socketio.on("connect")
    def connect(auth=None):
        auth = auth if isinstance(auth, dict) else {}
        repo = Repository(session())
        now = clock()
        if auth.get("ticket"):
            ticket = repo.ticket_by_token(str(auth["ticket"]))
            if ticket is None:
                return False
            join_room(rooms.ticket(ticket.token))
            join_room(rooms.service(ticket.service_id))
            emit("snapshot", snapshots.ticket(session(), ticket, now))
            return True
        if "display" in auth or "area" in auth:
            office = repo.office()
            device = devices.authenticate(repo, auth.get("display"), "display")
            if device is None and (office.require_device_token or auth.get("display")):
                return False
            area = device.area if device else str(auth.get("area") or "")
            service_ids = device.service_ids if device else []
            join_room(rooms.DISPLAYS)
            if service_ids:
                for sid in service_ids:
                    join_room(rooms.calls_for_service(sid))
            elif device is not None and device.agency_id is not None:
                join_room(rooms.calls_of_agency(device.agency_id))  # an agency's own TV
            elif area:
                join_room(rooms.calls_in_area(area))
            else:
                join_room(rooms.CALLS_ALL)
            emit("snapshot", snapshots.display(session(), office, now, device, area))
            return True
        if current_user.is_authenticated and not current_user.is_auditor:  # an auditor reads reports only
            agency_id = current_user.agency_id
            join_room(rooms.STAFF if agency_id is None else rooms.staff_of(agency_id))
            join_room(rooms.STAFF_ALL)
            join_room(rooms.user(current_user.id))
            emit("snapshot", snapshots.staff(session(), now, current_user.agency_id))
            return True
        return False

    @socketio.on("display.sound")
    def display_sound(data=None):
        """A display tells whether its browser lets it speak: a registered one is remembered, and the
        supervisors' floors are told at once."""
        if rooms.DISPLAYS not in joined_rooms() or not isinstance(data, dict):
            return {"ok": False}
        muted, now = bool(data.get("muted")), clock()
        device = devices.report_sound(
            UnitOfWork(session(), clock=clock), token=data.get("display"), muted=muted, at=now
        )
        if device is not None:
            payload = payloads.display_sound(f"device:{device.id}", device.name, device.area, muted, now)
        else:
            payload = payloads.display_sound(f"sid:{request.sid}", "", str(data.get("area") or ""), muted, now)
        emit("display.sound", payload, to=rooms.STAFF_ALL)
        return {"ok": True}

    @socketio.on("disconnect")
    def disconnect(*_reason):
        """An unregistered display that leaves is no longer listed as muted (it has no row to keep)."""
        if rooms.DISPLAYS in joined_rooms():
            emit(
                "display.sound",
                payloads.display_sound(f"sid:{request.sid}", "", "", False, clock()),
                to=rooms.STAFF_ALL,
            )

    @socketio.on("follow")
    def follow(data=None):
        """A phone whose ticket was transferred follows its new service's queue: rooms and snapshot anew."""
        token = data.get("ticket") if isinstance(data, dict) else None
        ticket = Repository(session()).ticket_by_token(str(token)) if token else None
        if ticket is None or rooms.ticket(ticket.token) not in joined_rooms():
            return {"ok": False}
        for room in joined_rooms():
            if room.startswith("service:") and room != rooms.service(ticket.service_id):
                leave_room(room)
        join_room(rooms.service(ticket.service_id))
        emit("snapshot", snapshots.ticket(session(), ticket, clock()), to=request.sid)
        return {"ok": True}
