"""GUI tests: offscreen Qt, isolated user folders, a workspace built from text fixtures."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clearmyrecord_desktop import paths  # noqa: E402
from clearmyrecord_desktop.store.database import open_workspace  # noqa: E402

from gui_data import AS_OF, CASES_FILE, DATA, fill_count_results  # noqa: E402,F401


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



