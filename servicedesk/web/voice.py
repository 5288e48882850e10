"""Where the waiting-room voice's clips are found, which language a TV can say its calls in, and
recording the agencies' names for the hall.

Shared by the display (which serves the clips) and the administration (which records an agency's name
when it is saved); the recording itself is servicedesk/ops/announce.py's.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from flask import current_app

from ..domain import spoken
from ..ops.announce import EXTENSIONS, GENERATED, ToolMissing, record_agencies


def voice_folders() -> list[Path]:
    """The office's own recordings first (instance/voice/ by default), then the clips recorded for this
    install (its agencies' names, instance/clips/), then the project's generated clips."""
    own = current_app.config.get("VOICE_FOLDER") or Path(current_app.instance_path) / "voice"
    generated = current_app.config.get("VOICE_CLIPS_FOLDER") or GENERATED
    return [Path(own), install_clips_folder(), Path(generated)]


def install_clips_folder() -> Path:
    return Path(current_app.config.get("VOICE_INSTALL_FOLDER") or Path(current_app.instance_path) / "clips")


def find_clip(name: str) -> Path | None:
    for folder in voice_folders():
        for extension in EXTENSIONS:
            path = folder / f"{name}{extension}"
            if path.is_file():
                return path
    return None


def recorded(language: str) -> bool:
    """Are the clips of `language` recorded here (`make clips`, or the office's own)? Its first phrase
    stands for the set: they are recorded together."""
    opening, _closing = spoken.PHRASES[language]
    return find_clip(f"{language}/{opening[0]}") is not None


def voice_language(wanted: str, site: str) -> str:
    """The language a TV says a call in: `wanted` (its agency's), unless no clip of it is recorded here
    while the site's are: then the site's, a recorded voice being surer than the browser's (a TV often
    has no speech engine at all)."""
    if wanted != site and not recorded(wanted) and recorded(site):
        return site
    return wanted


def record_agency_voices(agencies: list[tuple[str, str]]) -> list[str]:
    """Record the agencies' names (code, short name) for the hall's voice; without espeak-ng (or if it
    fails) nothing is recorded and the TV reads the name with the browser's voice instead."""
    try:
        return record_agencies(install_clips_folder(), agencies)
    except (ToolMissing, OSError, subprocess.CalledProcessError, ValueError) as failed:
        current_app.logger.warning("agency names not recorded for the hall's voice: %s", failed)
        return []
