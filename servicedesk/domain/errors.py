"""Errors the domain raises; each carries a stable code the API and the pages translate."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the queue refused an action."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}


class InvalidTransition(DomainError):
    code = "invalid_transition"


class IssuingRefused(DomainError):
    """The kiosk cannot issue a ticket now; `code` says why (closed, holiday, quota...)."""

    code = "issuing_refused"


class QueueEmpty(DomainError):
    code = "queue_empty"


class NotAllowed(DomainError):
    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class CounterBusy(DomainError):
    code = "counter_busy"
