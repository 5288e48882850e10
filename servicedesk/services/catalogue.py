"""Import and export of the whole service catalogue, as YAML or CSV. All rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..domain.audit import diff, service_snapshot
from ..domain.catalogue import (
    FIELDS,
    LIST_FIELDS,
    LIST_SEPARATOR,
    CatalogueInvalid,
    RowError,
    export_row,
    parse_catalogue,
)
from ..domain.cells import spreadsheet_safe, spreadsheet_unquoted
from ..domain.errors import FieldInvalid
from ..domain.model import Service
from ..persistence import queries
from ..persistence.repository import Repository
from . import audit
from .unit_of_work import UnitOfWork


class NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors' aliases (*name): a catalogue never needs them, and a
    few nested aliases ("billion laughs") expand to billions of nodes. Refused as the first alias
    is read, before anything is expanded."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted in a catalogue", event.start_mark
            )
        return super().compose_node(parent, index)


def read_rows(text: str, fmt: str) -> list[tuple[int, dict]]:
    """(line number, raw row) pairs; the line is where a person finds the row in the file."""
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        rows = []
        for row in reader:
            rows.append(
                (
                    reader.line_num,
                    {
                        k: spreadsheet_unquoted(v)
                        for k, v in row.items()
                        if k is not None and isinstance(v, str) and v != ""
                    },
                )
            )
        return rows
    if fmt == "yaml":
        try:
            node = yaml.compose(text, Loader=NoAliasLoader)
            data = yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 - a SafeLoader, see NoAliasLoader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise CatalogueInvalid(
                [RowError(mark.line + 1 if mark else 1, "-", _refused("yaml", reason=str(exc)))]
            ) from None
        except ValueError as exc:  # a value YAML reads but Python cannot hold, e.g. the date 2026-02-30
            raise CatalogueInvalid([RowError(1, "-", _refused("unreadable_value", reason=str(exc)))]) from None
        if isinstance(data, dict):
            data = data.get("services")
            node = next((value for key, value in node.value if key.value == "services"), None)
        if not isinstance(data, list):
            raise CatalogueInvalid([RowError(1, "-", _refused("not_a_list"))])
        return [(item.start_mark.line + 1, row) for item, row in zip(node.value, data, strict=True)]
    raise ValueError("format must be yaml or csv")


def _refused(code: str, **params) -> FieldInvalid:
    return FieldInvalid(code, "-", **params)


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    return "csv" if suffix == ".csv" else "yaml"


@dataclass(frozen=True)
class PlannedChange:
    """What importing one row would do to the service with that code."""

    code: str
    kind: str  # created, updated or unchanged
    changes: dict[str, tuple]  # field -> (now, after the import)


def plan_import(repo: Repository, parsed: list[dict]) -> list[PlannedChange]:
    """Compare each parsed row with the stored service of its code; nothing is changed."""
    plan = []
    for fields in parsed:
        proposed = export_row(Service(**fields))
        service = repo.service_by_code(fields["code"])
        if service is None:
            plan.append(PlannedChange(fields["code"], "created", diff(None, proposed)))
            continue
        changes = diff(export_row(service), proposed)
        plan.append(PlannedChange(service.code, "updated" if changes else "unchanged", changes))
    return plan


def preview_catalogue(repo: Repository, text: str, fmt: str) -> list[PlannedChange]:
    """What an import of this file would change, or CatalogueInvalid with every bad row."""
    return plan_import(repo, parse_catalogue(read_rows(text, fmt)))


def import_catalogue(uow: UnitOfWork, text: str, fmt: str, *, user_id: int | None = None) -> dict[str, list[str]]:
    """Create services that are new, update those whose code exists; report what changed.

    Every created or updated service gets an audit row in the same transaction (user_id None:
    the command line).
    """
    parsed = parse_catalogue(read_rows(text, fmt))
    changes = {"created": [], "updated": [], "unchanged": []}
    for position, fields in enumerate(parsed):
        service = uow.repo.service_by_code(fields["code"])
        before = None if service is None else export_row(service)
        with audit.audited(
            uow, user_id=user_id, action="import", entity="service", snapshot=service_snapshot, target=service
        ) as change:
            if service is None:
                change.target = service = Service(position=position, **fields)
                uow.repo.add(service)
            else:
                for key, value in fields.items():
                    setattr(service, key, value)
                service.position = position
        outcome = "created" if before is None else "updated" if export_row(service) != before else "unchanged"
        changes[outcome].append(service.code)
    uow.commit()
    return changes


def export_catalogue(session, fmt: str) -> str:
    rows = [export_row(s) for s in queries.services(session, active_only=False)]
    if fmt == "yaml":
        return yaml.safe_dump({"services": rows}, allow_unicode=True, sort_keys=False)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS))
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: spreadsheet_safe(LIST_SEPARATOR.join(v) if k in LIST_FIELDS else v) for k, v in row.items()}
        )
    return out.getvalue()
