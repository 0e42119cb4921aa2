"""HTML of the case detail panel for one person and one selected count."""

from __future__ import annotations

from html import escape

from ...review import words
from ..style import CHANGED_COLOUR, EVIDENCE_BACKGROUND, MARIJUANA_BACKGROUND, REVIEWED_COLOUR, badge_html

CSS = """
<style>
 body { font-size: 10pt; }
 h2 { margin: 2px 0 2px 0; }
 h3 { margin: 12px 0 4px 0; color: #222; }
 table { border-collapse: collapse; }
 td, th { padding: 2px 6px; vertical-align: top; }
 th { background: #eceff3; text-align: left; }
 .muted { color: #5f6368; }
 .note { color: #7a4d00; }
 .law { color: #5b3b8c; }
 .nw { white-space: nowrap; }
</style>
"""


def _e(value) -> str:
    return escape("" if value is None else str(value))


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else _e(value)


def _badge(code: str | None) -> str:
    return badge_html(code, _e(words.DETERMINATION_WORDS.get(code or "", code or "—")))


def _count_title(c: dict) -> str:
    return (f"{_e(c.get('code_section') or c.get('charge_text'))} · "
            f"{_e(words.LEVEL_WORDS.get(c.get('level') or '', c.get('level')))} · "
            f"case {_e(c.get('case_number') or '—')} · {_e(c.get('courthouse'))} · "
            f"convicted {_e(c.get('conviction_date') or 'unknown')}")


def render(data: dict, selected_cnt_order: str | None, wide: bool = False) -> str:
    """The side panel (``wide`` False: decision first, then the record) or the full-record dialog
    (``wide``: the record first, in more columns, then the decision)."""
    counts = data["counts"]
    selected = next((c for c in counts if c["cnt_order"] == selected_cnt_order), counts[0] if counts else None)
    tokens = words.parse_tokens(selected.get("disqualifiers")) if selected else []
    evidence = {t.cnt_order for t in tokens}
    evaluated = {c["cnt_order"] for c in counts}
    timeline = _timeline(data["timeline"], evaluated, evidence, selected, wide)
    others = _other_counts(counts, selected) if len(counts) > 1 else ""
    decision = _selected(selected, tokens, data) if selected else ""
    parts = (timeline, others, decision) if wide else (decision, others, timeline)
    return "".join([CSS, _header(data), *parts])


def count_label(cnt_order: str | None) -> str:
    """``001002003000`` (cycle, step, count) as the words users use: "count 3" (cycle and step are
    in the row's date and event)."""
    cnt = cnt_order or ""
    return f"count {int(cnt[6:9])}" if len(cnt) >= 9 and cnt[6:9].isdigit() else f"count {cnt or '?'}"


def _header(data: dict) -> str:
    dobs = data["dobs"]
    dob = dobs[0] if len(dobs) == 1 else ("not recorded" if not dobs else "conflicting")
    notes = []
    if len(dobs) > 1:
        notes.append(f"Data quality (dob_conflict): the rows give different dates of birth ({_e(', '.join(dobs))}).")
    if data["deceased"]:
        notes.append("The record has a DECEASED step.")
    for line, file_name, reasons in data["quarantined"]:
        notes.append(f"Line {_e(line)} of {_e(file_name)} for this person was quarantined at import "
                     f"({_e(reasons)}); the record may be incomplete.")
    html = (f"<h2>{_e(data['name'] or 'Name not recorded')}</h2>"
            f"<div class='muted'>CII {_e(data['cii_number'] or '—')} · born {_e(dob)} · "
            f"{_e(data['gender'] or '')} {_e(data['race'] or '')} · DOJ subject {_e(data['subject_id'])} · "
            f"{data['row_count']} DOJ rows</div>")
    for note in notes:
        html += f"<div class='note'>⚠ {note}</div>"
    return html


