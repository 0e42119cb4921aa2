"""Dialogs: evaluate defaults, policy editor round trip, override rules, crash report privacy."""

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from clearmyrecord_desktop.gui import crash
from clearmyrecord_desktop.gui.counties import CALIFORNIA_COUNTIES
from clearmyrecord_desktop.gui.dialogs.crash_dialog import CrashDialog
from clearmyrecord_desktop.gui.dialogs.evaluate_dialog import EvaluateDialog
from clearmyrecord_desktop.gui.dialogs.override_dialog import OverrideDialog

pytestmark = pytest.mark.gui


def test_evaluate_dialog_defaults(qtbot, ui_state):
    dialog = EvaluateDialog(ui_state, "LOS ANGELES")
    qtbot.addWidget(dialog)
    assert dialog.county_combo.count() == 58 == len(CALIFORNIA_COUNTIES)
    values = dialog.values()
    assert values["county"] == "LOS ANGELES" and values["as_of"] == dt.date(2020, 7, 1)
    assert values["policy"] == "statutory" and values["options_path"] is None


def test_policy_editor_saves_toml_that_loads(qtbot, ui_state, tmp_path):
    policy = pytest.importorskip("clearmyrecord_desktop.rules.policy")
    from clearmyrecord_desktop.gui.dialogs.policy_editor_dialog import PolicyEditorDialog
    dialog = PolicyEditorDialog(ui_state, "los_angeles_2020")
    qtbot.addWidget(dialog)
    assert len(dialog._criteria) == 11
    dialog.id_edit.setText("my_county_2024")
    box = dialog.section_boxes["11359"]
    box.action.setCurrentIndex(box.action.findData("dismiss"))
    dialog._add()
    dialog.criterion_editor.id_edit.setText("old_conviction")
    dialog.criterion_editor.int_checks["conviction_years_before_as_of_at_least"][0].setChecked(True)
    dialog.criterion_editor.int_checks["conviction_years_before_as_of_at_least"][1].setValue(15)
    dialog.criterion_editor.bool_checks["deceased"].setChecked(False)
    assert dialog.save_to(str(tmp_path / "mine.toml"))
    loaded = policy.load_policy(str(tmp_path / "mine.toml"))
    assert loaded.id == "my_county_2024" and loaded.felonies["11359"].action == "dismiss"
    assert loaded.criteria[-1].id == "old_conviction"
    assert dict(loaded.criteria[-1].when) == {"conviction_years_before_as_of_at_least": 15}


def test_policy_editor_reports_invalid_policy(qtbot, ui_state, tmp_path):
    pytest.importorskip("clearmyrecord_desktop.rules.policy")
    from clearmyrecord_desktop.gui.dialogs.policy_editor_dialog import PolicyEditorDialog
    dialog = PolicyEditorDialog(ui_state, "statutory")
    qtbot.addWidget(dialog)
    dialog.id_edit.setText("Not Valid!")
    assert not dialog.save_to(str(tmp_path / "bad.toml"))
    assert dialog.problem_label.text() and not (tmp_path / "bad.toml").exists()


def test_override_dialog_rules(qtbot):
    values = {"name": "X", "statutory": "reduce_to_misdemeanor", "engine": "reduce_to_misdemeanor"}
    dialog = OverrideDialog(values, "Dana", "dismiss_and_seal")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.reason_edit.setPlainText("policy")
    assert ok.isEnabled() and dialog.basis() == "policy"     # beyond the statutory floor
    dialog.radios["no_relief"].setChecked(True)
    dialog.ground_edit.setCurrentText("Unreasonable risk")
    assert not ok.isEnabled()                                 # a ground needs evidence
    dialog.evidence_edit.setPlainText("Declaration")
    assert ok.isEnabled()
    assert dialog.result_values()["ground"] == "Unreasonable risk" and dialog.result_values()["basis"] is None
    dialog.reviewer_edit.setText(" ")
    assert not ok.isEnabled()


