"""Dashboard: the run's impact figures (``eval_run.impact``) and the report's charts.

Charts are the PNGs of ``documents/charts.py`` (the same code as the summary report), shown as
pictures, so the screen and the report never disagree.
"""

from __future__ import annotations

import json
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...errors import KnownError
from .. import core_api

FIGURES = (("people_affected", "People affected (at least one count granted relief)"),
           ("people_no_felony_left", "People with no felony left"),
           ("people_no_conviction_left", "People with no conviction left"),
           ("people_no_conviction_last_7_years", "People with no conviction in the last 7 years"))
DETERMINATION_ROWS = (("dismiss_and_seal", "Convictions to dismiss and seal"),
                      ("reduce_to_misdemeanor", "Convictions to reduce to a misdemeanor"),
                      ("reduce_to_infraction", "Convictions to reduce to an infraction"),
                      ("no_relief", "Convictions without relief (challenged)"),
                      ("hand_review", "Convictions needing hand review"))
CHART_TITLES = {"relief": "Convictions by relief", "sections": "By code section", "decades": "By decade",
                "courthouses": "By courthouse", "race": "By race/ethnicity (as recorded by DOJ)"}


def _title(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def flatten(value, prefix: str = "") -> list[tuple[str, str]]:
    """Nested impact JSON as (label, value) rows; lists of scalars are joined."""
    rows: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            label = f"{prefix} › {_title(str(key))}" if prefix else _title(str(key))
            rows.extend(flatten(inner, label))
    elif isinstance(value, list) and value and not all(isinstance(v, (str, int, float)) for v in value):
        for i, inner in enumerate(value, 1):
            rows.extend(flatten(inner, f"{prefix} [{i}]"))
    else:
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, (int,)) and not isinstance(value, bool):
            value = f"{value:,}"
        rows.append((prefix, "" if value is None else str(value)))
    return rows


def chart_images(ws, run_id: int, cancel=None) -> list[tuple[str, bytes]]:
    """The summary report's charts for this run (same code as the report; runs as a job)."""
    try:
        from ...documents.summary import compute_summary, render_charts
        from ...settings import load_settings
    except ImportError:
        raise core_api.FeatureMissingError("This build cannot draw the summary charts yet.") from None
    s = load_settings(ws)
    data = compute_summary(ws, run_id, s, cancel=cancel)
    images = render_charts(data, s.summary.suppress_below)
    return [(CHART_TITLES.get(k, k), v) for k, v in images.items()]


def impact_table(impact: dict) -> str:
    """Side-by-side table when the impact has a statutory and a policy layer; else a flat list."""
    stat, pol = impact.get("statutory"), impact.get("policy")
    if not isinstance(stat, dict) or not isinstance(pol, dict):
        return "<table cellpadding='3'>" + "".join(
            f"<tr><td>{escape(k)}</td><td align='right'><b>{escape(v)}</b></td></tr>"
            for k, v in flatten(impact)) + "</table>"

    def cell(v) -> str:
        return f"{v:,}" if isinstance(v, int) else escape(str(v if v is not None else 0))

    rows = [("People evaluated", impact.get("people_evaluated", ""), impact.get("people_evaluated", ""))]
    rows += [(label, stat.get(key, 0), pol.get(key, 0)) for key, label in FIGURES]
    rows += [(label, stat.get("by_determination", {}).get(key, 0), pol.get("by_determination", {}).get(key, 0))
             for key, label in DETERMINATION_ROWS]
    levels = sorted(set(stat.get("granted_by_level", {})) | set(pol.get("granted_by_level", {})))
    rows += [(f"Granted {lv} convictions", stat.get("granted_by_level", {}).get(lv, 0),
              pol.get("granted_by_level", {}).get(lv, 0)) for lv in levels]
    body = "".join(f"<tr><td>{escape(label)}</td><td align='right'><b>{cell(a)}</b></td>"
                   f"<td align='right'><b>{cell(b)}</b></td></tr>" for label, a, b in rows)
    return ("<table cellpadding='4' cellspacing='0' border='0'><tr style='background:#eceff3'><th align='left'>"
            "Figure</th><th>Statutory floor only</th><th>With the county policy</th></tr>" + body + "</table>")


