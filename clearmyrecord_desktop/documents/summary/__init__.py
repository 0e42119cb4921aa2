"""The summary report (motion-packets.md section 8): headline impact (statutory floor only vs final
decisions), breakdowns, front matter with inputs and hashes, charts and ``summary_tables.xlsx``.

All figures are computed in DuckDB; the 7-year window is anchored on the run's as-of date, never on the
computer's clock. Race is read from DOJ ``RACE_DESCR`` as recorded and appears only here.

- ``data``: :class:`SummaryData`, the report's numbers.
- ``figures``: :func:`compute_summary`, the DuckDB queries behind them.
- ``context``: the report's template context (and the sample one for previews).
- ``report_charts``: chart data and PNGs for the report and the GUI dashboard.
- ``tables``: ``summary_tables.xlsx``.
- ``write``: :func:`write_summary`, the report's files in an export set.
"""

from .context import DEFINITIONS, LIMITS, sample_summary_context, summary_context
from .data import SummaryData
from .figures import RELIEF_COLS, SECTION_ORDER, R, compute_summary, years_before
from .report_charts import CHART_FILES, chart_data, dashboard_charts, render_charts
from .tables import write_tables_xlsx
from .write import write_summary

__all__ = ["CHART_FILES", "DEFINITIONS", "LIMITS", "R", "RELIEF_COLS", "SECTION_ORDER", "SummaryData", "chart_data",
           "compute_summary", "dashboard_charts", "render_charts", "sample_summary_context", "summary_context",
           "write_summary", "write_tables_xlsx", "years_before"]
