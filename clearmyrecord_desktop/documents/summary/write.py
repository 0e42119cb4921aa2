"""Write the summary report into an export set: ``summary_report.docx``, ``summary_tables.xlsx`` and
``charts/*.png``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ...settings import Settings
from ..packet import ExportPlan
from ..stamping import normalise_docx
from ..templates import TemplateRegistry, render_template
from .context import summary_context
from .figures import compute_summary
from .report_charts import CHART_FILES, render_charts
from .tables import write_tables_xlsx


def write_summary(out_dir: Path, ws, run_id: int, s: Settings, registry: TemplateRegistry, *, kind: str,
                  when: datetime, export_id: str, plan: ExportPlan | None = None,
                  packet_ids: dict[str, list[str]] | None = None, packets: list[dict] | None = None,
                  cancel=None) -> list[str]:
    """Write ``summary_report.docx``, ``summary_tables.xlsx`` and ``charts/*.png`` into ``out_dir``;
    return their paths relative to ``out_dir``."""
    data = compute_summary(ws, run_id, s, plan=plan, packet_ids=packet_ids, cancel=cancel)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "charts").mkdir(exist_ok=True)
    images = render_charts(data, s.summary.suppress_below)
    written = []
    for key, png in images.items():
        rel = f"charts/{CHART_FILES[key]}"
        (out_dir / rel).write_bytes(png)
        written.append(rel)
    write_tables_xlsx(out_dir / "summary_tables.xlsx", data, s, when=when)
    written.append("summary_tables.xlsx")
    info = registry.get("summary_report")
    ctx = summary_context(data, info, s, kind=kind, generated_at=when, export_id=export_id, packets=packets or [])
    frame = render_template(info, ctx, images=images)
    with open(out_dir / "summary_report.docx", "wb") as fh:
        normalise_docx(frame, fh, title="Summary report", when=when)
    written.append("summary_report.docx")
    return sorted(written)
