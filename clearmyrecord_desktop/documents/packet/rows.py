"""One formatted packet row (exhibit or challenge list): the column sets of the exhibits and the court
data file, and :func:`make_row`, which turns a scope row into a :class:`PacketRow`."""

from __future__ import annotations

from ..stamping import clean_text
from .formats import count_key, data_date, print_date, row_id
from .grounds import challenge_ground, parse_tokens
from .labels import LEVEL_SHORT, PATH_SHORT, RELIEF_SHORT, SENTENCE_STATUS

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
