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
from conftest import fill_count_results

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
