"""Split a run's counts into packets and exhibits, order and number the rows, compute packet ids
(motion-packets.md sections 3 and 4), and format each row for the exhibits and the court data file.

Rows are streamed from DuckDB per packet, in the §4.3 order, in batches; only per-packet counters and the
page plan are kept in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Iterator, Sequence

from ..settings import AgencySettings, Settings, match_courthouse
from .stamping import Paginator, clean_text
from .templates import TemplateRegistry

RELIEFS = ("dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction")
RELIEF_LETTER = {"dismiss_and_seal": "A", "reduce_to_misdemeanor": "B", "reduce_to_infraction": "C"}
LETTER_RELIEF = {v: k for k, v in RELIEF_LETTER.items()}
EXHIBIT_TITLES = {
    "A": "Convictions to be dismissed as legally invalid and sealed",
    "B": "Convictions to be redesignated or resentenced as misdemeanors",
    "C": "Convictions to be redesignated or resentenced as infractions",
}
RELIEF_SHORT = {
    "dismiss_and_seal": "Dismiss & seal",
    "reduce_to_misdemeanor": "Reduce to misd.",
    "reduce_to_infraction": "Reduce to infr.",
}
RELIEF_WORDS = {
    "dismiss_and_seal": "Dismiss and seal",
    "reduce_to_misdemeanor": "Reduce to misdemeanor",
    "reduce_to_infraction": "Reduce to infraction",
}
LEVEL_SHORT = {"felony": "F", "misdemeanor": "M", "infraction": "I"}
PATH_SHORT = {"redesignation": "Redesig.", "resentencing": "Resent.", "unknown": "Unknown"}
SENTENCE_STATUS = {"redesignation": "completed", "resentencing": "serving", "unknown": "unknown"}
EXHIBIT_DOC_NO = {"A": "04", "B": "05", "C": "06"}

BATCH = 10_000

# -- keys and formats -------------------------------------------------------------------------------

_RUN_RE = re.compile(r"[0-9]+|[^0-9]+")


def natural_key(text: str | None) -> str:
    """Sort key comparing digit runs as numbers (same as :data:`NATURAL_KEY_SQL`)."""
    out = []
    for part in _RUN_RE.findall(text or ""):
        if "0" <= part[0] <= "9":
            digits = part.lstrip("0") or "0"
            out.append(f"\x01{len(digits):03d}{digits}")
        else:
            out.append(part)
    return "".join(out)


def natural_key_sql(expr: str) -> str:
    return (
        f"array_to_string(list_transform(regexp_extract_all({expr}, '[0-9]+|[^0-9]+'), "
        "lambda x: CASE WHEN regexp_full_match(x, '[0-9]+') THEN "
        "chr(1) || lpad(CAST(length(CASE WHEN ltrim(x, '0') = '' THEN '0' ELSE ltrim(x, '0') END) AS VARCHAR), 3, '0') "
        "|| CASE WHEN ltrim(x, '0') = '' THEN '0' ELSE ltrim(x, '0') END ELSE x END), '')"
    )


def count_key(subject_id: str, cnt_order: str) -> str:
    return hashlib.sha256(f"{subject_id}|{cnt_order}".encode("utf-8")).hexdigest()[:16]


def row_id(exhibit: str, row_no: int) -> str:
    return f"{exhibit}-{row_no:05d}"


def count_number(cnt_order: str | None) -> int | None:
    digits = (cnt_order or "")[6:9]
    return int(digits) if len(digits) == 3 and digits.isdigit() else None


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _date_parts(value: str | None) -> tuple[str, str, str] | None:
    text = (value or "").strip()
    if not text or text.lower() == "unknown":
        return None
    m = _DATE_RE.match(text)
    if m:
        return m.group(1), m.group(2) or "", m.group(3) or ""
    m = _COMPACT_RE.match(text)
    if m:
        y, mo, d = m.groups()
        if mo == "00":
            return y, "", ""
        if d == "00":
            return y, mo, ""
        return y, mo, d
    return None


def print_date(value: str | None) -> str:
    """Court-document date: MM/DD/YYYY, partial MM/YYYY or YYYY, unknown —."""
    parts = _date_parts(value)
    if parts is None:
        return "\u2014"
    y, mo, d = parts
    if d:
        return f"{mo}/{d}/{y}"
    if mo:
        return f"{mo}/{y}"
    return y


def data_date(value: str | None) -> str:
    """Court-data date: YYYY-MM-DD, partial YYYY-MM or YYYY, unknown empty."""
    parts = _date_parts(value)
    if parts is None:
        return ""
    y, mo, d = parts
    return "-".join(p for p in (y, mo, d) if p)


def exact_date(value: str | None) -> date | None:
    parts = _date_parts(value)
    if parts is None or not parts[2]:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def long_date(d: date | str | None) -> str:
    if d is None:
        return "\u2014"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.strftime('%B')} {d.day}, {d.year}"


# -- disqualifier tokens and grounds ---------------------------------------------------------------

_D_ORDER = ["D1", "D2", "D3", "D4", "D5a", "D5b", "D6a"]
_D3_REF = {"11358": "11358(d)(2)", "11359": "11359(c)(2)", "11360": "11360(a)(3)(B)"}


@dataclass(frozen=True)
class Token:
    code: str
    certainty: str
    code_section: str
    date: str
    case_number: str
    cnt_order: str


def parse_tokens(text: str | None) -> list[Token]:
    out = []
    for raw in (text or "").split(";"):
        raw = raw.strip()
        if not raw:
            continue
        parts = raw.split("|")
        parts += [""] * (6 - len(parts))
        out.append(Token(*[p.strip() for p in parts[:6]]))
    return out


def ground_for_code(code: str, section: str | None) -> str:
    if code == "D1":
        return "Prior super strike (PC \u00a7\u00a0667(e)(2)(C)(iv))"
    if code == "D2":
        return "Prior offense requiring registration (PC \u00a7\u00a0290(c))"
    if code == "D3":
        sec = (section or "").strip()[:5]
        ref = _D3_REF.get(sec)
        return f"Two prior {sec} convictions (H&S \u00a7\u00a0{ref})" if ref else "Two prior convictions of the same offense"
    if code == "D4":
        return "Environmental violation in the cultivation (H&S \u00a7\u00a011358(d)(3))"
    if code == "D5a":
        return "Sale or furnishing to a minor (H&S \u00a7\u00a011359(c)(3))"
    if code == "D5b":
        return "Hiring or using a person 20 or younger (H&S \u00a7\u00a011359(d))"
    if code == "D6a":
        return "Sale or furnishing to a minor (H&S \u00a7\u00a011360(a)(3)(C))"
    return f"Statutory disqualifier {code}"


def evidence_for_token(t: Token) -> str:
    when = print_date(t.date)
    if "REGISTRATION" in t.code_section.upper():
        text = f"PC 290 registration {when}"
    else:
        text = f"{t.code_section} conviction {when}"
    if t.case_number:
        text += f", case {t.case_number}"
    if t.certainty == "possible":
        text += " (possible)"
    return text


def challenge_ground(r: dict) -> tuple[str, str]:
    """(ground, evidence) of a challenged count (§6.5)."""
    if r["reviewed"] and (r["review_ground"] or r["final_determination"] != r["determination"]):
        return (clean_text(r["review_ground"]) or "Reviewer decision",
                clean_text(r["review_evidence"]))
    tokens = parse_tokens(r["disqualifiers"])
    definite = [t for t in tokens if t.certainty == "definite"]
    use = definite or []
    if use:
        codes = sorted({t.code for t in use}, key=lambda c: _D_ORDER.index(c) if c in _D_ORDER else 99)
        ground = "; ".join(ground_for_code(c, r["section"]) for c in codes)
        evidence = "; ".join(evidence_for_token(t) for t in use)
        return ground, evidence
    rules = f"{r['statutory_rule_ids'] or ''};{r['rule_ids'] or ''}"
    if "stat.date.post_prop64" in rules:
        return ("Offense on or after 9 Nov 2016",
                f"Offense date {print_date(r['offense_date'])} (DOJ record)")
    stat_rules = (r["statutory_rule_ids"] or "").split(";")
    if r["statutory_determination"] == "no_relief" and any(x.strip().endswith(".none") for x in stat_rules):
        level = r["level"] or "level unknown"
        return ("Same offense level under current law",
                f"{r['code_section'] or ''} {level}, convicted {print_date(r['conviction_date'])} (DOJ record)".strip())
    label = clean_text(r["criterion_label"]) or clean_text(r["reason"]) or "office policy"
    return (f"By office policy: {label}", "")


# -- rows ----------------------------------------------------------------------------------------

EXHIBIT_KEYS = ("row_no", "courthouse", "case_number", "name", "dob", "cii", "subject_id", "count",
                "code_section", "level", "conv_date", "sentence", "relief", "path", "basis")
CHALLENGE_KEYS = ("row_no", "courthouse", "case_number", "name", "dob", "cii", "subject_id", "count",
                  "code_section", "level", "conv_date", "sentence", "ground", "evidence")
COURT_DATA_COLUMNS = (
    ("packet_id", "Packet id (motion-packets §3)"),
    ("exhibit", "Exhibit: A dismiss and seal, B reduce to misdemeanor, C reduce to infraction (A1/A2… statute/policy)"),
    ("row_no", "Row number within the exhibit"),
    ("row_id", "Exhibit and row number, e.g. A-00017: quote it back to the office"),
    ("count_key", "Stable key of the count (same in every export)"),
    ("courthouse_code", "Courthouse code (office settings)"),
    ("courthouse_name", "Courthouse name (office settings)"),
    ("court_ori", "DOJ court ORI code (STP_ORI_CODE)"),
    ("court_case_number", "Court case number as in the exhibit"),
    ("name", "Name as recorded by DOJ"),
    ("dob", "Date of birth (YYYY-MM-DD; partial YYYY-MM or YYYY; empty if unknown)"),
    ("cii_number", "CII number"),
    ("subject_id", "DOJ subject id"),
    ("count", "Count number within the case"),
    ("cnt_order", "DOJ CNT_ORDER (12 digits)"),
    ("code_section", "Code section as convicted (normalised)"),
    ("level", "felony, misdemeanor or infraction, as recorded"),
    ("conviction_date", "Conviction date (format as dob)"),
    ("sentence_status", "completed, serving or unknown at the as-of date"),
    ("relief_path", "redesignation (11361.8(e)-(h)), resentencing (11361.8(a)-(d)) or unknown"),
    ("relief", "dismiss_and_seal, reduce_to_misdemeanor or reduce_to_infraction"),
    ("basis", "statute or policy"),
    ("policy_rule", "Deciding policy rule id, 'reviewer', or empty"),
    ("statutory_floor", "The statutory determination of the count"),
)
CHALLENGE_CSV_COLUMNS = tuple(c for c, _ in COURT_DATA_COLUMNS if c not in ("relief", "basis", "policy_rule")) + (
    "ground", "evidence")


class PacketRow:
    """One formatted row of a packet (exhibit or challenge list)."""

    __slots__ = ("exhibit", "row_no", "row_id", "count_key", "ch_code", "ch_name", "ch_short", "court_ori", "case_number",
                 "name", "dob", "cii", "subject_id", "count", "cnt_order", "code_section", "level",
                 "conviction_date", "relief_path", "relief", "basis", "policy_rule", "statutory_floor",
                 "basis_text", "ground", "evidence", "bar", "criterion", "reviewed", "policy_by_reviewer")

    def exhibit_values(self) -> list[str]:
        return [
            str(self.row_no), f"{self.ch_code} {self.ch_short}".strip(), self.case_number, self.name,
            print_date(self.dob), self.cii, self.subject_id, "" if self.count is None else str(self.count),
            self.code_section, LEVEL_SHORT.get(self.level, "\u2014"), print_date(self.conviction_date),
            SENTENCE_STATUS.get(self.relief_path, "unknown").capitalize(),
            RELIEF_SHORT.get(self.relief, ""), PATH_SHORT.get(self.relief_path, "Unknown"), self.basis_text,
        ]

    def challenge_values(self) -> list[str]:
        v = self.exhibit_values()[:12]
        return v + [self.ground, self.evidence]

    def printed_values(self) -> list[str]:
        return self.challenge_values() if self.exhibit == "CH" else self.exhibit_values()

    def court_data_values(self, packet_id: str) -> list:
        return [
            packet_id, self.exhibit, self.row_no, self.row_id, self.count_key, self.ch_code, self.ch_name,
            self.court_ori, self.case_number, self.name, data_date(self.dob), self.cii, self.subject_id,
            "" if self.count is None else self.count, self.cnt_order, self.code_section, self.level,
            data_date(self.conviction_date), SENTENCE_STATUS.get(self.relief_path, "unknown"),
            self.relief_path, self.relief, self.basis, self.policy_rule, self.statutory_floor,
        ]

    def challenge_csv_values(self, packet_id: str) -> list:
        full = dict(zip([c for c, _ in COURT_DATA_COLUMNS], self.court_data_values(packet_id)))
        return [full[c] for c in CHALLENGE_CSV_COLUMNS[:-2]] + [self.ground, self.evidence]

    def canonical(self, printed: list[str] | None = None) -> str:
        """Everything of the row that reaches paper or the court data file (not the packet id)."""
        values = [self.exhibit, self.row_id, self.count_key, self.court_ori, self.cnt_order, self.level,
                  self.relief_path, self.relief, self.basis, self.policy_rule, self.statutory_floor,
                  self.dob or "", self.conviction_date or ""]
        values += printed if printed is not None else self.printed_values()
        return "\x1f".join(str(v) for v in values)


_FINAL_BASIS_SQL = """CASE WHEN f.final_determination NOT IN ('dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction') THEN NULL
     ELSE coalesce(f.review_basis,
                   CASE WHEN f.reviewed AND f.final_determination IS DISTINCT FROM f.determination THEN NULL ELSE f.basis END,
                   CASE WHEN f.final_determination = f.statutory_determination THEN 'statute' ELSE 'policy' END) END"""

_ROW_COLUMNS = (
    "subject_id", "cnt_order", "name", "dob", "cii_number", "court_ori", "courthouse", "case_norm", "code_section",
    "section", "level", "offense_date", "conviction_date", "relief_path", "statutory_determination",
    "statutory_rule_ids", "disqualifiers", "determination", "final_determination", "rule_ids", "reason",
    "review_route", "policy_conflict", "criterion_label", "reviewed", "review_ground", "review_evidence",
    "fbasis", "ch_code", "agency_code", "exhibit_id", "count_no",
)


@dataclass
class ScopeSql:
    """The shared FROM clause: count_final of one run with courthouse and agency codes."""
    sql: str
    params: list


def scope_sql(run_id: int, mapping: dict[tuple[str, str], str], routes: dict[str, str], *, separate: bool,
              categories: str = "packets") -> ScopeSql:
    """``categories``: "packets" (granted and challenged) or "all"."""
    params: list = []
    if mapping:
        values = ", ".join("(?, ?, ?)" for _ in mapping)
        for (ori, descr), code in sorted(mapping.items()):
            params += [ori, descr, code]
    else:
        values = "(NULL, NULL, NULL)"
    if routes:
        rvalues = ", ".join("(?, ?)" for _ in routes)
        for route, code in sorted(routes.items()):
            params += [route, code]
    else:
        rvalues = "(NULL, NULL)"
    where = ""
    if categories == "packets":
        where = ("AND f.final_determination IN ('dismiss_and_seal', 'reduce_to_misdemeanor', "
                 "'reduce_to_infraction', 'no_relief')")
    sql = f"""
