"""Facts about the browser code, read from its files: every script of ours is an ES module, helpers
live in one place (servicedesk/web/static/common/), and nothing is dead."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from servicedesk.web.assets import VENDOR

ROOT = Path(__file__).resolve().parents[2]
#: Where each static route of the app reads its files (docs/architecture.md: where a page lives).
STATIC = {
    "static": ROOT / "servicedesk" / "web" / "static",
    "kiosk.static": ROOT / "kiosk" / "static",
    "display.static": ROOT / "display" / "static",
}
URL_PREFIX = {
    "/static/": STATIC["static"],
    "/kiosk/static/": STATIC["kiosk.static"],
    "/display/static/": STATIC["display.static"],
}
TEMPLATES = [ROOT / "servicedesk" / "web" / "templates", ROOT / "kiosk" / "templates", ROOT / "display" / "templates"]
#: npm packages without an ES module build that works in a browser as it is, loaded once as a classic
#: script before the page's module, and why.
CLASSIC_VENDOR = {
    # chart.js's ESM build imports the bare name '@kurkle/color', which a browser resolves only through
    # an import map: an inline script, which the Content-Security-Policy (script-src 'self') forbids.
    "chart.umd.min.js",
}
#: The window properties a test reads on purpose (tests/e2e); no other global is ours.
TEST_GLOBALS = {"__display", "__displaySocket", "__spoken", "__voiceLog", "__kioskSpoken"}

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
URL_FOR = re.compile(r"url_for\('([\w.]+)',\s*(?:filename|name)='([^']+)'\)")
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'"]*?\bfrom\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']""", re.M)
FUNCTION = re.compile(
    r"\bfunction\s*\*?\s+([A-Za-z_$][\w$]*)\s*\("
    r"|\bclass\s+([A-Za-z_$][\w$]*)"
    r"|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)"
)


COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\])//[^\n]*", re.S)


def code(path: Path) -> str:
    """A script without its comments, whose prose would read as code."""
    return COMMENT.sub("", path.read_text())


def our_scripts() -> list[Path]:
    return sorted(path for folder in STATIC.values() for path in folder.rglob("*.js"))


def script_tags() -> list[tuple[Path, str, str]]:
    """(template, attributes, body) of every <script> in our templates."""
    return [
        (path, match[1], match[2])
        for folder in TEMPLATES
        for path in folder.rglob("*.html")
        for match in SCRIPT_TAG.finditer(path.read_text())
    ]


def loaded_file(attributes: str) -> tuple[str, str] | None:
    found = URL_FOR.search(attributes)
    return (found[1], found[2]) if found else None


def imported(path: Path) -> list[Path]:
    """The files of ours `path` imports (vendor modules left out)."""
    out = []
    for match in IMPORT.finditer(code(path)):
        specifier = match[1] or match[2]
        if specifier.startswith("/vendor/"):
            continue
        prefix = next((p for p in URL_PREFIX if specifier.startswith(p)), None)
        out.append(URL_PREFIX[prefix] / specifier[len(prefix) :] if prefix else (path.parent / specifier).resolve())
    return out


def test_every_page_loads_our_scripts_as_es_modules():
    classic = []
    for template, attributes, body in script_tags():
        if 'type="application/json"' in attributes:
            continue  # data for the page's module, never run
        source = loaded_file(attributes)
        assert source, f"{template.name}: an inline script ({body.strip()[:40]!r}); the CSP forbids them"
        route, name = source
        if route == "assets.vendor" and name in CLASSIC_VENDOR:
            continue
        if 'type="module"' not in attributes:
            classic.append(f"{template.relative_to(ROOT)}: {name}")
    assert classic == []


def test_no_two_of_our_scripts_define_the_same_function_name():
    defined = defaultdict(set)
    for path in our_scripts():
        for match in FUNCTION.finditer(code(path)):
            defined[next(filter(None, match.groups()))].add(str(path.relative_to(ROOT)))
    assert {name: sorted(files) for name, files in defined.items() if len(files) > 1} == {}


def test_every_script_of_ours_is_loaded_by_a_page_or_imported_and_every_import_exists():
    reached, missing = set(), []
    pending = [
        STATIC[source[0]] / source[1]
        for _, attributes, _ in script_tags()
        if (source := loaded_file(attributes)) and source[0] in STATIC
    ]
    while pending:
        path = pending.pop()
        if path in reached:
            continue
        if not path.is_file():
            missing.append(str(path.relative_to(ROOT)))
            continue
        reached.add(path)
        pending.extend(imported(path))
    assert missing == []
    # A service worker is started by the browser from a route of ours (web/notify_pages.py), not a page.
    reached |= {path for path in our_scripts() if path.name.endswith("-sw.js")}
    assert [str(path.relative_to(ROOT)) for path in our_scripts() if path not in reached] == []


def test_modules_import_only_vendor_files_the_app_serves():
    wanted = {
        specifier.removeprefix("/vendor/")
        for path in our_scripts()
        for match in IMPORT.finditer(code(path))
        if (specifier := match[1] or match[2]).startswith("/vendor/")
    }
    assert wanted, "the live pages import socket.io-client's ES module build"
    assert wanted <= set(VENDOR)
    loaded = {
        source[1]
        for _, attributes, _ in script_tags()
        if (source := loaded_file(attributes)) and source[0] == "assets.vendor"
    }
    assert set(VENDOR) == wanted | loaded, "a vendor file no page uses"


def test_our_scripts_set_no_global_but_those_tests_read():
    assigned = {
        name for path in our_scripts() for name in re.findall(r"\bwindow\.([A-Za-z_$][\w$]*)\s*=(?!=)", code(path))
    }
    assert assigned <= TEST_GLOBALS