def _selected(c: dict, tokens: list, data: dict) -> str:
    rows = [f"<h3>Selected count: {_count_title(c)}</h3>"]
    if c.get("reviewed"):
        colour = CHANGED_COLOUR if c.get("engine_changed") else REVIEWED_COLOUR
        rows.append(
            f"<div style='color:{colour}'><b>{'⚠' if c.get('engine_changed') else '✎'} Reviewer's decision:</b> "
            f"{_badge(c.get('final_determination'))} by {_e(c.get('reviewer'))} on "
            f"{_when(c.get('decided_at'))} UTC"
            + (f" · basis: {_e(c.get('review_basis'))}" if c.get("review_basis") else "")
            + f"<br>Reason: {_e(c.get('review_reason'))}"
            + (f"<br>Ground: {_e(c.get('review_ground'))} · Evidence: {_e(c.get('review_evidence'))}"
               if c.get("review_ground") else "")
            + ("<br><b>The engine result changed since this decision</b>: check the decision still holds."
               if c.get("engine_changed") else "")
            + "</div>")
    rows.append(
        "<table width='100%'><tr><th width='50%'>Statutory floor (H&S § 11361.8)</th>"
        "<th>County policy</th></tr>"
        f"<tr><td>{_badge(c.get('statutory_determination'))}</td><td>{_badge(c.get('determination'))}"
        + (f" <span class='note'>→ {_e(words.REVIEW_ROUTE_WORDS.get(c.get('review_route'), c.get('review_route')))}</span>"
           if c.get("review_route") else "") + "</td></tr>"
        f"<tr><td>{_e(c.get('statutory_reason'))}</td><td>{_e(c.get('reason'))}</td></tr>"
        f"<tr><td class='muted'>Rules: {_e(c.get('statutory_rule_ids'))}</td>"
        f"<td class='muted'>Rules: {_e(c.get('rule_ids'))} · policy {_e(c.get('policy_id'))} "
        f"{_e(c.get('policy_version'))}</td></tr></table>")
    if c.get("policy_conflict"):
        rows.append(f"<div class='note'>⚠ The policy grants relief over a statutory bar: "
                    f"{_e(c.get('conflict_details'))}</div>")
    facts = words.fact_words(c.get("unknown_facts"))
    rows.append("<h3>Unknown facts</h3>" + ("<ul>" + "".join(f"<li>{_e(f)}</li>" for f in facts) + "</ul>"
                                           if facts else "<div class='muted'>None.</div>"))
    rows.append("<h3>Disqualifiers</h3>")
    if tokens:
        items = "".join(
            f"<li><a href='#cnt-{_e(t.cnt_order)}'>{_e(t.code)}</a> ({_e(t.certainty)}): "
            f"{_e(words.DISQUALIFIER_WORDS.get(t.code, t.code))} — {_e(t.code_section)} on "
            f"{_e(t.date or 'unknown date')}{', case ' + _e(t.case_number) if t.case_number else ''} "
            f"<span class='muted'>(evidence row highlighted in the whole record)</span></li>" for t in tokens)
        rows.append(f"<ul>{items}</ul>")
    else:
        rows.append("<div class='muted'>None found.</div>")
    path = c.get("relief_path") or "unknown"
    rows.append(f"<h3>Relief path (estimate)</h3><div>{_e(words.RELIEF_PATH_WORDS.get(path, path))}"
                f"{' · sentence ends ' + _e(c.get('sentence_end')) if c.get('sentence_end') else ''}</div>"
                f"<div class='muted'>{_e(words.RELIEF_PATH_NOTE)}</div>")
    notes = words.uncertainty_notes(";".join(filter(None, [c.get("statutory_rule_ids"), c.get("rule_ids")])),
                                    c.get("unknown_facts"), tokens)
    if notes:
        rows.append("<h3>Where the law is uncertain</h3><ul>" +
                    "".join(f"<li class='law'>{_e(n)}</li>" for n in notes) + "</ul>")
    history = [h for h in data["history"] if h[0] == c["cnt_order"]]
    if history:
        rows.append("<h3>Decision history</h3><ul>" + "".join(
            f"<li>{_when(h[7])} · {_e(h[6])}: {_e(words.DETERMINATION_WORDS.get(h[1], h[1]))} — {_e(h[2])}"
            f"{'' if h[8] else ' <span class=muted>(replaced or withdrawn)</span>'}</li>" for h in history)
            + "</ul>")
    return "".join(rows)


