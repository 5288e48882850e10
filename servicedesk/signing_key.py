"""The SECRET_KEY that signs session cookies: whoever knows it can log in as anyone.

Production refuses a missing, default, placeholder or short key instead of starting with one that
is published in this repository. `make run` (SERVICEDESK_ENV=development) keeps a key of its own
in the instance folder, so a demo install is not signed with a public key either.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

#: SERVICEDESK_ENV values that are not production: `make run` and the test suite.
DEVELOPMENT = "development"
TESTING = "testing"
#: The shortest key accepted, in bytes (256 bits, what `secrets.token_hex(32)` gives as text and more).
MIN_BYTES = 32
#: Keys that were published with the code (config.py's old default, the systemd unit's placeholder).
KNOWN_KEYS = frozenset({"dev-only-change-me", "change-me-to-a-long-random-string", "test", "e2e-secret", "bench"})
PLACEHOLDER_WORDS = ("change-me", "changeme", "change_me", "replace-me", "your-secret", "secret-key", "…", "...")
HOW_TO = 'generate one with: python -c "import secrets; print(secrets.token_hex(32))"'


class InsecureSecretKey(RuntimeError):
    """Raised at start-up in production: the app must not run with a key others may know."""


def weakness(key: str | None) -> str | None:
    """Why `key` must not sign production sessions, or None when it may."""
    if not key:
        return "SECRET_KEY is not set"
    if key in KNOWN_KEYS:
        return "SECRET_KEY is a published default"
    lowered = key.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return "SECRET_KEY is a placeholder"
    if len(key.encode()) < MIN_BYTES:
        return f"SECRET_KEY is shorter than {MIN_BYTES} bytes"
    if len(set(key)) < 8:
        return "SECRET_KEY repeats too few characters to be random"
    return None


def instance_key(folder: Path) -> str:
    """This install's own development key, created once (readable by its owner only)."""
    path = folder / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if weakness(key) is None:
            return key
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    os.chmod(path, 0o600)
    return key


def resolve(key: str | None, environment: str, instance: Path) -> str:
    """The key to use in `environment` (SERVICEDESK_ENV); raise InsecureSecretKey in production."""
    if environment == TESTING:
        return key or "testing-only-key"
    if environment == DEVELOPMENT:
        return key if weakness(key) is None else instance_key(instance)
    problem = weakness(key)
    if problem:
        raise InsecureSecretKey(
            f"{problem}; production refuses to start with it. Set SECRET_KEY to at least {MIN_BYTES} "
            f"random bytes, {HOW_TO} (or run `make run` for a development install)."
        )
    return key
