"""Room names. A client is put in rooms when it connects; events are emitted to rooms."""

STAFF = "staff"  # officers, supervisors and admins: every ticket and counter change
DISPLAYS = "displays"  # every waiting-room display: queue counts and counter states
CALLS_ALL = "calls:all"  # displays that announce every call


def user(user_id: int) -> str:
    """Every staff connection of one person: dropped together when their sessions end."""
    return f"{USER_PREFIX}{user_id}"


USER_PREFIX = "user:"


def ticket(token: str) -> str:
    return f"ticket:{token}"


def service(service_id: int) -> str:
    return f"service:{service_id}"


def calls_in_area(area: str) -> str:
    return f"calls:area:{area}"


def calls_for_service(service_id: int) -> str:
    return f"calls:service:{service_id}"


def calls_for(area: str, service_id: int) -> list[str]:
    """Every room that should announce a call at a counter in `area` for `service_id`."""
    return [CALLS_ALL, calls_in_area(area), calls_for_service(service_id)]
