"""What the kiosk says aloud in its accessible mode: one short sentence for each step.

Recorded with the display's voice (servicedesk/ops/announce.py records these clips next to the call's
words), so the kiosk speaks offline too. The ticket step reads the number with the call's own clips.
"""

from __future__ import annotations

from . import spoken
from .spoken import Announcement, Clip

#: Per language, per kiosk step: (clip name, what it says).
STEPS = {
    "id": {
        "start": ("kiosk-start", "Silakan pilih jenis layanan di layar. Tombolnya besar, sentuh salah satu."),
        "detail": (
            "kiosk-detail",
            "Periksa persyaratan di layar. Untuk mengambil nomor, tekan tombol hijau di bagian bawah.",
        ),
        "priority": ("kiosk-priority", "Pilih kelompok prioritas Anda."),
        "ticket": ("kiosk-ticket", "Silakan ambil tiket Anda dan tunggu sampai nomor Anda dipanggil."),
        "refusal": ("kiosk-refusal", "Maaf, nomor antrean belum dapat diambil. Silakan minta bantuan petugas."),
    },
    "en": {
        "start": ("kiosk-start", "Please choose a service on the screen. The buttons are large; touch one."),
        "detail": (
            "kiosk-detail",
            "Check the requirements on the screen. To take a number, press the green button at the bottom.",
        ),
        "priority": ("kiosk-priority", "Choose your priority group."),
        "ticket": ("kiosk-ticket", "Please take your ticket and wait until your number is called."),
        "refusal": ("kiosk-refusal", "Sorry, no number can be taken now. Please ask an officer for help."),
    },
}


def step(name: str, language: str = "id", number: str | None = None, reading: str = "words") -> Announcement:
    """The guidance of a kiosk step; on the ticket step, "Nomor antrean A satu" comes first."""
    if language not in STEPS or name not in STEPS[language]:
        raise ValueError(f"no kiosk step {name!r} in {language!r}")
    clip_name, text = STEPS[language][name]
    clips: list[Clip] = []
    said = text
    if name == "ticket" and number:
        (opening, first), _ = spoken.PHRASES[language]
        ticket = spoken.ticket_clips(number, language, reading)
        clips += [Clip(f"{language}/{opening}", first), *ticket]
        said = f"{first.capitalize()} {' '.join(c.text for c in ticket)}. {text}"
    clips.append(Clip(f"{language}/{clip_name}", text))
    return Announcement(said, tuple(clips))


def lexicon(language: str) -> dict[str, str]:
    """Every guidance clip of `language`, by name, with the text to record."""
    return {f"{language}/{clip_name}": text for clip_name, text in STEPS[language].values()}
