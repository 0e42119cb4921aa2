"""The export plan: which packets and exhibits there are, their row counts, statistics and page plans,
and the evaluation run they come from (no row is read here)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ...settings import Settings
from .labels import EXHIBIT_DOC_NO, EXHIBIT_TITLES, LETTER_RELIEF

if TYPE_CHECKING:
    from .streaming import RowSource


@dataclass
class ExhibitPlan:
    id: str                       # A, B, C, A1, A2 … or CH
    letter: str                   # A, B, C or CH
    total: int = 0
    statute: int = 0
    policy: int = 0
    pages: list[int] = field(default_factory=list)   # rows per page

    @property
    def relief(self) -> str | None:
        return LETTER_RELIEF.get(self.letter)

    @property
    def file_name(self) -> str:
        if self.letter == "CH":
            return "07_challenge_list.docx"
        return f"{EXHIBIT_DOC_NO[self.letter]}_exhibit_{self.id}_{self.relief}.docx"

    @property
    def title(self) -> str:
        if self.letter == "CH":
            return "Notice of challenge"
        base = EXHIBIT_TITLES[self.letter]
        if self.id.endswith("1"):
            return base + " \u2014 relief required by statute"
        if self.id.endswith("2"):
            return base + " \u2014 relief by office policy"
        return base


@dataclass
class PacketStats:
    people: int = 0
    cases: int = 0
    path_unknown: int = 0
    no_case_number: int = 0
    resent: int = 0
    redesig: int = 0
    reviewed: int = 0
    conflicts: int = 0
    criteria: dict = field(default_factory=dict)        # policy criterion label -> granted rows
    policy_by_exhibit: dict = field(default_factory=dict)


@dataclass
class PacketPlan:
    county_code: str
    ch_code: str
    agency_code: str               # "" for the office itself
    segment: str                   # "" or A, B, C, CH (packets.split_by_relief)
    as_of: date
    kind: str
    exhibits: list[ExhibitPlan] = field(default_factory=list)   # granted exhibits in order
    challenge: ExhibitPlan | None = None
    content_hash: str = ""
    packet_id: str = ""
    stats: PacketStats = field(default_factory=PacketStats)
    courthouse_reviewed: int = 0        # granted + challenged of the courthouse (all segments)
    courthouse_reviewer_decisions: int = 0
    open_left_out: int = 0
    per_case: bool = False
    related_challenge_packet: str = ""  # split mode: id of the courthouse's CH packet

    @property
    def granted(self) -> int:
        return sum(e.total for e in self.exhibits)

    @property
    def challenged(self) -> int:
        return self.challenge.total if self.challenge else 0

    @property
    def all_exhibits(self) -> list[ExhibitPlan]:
        return self.exhibits + ([self.challenge] if self.challenge else [])

    def id_prefix(self) -> str:
        parts = [self.county_code.upper(), self.ch_code.upper()]
        if self.agency_code:
            parts.append(self.agency_code.upper())
        if self.segment:
            parts.append(self.segment)
        return "-".join(parts)

    def make_id(self) -> str:
        pid = f"{self.id_prefix()}-{self.as_of.strftime('%Y%m%d')}-{self.content_hash[:6].upper()}"
        return pid + ("-DRAFT" if self.kind == "draft" else "")


@dataclass
class RunInfo:
    run_id: int
    created_at: datetime | None
    filing_county: str
    as_of: date
    policy_id: str
    policy_name: str
    policy_version: str
    policy_sha256: str
    ruleset_hash: str
    app_version: str
    inputs: list[dict]

    @classmethod
    def load(cls, ws, run_id: int) -> "RunInfo":
        rows = ws.query_dicts("SELECT * FROM eval_run WHERE run_id = ?", [run_id])
        if not rows:
            from ...errors import ExportGateError
            raise ExportGateError(f"There is no evaluation run {run_id} in this workspace.")
        r = rows[0]
        try:
            inputs = json.loads(r["inputs"] or "[]")
        except ValueError:
            inputs = []
        as_of = r["as_of"]
        if isinstance(as_of, str):
            as_of = date.fromisoformat(as_of)
        return cls(run_id=run_id, created_at=r["created_at"], filing_county=r["filing_county"], as_of=as_of,
                   policy_id=r["policy_id"], policy_name=r["policy_name"], policy_version=r["policy_version"],
                   policy_sha256=r["policy_sha256"], ruleset_hash=r["ruleset_hash"],
                   app_version=r["app_version"], inputs=inputs)

    def input_files(self, ws) -> list[dict]:
        """The run's DOJ files: name, bytes, sha256 (+ rows, quarantined, imported_at when known)."""
        out = []
        for item in self.inputs:
            sha = item.get("sha256", "")
            rec = {"name": item.get("name", ""), "bytes": int(item.get("bytes", 0) or 0), "sha256": sha}
            rows = ws.query("SELECT rows_imported, lines_quarantined, imported_at FROM import_batch WHERE sha256 = ?",
                            [sha]) if sha else []
            if rows:
                rec["rows"], rec["quarantined"], rec["imported_at"] = rows[0]
            out.append(rec)
        return out


@dataclass
class ExportPlan:
    run: RunInfo
    kind: str
    settings: Settings
    mapping: dict[tuple[str, str], str]      # (ori, descr) -> courthouse code
    unmapped: list[tuple[str, str, int]]     # courts with in-scope counts and no settings entry
    routes: dict[str, str]                   # review route -> filing agency code
    packets: list[PacketPlan]
    open_by_courthouse: dict[str, int]
    referred: int
    open_total: int
    separate: bool
    source: "RowSource | None" = None


def to_plain(obj: Any) -> Any:
    """JSON-friendly copy of plan data (for manifests and tests)."""
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    return obj
