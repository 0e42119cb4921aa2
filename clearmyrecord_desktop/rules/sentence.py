"""Relief path from the DOJ sentence rows (eligibility.md section 8).

The sentence end itself is computed in SQL (store/sql/create_eval_counts.sql, macro cmr_add): parts run
concurrently from the conviction date, so the end is the latest ``date + part`` over all parts,
for the first (``end_lo``) and last (``end_hi``) possible conviction day.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable


def relief_path(n_parts: int, n_invalid: int, end_lo: date | None, end_hi: date | None,
                conviction_known: bool, as_of: date) -> tuple[str, str]:
    """(path, sentence end text): ``redesignation`` when the sentence surely ended by the as-of
    date, ``resentencing`` when it surely runs past it, else ``unknown`` (no part, an unreadable
    part, or an unknown conviction date)."""
    if not _end_known(n_parts, n_invalid, end_lo, end_hi, conviction_known):
        return "unknown", "unknown"
    end_text = end_hi.isoformat() if end_lo == end_hi else f"{end_lo.isoformat()}..{end_hi.isoformat()}"
    if end_hi <= as_of:
        return "redesignation", end_text
    if end_lo > as_of:
        return "resentencing", end_text
    return "unknown", end_text


def all_completed(counts: Iterable, as_of: date) -> bool:
    """``relief_path(...)[0] == "redesignation"`` for every count, without making end texts (the
    engine asks this of every count of a person, most of them not evaluated); stops at the first
    that is not. ``counts``: objects with ``sentence`` (n_parts, n_invalid, end_lo, end_hi) and
    ``conviction`` (a dates.DateValue), as derive.Count."""
    for c in counts:
        n_parts, n_invalid, end_lo, end_hi = c.sentence
        if not _end_known(n_parts, n_invalid, end_lo, end_hi, c.conviction.lo is not None) or end_hi > as_of:
            return False
    return True


def _end_known(n_parts: int, n_invalid: int, end_lo: date | None, end_hi: date | None,
               conviction_known: bool) -> bool:
    return bool(n_parts) and not n_invalid and conviction_known and end_lo is not None and end_hi is not None
