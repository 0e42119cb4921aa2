"""The review table's row format: each page row is held as a tuple ``(position, *PAGE_FIELDS)`` built
from a row of ``page_sql`` (dictionary columns as codes) or ``page_fallback_sql`` (values as they are)."""

from __future__ import annotations

from .columns import COLUMNS, HIDDEN_FIELDS
from .review_snapshot import DETERMINATIONS, DICT_COLUMNS

PAGE_FIELDS: tuple[str, ...] = tuple(c.key for c in COLUMNS) + HIDDEN_FIELDS
_FIELD = {name: i + 1 for i, name in enumerate(PAGE_FIELDS)}  # +1: position comes first
_DETERMINATION_OF = (None,) + DETERMINATIONS
_DICT_KEYS = tuple(DICT_COLUMNS)


def _record(position: int, r: tuple, dicts: list[dict[int, str]] | None) -> tuple:
    """A page row as ``(position, *PAGE_FIELDS)``. ``r`` is a row of ``page_sql`` (dict columns as codes,
    decoded with ``dicts``) or of ``page_fallback_sql`` (``dicts`` None: values as they are)."""
    (_id, k_engine, k_statutory, conflict, subject_id, cnt_order, name, cii_number, case_number, reason,
     review_route, *rest) = r
    n = len(_DICT_KEYS)
    coded, (decision_id, decision, reviewer, review_reason, engine_then) = rest[:n], rest[n:]
    if dicts is None:
        values = dict(zip(_DICT_KEYS, coded))
    else:
        values = {key: (None if code is None else d.get(code)) for key, code, d in zip(_DICT_KEYS, coded, dicts)}
    engine = _DETERMINATION_OF[k_engine] if k_engine < len(_DETERMINATION_OF) else None
    fields = {
        "final": decision if decision_id is not None else engine,
        "review": "",
        "name": name, "cii_number": cii_number, "case_number": case_number,
        "courthouse": values["courthouse"], "code_section": values["code_section"], "level": values["level"],
        "conviction_date": values["conviction_date"],
        "statutory": _DETERMINATION_OF[k_statutory] if k_statutory < len(_DETERMINATION_OF) else None,
        "policy": engine, "relief_path": values["relief_path"], "reason": reason,
        "subject_id": subject_id, "cnt_order": cnt_order, "engine": engine, "review_route": review_route,
        "policy_conflict": conflict, "decision_id": decision_id, "decision": decision, "reviewer": reviewer,
        "review_reason": review_reason, "engine_then": engine_then,
    }
    return (position, *(fields[name] for name in PAGE_FIELDS))