WITH m(ori, descr, ch_code) AS (VALUES {values}),
ag(route, agency_code) AS (VALUES {rvalues}),
b AS (
  SELECT f.*, m.ch_code, coalesce(ag.agency_code, '') AS agency_code,
         regexp_replace(trim(coalesce(f.case_number, '')), '\\s+', ' ', 'g') AS case_norm,
         TRY_CAST(substr(f.cnt_order, 7, 3) AS INTEGER) AS count_no,
         {_FINAL_BASIS_SQL} AS fbasis,
         CASE f.final_determination WHEN 'dismiss_and_seal' THEN 'A' WHEN 'reduce_to_misdemeanor' THEN 'B'
              WHEN 'reduce_to_infraction' THEN 'C' WHEN 'no_relief' THEN 'CH' ELSE NULL END AS letter
  FROM count_final f
  LEFT JOIN m ON coalesce(trim(f.court_ori), '') = m.ori AND coalesce(trim(f.courthouse), '') = m.descr
  LEFT JOIN ag ON f.review_route = ag.route
  WHERE f.run_id = ? {where}
),
s AS (
  SELECT b.*, CASE WHEN letter IS NULL THEN NULL
                   WHEN {'TRUE' if separate else 'FALSE'} AND letter <> 'CH'
                   THEN letter || CASE WHEN fbasis = 'statute' THEN '1' ELSE '2' END
                   ELSE letter END AS exhibit_id
  FROM b
)"""
    params.append(run_id)
    return ScopeSql(sql, params)


# -- plans ---------------------------------------------------------------------------------------

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
            from ..errors import ExportGateError
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


def courthouse_mapping(ws, run_id: int, s: Settings) -> tuple[dict, list]:
    rows = ws.query(
        """SELECT coalesce(trim(court_ori), ''), coalesce(trim(courthouse), ''),
                  count(*) FILTER (WHERE final_determination IN ('dismiss_and_seal', 'reduce_to_misdemeanor',
                                   'reduce_to_infraction', 'no_relief', 'hand_review'))
           FROM count_final WHERE run_id = ? GROUP BY 1, 2 ORDER BY 1, 2""", [run_id])
    mapping, unmapped = {}, []
    for ori, descr, n in rows:
        code = match_courthouse(s, ori, descr)
        if code:
            mapping[(ori, descr)] = code
        elif n:
            unmapped.append((ori, descr, n))
    return mapping, unmapped


def agency_routes(s: Settings) -> dict[str, str]:
    return {a.route: a.code for a in s.agencies if a.role == "filing" and a.route and a.code}


def plan_export(ws, run_id: int, s: Settings, *, kind: str) -> ExportPlan:
    """Which packets and exhibits there are, with row counts (no row is read yet)."""
    run = RunInfo.load(ws, run_id)
    mapping, unmapped = courthouse_mapping(ws, run_id, s)
    routes = agency_routes(s)
    separate = s.packets.policy_exhibits == "separate"
    scope = scope_sql(run_id, mapping, routes, separate=separate, categories="all")
    agg = ws.query(
        scope.sql + """
