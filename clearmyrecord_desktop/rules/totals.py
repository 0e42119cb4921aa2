"""What the rules need of *all* the counts of a person, most of which they never read one by one:
how many counts, felonies and recent convictions (impact figures, BEAR columns), the latest
conviction date and whether every sentence has ended (policy facts).

The engine takes these sums from SQL (store/sql/select_count_totals.sql) and loads only the
counts the rules can read (rules/derive.py); :func:`of_counts` makes the same sums over loaded
counts (tests check that both agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from ..store import queries
from .dates import add_years, from_day
from .sentence import all_completed


@dataclass(frozen=True, slots=True)
class Totals:
    counts: int
    felonies: int
    #: convictions surely after the window start (as-of date - 7 years)
    recent: int
    #: the latest last-possible conviction day; None when any conviction date is unknown
    latest_hi: date | None
    #: the latest last-possible day among the known conviction dates (None: none known)
    latest_known_hi: date | None
    #: every sentence surely ended by the as-of date (sentence.all_completed)
    all_completed: bool


def window_start(as_of: date) -> date:
    """Start of the 'last 7 years' window of the impact figures (relative to the as-of date)."""
    return add_years(as_of, -7)


def of_counts(counts: Sequence, as_of: date) -> Totals:
    """The totals over ``counts`` (derive.Count objects)."""
    start = window_start(as_of)
    his = [c.conviction.hi for c in counts]
    known = None not in his
    return Totals(
        counts=len(counts),
        felonies=sum(1 for c in counts if c.level == "felony"),
        recent=sum(1 for c in counts if c.conviction.lo is not None and c.conviction.lo > start),
        latest_hi=max(his) if known and his else None,
        latest_known_hi=max([hi for hi in his if hi is not None], default=None),
        all_completed=all_completed(counts, as_of),
    )


def totals_rows(cur, as_of: date) -> list[tuple]:
    """The totals of every subject in temp table eval_count: (subject id, then the fields of
    :class:`Totals` in order, dates as day numbers); ``cur`` needs the cmr_* macros."""
    return cur.execute(queries.sql("select_count_totals"),
                       {"as_of": as_of, "window_start": window_start(as_of)}).fetchall()


def totals_of(row: tuple) -> Totals:
    """The :class:`Totals` of a row of :func:`totals_rows`."""
    _, counts, felonies, recent, latest_hi, latest_known_hi, completed = row
    return Totals(counts, felonies, recent, from_day(latest_hi), from_day(latest_known_hi), completed)
