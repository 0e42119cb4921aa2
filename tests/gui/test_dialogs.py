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
