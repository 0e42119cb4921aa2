"""Evaluate actions: the Evaluate dialog, the evaluation on the write thread (its new run then shown
for review, with the counts whose engine result changed under a reviewer's decision), and the
policy editor."""

from __future__ import annotations

from ...review import audit, decisions
from .. import core_api
from ..message_bridge import show_error


class EvaluateActionsMixin:
    """For MainWindow: uses the ``jobs`` mixin to run the evaluation."""

    def _default_county(self) -> str | None:
        rows = self.ws.query("SELECT d_county FROM doj_row WHERE d_is_conviction AND d_county IS NOT NULL "
                             "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        return rows[0][0] if rows else None

    def open_evaluate_dialog(self) -> None:
        if self.ws is None:
            return
        from ..dialogs.evaluate_dialog import EvaluateDialog
        self.evaluate_dialog = EvaluateDialog(self.ui, self._default_county(), self)
        self.evaluate_dialog.accepted.connect(lambda: self.evaluate(**self.evaluate_dialog.values()))
        self.evaluate_dialog.open()

    def evaluate(self, county: str, as_of, policy, options_path=None) -> None:
        job = self._reviewer_job("evaluate", county, as_of, policy, options_path=options_path)
        if job is None:
            return
        before = self._audit_count(audit.EVALUATE)

        def done(run_id):
            self._ensure_logged(audit.EVALUATE, before, new_value=f"run {run_id}",
                                reason=f"{county}, as of {as_of}, policy {policy}")
            self.review_view.reload_runs(run_id)
            self.show_tab("review")
            changed = decisions.changed_underneath(self.ws, run_id)
            if changed:
                self.statusBar().showMessage(
                    f"Run {run_id} done. ⚠ {len(changed)} reviewed count(s) changed underneath: the engine "
                    "result differs from what the reviewer saw. Filter by “Changed underneath”.", 15000)
            else:
                self.statusBar().showMessage(f"Run {run_id} done.", 10000)
            self._refresh_audit()
            self.evaluate_finished.emit(run_id)

        self._start_job("Evaluating", job, done, write=True, on_failed=lambda: self.evaluate_finished.emit(None))

    def open_policy_editor(self) -> None:
        try:
            from ..dialogs.policy_editor_dialog import PolicyEditorDialog
            dialog = PolicyEditorDialog(self.ui, "statutory", self)
        except core_api.FeatureMissingError as exc:
            show_error(exc, self)
            return
        dialog.open()
        self.policy_dialog = dialog