SELECT ch_code, agency_code, exhibit_id, count(*), count(*) FILTER (WHERE fbasis = 'statute'),
       count(*) FILTER (WHERE fbasis = 'policy'), count(*) FILTER (WHERE reviewed),
       count(*) FILTER (WHERE final_determination = 'hand_review' AND review_route IS NULL),
       count(*) FILTER (WHERE final_determination = 'hand_review' AND review_route IS NOT NULL)
FROM s WHERE ch_code IS NOT NULL GROUP BY ALL ORDER BY ALL""", scope.params)
    split = s.packets.split_by_relief
    county_code = s.county.code or "XX"
    packets: dict[tuple, PacketPlan] = {}
    ch_totals: dict[tuple, list[int]] = {}
    open_by_ch: dict[str, int] = {}
    referred = open_total = 0
    for ch, agency, ex_id, n, statute, policy, reviewed, n_open, n_ref in agg:
        open_total += n_open
        referred += n_ref
        if n_open:
            open_by_ch[ch] = open_by_ch.get(ch, 0) + n_open
        if ex_id is None:
            continue
        letter = ex_id[0] if ex_id != "CH" else "CH"
        segment = letter if split else ""
        key = (ch, agency, segment)
        plan = packets.get(key)
        if plan is None:
            plan = packets[key] = PacketPlan(county_code=county_code, ch_code=ch, agency_code=agency,
                                             segment=segment, as_of=run.as_of, kind=kind)
            ch_cfg = s.courthouses.get(ch)
            plan.per_case = bool(ch_cfg and ch_cfg.per_case_orders)
        ex = ExhibitPlan(id=ex_id, letter=letter, total=n, statute=statute, policy=policy)
        if letter == "CH":
            plan.challenge = ex
        else:
            plan.exhibits.append(ex)
        tot = ch_totals.setdefault((ch, agency), [0, 0])
        tot[0] += n
        tot[1] += reviewed
    ordered = [packets[k] for k in sorted(packets, key=lambda k: (k[1], k[0], _segment_order(k[2])))]
    for p in ordered:
        p.exhibits.sort(key=lambda e: e.id)
        tot = ch_totals[(p.ch_code, p.agency_code)]
        p.courthouse_reviewed, p.courthouse_reviewer_decisions = tot
        p.open_left_out = open_by_ch.get(p.ch_code, 0) if kind == "draft" else 0
    return ExportPlan(run=run, kind=kind, settings=s, mapping=mapping, unmapped=unmapped, routes=routes,
                      packets=ordered, open_by_courthouse=open_by_ch, referred=referred, open_total=open_total,
                      separate=separate)


def _segment_order(seg: str) -> int:
    return {"": 0, "A": 1, "B": 2, "C": 3, "CH": 4}[seg]


# -- streaming rows -------------------------------------------------------------------------------

def _packet_filter(packet: PacketPlan) -> tuple[str, list]:
    where = "ch_code = ? AND agency_code = ?"
    params: list = [packet.ch_code, packet.agency_code]
    if packet.segment == "CH":
        where += " AND exhibit_id = 'CH'"
    elif packet.segment:
        where += " AND exhibit_id <> 'CH' AND substr(exhibit_id, 1, 1) = ?"
        params.append(packet.segment)
    return where, params


def _order_by(order: str, natkey: str) -> str:
    case_order = f"case_norm = '', {natkey}, case_norm"
    if order == "exhibit":
        return f"exhibit_id, {case_order}, count_no NULLS LAST, subject_id, cnt_order"
    return f"{case_order}, subject_id, exhibit_id = 'CH', count_no NULLS LAST, cnt_order"  # per court case


def packet_rows_sql(plan: ExportPlan, packet: PacketPlan, *, order: str = "exhibit") -> tuple[str, list]:
    scope = scope_sql(plan.run.run_id, plan.mapping, plan.routes, separate=plan.separate)
    where, wparams = _packet_filter(packet)
    sql = (f"{scope.sql}\nSELECT {', '.join(_ROW_COLUMNS)} FROM s WHERE {where} "
           f"ORDER BY {_order_by(order, natural_key_sql('case_norm'))}")
    return sql, list(scope.params) + wparams


class RowSource:
    """The run's packet rows materialised once, with their sort keys, in a temporary table on one private
    cursor; each packet's rows are then a cheap filtered, ordered read. Use as a context manager."""

    _counter = 0

    def __init__(self, ws, plan: ExportPlan, *, cancel=None):
        RowSource._counter += 1
        self.table = f"cmr_export_rows_{RowSource._counter}"
        self.cur = ws.cursor()
        self.cancel = cancel
        if cancel is not None:
            cancel.add_interrupt(self.cur.interrupt)
        scope = scope_sql(plan.run.run_id, plan.mapping, plan.routes, separate=plan.separate)
        self.cur.execute(
            f"CREATE TEMP TABLE {self.table} AS {scope.sql}\n"
            f"SELECT {', '.join(_ROW_COLUMNS)}, {natural_key_sql('case_norm')} AS natkey "
            "FROM s WHERE ch_code IS NOT NULL AND exhibit_id IS NOT NULL", scope.params)

    def execute(self, packet: PacketPlan, order: str):
        where, params = _packet_filter(packet)
        return self.cur.execute(f"SELECT {', '.join(_ROW_COLUMNS)} FROM {self.table} WHERE {where} "
                                f"ORDER BY {_order_by(order, 'natkey')}", params)

    def close(self) -> None:
        try:
            self.cur.execute(f"DROP TABLE IF EXISTS {self.table}")
        except Exception:  # noqa: BLE001 - an interrupted cursor; the temporary table goes with it
            pass
        finally:
            if self.cancel is not None:
                self.cancel.remove_interrupt(self.cur.interrupt)
            self.cur.close()

    def __enter__(self) -> "RowSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _policy_rule(r: dict) -> str:
    if r["fbasis"] != "policy":
        return ""
    if r["reviewed"] and r["final_determination"] != r["determination"]:
        return "reviewer"
    for rule in (r["rule_ids"] or "").split(";"):
        rule = rule.strip()
        if rule.startswith("policy.") and rule not in ("policy.floor", "policy.guard.statutory") \
                and not rule.startswith("policy.bar."):
            return rule
    return "policy"


