"""Review actions on the selected count: walk the open cases, search, override or withdraw a
reviewer's decision, the person's full record, the per-case motion and order, the reviewer's name."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog

from ...review import decisions
from ..message_bridge import show_info


class ReviewActionsMixin:
    """For MainWindow: works on ``review_view`` and ``detail_view`` (``tabs`` mixin)."""

    def _go_open(self, forward: bool) -> None:
        if self.review_view is not None:
            self.show_tab("review")
            self.review_view.go_to_open(forward)

    def _focus_search(self) -> None:
        if self.review_view is not None:
            self.show_tab("review")
            self.review_view.search_edit.setFocus()
            self.review_view.search_edit.selectAll()

    def _selected_values(self) -> dict | None:
        """The selected count's row, or None after asking (in the status bar) to select one."""
        values = self.review_view.current_values() if self.review_view else None
        if values is None:
            self.statusBar().showMessage("Select a conviction first.", 5000)
        return values

    # == decisions =================================================================================
    def override_current(self, preset: str | None = None) -> None:
        if self.review_view is None:
            return
        values = self._selected_values()
        if values is None:
            return
        from ..dialogs.override_dialog import OverrideDialog
        run_id = self.review_view.current_run()
        self.override_dialog = OverrideDialog(values, self.ui.reviewer_name, preset, self)
        dialog = self.override_dialog
        dialog.accepted.connect(lambda: self.record_decision(run_id, values["subject_id"], values["cnt_order"],
                                                             dialog.result_values()))
        dialog.open()

    def record_decision(self, run_id: int, subject_id: str, cnt_order: str, v: dict) -> None:
        if v.get("reviewer") and v["reviewer"] != self.ui.reviewer_name:
            self.ui.reviewer_name = v["reviewer"]
            self._update_reviewer_label()
        ws = self.ws

        def job(progress, cancel):
            return decisions.record_override(ws, run_id, subject_id, cnt_order, v["determination"], v["reason"],
                                             v["reviewer"], basis=v.get("basis"), ground=v.get("ground"),
                                             evidence=v.get("evidence"))

        self._start_decision_job("Recording the decision", job, subject_id, cnt_order)

    def withdraw_current(self) -> None:
        values = self.review_view.current_values() if self.review_view else None
        if values is None or values.get("decision_id") is None:
            self.statusBar().showMessage("The selected count has no reviewer decision to withdraw.", 5000)
            return
        reason, ok = QInputDialog.getText(self, "Withdraw decision", "Reason for withdrawing (required):")
        if ok:
            self.withdraw_decision(values["subject_id"], values["cnt_order"], reason)

    def withdraw_decision(self, subject_id: str, cnt_order: str, reason: str) -> None:
        ws, run_id, reviewer = self.ws, self.review_view.current_run(), self.ui.reviewer_name

        def job(progress, cancel):
            return decisions.withdraw_override(ws, run_id, subject_id, cnt_order, reason, reviewer)

        self._start_decision_job("Withdrawing the decision", job, subject_id, cnt_order)

    def _start_decision_job(self, title: str, job, subject_id: str, cnt_order: str) -> None:
        """A quick write, not shown in the status bar; then the count's row, its detail and the audit log."""
        def done(result) -> None:
            self._after_decision(subject_id, cnt_order)
            self.statusBar().showMessage("Decision recorded.", 5000)
            self.decision_recorded.emit((subject_id, cnt_order, result))

        self._start_job(title, job, done, write=True, visible=False)

    def _after_decision(self, subject_id: str, cnt_order: str) -> None:
        self.review_view.refresh_count_rows([(subject_id, cnt_order)])
        if self.detail_view is not None:
            values = self.review_view.current_values()
            if values is not None:
                values = dict(values, _reload=True)
            self.detail_view.show_count(self.review_view.current_run(), values)
        self._refresh_audit()

    # == the person and the court case =============================================================
    def open_full_record(self):
        """The selected person's whole record in a large window (the side panel is narrow)."""
        if self._selected_values() is None:
            return None
        self.show_tab("review")
        return self._ensure_detail().open_full_record()

    def choose_per_case_folder(self) -> None:
        values = self._selected_values()
        if values is None:
            return
        if not values.get("case_number"):
            show_info("Per-case motion and order", "This count has no court case number, so there is no court "
                      "case to write a motion for.", self)
            return
        path = QFileDialog.getExistingDirectory(
            self, f"Choose the folder for the motion and order of case {values['case_number']}",
            self.ui.last_folder("per_case"))
        if path:
            self.ui.set_last_folder("per_case", path)
            self.write_per_case(self.review_view.current_run(), values["subject_id"], values["case_number"], path)

    def write_per_case(self, run_id: int, subject_id: str, case_number: str, out_dir: str) -> None:
        """One motion and proposed order for one person's court case (documents/per_case.py), on a worker."""
        write_document = self._core_feature("write_per_case_document")
        if write_document is None:
            return
        ws = self.ws

        def job(progress, cancel):
            progress.update(0, 1, "Writing the per-case motion and order…")
            return write_document(ws, run_id, subject_id, case_number, out_dir)

        def done(result):
            text = f"The motion and proposed order for case {case_number} was written to:\n{result.path}"
            if getattr(result, "spot_check", False):
                text += ("\n\nNo final packet has been exported for this run, so the document is marked "
                         "SPOT-CHECK COPY — NOT FOR FILING. A manifest was written next to it.")
            self.statusBar().showMessage(f"Per-case motion and order written ({result.counts} count(s)).", 10000)
            show_info("Per-case motion and order", text, self)
            self.per_case_written.emit(result)

        self._start_job("Writing the per-case motion and order", job, done)

    # == the reviewer ==============================================================================
    def edit_reviewer(self) -> None:
        from ..dialogs.reviewer_dialog import ReviewerDialog
        dialog = ReviewerDialog(self.ui.reviewer_name, self.ui.reviewer_initials, self)
        if dialog.exec():
            self.ui.reviewer_name = dialog.name_edit.text()
            self.ui.reviewer_initials = dialog.initials_edit.text()
            self._update_reviewer_label()
