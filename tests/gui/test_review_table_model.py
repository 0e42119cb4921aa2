"""The review table model: Qt model contract, paging from DuckDB, filters, sort, queue, refresh."""

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from clearmyrecord_desktop.gui.models.columns import COLUMNS, column_index
from clearmyrecord_desktop.gui.models.review_snapshot import ReviewFilter
from clearmyrecord_desktop.gui.models.review_table_model import PAGE_SIZE, ReviewTableModel
from clearmyrecord_desktop.gui.runner import Runner
from clearmyrecord_desktop.review import decisions
from clearmyrecord_desktop.store.database import open_workspace
from gui_data import fill_count_results

pytestmark = pytest.mark.gui


@pytest.fixture
def synth_ws(tmp_path):
    ws = open_workspace(tmp_path / "synth.duckdb")
    fill_count_results(ws, 2000)
    yield ws
    ws.close()


@pytest.fixture
def model(qtbot, synth_ws):
    runner = Runner()
    model = ReviewTableModel(synth_ws, runner)
    with qtbot.waitSignal(model.snapshot_ready, timeout=10000):
        model.set_run(1)
    yield model
    model.close()


def _wait(qtbot, model, action):
    with qtbot.waitSignal(model.snapshot_ready, timeout=10000) as blocker:
        action()
    return blocker.args[0]


def test_model_passes_qtmodeltester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)


def test_rows_come_in_file_order_by_pages(model):
    assert model.rowCount() == 2000
    assert model.columnCount() == len(COLUMNS)
    assert model.key_at(0) == ("00000000", "001002001000")
    assert model.key_at(1999) == ("00000999", "002002001000")
    name = column_index("name")
    assert model.data(model.index(PAGE_SIZE + 3, name)) == model.row_values(PAGE_SIZE + 3)["name"]
    assert sorted(model._pages) == [0, 1, 1999 // PAGE_SIZE]


def test_filters(qtbot, model):
    assert _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(determination="hand_review"))) == 400
    assert all(model.row_values(r)["final"] == "hand_review" for r in range(0, 400, 37))
    assert _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(section="11358", courthouse="CASC VAN NUYS"))) > 0
    assert _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(text="A00000017"))) == 1
    assert model.key_at(0) == ("00000008", "002002001000")
    # the subject id matches exactly (2 counts); the CII number A00000008 matches as text
    assert _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(text="00000008"))) == 3
    assert _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(review_state="reviewed"))) == 0


def test_sort_by_name_both_ways(qtbot, model):
    name = column_index("name")
    _wait(qtbot, model, lambda: model.sort(name, Qt.SortOrder.AscendingOrder))
    names = [model.row_values(r)["name"] for r in range(0, 2000, 50)]
    assert names == sorted(names)
    _wait(qtbot, model, lambda: model.sort(name, Qt.SortOrder.DescendingOrder))
    names = [model.row_values(r)["name"] for r in range(0, 2000, 50)]
    assert names == sorted(names, reverse=True)


def test_snapshot_keeps_sort_order_in_rowids(qtbot, model, synth_ws):
    _wait(qtbot, model, lambda: model.sort(column_index("case_number"), Qt.SortOrder.AscendingOrder))
    cases = [model.row_values(r)["case_number"] for r in range(model.rowCount())]
    assert cases == sorted(cases)


def test_next_open_and_find(model):
    first = model.next_open_row(-1, True)
    assert model.row_values(first)["final"] == "hand_review"
    second = model.next_open_row(first, True)
    assert second > first and model.next_open_row(second, False) == first
    assert model.find_row("00000010", "002002001000") == 21


def test_override_refreshes_only_that_row(qtbot, model, synth_ws):
    row = model.next_open_row(-1, True)
    subject, cnt = model.key_at(row)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    decisions.record_override(synth_ws, 1, subject, cnt, "dismiss_and_seal", "only possession", "Dana")
    with qtbot.waitSignal(model.dataChanged, timeout=2000) as blocker:
        model.refresh_keys([(subject, cnt)])
    assert blocker.args[0].row() == row
    assert resets == []
    values = model.row_values(row)
    assert values["final"] == "dismiss_and_seal" and values["reviewer"] == "Dana"
    assert model.data(model.index(row, column_index("review"))).startswith("✎")
    assert model.next_open_row(-1, True) != row


