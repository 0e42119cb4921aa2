"""``summary_tables.xlsx``: the tables behind the report, one sheet each, with small-cell suppression."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from ... import __version__
from ...settings import Settings
from ..stamping import core_properties_xml, write_archive
from .data import SummaryData


def write_tables_xlsx(path: Path, data: SummaryData, s: Settings, *, when: datetime) -> None:
    n = s.summary.suppress_below
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)

    def sheet(name, header, rows):
        ws = wb.create_sheet(name)
        ws.append(header)
        for c in ws[1]:
            c.font = bold
        for r in rows:
            ws.append(list(r))
            for c in ws[ws.max_row]:
                if isinstance(c.value, str):
                    c.data_type = "s"
        ws.freeze_panes = "A2"
        for i, _ in enumerate(header, 1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = 18 if i > 1 else 48

    def sup(v):
        return f"<{n}" if n and v < n else v

    run = data.run
    sheet("front", ["item", "value"], [
        ("county", s.county.name or run.filing_county), ("as_of_date", run.as_of.isoformat()),
        ("run_id", run.run_id), ("policy_id", run.policy_id), ("policy_name", run.policy_name),
        ("policy_version", run.policy_version), ("policy_sha256", run.policy_sha256),
        ("ruleset_hash", run.ruleset_hash), ("app_version", __version__),
        ("suppress_below", n), ("t_minus_7_years", data.extra["t_minus_7"].isoformat())])
    sheet("inputs", ["name", "bytes", "sha256", "rows_imported", "lines_quarantined"],
          [(i["name"], i.get("bytes", 0), i.get("sha256", ""), i.get("rows", ""), i.get("quarantined", ""))
           for i in data.inputs])
    sheet("headline", ["figure", "label", "statutory_floor_only", "final_decisions"], data.headline)
    sheet("by_section", ["section", "dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "total"],
          [(k, sup(a), sup(b), sup(c), sup(a + b + c)) for k, a, b, c in data.sections])
    sheet("by_decade", ["decade", "dismiss_and_seal", "reduce_to_misdemeanor", "reduce_to_infraction", "total"],
          [(k, sup(a), sup(b), sup(c), sup(a + b + c)) for k, a, b, c in data.decades])
    sheet("by_courthouse", ["courthouse", "granted", "challenged", "people", "packet_ids"],
          [(k, sup(g), sup(c), sup(p), ids) for k, g, c, p, ids in data.courthouses])
    sheet("by_race_as_recorded", ["race_descr_as_recorded_by_doj", "people_affected", "granted_counts"],
          [(g, sup(p), sup(c)) for g, p, c in data.race])
    sheet("challenged_by_ground", ["ground", "counts"], [(g, sup(v)) for g, v in data.grounds])
    sheet("other", ["item", "counts"], data.other)
    buf = io.BytesIO()
    wb.save(buf)
    with open(path, "wb") as fh:
        write_archive(buf.getvalue(), fh, replace={"docProps/core.xml": core_properties_xml("Summary tables", when)})
