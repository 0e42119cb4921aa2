"""The summary report's template context: front matter with inputs and hashes, the tables with
small-cell suppression, definitions and limits; and the sample context for template previews."""

from __future__ import annotations

from datetime import date, datetime

from ... import __version__
from ...settings import Settings
from ..contexts import fmt_int, fmt_time, marking_lines
from ..packet import RunInfo
from ..templates import TemplateInfo
from .data import SummaryData
from .report_charts import CHART_FILES

LIMITS = [
    "DOJ lists are both over- and under-inclusive: convictions may be missing from the file, and some "
    "listed convictions may not be eligible.",
    "Records destroyed under Health and Safety Code sections 11361.5 and 11361.7 may be missing.",
    "Sentence status (completed or serving) is estimated from the DOJ sentence rows; parole, PRCS and early "
    "termination of probation are not shown in them.",
    "Court case numbers come from the DOJ record and may differ from the court's own numbering.",
]


def _cell(v: int, n: int) -> str:
    if n and v < n:
        return f"<{n}"
    return fmt_int(v)


def _share(v: int, total: int, n: int) -> str:
    if n and v < n:
        return "\u2014"
    return f"{(100.0 * v / total):.1f}%" if total else "\u2014"


DEFINITIONS = [
    ("T", "the run's as-of date; every date figure is anchored on it, never on the computer's clock"),
    ("Statutory floor only", "the run's statutory determinations (H&S § 11361.8 on the DOJ data); a count "
                             "awaiting review counts as not granted"),
    ("Final decisions", "the reviewer's decision where one is recorded, otherwise the policy determination"),
    ("Granted", "final decision is dismissal and sealing, or reduction to a misdemeanor or an infraction"),
    ("Challenged", "final decision is no relief; listed in a notice of challenge"),
    ("Open", "awaiting review (hand review with no review route); left out of drafts, blocks a final export"),
    ("Referred", "hand review routed to another agency (city attorney); not in the office's packets"),
    ("Record", "every conviction count of the person in the DOJ file, all counties"),
    ("People affected", "distinct persons with at least one granted count"),
    ("People with no felony left", "persons with at least one felony count on their record, every one of "
                                   "which is granted relief (dismissal or reduction)"),
    ("People with no conviction left", "persons every one of whose counts on record is granted dismissal and "
                                       "sealing"),
    ("People with no conviction in the last 7 years", "persons affected who have at least one count whose "
     "conviction date is after T minus 7 years, all of which are granted dismissal and sealing; counts not "
     "granted (challenged, open, referred, other counties, other offenses) always count as remaining"),
    ("Level", "felony, misdemeanor or infraction as recorded by DOJ"),
    ("Decade", "decade of the conviction date (earliest possible day of a partial date)"),
]


def summary_context(data: SummaryData, info: TemplateInfo, s: Settings, *, kind: str, generated_at: datetime,
                    export_id: str, packets: list[dict]) -> dict:
    n = s.summary.suppress_below
    run = data.run
    granted_total = sum(r[2] for r in data.race)
    people_total = sum(r[1] for r in data.race)
    front = [
        ("County", s.county.name or run.filing_county),
        ("Filing county (run)", run.filing_county),
        ("As-of date (T)", run.as_of.isoformat()),
        ("Generated", fmt_time(generated_at)),
        ("Kind", "DRAFT \u2014 not for filing" if kind == "draft" else "Final"),
        ("Export", export_id),
        ("Application", f"ClearMyRecord Desktop {__version__}"),
        ("Run id", str(run.run_id)),
        ("Run created", fmt_time(run.created_at) if isinstance(run.created_at, datetime) else str(run.created_at)),
        ("Policy", f"{run.policy_name} (id {run.policy_id}), version {run.policy_version}"),
        ("Policy SHA-256", run.policy_sha256),
        ("Ruleset hash", run.ruleset_hash),
        ("Engine version of the run", run.app_version),
    ]
    return {
        "doc": {"short_name": info.short_name, "title": info.title, "draft": kind == "draft", "spot_check": False},
        "packet": {"id": export_id, "kind_label": "Draft" if kind == "draft" else "Final"},
        "marking": marking_lines(s),
        "report": {
            "title": "Prop 64 relief \u2014 summary report",
            "county": s.county.name or run.filing_county,
            "as_of": run.as_of.isoformat(),
            "generated_at": fmt_time(generated_at),
            "suppression_note": (f"Small-cell suppression is on: every breakdown cell below {n} is shown as <{n}."
                                 if n else ""),
            "front": [{"label": k, "value": v} for k, v in front],
            "inputs": [{"name": i["name"], "bytes": fmt_int(i.get("bytes", 0)), "sha256": i.get("sha256", ""),
                        "rows": fmt_int(i["rows"]) if "rows" in i else "\u2014",
                        "quarantined": fmt_int(i["quarantined"]) if "quarantined" in i else "\u2014"}
                       for i in data.inputs],
            "headline": [{"label": label, "statutory": fmt_int(a) if key != "referred" else "\u2014",
                          "final": fmt_int(b)} for key, label, a, b in data.headline],
            "sections": [{"label": k, "ds": _cell(a, n), "rm": _cell(b, n), "ri": _cell(c, n),
                          "total": _cell(a + b + c, n)} for k, a, b, c in data.sections],
            "decades": [{"label": k, "ds": _cell(a, n), "rm": _cell(b, n), "ri": _cell(c, n),
                         "total": _cell(a + b + c, n)} for k, a, b, c in data.decades],
            "courthouses": [{"label": k, "granted": _cell(g, n), "challenged": _cell(c, n), "people": _cell(p, n),
                             "packet": ids} for k, g, c, p, ids in data.courthouses],
            "race": [{"label": g, "people": _cell(p, n), "people_share": _share(p, people_total, n),
                      "granted": _cell(c, n), "granted_share": _share(c, granted_total, n)} for g, p, c in data.race],
            "grounds": [{"label": g, "n": _cell(v, n)} for g, v in data.grounds] or [{"label": "None", "n": "0"}],
            "other": [{"label": k, "n": fmt_int(v)} for k, v in data.other],
            "packets": packets or [{"id": "\u2014", "courthouse": "", "granted": "", "challenged": ""}],
            "definitions": [{"term": t, "text": d} for t, d in DEFINITIONS],
            "limits": LIMITS,
        },
    }


def sample_summary_context(info: TemplateInfo, s: Settings) -> dict:
    run = RunInfo(run_id=1, created_at=datetime(2020, 7, 1), filing_county="SAMPLE", as_of=date(2020, 7, 1),
                  policy_id="sample", policy_name="Sample", policy_version="1", policy_sha256="0" * 64,
                  ruleset_hash="1" * 64, app_version=__version__, inputs=[])
    data = SummaryData(run=run, inputs=[{"name": "a.csv", "bytes": 1, "sha256": "0" * 64, "rows": 1, "quarantined": 0}],
                       headline=[("granted", "Granted", 1, 1)], sections=[("11357(b)", 1, 0, 0)],
                       decades=[("1990s", 1, 0, 0)], courthouses=[("SMP Sample", 1, 0, 1, "SMP-1")],
                       race=[("Not recorded", 1, 1)], grounds=[("Ground", 1)], other=[("Open", 0)],
                       extra={"t_minus_7": date(2013, 7, 1)})
    ctx = summary_context(data, info, s, kind="draft", generated_at=datetime(2020, 7, 1), export_id="CMR-SMP",
                          packets=[{"id": "SMP-1", "courthouse": "SMP", "granted": "1", "challenged": "0"}])
    ctx["charts"] = {k: "" for k in CHART_FILES}
    return ctx