def test_scroll_200k_rows(qtbot, tmp_path):
    """Scrolling a large model must stay quick (PySide6 6.12's None leak aborted here)."""
    ws = open_workspace(tmp_path / "big.duckdb")
    fill_count_results(ws, 200_000)
    runner = Runner()
    model = ReviewTableModel(ws, runner)
    view = QTableView()
    view.resize(900, 500)
    view.setModel(model)
    qtbot.addWidget(view)
    view.show()
    started = time.perf_counter()
    with qtbot.waitSignal(model.snapshot_ready, timeout=30000):
        model.set_run(1)
    qtbot.waitExposed(view)
    first_paint = time.perf_counter() - started
    assert model.rowCount() == 200_000
    bar = view.verticalScrollBar()
    started = time.perf_counter()
    steps = 0
    for value in list(range(0, bar.maximum(), max(1, bar.maximum() // 60))) + [bar.maximum()]:
        bar.setValue(value)
        view.viewport().repaint()
        steps += 1
    for _ in range(60):
        bar.setValue(bar.value() - 3)
        view.viewport().repaint()
        steps += 1
    per_step = (time.perf_counter() - started) / steps
    nones = 0
    for row in range(0, 200_000, 2):   # data() returning None many thousand times must be safe
        nones += model.data(model.index(row, 1), Qt.ItemDataRole.DecorationRole) is None
    assert nones == 100_000
    last = model.index(199_999, column_index("name"))
    assert model.data(last) == model.row_values(199_999)["name"]
    assert len(model._pages) <= 48
    assert first_paint < 10 and per_step < 0.25
    model.close()
    ws.close()


# -- display tables, sorted page reads -------------------------------------------------------------

def _ready(qtbot, model):
    if not model.display_tables_ready:
        with qtbot.waitSignal(model.display_ready, timeout=30000):
            pass


def _reference(ws, order_sql: str, where: str = "TRUE", params=()) -> list[tuple[str, str]]:
    """The expected (subject_id, cnt_order) order, straight from count_final (ties in file order)."""
    return [tuple(r) for r in ws.query(
        f"SELECT subject_id, cnt_order FROM count_final WHERE run_id = 1 AND {where} "
        f"ORDER BY {order_sql}, row_seq", list(params))]


def _keys(model) -> list[tuple[str, str]]:
    return [model.key_at(r) for r in range(model.rowCount())]


_DETS = "['dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction', 'no_relief', 'hand_review']"
SORT_REFERENCES = {   # column key -> ORDER BY parts over count_final
    "name": ("name",), "cii_number": ("cii_number",), "case_number": ("case_number",),
    "courthouse": ("courthouse",), "code_section": ("code_section",),
    "conviction_date": ("conviction_lo", "conviction_date"), "relief_path": ("relief_path",), "reason": ("reason",),
    "level": ("CASE level WHEN 'felony' THEN 1 WHEN 'misdemeanor' THEN 2 WHEN 'infraction' THEN 3 ELSE 4 END",),
    "final": (f"list_position({_DETS}, final_determination)",),
    "statutory": (f"list_position({_DETS}, statutory_determination)",),
    "policy": (f"list_position({_DETS}, determination)",),
    "review": ("reviewed", "engine_changed"),
}


@pytest.fixture
def varied_ws(synth_ws):
    """Ties, NULLs and reviewer decisions, so the sorts have something to get wrong."""
    with synth_ws.write() as cur:
        cur.execute("UPDATE count_result SET name = NULL WHERE row_seq % 97 = 0")
        cur.execute("UPDATE count_result SET name = 'SAME,NAME' WHERE row_seq % 89 = 0")
        cur.execute("UPDATE count_result SET conviction_date = '1999', conviction_lo = DATE '1999-01-01' "
                    "WHERE row_seq % 7 = 0")
        cur.execute("UPDATE count_result SET conviction_date = NULL, conviction_lo = NULL WHERE row_seq % 11 = 0")
        cur.execute("UPDATE count_result SET level = 'unknown' WHERE row_seq % 13 = 0")
    for seq in (3, 4, 50, 51, 998):
        subject, cnt = synth_ws.query("SELECT subject_id, cnt_order FROM count_result WHERE row_seq = ?", [seq])[0]
        decisions.record_override(synth_ws, 1, subject, cnt, "no_relief" if seq % 2 else "dismiss_and_seal",
                                  "test", "Dana", ground="Unreasonable risk" if seq % 2 else None,
                                  evidence="Declaration" if seq % 2 else None)
    return synth_ws


@pytest.mark.parametrize("key", sorted(SORT_REFERENCES))
def test_sorted_page_reads_return_the_right_rows(qtbot, varied_ws, key):
    model = ReviewTableModel(varied_ws, Runner())
    try:
        with qtbot.waitSignal(model.snapshot_ready, timeout=10000):
            model.set_run(1)
        _ready(qtbot, model)
        column = column_index(key)
        for descending in (False, True):
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            _wait(qtbot, model, lambda: model.sort(column, order))
            direction = " DESC" if descending else ""
            expected = _reference(varied_ws, ", ".join(f"{p}{direction} NULLS LAST" for p in SORT_REFERENCES[key]))
            assert _keys(model) == expected, (key, descending)
            # displayed values follow the keys
            values = model.row_values(model.rowCount() // 2)
            row = varied_ws.query("SELECT name, courthouse, conviction_date, reason FROM count_result "
                                  "WHERE run_id = 1 AND subject_id = ? AND cnt_order = ?",
                                  [values["subject_id"], values["cnt_order"]])[0]
            assert (values["name"], values["courthouse"], values["conviction_date"], values["reason"]) == row
    finally:
        model.close()


def test_filter_and_sort_together(qtbot, varied_ws, model):
    _ready(qtbot, model)
    _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(review_state="open", courthouse="CASC VAN NUYS")))
    _wait(qtbot, model, lambda: model.sort(column_index("name"), Qt.SortOrder.DescendingOrder))
    expected = _reference(varied_ws, "name DESC NULLS LAST",
                          "final_determination = 'hand_review' AND COALESCE(review_route, '') = '' "
                          "AND courthouse = 'CASC VAN NUYS'")
    assert expected and _keys(model) == expected
    assert _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(text="PERSON 1"))) == len(
        _reference(varied_ws, "name", "name ILIKE '%PERSON 1%'"))