def test_crash_report_has_no_record_data(qtbot, isolated_user_folders):
    def bad(value):
        raise ValueError(f"Conversion Error: could not convert {value!r}")
    sentinel = "-".join(["SENTINEL,PERSON", "1970-01-01", "BA999999"])   # never literally in a source line
    try:
        bad(sentinel)
    except ValueError as exc:
        report = crash.build_report(exc)
    assert "SENTINEL" not in report and "BA999999" not in report
    assert "ValueError" in report and "message not shown" in report
    path = crash.write_crash_file(report)
    assert path.parent == isolated_user_folders / "logs" and path.read_text(encoding="utf-8") == report
    dialog = CrashDialog(report, str(path))
    qtbot.addWidget(dialog)
    dialog.copy_report()
    from PySide6.QtGui import QGuiApplication
    assert QGuiApplication.clipboard().text() == report


# -- office settings ---------------------------------------------------------------------------------

@pytest.fixture
def settings_dialog(qtbot, evaluated_ws):
    from clearmyrecord_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from clearmyrecord_desktop.gui.runner import Runner
    dialog = SettingsDialog(evaluated_ws, Runner(), run_id=1, actor="Dana Reviewer")
    qtbot.addWidget(dialog)
    return dialog


def _fill_required(dialog):
    values = {
        "office.agency_name": "Office of the District Attorney, County of Example",
        "office.head_name": "Pat Placeholder", "office.head_title": "District Attorney",
        "office.attorney.name": "Sam Sample", "office.attorney.title": "Deputy District Attorney",
        "office.attorney.bar_number": "123456", "office.address": ["100 Example Street", "Exampleville, CA 90000"],
        "office.phone": "(555) 010-0000", "office.email": "da@example.invalid",
        "county.name": "Los Angeles", "county.code": "LA",
        "court.name": "Superior Court of California, County of Los Angeles",
        "public_defender.name": "Office of the Public Defender", "public_defender.address": ["200 Sample Avenue"],
        "public_defender.service_email": "pd@example.invalid",
        "policy.authority_text": "the People's discretion", "signature.mode": "conformed",
    }
    for key, value in values.items():
        dialog.editors[key].set(value)
    return values


