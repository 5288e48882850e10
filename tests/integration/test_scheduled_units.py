"""The scheduled jobs of booking and notifications have systemd timers in deploy/, and each runs a
command the application really has (a renamed command would fail silently at night)."""

from __future__ import annotations

import configparser
import shlex

import pytest

JOBS = {
    "servicedesk-booking-remind": ["booking", "remind"],
    "servicedesk-booking-redact": ["booking", "redact"],
    "servicedesk-notify-redact": ["notify", "redact"],
}


def unit(path) -> configparser.ConfigParser:
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    assert parsed.read(path), path
    return parsed


@pytest.mark.parametrize("name", sorted(JOBS))
def test_each_scheduled_job_has_a_persistent_daily_timer_and_runs_an_existing_command(name, repo_root, app):
    service = unit(repo_root / f"deploy/systemd/{name}.service")
    timer = unit(repo_root / f"deploy/systemd/{name}.timer")
    assert service["Service"]["Type"] == "oneshot" and service["Service"]["User"] == "servicedesk"
    assert timer["Timer"]["Persistent"] == "true" and timer["Timer"]["OnCalendar"].startswith("*-*-* ")
    assert timer["Install"]["WantedBy"] == "timers.target"
    command = shlex.split(service["Service"]["ExecStart"])
    assert command[:3] == ["/opt/servicedesk/.venv/bin/flask", "--app", "servicedesk"]
    assert command[3:] == JOBS[name]
    result = app.test_cli_runner().invoke(args=[*command[3:], "--help"])
    assert result.exit_code == 0, result.output


def test_the_deployment_guide_tells_how_to_enable_every_timer(repo_root):
    guide = (repo_root / "docs/deployment.md").read_text()
    for name in JOBS:
        assert f"{name}.timer" in guide
