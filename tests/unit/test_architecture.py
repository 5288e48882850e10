"""Facts about the package's shape that a reviewer would otherwise check by hand: no import circle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "servicedesk"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every servicedesk module `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
    return {target for target in found if target in known and target != name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return result


def test_the_import_graph_reads_relative_imports_of_modules_and_names():
    graph = import_graph()
    assert "servicedesk.services.admin" in graph["servicedesk.services.devices"]
    assert "servicedesk.domain.model" in graph["servicedesk.services.devices"]


def test_no_module_of_the_package_takes_part_in_an_import_circle():
    graph = import_graph()
    # The package's own __init__ is the app factory: it imports every layer inside create_app(), and
    # nothing imports it back except to call create_app; it is left out so that it is not a circle by fiat.
    graph = {name: targets - {"servicedesk"} for name, targets in graph.items() if name != "servicedesk"}
    assert cycles(graph) == []


def test_a_circle_of_two_modules_is_found_and_a_chain_is_not():
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


#: Imports between blueprints of the admin area, which another change moves below both (the display's
#: announcement images, the kiosk's logo, the admin pages' shared base). Emptied when that change is merged.
KNOWN_UNTIL_ADMIN_MOVES: set = set()


def blueprint_of(name: str, blueprints: set[str]) -> str | None:
    """The blueprint a module belongs to: a package that creates one (web/api, web/admin) is one blueprint."""
    owners = [bp for bp in blueprints if name == bp or name.startswith(bp + ".")]
    return max(owners, key=len) if owners else None


def blueprint_modules(found: dict[str, Path]) -> set[str]:
    """Modules that create a Blueprint; one inside a package of web/ (web/api, web/admin) counts as that package."""
    creating = {name for name, path in found.items() if "Blueprint(" in path.read_text()}
    return {".".join(name.split(".")[:3]) for name in creating}


def lateral_imports(graph: dict[str, set[str]], blueprints: set[str]) -> set[tuple[str, str]]:
    found = set()
    for name, targets in graph.items():
        own = blueprint_of(name, blueprints)
        if own is None:
            continue
        for target in targets:
            other = blueprint_of(target, blueprints)
            if other is not None and other != own:
                found.add((name, target))
    return found


def test_no_blueprint_module_imports_another_blueprint_module():
    found = modules()
    blueprints = blueprint_modules(found)
    assert {"servicedesk.web.api", "servicedesk.web.admin", "servicedesk.web.kiosk"} <= blueprints
    assert lateral_imports(import_graph(), blueprints) - KNOWN_UNTIL_ADMIN_MOVES == set()


def test_a_blueprint_importing_another_is_found_and_one_importing_its_own_package_is_not():
    blueprints = {"web.api", "web.kiosk", "web.display"}
    graph = {
        "web.api.public": {"web.api.errors", "web.kiosk"},
        "web.kiosk": {"web.screens"},
        "web.display": {"web.screens"},
        "web.api.errors": set(),
        "web.screens": set(),
    }
    assert lateral_imports(graph, blueprints) == {("web.api.public", "web.kiosk")}


#: Admin use cases and pages that still query the session themselves; another change moves their SQL
#: into persistence/. Emptied when that change is merged.
SQL_KNOWN_UNTIL_ADMIN_MOVES: set = set()

SESSION_SQL = re.compile(r"\bsession\.(execute|query|get|scalars?)\(")


def _calls_select(called: ast.expr, names: set[str]) -> bool:
    """select(...) under a name imported from sqlalchemy, or sqlalchemy.select(...) / sa.select(...)."""
    if isinstance(called, ast.Name):
        return called.id in names
    return (
        isinstance(called, ast.Attribute)
        and called.attr == "select"
        and isinstance(called.value, ast.Name)
        and called.value.id in ("sqlalchemy", "sa")
    )


def sql_in(source: str) -> list[str]:
    """The lines of `source` that query a session or build a SQLAlchemy select()."""
    selects = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            selects.update(alias.asname or alias.name for alias in node.names if alias.name == "select")
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _calls_select(node.func, selects):
            found.append(node.lineno)
    lines = source.splitlines()
    found += [number for number, line in enumerate(lines, start=1) if SESSION_SQL.search(line)]
    return [lines[number - 1].strip() for number in sorted(set(found))]


def test_no_sql_outside_persistence():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("persistence/") or relative in SQL_KNOWN_UNTIL_ADMIN_MOVES:
            continue
        if lines := sql_in(path.read_text()):
            found[relative] = lines
    assert found == {}


def test_session_queries_and_sqlalchemy_selects_are_found_and_other_selects_are_not():
    source = (
        "import select\n"
        "from sqlalchemy import func, select as sql_select\n"
        "a = uow.session.get(Device, 1)\n"
        "b = db.session.scalars(sql_select(Ticket))\n"
        "c = select.select([sock], [], [], 0)\n"
        "d = repo.session_of(1)\n"
    )
    assert sql_in(source) == ["a = uow.session.get(Device, 1)", "b = db.session.scalars(sql_select(Ticket))"]
    assert sql_in("from sqlalchemy import select\nrows = select(t.users)\n") == ["rows = select(t.users)"]
