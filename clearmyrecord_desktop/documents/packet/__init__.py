"""Split a run's counts into packets and exhibits, order and number the rows, compute packet ids
(motion-packets.md sections 3 and 4), and format each row for the exhibits and the court data file.

Rows are streamed from DuckDB per packet, in the §4.3 order, in batches; only per-packet counters and the
page plan are kept in memory.

- ``labels``: reliefs, exhibit letters, titles and the short words of exhibit columns.
- ``formats``: natural sort key, count key, row id, count number and the date forms.
- ``grounds``: why a challenged count is challenged (disqualifier tokens, grounds, evidence).
- ``rows``: :class:`PacketRow`, the exhibit and court data columns, :func:`make_row`.
- ``plans``: the plan dataclasses (export, packet, exhibit, statistics, run).
- ``scope``: the SQL scope of a run's rows, the per-packet filter and the row order.
- ``planning``: :func:`plan_export`, courthouse mapping, agency routes, a packet's templates.
- ``streaming``: :class:`RowSource`, :func:`iter_packet_rows`, :func:`iter_cases`.
- ``measure``: :func:`first_pass` (content hash and packet id, statistics, page plan).
"""

from .formats import (count_key, count_number, data_date, exact_date, long_date, natural_key, natural_key_sql,
                      print_date, row_id)
from .grounds import Token, challenge_ground, evidence_for_token, ground_for_code, parse_tokens
from .labels import (EXHIBIT_DOC_NO, EXHIBIT_TITLES, LETTER_RELIEF, LEVEL_SHORT, PATH_SHORT, RELIEF_LETTER,
                     RELIEF_SHORT, RELIEF_WORDS, RELIEFS, SENTENCE_STATUS)
from .measure import first_pass
from .planning import agency_for, agency_routes, courthouse_mapping, packet_template_ids, plan_export
from .plans import ExhibitPlan, ExportPlan, PacketPlan, PacketStats, RunInfo, to_plain
from .rows import CHALLENGE_CSV_COLUMNS, CHALLENGE_KEYS, COURT_DATA_COLUMNS, EXHIBIT_KEYS, PacketRow, make_row
from .scope import ScopeSql, packet_rows_sql, scope_sql
from .streaming import BATCH, RowSource, iter_cases, iter_packet_rows

__all__ = [
    "BATCH", "CHALLENGE_CSV_COLUMNS", "CHALLENGE_KEYS", "COURT_DATA_COLUMNS", "EXHIBIT_DOC_NO", "EXHIBIT_KEYS",
    "EXHIBIT_TITLES", "LETTER_RELIEF", "LEVEL_SHORT", "PATH_SHORT", "RELIEFS", "RELIEF_LETTER", "RELIEF_SHORT",
    "RELIEF_WORDS", "SENTENCE_STATUS", "ExhibitPlan", "ExportPlan", "PacketPlan", "PacketRow", "PacketStats",
    "RowSource", "RunInfo", "ScopeSql", "Token", "agency_for", "agency_routes", "challenge_ground", "count_key",
    "count_number", "courthouse_mapping", "data_date", "evidence_for_token", "exact_date", "first_pass",
    "ground_for_code", "iter_cases", "iter_packet_rows", "long_date", "make_row", "natural_key", "natural_key_sql",
    "packet_rows_sql", "packet_template_ids", "parse_tokens", "plan_export", "print_date", "row_id", "scope_sql",
    "to_plain",
]
