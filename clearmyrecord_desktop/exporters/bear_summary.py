"""gogen.json, the summary of the BEAR/gogen compatibility export (eligibility.md §11.2).

SQL over ``count_result`` and the person table ``bear_person`` that ``bear_compat`` builds first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..rules.dates import add_years

if TYPE_CHECKING:
    from .bear_compat import _Run

DISMISSAL = "Eligible for Dismissal"
REDUCTION = "Eligible for Reduction"


def write_summary(cur, run: "_Run", path: Path) -> None:
    """Write gogen.json for ``run`` (needs the ``bear_person`` table on ``cur``)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(json.dumps(_summary(cur, run), indent=2, ensure_ascii=False) + "\n")


def _summary(cur, run: "_Run") -> dict:
    """gogen.json (§11.2 "Summary"), keys in gogen's order, nested maps sorted by key."""
    rid = run.run_id
    seven = add_years(run.as_of, -7)
    earliest, felony, total, subjects = cur.execute(
        "SELECT min(conviction_lo), count(*) FILTER (WHERE level = 'felony'), count(*), "
        "count(DISTINCT subject_id) FROM count_result WHERE run_id = ?", [rid]).fetchone()
    people = cur.execute(
        """WITH per AS (
               SELECT subject_id,
                      count(*) AS evaluated,
                      count(*) FILTER (WHERE compat_determination = $dis) AS dismissed,
                      count(*) FILTER (WHERE conviction_lo > $seven) AS evaluated_recent,
                      count(*) FILTER (WHERE conviction_lo > $seven AND compat_determination = $dis)
                          AS dismissed_recent,
                      count(*) FILTER (WHERE level = 'felony') AS evaluated_felonies,
                      count(*) FILTER (WHERE level = 'felony' AND compat_determination IN ($dis, $red))
                          AS relieved_felonies,
                      bool_or(compat_determination IN ($dis, $red)) AS some_relief
               FROM count_result WHERE run_id = $run_id GROUP BY subject_id)
           SELECT count(*) FILTER (WHERE p.convictions >= 1 AND per.dismissed = p.convictions),
                  count(*) FILTER (WHERE p.recent >= 1 AND per.dismissed_recent = p.recent),
                  count(*) FILTER (WHERE p.felonies >= 1 AND per.relieved_felonies = p.felonies),
                  count(*) FILTER (WHERE p.convictions >= 1 AND per.evaluated = p.convictions),
                  count(*) FILTER (WHERE p.recent >= 1 AND per.evaluated_recent = p.recent),
                  count(*) FILTER (WHERE p.felonies >= 1 AND per.evaluated_felonies = p.felonies),
                  count(*) FILTER (WHERE per.some_relief)
           FROM per JOIN bear_person p USING (subject_id)""",
        {"run_id": rid, "dis": DISMISSAL, "red": REDUCTION, "seven": seven}).fetchone()
    by_section = dict(cur.execute(
        "SELECT section, count(*) FROM count_result WHERE run_id = ? AND section IS NOT NULL "
        "GROUP BY section ORDER BY section", [rid]).fetchall())
    by_reason: dict[tuple[str, str], int] = {
        (d, r): n for d, r, n in cur.execute(
            "SELECT compat_determination, compat_reason, count(*) FROM count_result "
            "WHERE run_id = ? AND compat_determination IS NOT NULL GROUP BY ALL", [rid]).fetchall()}
    dismissal = {s: by_reason.get((DISMISSAL, f"Dismiss all HS {s} convictions"), 0) for s in run.bear.dismiss}
    reduction = {s: by_reason.get((REDUCTION, f"Reduce all HS {s} convictions"), 0) for s in run.bear.reduce}
    additional = {r: n for (d, r), n in by_reason.items()
                  if d == DISMISSAL and r is not None
                  and not r.startswith("Dismiss all HS") and not r.startswith("Misdemeanor or Infraction")}
    (cur_conv, cur_last7, cur_felony, all_conv, all_last7, all_felony, some_relief) = people
    return {
        "county": run.county.upper(),
        "earliestConviction": f"{earliest.isoformat()}T00:00:00Z" if earliest is not None else None,
        "lineCount": _line_count(cur, run.batch_ids),
        "processingTimeInSeconds": run.duration_s,
        "reliefWithCurrentEligibilityChoices": _relief(cur_conv, cur_last7, cur_felony),
        "reliefWithDismissAllProp64": _relief(all_conv, all_last7, all_felony),
        "prop64ConvictionsCountInCountyByCodeSection": _sorted({k: v for k, v in by_section.items() if v}),
        "subjectsWithProp64ConvictionCountInCounty": subjects,
        "prop64FelonyConvictionsCountInCounty": felony,
        "prop64NonFelonyConvictionsCountInCounty": total - felony,
        "subjectsWithSomeReliefCount": some_relief,
        "convictionDismissalCountByCodeSection": _sorted(dismissal),
        "convictionReductionCountByCodeSection": _sorted(reduction),
        "convictionDismissalCountByAdditionalRelief": _sorted(additional),
    }


def _relief(no_conviction: int, last7: int, no_felony: int) -> dict[str, int]:
    return {"CountSubjectsNoConviction": no_conviction, "CountSubjectsNoConvictionLast7Years": last7,
            "CountSubjectsNoFelony": no_felony}


def _sorted(d: dict) -> dict:
    return {k: d[k] for k in sorted(d)}


def _line_count(cur, batch_ids: list[int]) -> int:
    if not batch_ids:
        return 0
    marks = ", ".join("?" * len(batch_ids))
    return int(cur.execute(
        f"SELECT coalesce(sum(rows_imported + lines_quarantined), 0) FROM import_batch "
        f"WHERE batch_id IN ({marks})", batch_ids).fetchone()[0])