def test_pages_before_and_after_the_display_tables_agree(qtbot, synth_ws):
    model = ReviewTableModel(synth_ws, Runner())
    try:
        with qtbot.waitSignal(model.snapshot_ready, timeout=10000):
            model.set_run(1)
        early = [model.row_values(r) for r in (0, 1, 700, 1999)]    # read from count_result
        _ready(qtbot, model)
        model._pages.clear()
        assert [model.row_values(r) for r in (0, 1, 700, 1999)] == early
        assert early[2]["courthouse"] == synth_ws.query(
            "SELECT courthouse FROM count_result WHERE row_seq = 700")[0][0]
    finally:
        model.close()


def test_sort_requested_early_waits_for_the_display_tables(qtbot, synth_ws):
    model = ReviewTableModel(synth_ws, Runner())
    try:
        model.sort(column_index("name"), Qt.SortOrder.AscendingOrder)
        with qtbot.waitSignal(model.snapshot_ready, timeout=30000):
            model.set_run(1)
        names = [model.row_values(r)["name"] for r in range(0, 2000, 40)]
        assert names == sorted(names)
    finally:
        model.close()


def test_decisions_update_filters_and_cached_snapshots(qtbot, model, synth_ws):
    _ready(qtbot, model)
    open_rows = _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(review_state="open")))
    subject, cnt = model.key_at(0)
    _wait(qtbot, model, lambda: model.set_filter(ReviewFilter()))
    decisions.record_override(synth_ws, 1, subject, cnt, "dismiss_and_seal", "possession only", "Dana")
    model.refresh_keys([(subject, cnt)])
    assert model.next_open_row(-1, True) != model.find_row(subject, cnt)
    # the cached "open" snapshot depended on decisions: it is rebuilt, one row shorter
    assert _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(review_state="open"))) == open_rows - 1
    assert _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(review_state="reviewed"))) == 1
    assert model.key_at(0) == (subject, cnt)


def test_cached_snapshot_is_reused(qtbot, model):
    _ready(qtbot, model)
    name = column_index("name")
    _wait(qtbot, model, lambda: model.sort(name, Qt.SortOrder.AscendingOrder))
    first = model._table
    _wait(qtbot, model, lambda: model.sort(name, Qt.SortOrder.DescendingOrder))
    jobs = []
    model._runner.job_started.connect(jobs.append)
    _wait(qtbot, model, lambda: model.sort(name, Qt.SortOrder.AscendingOrder))
    assert model._table == first and jobs == []


def test_sorted_filtered_model_passes_qtmodeltester(qtbot, qtmodeltester, model):
    _ready(qtbot, model)
    _wait(qtbot, model, lambda: model.set_filter(ReviewFilter(section="11358")))
    _wait(qtbot, model, lambda: model.sort(column_index("courthouse"), Qt.SortOrder.DescendingOrder))
    qtmodeltester.check(model, force_py=True)


def test_run_switch_drops_the_old_tables(qtbot, synth_ws, model):
    fill_count_results(synth_ws, 300, run_id=2)
    _ready(qtbot, model)
    _wait(qtbot, model, lambda: model.sort(column_index("name"), Qt.SortOrder.AscendingOrder))
    old = model._state.tables
    with qtbot.waitSignal(model.snapshot_ready, timeout=10000):
        model.set_run(2)
    assert model.rowCount() == 300
    qtbot.waitUntil(lambda: not model._retired, timeout=10000)
    tables = {r[0] for r in synth_ws.query("SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory'")}
    assert not any(t.startswith(old.prefix + "_") for t in tables)
