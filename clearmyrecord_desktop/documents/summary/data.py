"""The numbers of the summary report as computed (unsuppressed), shared by the report, its tables and charts."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..packet import RunInfo


@dataclass
class SummaryData:
    """The numbers of the report (unsuppressed); see :func:`compute_summary`."""
    run: RunInfo
    inputs: list[dict]
    headline: list[tuple[str, str, int, int]]            # key, label, statutory, final
    sections: list[tuple[str, int, int, int]]            # label, ds, rm, ri
    decades: list[tuple[str, int, int, int]]
    courthouses: list[tuple[str, int, int, int, str]]    # label, granted, challenged, people, packet ids
    race: list[tuple[str, int, int]]                     # group, people affected, granted counts
    grounds: list[tuple[str, int]]
    other: list[tuple[str, int]]
    extra: dict = field(default_factory=dict)

    def headline_dict(self) -> dict[str, tuple[int, int]]:
        return {k: (s, f) for k, _, s, f in self.headline}
