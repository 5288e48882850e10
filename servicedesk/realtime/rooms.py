"""Room names. A client is put in rooms when it connects; events are emitted to rooms."""

STAFF = "staff"  # the site's staff (no agency): every ticket and counter change of every agency
STAFF_ALL = "staff:all"  # every staff connection, site or agency: what belongs to the whole hall (display sound)
DISPLAYS = "displays"  # every waiting-room display: queue counts and counter states
CALLS_ALL = "calls:all"  # displays that announce every call


def user(user_id: int) -> str:
    """Every staff connection of one person: dropped together when their sessions end."""
    return f"{USER_PREFIX}{user_id}"


USER_PREFIX = "user:"


def staff_of(agency_id: int) -> str:
    """One agency's staff: only its own tickets, counters and queues reach them (issue 26)."""
    return f"{STAFF_AGENCY_PREFIX}{agency_id}"


STAFF_AGENCY_PREFIX = "staff:agency:"


def staff_for(agency_id: int | None) -> list[str]:
    """The staff rooms that see a change of a row of `agency_id` (None: a row of the site's own)."""
    return [STAFF] if agency_id is None else [STAFF, staff_of(agency_id)]


def ticket(token: str) -> str:
    return f"ticket:{token}"


def service(service_id: int) -> str:
    return f"service:{service_id}"


def calls_in_area(area: str) -> str:
    return f"calls:area:{area}"


def calls_for_service(service_id: int) -> str:
    return f"calls:service:{service_id}"


def calls_of_agency(agency_id: int) -> str:
    """An agency's own TV (a display device of that agency): its agency's calls only (issue 26)."""
    return f"calls:agency:{agency_id}"


def calls_for(area: str, service_id: int, agency_id: int | None = None) -> list[str]:
    """Every room that should announce a call at a counter in `area` for `service_id` (of `agency_id`)."""
    found = [CALLS_ALL, calls_in_area(area), calls_for_service(service_id)]
    return found if agency_id is None else [*found, calls_of_agency(agency_id)]
