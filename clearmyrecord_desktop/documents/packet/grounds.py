"""Why a count is challenged (motion-packets.md §6.5): disqualifier tokens, their statutory grounds and
evidence, the date bar and same-level rows, or the office policy that decided."""

from __future__ import annotations

from ...review.words import Token
from ..stamping import clean_text
from .formats import print_date

_D_ORDER = ["D1", "D2", "D3", "D4", "D5a", "D5b", "D6a"]
_D3_REF = {"11358": "11358(d)(2)", "11359": "11359(c)(2)", "11360": "11360(a)(3)(B)"}


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