def test_settings_dialog_saves_to_the_workspace(qtbot, settings_dialog, evaluated_ws):
    from clearmyrecord_desktop import settings as cfg
    values = _fill_required(settings_dialog)
    with qtbot.waitSignal(settings_dialog.courthouses.changed, timeout=10000):
        settings_dialog.courthouses.found_button.click()
    found = cfg.draft_courthouse_entries(evaluated_ws, 1)
    assert found and set(settings_dialog.courthouses.courthouses) == set(found)
    first = sorted(found)[0]
    settings_dialog.courthouses.table.setCurrentCell(0, 0)
    settings_dialog.courthouses.editors["address"].widget.setPlainText("111 Court Street\nLos Angeles, CA 90012")
    assert "✔ Every required setting" in settings_dialog.problems_label.text() or \
        "Still needed" in settings_dialog.problems_label.text()
    with qtbot.waitSignal(settings_dialog.saved, timeout=10000):
        settings_dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    stored = cfg.load_settings(evaluated_ws)
    assert stored.office.attorney.bar_number == values["office.attorney.bar_number"]
    assert stored.office.address == values["office.address"] and stored.signature.mode == "conformed"
    assert stored.marking.confidential_text == cfg.DEFAULT_CONFIDENTIAL_TEXT     # defaults kept
    assert stored.courthouses[first].address == ["111 Court Street", "Los Angeles, CA 90012"]
    assert stored.courthouses[first].ori_codes == found[first].ori_codes
    assert not cfg.required_missing(stored, stored.courthouses, True, True)
    actor, action, reason = evaluated_ws.query(
        "SELECT actor, action, reason FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    assert (actor, action) == ("Dana Reviewer", "settings") and "office" in reason and "courthouses" in reason


def test_settings_dialog_refuses_invalid_settings(qtbot, settings_dialog, evaluated_ws):
    from clearmyrecord_desktop import settings as cfg
    _fill_required(settings_dialog)
    settings_dialog.editors["county.code"].set("LOS ANGELES!")
    settings_dialog.courthouses.add_blank()
    settings_dialog.courthouses.code_edit.setText("bad code")
    settings_dialog.courthouses.code_edit.editingFinished.emit()
    settings_dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    text = settings_dialog.problems_label.text()
    assert "Not saved" in text and "county.code" in text and "courthouses.bad code" in text
    assert settings_dialog.isVisible() or not settings_dialog.result()
    assert cfg.load_settings(evaluated_ws) == cfg.Settings()        # nothing stored


def test_settings_dialog_round_trips_stored_settings_and_files(qtbot, evaluated_ws, tmp_path):
    from clearmyrecord_desktop import settings as cfg
    from clearmyrecord_desktop.gui.dialogs.settings_dialog import SettingsDialog
    from clearmyrecord_desktop.gui.runner import Runner
    demo = cfg.demo_settings(evaluated_ws, 1)
    demo.agencies.append(cfg.AgencySettings(name="City Attorney", role="filing", code="CITY"))
    cfg.save_settings(evaluated_ws, demo)
    dialog = SettingsDialog(evaluated_ws, Runner(), run_id=1, actor="Dana")
    qtbot.addWidget(dialog)
    assert dialog.settings() == demo                    # everything shown comes back unchanged, agencies kept
    (tmp_path / "s.json").write_text(cfg.settings_to_json(cfg.Settings(county=cfg.CountySettings("Kern", "KE"))),
                                     encoding="utf-8")
    assert dialog.import_file(str(tmp_path / "s.json"))
    assert dialog.editors["county.name"].get() == "Kern" and not dialog.courthouses.courthouses
    (tmp_path / "bad.json").write_text('{"county": {"nmae": "x"}}', encoding="utf-8")
    assert not dialog.import_file(str(tmp_path / "bad.json"))
    assert "county.nmae" in dialog.problems_label.text()


def test_export_dialog_links_to_missing_settings(qtbot, evaluated_ws, ui_state):
    pytest.importorskip("clearmyrecord_desktop.documents.export")
    from clearmyrecord_desktop.gui.dialogs.export_dialog import ExportDialog
    dialog = ExportDialog(evaluated_ws, 1, ui_state, None)
    qtbot.addWidget(dialog)
    assert any(gate[2] == "settings" for gate in dialog.gates if not gate[0])
    assert dialog.values()["what"] == "all" and dialog.values()["kind"] == "draft"   # two separate choices
    assert "href='settings'" in dialog.gates_label.text()
    assert not dialog.settings_button.isHidden()
    with qtbot.waitSignal(dialog.settings_requested, timeout=1000):
        dialog.gates_label.linkActivated.emit("settings")


def test_actor_is_passed_only_where_the_core_takes_it():
    from clearmyrecord_desktop.gui.core_api import actor_kwargs

    def old(ws, paths, progress=None, cancel=None):
        pass

    def new(ws, paths, progress=None, cancel=None, actor=None):
        pass

    assert actor_kwargs(old, "Dana") == {} and actor_kwargs(new, "Dana") == {"actor": "Dana"}
    assert actor_kwargs(new, "") == {}


def test_crash_report_shows_the_log_tail():
    import logging
    from clearmyrecord_desktop import log as app_log
    logger = logging.getLogger("cmr.test_tail")
    logger.addHandler(app_log._ring)
    logger.setLevel(logging.INFO)
    try:
        for i in range(60):
            logger.info("step %d took %d ms", i, 3)
    finally:
        logger.removeHandler(app_log._ring)
    lines = app_log.tail(50)
    assert len(lines) == 50 and lines[-1].endswith("cmr.test_tail: step 59 took 3 ms")
    assert "step 9 took" not in "\n".join(lines) and "step 10 took" in lines[0]
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        report = crash.build_report(exc)
    assert "step 59 took 3 ms" in report


def test_actor_is_not_passed_through_bare_keyword_arguments():
    from clearmyrecord_desktop.gui.core_api import actor_kwargs
    assert actor_kwargs(lambda *a, **k: None, "Dana") == {}
