"""Courthouses: match a count's DOJ court (ORI code, then description) to a settings entry, and draft
entries for the courts of a run for the user to confirm."""

from __future__ import annotations

import re

from .schema import CourthouseSettings, Settings


def _norm(value: str | None) -> str:
    return re.sub(r"\s+", " ", (value or "").strip()).upper()


def _match_by(s: Settings, value: str | None, values_of) -> str | None:
    """The first courthouse code (sorted) whose ``values_of(entry)`` contains ``value``, normalised."""
    key = _norm(value)
    if key:
        for code in sorted(s.courthouses):
            if key in {_norm(v) for v in values_of(s.courthouses[code])}:
                return code
    return None


def match_courthouse(s: Settings, ori_code: str | None, description: str | None) -> str | None:
    """The settings courthouse code for a count's court (ORI code first, then description)."""
    code = _match_by(s, ori_code, lambda ch: ch.ori_codes)
    return code if code is not None else _match_by(s, description, lambda ch: ch.description_match)


def _draft_code(ori: str, descr: str) -> str:
    base = ori or descr or "UNKNOWN"
    code = re.sub(r"[^A-Za-z0-9_]+", "_", base.strip()).strip("_").upper()
    return (code or "UNKNOWN")[:10].rstrip("_")


def draft_courthouse_entries(ws, run_id: int, *, settings: Settings | None = None) -> dict[str, CourthouseSettings]:
    """Draft entries (code = STP_ORI_CODE, name = STP_ORI_DESCR) for the courthouses of a run, for the
    user to confirm. With ``settings``, only courts that no existing entry matches."""
    rows = ws.query(
        """SELECT coalesce(trim(court_ori), ''), coalesce(trim(courthouse), ''), count(*)
           FROM count_result WHERE run_id = ? GROUP BY 1, 2 ORDER BY 1, 2""",
        [run_id],
    )
    out: dict[str, CourthouseSettings] = {}
    for ori, descr, _n in rows:
        if settings is not None and match_courthouse(settings, ori, descr):
            continue
        code = _draft_code(ori, descr)
        entry = out.get(code)
        if entry is None:
            out[code] = CourthouseSettings(
                name=re.sub(r"\s+", " ", descr) or code,
                ori_codes=[ori] if ori else [],
                description_match=[descr] if descr and not ori else [],
            )
        else:
            if ori and ori not in entry.ori_codes:
                entry.ori_codes.append(ori)
            if descr and not ori and descr not in entry.description_match:
                entry.description_match.append(descr)
    return out
