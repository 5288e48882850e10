"""What the officer's console and the supervisor's floor both hand their scripts about a service."""

from __future__ import annotations

from ..domain.alerts import service_threshold, wait_threshold
from ..domain.model import Service
from ..realtime import payloads


def service_info(service: Service) -> dict:
    """What the console's script needs about a service: its name, standard time and thresholds."""
    return {
        **payloads.service_ref(service),
        "standard_minutes": service.standard_minutes,
        "alert_wait_minutes": wait_threshold(service),
        "alert_service_minutes": service_threshold(service),
    }
