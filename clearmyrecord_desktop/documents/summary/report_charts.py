"""The report's charts: the plain data behind each chart, the PNGs of the report and of the GUI
dashboard (drawn by :mod:`..charts`)."""

from __future__ import annotations

from typing import Any

from ...settings import Settings
from .. import charts
from ..packet import RELIEF_SHORT
from .data import SummaryData
from .figures import RELIEF_COLS, compute_summary

CHART_FILES = {"relief": "01_relief.png", "sections": "02_sections.png", "decades": "03_decades.png",
               "courthouses": "04_courthouses.png", "race": "05_race.png"}


def chart_data(data: SummaryData) -> dict[str, Any]:
    """The plain data behind each chart (the GUI dashboard can pass it to :mod:`charts`)."""
    h = data.headline_dict()
    cats = [("Dismiss & seal", "ds"), ("Reduce to misd.", "rm"), ("Reduce to infr.", "ri"),
            ("Challenged", "challenged"), ("Open", "open"), ("Referred", "referred")]
    relief = {"Statutory floor only": {label: h[k][0] for label, k in cats},
              "Final decisions": {label: h[k][1] for label, k in cats}}
    rl = [RELIEF_SHORT[v] for _, v in RELIEF_COLS]
    sections = {k: dict(zip(rl, (a, b, c))) for k, a, b, c in data.sections}
    decades = {k: dict(zip(rl, (a, b, c))) for k, a, b, c in data.decades}
    courthouses = {k: {"Granted": g, "Challenged": c} for k, g, c, _, _ in data.courthouses}
    race = {g: p for g, p, _ in data.race}
    return {"relief": relief, "sections": sections, "decades": decades, "courthouses": courthouses, "race": race}


def render_charts(data: SummaryData, suppress_below: int = 0) -> dict[str, bytes]:
    """The report's charts by key (relief, sections, decades, courthouses, race)."""
    by_title = charts.render_all(chart_data(data), suppress_below=suppress_below)
    return {key: by_title[title] for key, title in charts.DASHBOARD_TITLES.items()}


def dashboard_charts(ws, run_id: int, *, settings: Settings | None = None) -> dict[str, bytes]:
    """``{title: png}`` for the GUI dashboard: the same charts as the summary report."""
    from ...settings import load_settings

    s = settings if settings is not None else load_settings(ws)
    return charts.render_all(chart_data(compute_summary(ws, run_id, s)), suppress_below=s.summary.suppress_below)