def _has_definite_bar(r: dict) -> bool:
    if any(t.certainty == "definite" for t in parse_tokens(r["disqualifiers"])):
        return True
    return "stat.date.post_prop64" in (r["statutory_rule_ids"] or "")


def make_row(r: dict, exhibit: str, row_no: int, ch_name: str, ch_short: str = "") -> PacketRow:
    row = PacketRow()
    row.exhibit = exhibit
    row.row_no = row_no
    row.row_id = row_id(exhibit, row_no)
    row.subject_id = clean_text(r["subject_id"])
    row.cnt_order = clean_text(r["cnt_order"])
    row.count_key = count_key(r["subject_id"], r["cnt_order"])
    row.ch_code = r["ch_code"]
    row.ch_name = clean_text(ch_name)
    row.ch_short = clean_text(ch_short) or row.ch_name
    row.court_ori = clean_text(r["court_ori"])
    row.case_number = clean_text(r["case_norm"])
    row.name = clean_text(r["name"])
    row.dob = clean_text(r["dob"])
    row.cii = clean_text(r["cii_number"])
    row.count = r["count_no"]
    row.code_section = clean_text(r["code_section"])
    row.level = clean_text(r["level"])
    row.conviction_date = clean_text(r["conviction_date"])
    row.relief_path = clean_text(r["relief_path"]) or "unknown"
    row.statutory_floor = clean_text(r["statutory_determination"])
    row.reviewed = bool(r["reviewed"])
    if exhibit == "CH":
        row.relief = ""
        row.basis = ""
        row.policy_rule = ""
        row.basis_text = ""
        row.bar = False
        row.criterion = ""
        row.policy_by_reviewer = False
        row.ground, row.evidence = challenge_ground(r)
        row.ground = clean_text(row.ground)
        row.evidence = clean_text(row.evidence)
        return row
    row.ground = row.evidence = ""
    row.relief = r["final_determination"]
    row.basis = r["fbasis"] or "statute"
    row.policy_rule = _policy_rule(r)
    row.policy_by_reviewer = row.policy_rule == "reviewer"
    row.bar = bool(r["policy_conflict"]) or _has_definite_bar(r)
    if row.basis == "statute":
        row.criterion = ""
        text = "Statute"
    else:
        if row.policy_by_reviewer:
            label = "reviewer"
        else:
            label = clean_text(r["criterion_label"]) or "office policy"
        row.criterion = label
        floor = RELIEF_SHORT.get(row.statutory_floor, "none")
        text = f"Policy: {label}; floor: {floor}"
    if row.bar:
        text += " (bar)"
    row.basis_text = text
    return row


