"""Builders for export tests: synthetic runs written straight into eval_run / count_result / import_batch /
doj_row / review_decision (the engine is not needed), office settings, and a fixed clock.

Every name, date, CII and case number here is invented.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from clearmyrecord_desktop.settings import (AgencySettings, AttorneySettings, CountySettings, CourtSettings,
                                            CourthouseSettings, OfficeSettings, PolicySettings,
                                            PublicDefenderSettings, ServiceSettings, Settings)
from clearmyrecord_desktop.store.database import open_workspace

RUN_CREATED = datetime(2020, 7, 2, 9, 0, 0)
AS_OF = date(2020, 7, 1)
PACIFIC = timezone(timedelta(hours=-7))
FIXED_NOW = datetime(2020, 7, 3, 10, 15, 30, tzinfo=PACIFIC)

COUNT_COLUMNS = (
    "run_id", "subject_id", "cnt_order", "row_seq", "source_file", "source_line", "name", "dob", "cii_number",
    "county", "courthouse", "court_ori", "case_number", "code_section", "section", "charge_text", "count_class",
    "level", "offense_date", "offense_date_source", "conviction_date", "conviction_lo", "conviction_hi",
    "age_at_offense", "sentence_end", "relief_path", "statutory_determination", "statutory_rule_ids",
    "statutory_reason", "unknown_facts", "disqualifiers", "determination", "rule_ids", "reason", "review_route",
    "floor_applied", "policy_conflict", "conflict_details", "compat_determination", "compat_reason", "policy_id",
    "policy_version", "basis", "criterion_label",
)

COURTS = {
    "VNY": ("CA019015J", "CASC VAN NUYS"),
    "LB": ("CA019025J", "CASC LONG BEACH"),
    "LAC": ("", "CASC LOS ANGELES"),          # matched by description only
}


def fixed_clock(when: datetime = FIXED_NOW):
    return lambda: when


def make_settings(**overrides) -> Settings:
    s = Settings(
        office=OfficeSettings(
            agency_name="Office of the District Attorney, County of Los Angeles (TEST)",
            head_name="Alex Example", head_title="District Attorney",
            attorney=AttorneySettings(name="Jordan Testcase", title="Deputy District Attorney", bar_number="123456"),
            address=["211 West Temple Street", "Los Angeles, CA 90012"],
            phone="(213) 555-0100", email="prop64@da.example.invalid"),
        county=CountySettings(name="Los Angeles", code="LA"),
        court=CourtSettings(name="Superior Court of California, County of Los Angeles"),
        courthouses={
            "VNY": CourthouseSettings(name="Van Nuys Courthouse West", short_name="Van Nuys", address=["14400 Erwin St Mall", "Van Nuys, CA 91401"],
                                      ori_codes=["CA019015J"], misc_case_number="VNY-MISC-2020-01"),
            "LB": CourthouseSettings(name="Long Beach Courthouse", short_name="Long Beach", address=["275 Magnolia Ave", "Long Beach, CA 90802"],
                                     ori_codes=["CA019025J"]),
            "LAC": CourthouseSettings(name="Clara Shortridge Foltz Criminal Justice Center", short_name="CCB",
                                      address=["210 West Temple Street", "Los Angeles, CA 90012"],
                                      description_match=["CASC LOS ANGELES"]),
        },
        public_defender=PublicDefenderSettings(name="Los Angeles County Public Defender (TEST)",
                                               address=["320 West Temple Street", "Los Angeles, CA 90012"],
                                               service_email="pd@pd.example.invalid"),
        service=ServiceSettings(server_name="Casey Server", server_address=["211 West Temple Street",
                                                                             "Los Angeles, CA 90012"]),
        policy=PolicySettings(authority_text="the People's prosecutorial discretion (TEST TEXT)"),
    )
    for key, value in overrides.items():
        section, _, attr = key.partition("__")
        if attr:
            setattr(getattr(s, section), attr, value)
        else:
            setattr(s, section, value)
    return s


@dataclass
class Count:
    subject_id: str
    cnt_order: str
    court: str                       # VNY / LB / LAC
    case_number: str | None
    name: str
    determination: str
    statutory: str | None = None
    code_section: str = "11357(B) HS"
    level: str = "misdemeanor"
    conviction_date: str = "2010-05-04"
    dob: str = "1970-01-02"
    cii: str = "A01234567"
    relief_path: str = "redesignation"
    basis: str | None = None
    criterion_label: str | None = None
    rule_ids: str = ""
    statutory_rule_ids: str = ""
    disqualifiers: str = ""
    review_route: str | None = None
    policy_conflict: bool = False
    reason: str = "reason text"
    offense_date: str = "2010-01-01"
    race: str = "WHITE"
    extra: dict = field(default_factory=dict)

    @property
    def section(self) -> str:
        return self.code_section[:5]


def _conv_bounds(text: str) -> tuple[date | None, date | None]:
    if not text or text == "unknown":
        return None, None
    parts = text.split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return date(y, 1, 1), date(y, 12, 31)
    m = int(parts[1])
    if len(parts) == 2:
        last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        return date(y, m, 1), last
    d = date(y, m, int(parts[2]))
    return d, d


def standard_counts(*, with_open: bool = True) -> list[Count]:
    """Three courthouses, every relief, challenges, an open and a referred count, reviewer overrides,
    policy rows, a grant over a bar, names with & and <."""
    C = Count
    counts = [
        # VNY — natural case-number order: LA2 < LA10 < LA2000 < "BA 100" sorts by letters first
        C("1000001", "001002001000", "VNY", "LA10", "SMITH, JOHN", "dismiss_and_seal", basis="statute",
          rule_ids="stat.11357b.misdemeanor.adult.dismiss", statutory_rule_ids="stat.11357b.misdemeanor.adult.dismiss"),
        C("1000001", "001002002000", "VNY", "LA10", "SMITH, JOHN", "reduce_to_misdemeanor", code_section="11359 HS",
          level="felony", relief_path="resentencing", basis="statute", rule_ids="stat.11359.felony.adult.reduce_m",
          statutory_rule_ids="stat.11359.felony.adult.reduce_m"),
        C("1000002", "002003001000", "VNY", "LA2000", "O'BRIEN & SONS, MARY <JR>", "dismiss_and_seal",
          statutory="reduce_to_misdemeanor", code_section="11360(A) HS", level="felony", basis="policy",
          criterion_label="50 years or older", rule_ids="policy.criterion.age_50",
          statutory_rule_ids="stat.11360a.felony.adult.reduce_m", dob="1950-03"),
        C("1000003", "001001001000", "VNY", "LA2", "GARCIA,  ANA   MARIA", "reduce_to_infraction",
          code_section="11357(A) HS", level="felony", basis="statute", dob="1996", conviction_date="2013-02",
          rule_ids="stat.11357a.felony.minor.reduce_i"),
        C("1000004", "001002001000", "VNY", "BA 100", "LEE, KIM", "no_relief", code_section="11359 HS",
          level="felony", rule_ids="stat.dq.superstrike", statutory_rule_ids="stat.dq.superstrike",
          disqualifiers="D1|definite|187(A) PC|2000-11-20|BA041776|001002001000"),
        C("1000005", "003001001000", "VNY", "LA77", "NGUYEN, BAO", "no_relief", code_section="11360(A) HS",
          level="felony", rule_ids="stat.date.post_prop64", statutory_rule_ids="stat.date.post_prop64",
          offense_date="2017-03-04", conviction_date="2017-06-01"),
        C("1000007", "001002001000", "VNY", "LA88", "DOE, RIVER", "hand_review", statutory="reduce_to_infraction",
          review_route="city_attorney", rule_ids="policy.route.city_attorney", reason="To be reviewed by City Attorneys"),
        # LB
        C("2000001", "001002001000", "LB", "NA0123", "PATEL, RAJ", "reduce_to_infraction", code_section="11357(A) HS",
          level="felony", basis="statute", rule_ids="stat.11357a.felony.minor.reduce_i", race="ASIAN"),
        C("2000002", "001002001000", "LB", "NA0124", "JOHNSON, TAYLOR", "hand_review", statutory="hand_review",
          code_section="11358 HS", level="felony", rule_ids="stat.dq.possible", race="BLACK",
          disqualifiers="D2|possible|290 PC REGISTRATION|1999-05-01||001001001000"),
        C("2000003", "001002001000", "LB", "NA0125", "WILLIAMS, SAM", "dismiss_and_seal", code_section="11359 HS",
          level="felony", statutory="reduce_to_misdemeanor", basis="policy", criterion_label="No convictions in past 10 years",
          rule_ids="policy.criterion.crime_free_10", relief_path="unknown", race="BLACK"),
        C("2000004", "001002001000", "LB", "NA9", "BROWN, ALEX", "dismiss_and_seal", basis="statute", race=""),
        # LAC (matched by description)
        C("3000001", "001002001000", "LAC", "BA5", "MARTIN, JO", "dismiss_and_seal", code_section="11359 HS",
          level="felony", statutory="no_relief", basis="policy", criterion_label="Dismiss all HS 11359 convictions",
          rule_ids="policy.section.11359.dismiss;policy.bar.grant_anyway", policy_conflict=True,
          statutory_rule_ids="stat.dq.two_priors",
          disqualifiers=("D3|definite|11359 HS|1990-01-01|A111|001001001000;"
                         "D3|definite|11359 HS|1995-01-01|A222|002001001000"), race="HISPANIC"),
        C("3000002", "001002001000", "LAC", None, "TAYLOR, CHRIS", "dismiss_and_seal", basis="statute",
          relief_path="unknown", conviction_date="unknown", race="HISPANIC"),
        C("3000003", "001002001000", "LAC", "BA6", "CLARK, DANA", "dismiss_and_seal", code_section="11360(B) HS",
          basis="statute", dob="1960-05", conviction_date="1979"),
        C("3000004", "001002001000", "LAC", "BA7", "ADAMS, PAT", "reduce_to_misdemeanor", code_section="11358 HS",
          level="felony", basis="statute", conviction_date="1968-08-08", dob="1940-01-01"),
    ]
    if with_open:
        counts.append(C("1000006", "001002001000", "VNY", "LA99", "OPEN, CASE", "hand_review",
                        statutory="hand_review", code_section="11359 HS", level="felony", rule_ids="stat.dq.possible",
                        reason="Possible disqualifier — review before relief."))
    return counts


@dataclass
class Review:
    subject_id: str
    cnt_order: str
    determination: str
    reason: str
    basis: str | None = None
    ground: str | None = None
    evidence: str | None = None
    decided_at: datetime = RUN_CREATED - timedelta(hours=1)
    engine: str | None = None


def standard_reviews() -> list[Review]:
    return [
        # engine hand_review -> reviewer grants beyond the floor
        Review("2000002", "001002001000", "dismiss_and_seal", "Registration was a juvenile matter", basis="policy",
               engine="hand_review"),
        # engine granted -> reviewer challenges with a ground and evidence
        Review("2000004", "001002001000", "no_relief", "Currently serving; danger",
               ground="Unreasonable risk of danger to public safety (resentencing path only)",
               evidence="Declaration of Officer Example dated 06/01/2020", engine="dismiss_and_seal"),
    ]


def build_workspace(path: str | Path, *, counts: list[Count] | None = None, reviews: list[Review] | None = None,
                    run_id: int = 1, with_open: bool = True, extra_doj: bool = True):
    ws = open_workspace(Path(path), create=True)
    counts = standard_counts(with_open=with_open) if counts is None else counts
    reviews = standard_reviews() if reviews is None else reviews
    insert_run(ws, run_id)
    insert_counts(ws, run_id, counts)
    if extra_doj:
        insert_doj_rows(ws, counts, extra_history=True)
    insert_reviews(ws, reviews)
    return ws


def insert_run(ws, run_id: int = 1, *, created_at: datetime = RUN_CREATED, as_of: date = AS_OF,
               county: str = "LOS ANGELES") -> None:
    inputs = [{"batch_id": 1, "name": "LA_DOJ_research_2019.csv", "bytes": 123456, "sha256": "ab" * 32},
              {"batch_id": 2, "name": "LA_DOJ_research_2019_part2.csv", "bytes": 65432, "sha256": "cd" * 32}]
    with ws.write() as cur:
        for b in inputs:
            cur.execute(
                """INSERT OR IGNORE INTO import_batch (batch_id, file_name, file_path, size_bytes, sha256, encoding,
                       has_header, lines_total, blank_lines, data_lines, rows_imported, lines_quarantined,
                       quarantine_by_reason, warnings, imported_at, duration_s)
                   VALUES (?, ?, NULL, ?, ?, 'utf-8', TRUE, 100, 0, 99, 97, 2, '{}', '[]', ?, 1.0)""",
                [b["batch_id"], b["name"], b["bytes"], b["sha256"], created_at - timedelta(days=1)])
        cur.execute(
            """INSERT INTO eval_run (run_id, created_at, filing_county, as_of, policy_id, policy_name, policy_version,
                   policy_sha256, policy_text, ruleset_hash, app_version, inputs, impact, duration_s)
               VALUES (?, ?, ?, ?, 'los_angeles_2020', 'Los Angeles County 2020 pilot criteria', '1.0.0', ?, NULL,
                       ?, '0.1.0', ?, NULL, 1.0)""",
            [run_id, created_at, county, as_of, "5e" * 32, "9f" * 32, json.dumps(inputs)])


def insert_counts(ws, run_id: int, counts: list[Count]) -> None:
    rows = []
    for i, c in enumerate(counts):
        ori, descr = COURTS[c.court]
        lo, hi = _conv_bounds(c.conviction_date)
        statutory = c.statutory or c.determination
        rec = {
            "run_id": run_id, "subject_id": c.subject_id, "cnt_order": c.cnt_order, "row_seq": 10_000_000_000 + i,
            "source_file": "LA_DOJ_research_2019.csv", "source_line": i + 2, "name": c.name, "dob": c.dob,
            "cii_number": c.cii, "county": "LOS ANGELES", "courthouse": descr, "court_ori": ori or None,
            "case_number": c.case_number, "code_section": c.code_section, "section": c.section,
            "charge_text": c.code_section + "-CHARGE", "count_class": "prop64", "level": c.level,
            "offense_date": c.offense_date, "offense_date_source": "CYC_DATE", "conviction_date": c.conviction_date,
            "conviction_lo": lo, "conviction_hi": hi, "age_at_offense": "30", "sentence_end": "unknown",
            "relief_path": c.relief_path, "statutory_determination": statutory,
            "statutory_rule_ids": c.statutory_rule_ids or c.rule_ids, "statutory_reason": "statutory reason",
            "unknown_facts": "", "disqualifiers": c.disqualifiers, "determination": c.determination,
            "rule_ids": c.rule_ids, "reason": c.reason, "review_route": c.review_route, "floor_applied": False,
            "policy_conflict": c.policy_conflict, "conflict_details": "", "compat_determination": "",
            "compat_reason": "", "policy_id": "los_angeles_2020", "policy_version": "1.0.0", "basis": c.basis,
            "criterion_label": c.criterion_label,
        }
        rec.update(c.extra)
        rows.append([rec[k] for k in COUNT_COLUMNS])
    with ws.write() as cur:
        cur.executemany(f"INSERT INTO count_result ({', '.join(COUNT_COLUMNS)}) VALUES "
                        f"({', '.join('?' for _ in COUNT_COLUMNS)})", rows)


def insert_doj_rows(ws, counts: list[Count], *, extra_history: bool = True) -> None:
    """One conviction row per count (race, level, date), plus a felony in another county for 1000001."""
    with ws.write() as cur:
        seq = 0
        for i, c in enumerate(counts):
            seq += 1
            lo, hi = _conv_bounds(c.conviction_date)
            cur.execute(
                """INSERT INTO doj_row (batch_id, line_no, row_seq, "SUBJECT_ID", "PRI_NAME", "RACE_DESCR", "CNT_ORDER",
                       d_subject_id, d_cnt_order, d_stp_lo, d_stp_hi, d_is_conviction, d_level, d_charge_from_comment)
                   VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, FALSE)""",
                [i + 2, 10_000_000_000 + i, c.subject_id, c.name, c.race, c.cnt_order, c.subject_id, c.cnt_order,
                 lo, hi, c.level])
        if extra_history:
            cur.execute(
                """INSERT INTO doj_row (batch_id, line_no, row_seq, "SUBJECT_ID", "RACE_DESCR", "CNT_ORDER", d_subject_id,
                       d_cnt_order, d_stp_lo, d_stp_hi, d_is_conviction, d_level, d_charge_from_comment)
                   VALUES (1, 999, 10000000999, '1000001', 'WHITE', '009001001000', '1000001', '009001001000',
                           DATE '2018-01-01', DATE '2018-01-01', TRUE, 'felony', FALSE)""")


def insert_reviews(ws, reviews: list[Review]) -> None:
    with ws.write() as cur:
        for i, r in enumerate(reviews, 1):
            cur.execute(
                """INSERT INTO review_decision (decision_id, subject_id, cnt_order, determination, reason, basis, ground,
                       evidence, reviewer, decided_at, run_id, engine_determination, active)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'reviewer1', ?, 1, ?, TRUE)""",
                [i, r.subject_id, r.cnt_order, r.determination, r.reason, r.basis, r.ground, r.evidence, r.decided_at,
                 r.engine])


def resolve_open(ws) -> None:
    """Decide every open count (reviewer grants, recorded before the run), so a final export may run."""
    rows = ws.query("""SELECT subject_id, cnt_order FROM count_final WHERE run_id = 1
                       AND final_determination = 'hand_review' AND review_route IS NULL""")
    start = ws.query("SELECT coalesce(max(decision_id), 0) FROM review_decision")[0][0]
    insert_reviews_from(ws, [(s, c) for s, c in rows], start)


def insert_reviews_from(ws, keys, start: int) -> None:
    with ws.write() as cur:
        for i, (s, c) in enumerate(keys, start + 1):
            cur.execute(
                """INSERT INTO review_decision (decision_id, subject_id, cnt_order, determination, reason, basis,
                       reviewer, decided_at, run_id, engine_determination, active)
                   VALUES (?, ?, ?, 'reduce_to_misdemeanor', 'Reviewed', 'statute', 'reviewer1', ?, 1, 'hand_review',
                           TRUE)""", [i, s, c, RUN_CREATED - timedelta(minutes=5)])


# -- county-scale synthetic data (bench) ---------------------------------------------------------------

def build_big_workspace(path: str | Path, *, n_counts: int = 66_000, n_courthouses: int = 30, seed: int = 7):
    """A run with ``n_counts`` granted/challenged counts over ``n_courthouses`` courts, made in SQL."""
    ws = open_workspace(Path(path), create=True)
    insert_run(ws, 1)
    with ws.write() as cur:
        cur.execute(f"SELECT setseed({(seed % 100) / 100.0})")
        cur.execute(f"""
            INSERT INTO count_result (run_id, subject_id, cnt_order, row_seq, source_file, source_line, name, dob,
                cii_number, county, courthouse, court_ori, case_number, code_section, section, level, offense_date,
                conviction_date, conviction_lo, conviction_hi, relief_path, statutory_determination,
                statutory_rule_ids, disqualifiers, determination, rule_ids, reason, review_route, policy_conflict,
                policy_id, policy_version, basis, criterion_label)
            SELECT 1, CAST(10000000 + i // 5 * 4 + (i % 5 > 3)::INT AS VARCHAR) AS subject_id,
                   lpad(CAST(1 + i % 5 AS VARCHAR), 3, '0') || '002' || lpad(CAST(1 + i % 3 AS VARCHAR), 3, '0') || '000',
                   i, 'big.csv', i + 2,
                   'PERSON' || CAST(i // 5 AS VARCHAR) || ', TEST ' || chr(CAST(65 + i % 26 AS INTEGER)) || chr(CAST(65 + i // 26 % 26 AS INTEGER)),
                   CAST(1940 + i % 50 AS VARCHAR) || '-0' || CAST(1 + i % 9 AS VARCHAR) || '-1' || CAST(i % 9 AS VARCHAR),
                   'A' || lpad(CAST(i * 7919 % 99999999 AS VARCHAR), 8, '0'), 'LOS ANGELES',
                   'CASC COURT ' || CAST(i % {n_courthouses} AS VARCHAR), 'CA0190' || lpad(CAST(i % {n_courthouses} AS VARCHAR), 2, '0') || 'J',
                   CASE WHEN i % 97 = 0 THEN NULL ELSE chr(CAST(65 + i % 3 AS INTEGER)) || 'A' || CAST(1000 + i // 5 AS VARCHAR) END,
                   CASE i % 4 WHEN 0 THEN '11357(B) HS' WHEN 1 THEN '11359 HS' WHEN 2 THEN '11360(A) HS' ELSE '11358 HS' END,
                   CASE i % 4 WHEN 0 THEN '11357' WHEN 1 THEN '11359' WHEN 2 THEN '11360' ELSE '11358' END,
                   CASE WHEN i % 4 = 0 THEN 'misdemeanor' ELSE 'felony' END, '1990-01-01',
                   CAST(1965 + i % 52 AS VARCHAR) || '-05-04', make_date(1965 + i % 52, 5, 4), make_date(1965 + i % 52, 5, 4),
                   CASE i % 7 WHEN 0 THEN 'resentencing' WHEN 1 THEN 'unknown' ELSE 'redesignation' END,
                   CASE WHEN i % 10 = 9 THEN 'no_relief' WHEN i % 4 = 0 THEN 'dismiss_and_seal'
                        WHEN i % 11 = 3 THEN 'reduce_to_infraction' ELSE 'reduce_to_misdemeanor' END,
                   CASE WHEN i % 10 = 9 THEN 'stat.dq.superstrike' ELSE 'stat.table' END,
                   CASE WHEN i % 10 = 9 THEN 'D1|definite|187(A) PC|2000-11-20|BA041776|001002001000' ELSE '' END,
                   CASE WHEN i % 10 = 9 THEN 'no_relief' WHEN i % 4 = 0 THEN 'dismiss_and_seal'
                        WHEN i % 11 = 3 THEN 'reduce_to_infraction' WHEN i % 3 = 0 THEN 'dismiss_and_seal'
                        ELSE 'reduce_to_misdemeanor' END,
                   CASE WHEN i % 3 = 0 AND i % 4 <> 0 AND i % 10 <> 9 AND i % 11 <> 3 THEN 'policy.criterion.age_50' ELSE 'stat.table' END,
                   'reason', NULL, FALSE, 'los_angeles_2020', '1.0.0',
                   CASE WHEN i % 3 = 0 AND i % 4 <> 0 AND i % 10 <> 9 AND i % 11 <> 3 THEN 'policy' ELSE 'statute' END,
                   CASE WHEN i % 3 = 0 AND i % 4 <> 0 AND i % 10 <> 9 AND i % 11 <> 3 THEN '50 years or older' END
            FROM range({n_counts}) t(i)""")
    return ws


def big_settings(n_courthouses: int = 30) -> Settings:
    s = make_settings()
    s.courthouses = {f"C{k:02d}": CourthouseSettings(name=f"Test Courthouse {k}", ori_codes=[f"CA0190{k:02d}J"],
                                                    address=[f"{100 + k} Main Street", "Los Angeles, CA 90012"])
                     for k in range(n_courthouses)}
    return s


__all__ = ["AgencySettings", "Count", "Review", "build_workspace", "make_settings", "fixed_clock", "standard_counts",
           "standard_reviews", "resolve_open", "build_big_workspace", "big_settings", "FIXED_NOW", "RUN_CREATED"]