class DashboardView(QWidget):
    def __init__(self, ws, runner, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws, self._runner = ws, runner
        self._generation = 0
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        self._layout = QVBoxLayout(body)
        self.run_label = QLabel()
        self.run_label.setWordWrap(True)
        self.run_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.run_label.setAccessibleName("Run details")
        self._layout.addWidget(self.run_label)
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setAccessibleName("Impact figures")
        self._layout.addWidget(self.figures)
        self.chart_note = QLabel()
        self.chart_note.setWordWrap(True)
        self._layout.addWidget(self.chart_note)
        self.chart_grid = QGridLayout()
        self._layout.addLayout(self.chart_grid)
        self._layout.addStretch(1)
        self.chart_labels: list[QLabel] = []

    def show_run(self, run_id: int | None) -> None:
        for label in self.chart_labels:
            label.deleteLater()
        self.chart_labels = []
        if run_id is None:
            self.run_label.setText("<h2>Dashboard</h2><p>No evaluation run yet. Import a DOJ file and "
                                   "choose Run ▸ Evaluate.</p>")
            self.figures.setText("")
            self.chart_note.setText("")
            return
        run = self._ws.query_dicts(
            "SELECT run_id, created_at, filing_county, as_of, policy_name, policy_version, policy_sha256, "
            "ruleset_hash, app_version, inputs, impact, duration_s FROM eval_run WHERE run_id = ?", [run_id])[0]
        inputs = []
        try:
            inputs = json.loads(run["inputs"] or "[]")
        except ValueError:
            pass
        files = ", ".join(escape(str(i.get("name", ""))) for i in inputs if isinstance(i, dict)) or "—"
        self.run_label.setText(
            f"<h2>Run {run['run_id']} · {escape(run['filing_county'])} · as of {run['as_of']:%Y-%m-%d}</h2>"
            f"<div>Policy <b>{escape(run['policy_name'])}</b> {escape(run['policy_version'])} · SHA-256 "
            f"{escape(run['policy_sha256'][:12])}… · ruleset {escape(run['ruleset_hash'][:12])}… · "
            f"app {escape(run['app_version'])} · created {run['created_at']:%Y-%m-%d %H:%M}</div>"
            f"<div>Input files: {files}</div>")
        impact = None
        if run["impact"]:
            try:
                impact = json.loads(run["impact"])
            except ValueError:
                impact = None
        if impact is None:
            impact = self._fallback_impact(run_id)
            note = "<i>This run stored no impact figures; the counts below are computed from its results.</i>"
        else:
            note = ""
        self.figures.setText(f"<h3>Impact</h3>{note}{impact_table(impact)}"
                             "<div style='color:#5f6368'>Reviewer decisions are included in the charts "
                             "(final decisions), as in the summary report.</div>")
        self._start_charts(run_id)

    def _fallback_impact(self, run_id: int) -> dict:
        by_decision = dict(self._ws.query(
            "SELECT final_determination, count(*) FROM count_final WHERE run_id = ? GROUP BY 1 ORDER BY 1",
            [run_id]))
        people = self._ws.query(
            "SELECT count(DISTINCT subject_id) FILTER (WHERE final_determination IN "
            "('dismiss_and_seal','reduce_to_misdemeanor','reduce_to_infraction')), count(DISTINCT subject_id) "
            "FROM count_final WHERE run_id = ?", [run_id])[0]
        return {"convictions_by_final_decision": by_decision, "people_affected": people[0],
                "people_evaluated": people[1]}

    def _start_charts(self, run_id: int) -> None:
        self._generation += 1
        generation, ws = self._generation, self._ws
        self.chart_note.setText("<h3>Charts</h3><span style='color:#5f6368'>Drawing the charts…</span>")
        self._runner.start("Drawing the charts", lambda p, c: chart_images(ws, run_id, c),
                           on_done=lambda o: self._show_charts(o, generation))

    def _show_charts(self, outcome, generation: int) -> None:
        if generation != self._generation:
            return
        exc = outcome.error
        if isinstance(exc, KnownError):
            self.chart_note.setText(f"<span style='color:#5f6368'>{escape(str(exc))}</span>")
            return
        if exc is not None:
            self.chart_note.setText(f"<span style='color:#8f1d1d'>The charts could not be drawn "
                                    f"({escape(type(exc).__name__)}).</span>")
            return
        self.chart_note.setText("<h3>Charts</h3>")
        for i, (title, data) in enumerate(outcome.result):
            pixmap = QPixmap()
            pixmap.loadFromData(data, "PNG")
            label = QLabel()
            label.setPixmap(pixmap.scaledToWidth(600, Qt.TransformationMode.SmoothTransformation))
            label.setAccessibleName(f"Chart: {title}")
            label.setToolTip(title)
            self.chart_grid.addWidget(label, i // 2, i % 2)
            self.chart_labels.append(label)
