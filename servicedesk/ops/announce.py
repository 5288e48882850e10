"""Records the clips the display plays for a call, with espeak-ng, at build time (`make clips`).

The display must speak on a plain Chromium with no speech service and no internet, so the project
records its own voice: every word of servicedesk.domain.spoken's lexicon, in Indonesian and English,
plus the bell. An office that prefers its own recordings puts files with the same names in
instance/voice/ (e.g. instance/voice/id/seratus.mp3); the app serves those first.

Run `python -m servicedesk.ops.announce` (or `make clips`); it only records what is missing or changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import subprocess
import sys
import tempfile
import wave
from array import array
from pathlib import Path

from ..config import ROOT
from ..domain import guidance, spoken

#: Where the recorded clips go (git-ignored: they are built, not written).
GENERATED = ROOT / "display" / "clips"
#: File types a clip may have, in the order they are looked for (an office's recordings are often mp3).
EXTENSIONS = (".wav", ".mp3", ".ogg", ".opus", ".m4a")

#: espeak-ng voice and speed per language. A public-address call is read slower than speech.
VOICES = {"id": ("id", 135), "en": ("en", 140)}

# Every clip is cut to its sound (espeak leaves silence around a word), keeps a short breath after
# it, and peaks at the same level, so a sentence built from clips neither stalls nor jumps in volume.
SILENCE = 0.005  # of full scale: quieter than this at the edges is silence
BREATH = 0.06  # seconds of silence after a word
PEAK = 0.7  # of full scale, about -3 dBFS

#: The bell: three descending notes (Hz, seconds), each with its octave as a soft overtone.
CHIME = ((783.99, 0.5), (659.25, 0.5), (523.25, 1.0))
CHIME_RATE = 22050


class ToolMissing(RuntimeError):
    """espeak-ng is not installed."""


def _espeak() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        raise ToolMissing("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    return path


def _ssml(text: str, name: str) -> str:
    """Letters are spelled by the voice (Indonesian "be", "ce", "ki"); words and phrases are read."""
    if "/letter-" in name:
        return f'<speak><say-as interpret-as="characters">{text}</say-as></speak>'
    return f"<speak>{text}</speak>"


def _read(path: Path) -> tuple[array, int]:
    with wave.open(str(path), "rb") as source:
        if source.getsampwidth() != 2 or source.getnchannels() != 1:
            raise ValueError(f"{path}: expected 16-bit mono from espeak-ng")
        samples = array("h", source.readframes(source.getnframes()))
        rate = source.getframerate()
    if sys.byteorder == "big":
        samples.byteswap()
    return samples, rate


def _write(path: Path, samples: array, rate: int) -> None:
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(rate)
        target.writeframes(samples.tobytes())


def shape(samples: array, rate: int) -> array:
    """Trim the silence around a word, bring its peak to PEAK and add a breath after it."""
    threshold = SILENCE * 32767
    loud = [i for i, value in enumerate(samples) if abs(value) > threshold]
    if not loud:
        return array("h", bytes(2 * int(rate * BREATH)))
    margin = int(rate * 0.01)  # keep the soft onset of a consonant
    kept = samples[max(0, loud[0] - margin) : loud[-1] + margin + 1]
    gain = PEAK * 32767 / max(abs(value) for value in kept)
    shaped = array("h", (max(-32768, min(32767, round(value * gain))) for value in kept))
    shaped.extend([0] * int(rate * BREATH))
    return shaped


def _record_word(name: str, text: str, language: str, target: Path, scratch: Path) -> None:
    voice, speed = VOICES[language]
    raw = scratch / "raw.wav"
    subprocess.run(
        [_espeak(), "-m", "-v", voice, "-s", str(speed), "-w", str(raw), _ssml(text, name)],
        check=True,
        capture_output=True,
    )
    samples, rate = _read(raw)
    _write(target, shape(samples, rate), rate)


def chime(rate: int = CHIME_RATE) -> array:
    """A chime like an airport's, so the hall looks up before the voice starts."""
    samples = array("h")
    for frequency, length in CHIME:
        count = int(rate * length)
        for i in range(count):
            t = i / rate
            envelope = min(1.0, t / 0.005) * (1 - i / count) ** 2  # a quick strike, then it dies away
            tone = math.sin(2 * math.pi * frequency * t) + 0.35 * math.sin(4 * math.pi * frequency * t)
            samples.append(round(PEAK * 32767 * envelope * tone / 1.35))
    samples.extend([0] * int(rate * 0.25))
    return samples


def recipes() -> dict[str, str]:
    """Every clip to record, by name, with what decides its sound (text, voice, speed)."""
    wanted = {spoken.BELL: f"chime {CHIME}"}
    for language in spoken.LANGUAGES:
        voice, speed = VOICES[language]
        for name, text in {**spoken.lexicon(language), **guidance.lexicon(language)}.items():
            wanted[name] = f"{voice}:{speed}:{text}"
    return wanted


def generate(folder: Path = GENERATED, *, force: bool = False) -> list[str]:
    """Record the clips that are missing or whose recipe changed; return their names.

    A manifest remembers the recipe behind each file, so changing a word's text or the voice
    re-records that word and nothing else.
    """
    texts = {spoken.BELL: ""}
    for language in spoken.LANGUAGES:
        texts |= {**spoken.lexicon(language), **guidance.lexicon(language)}
    return _record(folder, texts, recipes(), force=force)


def record_agencies(folder: Path, agencies: list[tuple[str, str]]) -> list[str]:
    """Each agency's short name, as the hall says it after a counter's number ("loket dua Imigrasi"),
    in every language: `<language>/agency-<code>` in `folder` (an install's own clips, instance/clips/,
    since agencies are set up per install). Only what is missing or renamed is recorded."""
    texts, wanted = {}, {}
    for code, name in agencies:
        for language in spoken.LANGUAGES:
            clip = spoken.agency_clip(code, name, language)
            voice, speed = VOICES[language]
            texts[clip.name], wanted[clip.name] = clip.text, f"{voice}:{speed}:{clip.text}"
    return _record(folder, texts, wanted)


def _record(folder: Path, texts: dict[str, str], wanted: dict[str, str], *, force: bool = False) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / "manifest.json"
    manifest = {} if force or not manifest_path.exists() else json.loads(manifest_path.read_text())
    recorded: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, recipe in wanted.items():
            target = folder / f"{name}.wav"
            digest = hashlib.sha256(f"{recipe}|{SILENCE}|{BREATH}|{PEAK}".encode()).hexdigest()
            if manifest.get(name) == digest and target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if name == spoken.BELL:
                _write(target, chime(), CHIME_RATE)
            else:
                _record_word(name, texts[name], name.split("/", 1)[0], target, Path(scratch))
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
