"""GUI tests: offscreen Qt, isolated user folders, a workspace built from text fixtures."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import datetime as dt  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clearmyrecord_desktop import paths  # noqa: E402
from clearmyrecord_desktop.store.database import open_workspace  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data" / "gui"
CASES_FILE = DATA / "statutory_cases.csv"
AS_OF = dt.date(2020, 7, 1)


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).resolve().parent:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path, monkeypatch):
    home = tmp_path / "user"
    monkeypatch.setenv("CLEARMYRECORD_HOME", str(home))
    paths.set_basedir(home)
    yield home
    paths.set_basedir(None)


@pytest.fixture
def ui_state(isolated_user_folders):
    from clearmyrecord_desktop.gui.ui_state import UiState
    state = UiState()
    state.reviewer_name = "Dana Reviewer"
    return state


@pytest.fixture
def workspace_path(tmp_path):
    return tmp_path / "county.duckdb"


@pytest.fixture
def evaluated_ws(workspace_path):
    """A workspace with the golden cases imported and one stand-in evaluation (run 1)."""
    importer = pytest.importorskip("clearmyrecord_desktop.importers.doj_research_file")
    from fake_engine import fake_evaluate
    ws = open_workspace(workspace_path)
    importer.import_files(ws, [CASES_FILE])
    fake_evaluate(ws, "LOS ANGELES", AS_OF)
    yield ws
    ws.close()


@pytest.fixture
def fake_engine(monkeypatch):
    """Route the GUI's evaluate action to the stand-in engine; ``flip`` changes results."""
    from clearmyrecord_desktop.gui import core_api
    from fake_engine import fake_evaluate
    state = {"flip": ()}
    real_get = core_api.get

    def get(name):
        if name == "evaluate":
            return lambda *a, **k: fake_evaluate(*a, flip=state["flip"], **k)
        return real_get(name)

    monkeypatch.setattr(core_api, "get", get)
    return state


def fill_count_results(ws, n: int, run_id: int = 1) -> None:
    """``n`` synthetic evaluated counts (no DOJ rows), generated in SQL."""
    with ws.write() as cur:
        cur.execute(
            "INSERT INTO eval_run (run_id, created_at, filing_county, as_of, policy_id, policy_name, "
            "policy_version, policy_sha256, ruleset_hash, app_version, inputs) VALUES (?, now(), "
            "'LOS ANGELES', DATE '2020-07-01', 'statutory', 'Statutory', '1', 'x', 'h', '0', '[]')", [run_id])
        cur.execute(SYNTH_SQL, [run_id, n])


SYNTH_SQL = """
INSERT INTO count_result (run_id, subject_id, cnt_order, row_seq, name, cii_number, county, courthouse,
    case_number, code_section, section, level, conviction_date, conviction_lo, relief_path,
    statutory_determination, statutory_reason, determination, reason, rule_ids)
SELECT ?, lpad(CAST(i // 2 AS VARCHAR), 8, '0'),
    CASE WHEN i % 2 = 0 THEN '001002001000' ELSE '002002001000' END, i,
    'PERSON ' || CAST((i * 7919) % 100003 AS VARCHAR) || ',TEST', 'A' || lpad(CAST(i AS VARCHAR), 8, '0'),
    'LOS ANGELES', ['CASC LOS ANGELES', 'CASC VAN NUYS', 'CASC LONG BEACH'][1 + i % 3],
    'BA' || lpad(CAST((i * 104729) % 1000000 AS VARCHAR), 6, '0'),
    ['11357(B) HS', '11358 HS', '11359 HS', '11360(A) HS'][1 + i % 4],
    ['11357', '11358', '11359', '11360'][1 + i % 4], ['felony', 'misdemeanor'][1 + i % 2],
    '2010-01-01', DATE '2010-01-01', 'redesignation',
    ['dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction', 'no_relief', 'hand_review'][1 + (i * 31) % 5],
    'statutory reason',
    ['dismiss_and_seal', 'reduce_to_misdemeanor', 'reduce_to_infraction', 'no_relief', 'hand_review'][1 + (i * 31) % 5],
    'policy reason', 'stat.x'
FROM range(?) t(i)
"""
