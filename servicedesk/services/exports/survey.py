"""The SKM tables' rows: IKM per service, per element and per respondent group."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from ...domain.reporting import (
    IkmFigures,
    ikm_figures,
    profile_groups,
)
from ...domain.survey import ELEMENTS, PROFILE, grade
from ...persistence.reports import Figures, Names


def ikm_by_service(figures: Figures, names: Names) -> tuple[list[tuple[int, IkmFigures]], IkmFigures]:
    """The IKM per service that had respondents or visitors served, and in total."""
    ids = [sid for sid in names.services if sid in figures.survey or sid in figures.services]
    per_service = [
        (
            sid,
            ikm_figures(
                figures.survey[sid].index() if sid in figures.survey else None,
                figures.services[sid].served if sid in figures.services else 0,
            ),
        )
        for sid in ids
    ]
    return per_service, ikm_figures(figures.survey_total.index(), figures.total.served)


def adequacy_text(f: IkmFigures) -> str | None:
    """The sample against Krejcie-Morgan, said plainly beside an IKM: "adequate" or "not yet adequate"."""
    if not f.served and not f.respondents:
        return None
    return _("adequate") if f.sample_reached else _("not yet adequate")


def _ikm_row(label: list, f: IkmFigures, english: bool, sources: dict[str, int] | None = None) -> list:
    sources = sources or {}
    return [
        *label,
        f.respondents,
        sources.get("online", 0),
        sources.get("paper", 0),
        f.served,
        f.sample_needed,
        adequacy_text(f),
        *(f.nrr.get(code) for code, _id, _en in ELEMENTS),
        f.score,
        f.grade[0] if f.grade else None,
        (f.grade[2] if english else f.grade[1]) if f.grade else None,
    ]


def profile_rows(figures: Figures, english: bool) -> list[list]:
    """Per profile question and group: respondents, share and the group's IKM with its grade."""
    rows = []
    for name, (label_id, label_en, options) in PROFILE.items():
        labels = {code: (option_en if english else option_id) for code, option_id, option_en in options}
        tallies = figures.profiles.get(name, {})
        groups = profile_groups(name, {code: (t.respondents, t.index()) for code, t in tallies.items()})
        for group in groups:
            rows.append(
                [
                    label_en if english else label_id,
                    labels[group.code] if group.code is not None else _("Not answered"),
                    group.respondents,
                    group.share,
                    group.ikm.score,
                    group.ikm.grade[0] if group.ikm.grade else None,
                ]
            )
    return rows


def _grade_letter(score: Decimal) -> str:
    return grade(score)[0]