def iter_packet_rows(ws, plan: ExportPlan, packet: PacketPlan, *, cancel=None, order: str = "exhibit",
                     batch: int = BATCH) -> Iterator[PacketRow]:
    """The packet's rows in §4.3 order, numbered per exhibit, fetched in batches (from the plan's
    :class:`RowSource` when it has one, else on a private cursor)."""
    ch = plan.settings.courthouses.get(packet.ch_code)
    ch_name = ch.name if ch else packet.ch_code
    ch_short = (ch.short_name or ch.name) if ch else packet.ch_code
    source = plan.source
    cur = None
    res = None
    done = False
    try:
        if source is not None:
            res = source.execute(packet, order)
        else:
            sql, params = packet_rows_sql(plan, packet, order=order)
            cur = ws.cursor()
            if cancel is not None:
                cancel.add_interrupt(cur.interrupt)
            res = cur.execute(sql, params)
        names = [d[0] for d in res.description]
        counters: dict[str, int] = {}
        while not done:
            if cancel is not None:
                cancel.check()
            chunk = res.fetchmany(batch)
            if not chunk:
                done = True
                break
            for values in chunk:
                r = dict(zip(names, values))
                ex = r["exhibit_id"]
                n = counters.get(ex, 0) + 1
                counters[ex] = n
                yield make_row(r, ex, n, ch_name, ch_short)
    finally:
        if source is not None and res is not None and not done:
            # the consumer stopped early: finish the result so the cursor can run the next statement
            try:
                while res.fetchmany(batch):
                    pass
            except Exception:  # noqa: BLE001 - an interrupted result is finished anyway
                pass
        if cur is not None:
            if cancel is not None:
                cancel.remove_interrupt(cur.interrupt)
            cur.close()