def _other_counts(counts: list[dict], selected: dict | None) -> str:
    body = "".join(
        f"<tr><td class='nw'>{'▶ ' if c is selected else ''}{_e(c.get('code_section'))}</td>"
        f"<td class='nw'>{_e(c.get('case_number'))}</td>"
        f"<td class='nw'>{_e(c.get('conviction_date'))}</td><td>{_badge(c.get('statutory_determination'))}</td>"
        f"<td>{_badge(c.get('determination'))}</td><td>{_badge(c.get('final_determination'))}"
        f"{' ✎' if c.get('reviewed') else ''}</td></tr>" for c in counts)
    return ("<h3>This person's evaluated counts</h3><table><tr><th>Charge</th><th>Case</th><th>Convicted</th>"
            f"<th>Statutory</th><th>Policy</th><th>Decision</th></tr>{body}</table>")


def _timeline(rows: list[dict], evaluated: set, evidence: set, selected: dict | None, wide: bool = False) -> str:
    heads = (("Date", "Event", "Agency", "Charge", "Count", "Court case", "Outcome", "Sentence") if wide
             else ("Date", "Event", "Charge", "Outcome"))
    head = ("<h3>Whole record, in date order</h3><div class='muted'>Green: marijuana counts evaluated in "
            "this run · yellow: evidence of a disqualifier · ▶ the selected count</div>"
            "<table width='100%' cellspacing='0'><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>")
    body = []
    anchored: set[str] = set()
    for r in rows:
        cnt = r["cnt_order"] or ""
        style = ""
        if r["is_conviction"] and cnt in evidence:
            style = f" style='background:{EVIDENCE_BACKGROUND}'"
        elif r["is_conviction"] and cnt in evaluated:
            style = f" style='background:{MARIJUANA_BACKGROUND}'"
        anchor = ""
        if cnt in evidence and cnt not in anchored:
            anchor = f"<a name='cnt-{_e(cnt)}'></a>"
            anchored.add(cnt)
        mark = "▶&nbsp;" if selected and cnt == selected["cnt_order"] and r["is_conviction"] else ""
        date = r["stp_date"] or r["disp_date"] or r["cyc_date"] or "date unknown"
        sentence = " ".join(filter(None, [r["sent_loc"], r["sent_length"], r["sent_unit"]]))
        level = r["level"] if r["is_conviction"] else ""
        agency = f"{_e(r['agency'])}, {_e(r['county'])}"
        date_cell = f"<td nowrap class='nw'>{anchor}{mark}{_e(date)}</td>"
        if wide:
            outcome = "<br>".join(_e(x) for x in (r["disposition"], level) if x)
            body.append(
                f"<tr{style}>{date_cell}<td>{_e(r['step'])}</td><td>{agency}</td><td>{_e(r['charge'])}</td>"
                f"<td nowrap class='nw'>{count_label(cnt)}</td><td nowrap class='nw'>{_e(r['case_number'] or '')}</td>"
                f"<td>{outcome}</td><td>{_e(sentence)}</td></tr>")
            continue
        outcome = "<br>".join(_e(x) for x in (r["disposition"], level, sentence) if x)
        case = f" · case {_e(r['case_number'])}" if r["case_number"] else ""
        body.append(
            f"<tr{style}>{date_cell}"
            f"<td>{_e(r['step'])}<br><span class='muted'>{agency}</span></td>"
            f"<td>{_e(r['charge'])}<br><span class='muted nw'>{count_label(cnt)}{case}</span></td>"
            f"<td>{outcome}</td></tr>")
    return head + "".join(body) + "</table>"
