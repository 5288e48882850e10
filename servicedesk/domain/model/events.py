"""The base of entities that record events for the unit of work to publish after the commit;
each entity's module defines the events it records."""

from __future__ import annotations


class _CollectsEvents:
    """Entities loaded by the ORM skip __init__, so the event list is created on first use."""

    @property
    def changes(self) -> list:
        if "_changes" not in self.__dict__:
            self.__dict__["_changes"] = []
        return self.__dict__["_changes"]