def first_pass(ws, plan: ExportPlan, packet: PacketPlan, registry: TemplateRegistry, *, template_ids: Sequence[str],
               settings_sha: str, cancel=None) -> None:
    """Read the packet's rows once: content hash (→ packet id), statistics and the page plan."""
    h = hashlib.sha256()
    h.update(b"cmr-packet-v1\n")
    h.update(f"policy={plan.run.policy_sha256}\nruleset={plan.run.ruleset_hash}\n".encode())
    for tid, sha in sorted(registry.hashes(template_ids).items()):
        h.update(f"template {tid}={sha}\n".encode())
    h.update(f"settings={settings_sha}\n".encode())
    h.update(f"packet={packet.id_prefix()}\n".encode())
    ex_by_id = {e.id: e for e in packet.all_exhibits}
    paginators = {}
    for e in packet.all_exhibits:
        info = registry.get("challenge_list" if e.letter == "CH" else "exhibit")
        paginators[e.id] = Paginator(info.table)
    people, cases = set(), set()
    st = PacketStats()
    for row in iter_packet_rows(ws, plan, packet, cancel=cancel):
        printed = row.printed_values()
        h.update(row.canonical(printed).encode("utf-8"))
        h.update(b"\n")
        paginators[row.exhibit].add(printed)
        people.add(row.subject_id)
        if row.case_number:
            cases.add(row.case_number)
        else:
            st.no_case_number += 1
        if row.relief_path == "unknown":
            st.path_unknown += 1
        if row.exhibit != "CH":
            if row.relief_path == "resentencing":
                st.resent += 1
            elif row.relief_path == "redesignation":
                st.redesig += 1
            if row.basis == "policy":
                st.criteria[row.criterion] = st.criteria.get(row.criterion, 0) + 1
                st.policy_by_exhibit[row.exhibit] = st.policy_by_exhibit.get(row.exhibit, 0) + 1
                if row.bar:
                    st.conflicts += 1
        if row.reviewed:
            st.reviewed += 1
    st.people, st.cases = len(people), len(cases)
    for ex_id, pag in paginators.items():
        ex_by_id[ex_id].pages = pag.finish()
        got = sum(ex_by_id[ex_id].pages)
        if got != ex_by_id[ex_id].total:  # the run changed under us
            from ..errors import ExportGateError
            raise ExportGateError("The run's results changed while the export was being prepared. Export again.")
    packet.stats = st
    packet.content_hash = h.hexdigest()
    packet.packet_id = packet.make_id()


def packet_template_ids(packet: PacketPlan) -> list[str]:
    ids = ["cover_sheet", "proof_of_service"]
    if packet.exhibits:
        ids += ["notice_and_motion", "proposed_order", "exhibit"]
    if packet.challenge:
        ids.append("challenge_list")
    if packet.per_case:
        ids.append("per_case_motion_and_order")
    return sorted(ids)


def iter_cases(rows: Iterable[PacketRow]) -> Iterator[list[PacketRow]]:
    """Group rows ordered by court case and person into one list per (case, person)."""
    group: list[PacketRow] = []
    key = None
    for r in rows:
        k = (r.case_number, r.subject_id)
        if group and k != key:
            yield group
            group = []
        key = k
        group.append(r)
    if group:
        yield group


def agency_for(s: Settings, code: str) -> AgencySettings | None:
    for a in s.agencies:
        if a.role == "filing" and a.code == code:
            return a
    return None


def to_plain(obj: Any) -> Any:
    """JSON-friendly copy of plan data (for manifests and tests)."""
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    return obj
