"""Stream a packet's rows from DuckDB in the §4.3 order, in batches, numbered per exhibit; only the
per-exhibit counters are kept in memory. :class:`RowSource` materialises the run's rows once per export."""

from __future__ import annotations

from typing import Iterable, Iterator

from .formats import natural_key_sql
from .plans import ExportPlan, PacketPlan
from .rows import PacketRow, make_row
from .scope import _ROW_COLUMNS, _order_by, _packet_filter, packet_rows_sql, scope_sql

BATCH = 10_000


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
