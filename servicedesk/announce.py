"""Records the clips the display plays for a call, with espeak-ng and sox, at build time (`make clips`).

The display must speak on a plain Chromium with no speech service and no internet, so the project
records its own voice: every word of servicedesk.domain.spoken's lexicon, in Indonesian and English,
plus the bell. An office that prefers its own recordings puts files with the same names in
instance/voice/ (e.g. instance/voice/id/seratus.mp3); the app serves those first.

Run `python -m servicedesk.announce` (or `make clips`); it only records what is missing or changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .config import ROOT
from .domain import spoken

#: Where the recorded clips go (git-ignored: they are built, not written).
GENERATED = ROOT / "display" / "clips"
#: File types a clip may have, in the order they are looked for (an office's recordings are often mp3).
EXTENSIONS = (".wav", ".mp3", ".ogg", ".opus", ".m4a")

#: espeak-ng voice and speed per language. A public-address call is read slower than speech.
VOICES = {"id": ("id", 135), "en": ("en", 140)}
SAMPLE_RATE = 22050

# sox effects: cut the silence espeak leaves around a word, keep a short breath after it, and bring
# every clip to the same loudness so a sentence built from them does not jump in volume.
TRIM = ["silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"]
FINISH = ["norm", "-3", "pad", "0", "0.06"]


class ToolMissing(RuntimeError):
    """espeak-ng or sox is not installed."""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} is not installed (Debian: apt-get install espeak-ng sox)")
    return path


def _ssml(text: str, name: str) -> str:
    """Letters are spelled by the voice (Indonesian "be", "ce", "ki"); words and phrases are read."""
    if "/letter-" in name:
        return f'<speak><say-as interpret-as="characters">{text}</say-as></speak>'
    return f"<speak>{text}</speak>"


def _record_word(name: str, text: str, language: str, target: Path, scratch: Path) -> None:
    voice, speed = VOICES[language]
    raw = scratch / "raw.wav"
    subprocess.run(
        [_tool("espeak-ng"), "-m", "-v", voice, "-s", str(speed), "-w", str(raw), _ssml(text, name)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [_tool("sox"), str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(target), *TRIM, *FINISH],
        check=True,
        capture_output=True,
    )


#: The bell: three descending notes (G5, E5, C5), each with its octave as a soft overtone.
CHIME = (("G5", 0.5), ("E5", 0.5), ("C5", 1.0))


def _record_bell(target: Path, scratch: Path) -> None:
    """A chime like an airport's, so the hall looks up before the voice starts."""
    sox = _tool("sox")
    notes: list[str] = []
    for i, (note, length) in enumerate(CHIME):
        octave = note[:-1] + str(int(note[-1]) + 1)
        path = scratch / f"note{i}.wav"
        fmt = ["-r", str(SAMPLE_RATE), "-c", "1", "-b", "16"]
        synth = ["synth", str(length), "sine", note, "synth", str(length), "sine", "mix", octave]
        shape = ["vol", "0.3", "fade", "l", "0.005", str(length), str(length - 0.05)]
        subprocess.run([sox, "-n", *fmt, str(path), *synth, *shape], check=True, capture_output=True)
        notes.append(str(path))
    subprocess.run([sox, *notes, str(target), "pad", "0", "0.25", "norm", "-3"], check=True, capture_output=True)


def recipes() -> dict[str, str]:
    """Every clip to record, by name, with what decides its sound (text, voice, speed)."""
    wanted = {spoken.BELL: f"chime {CHIME}"}
    for language in spoken.LANGUAGES:
        voice, speed = VOICES[language]
        for name, text in spoken.lexicon(language).items():
            wanted[name] = f"{voice}:{speed}:{text}"
    return wanted


def generate(folder: Path = GENERATED, *, force: bool = False) -> list[str]:
    """Record the clips that are missing or whose recipe changed; return their names.

    A manifest remembers the recipe behind each file, so changing a word's text or the voice
    re-records that word and nothing else.
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / "manifest.json"
    manifest = {} if force or not manifest_path.exists() else json.loads(manifest_path.read_text())
    recorded: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, recipe in recipes().items():
            target = folder / f"{name}.wav"
            digest = hashlib.sha256(f"{recipe}|{TRIM}|{FINISH}|{SAMPLE_RATE}".encode()).hexdigest()
            if manifest.get(name) == digest and target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if name == spoken.BELL:
                _record_bell(target, Path(scratch))
            else:
                language = name.split("/", 1)[0]
                _record_word(name, spoken.lexicon(language)[name], language, target, Path(scratch))
            manifest[name] = digest
            recorded.append(name)
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return recorded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=GENERATED, help="where to write the clips")
    parser.add_argument("--force", action="store_true", help="record every clip again")
    args = parser.parse_args(argv)
    try:
        recorded = generate(args.folder, force=args.force)
    except ToolMissing as missing:
        print(f"clips: {missing}", file=sys.stderr)
        return 1
    total = len(recipes())
    print(f"clips: {len(recorded)} recorded, {total - len(recorded)} up to date in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
