"""End-to-end fixtures: a real server process and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicedesk.extensions import db
from tests.builders import OfficeBuilder, helper_app
from tests.conftest import need, wipe
from tests.servers import ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
# Tests write their screenshots to an ignored folder; `make screenshots` copies them to docs/screenshots.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


class LiveOffice:
    """A server process on an SQLite file, and an in-process app on the same file for setup and checks."""

    def __init__(self, url: str, server: ServerProcess):
        self.database_url = url
        self.server = server
        self.url = server.url
        self.app = helper_app(url)
        self.office: OfficeBuilder | None = None

    def reset(self) -> OfficeBuilder:
        with self.app.app_context():
            db.session.remove()
        wipe(self.database_url)
        self.office = OfficeBuilder(self.app)
        return self.office

    def clear(self) -> None:
        """Leave the server's SQLite file empty (it is the integration tests' too)."""
        with self.app.app_context():
            db.session.remove()
        wipe(self.database_url)


@pytest.fixture(scope="session")
def live_server(sqlite_url):
    # One server for the whole session: its rate limits would add up across tests (they are tested
    # in the integration suite), so they are off here. Each test rewrites the office behind the
    # server's back (wipe and seed), which a kept copy of the settings would not see for a moment.
    with ServerProcess(sqlite_url, env={"RATELIMIT_ENABLED": "0", "SETTINGS_CACHE_SECONDS": "0"}) as server:
        yield LiveOffice(sqlite_url, server)


@pytest.fixture
def live(live_server) -> LiveOffice:
    """The live server with a freshly seeded demo office (open around the clock)."""
    live_server.reset()
    yield live_server
    live_server.clear()


@pytest.fixture(scope="session")
def chromium():
    need(CHROMIUM.exists(), "Chromium (/usr/bin/chromium; apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-gpu",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


def generate_clips() -> None:
    """The display's recorded voice, up to date (`make clips` recorded it already), written by one
    process at a time: two pytest-xdist workers must not rewrite display/clips/manifest.json together."""
    import fcntl

    from servicedesk.ops import announce

    lock = Path(__file__).resolve().parents[2] / "instance" / "clips.lock"
    lock.parent.mkdir(exist_ok=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        announce.generate()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
