"""Shows the result of File ▸ Verify packet…"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


def describe(result) -> tuple[bool, str]:
    """(ok, text) from whatever verify_folder returned: an object or dict with ``ok`` and problems."""
    get = result.get if isinstance(result, dict) else (lambda k, d=None: getattr(result, k, d))
    ok = bool(get("ok", False))
    lines = []
    if get("message", ""):
        lines.append(str(get("message")))
    checks = get("checks", None)
    if checks:
        lines += [str(c) for c in checks]
        return ok, "\n".join(lines)
    for key in ("problems", "errors", "missing", "changed", "extra"):
        for item in get(key, None) or []:
            lines.append(f"{key}: {item}")
    checked = get("files_checked", None) or get("checked", None)
    if checked is not None:
        lines.insert(0, f"Files checked: {checked if isinstance(checked, int) else len(checked)}")
    if not lines:
        lines.append(str(result))
    return ok, "\n".join(lines)


class VerifyDialog(QDialog):
    def __init__(self, folder: str, result, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Verify packet")
        self.setAccessibleName("Verify packet result")
        self.resize(620, 360)
        ok, text = describe(result)
        layout = QVBoxLayout(self)
        colour, words = ("#11612c", "✔ Complete and unaltered") if ok else ("#8f1d1d", "✘ Problems found")
        layout.addWidget(QLabel(f"<h3 style='color:{colour}'>{words}</h3><div>{escape(folder)}</div>"))
        details = QPlainTextEdit(text)
        details.setReadOnly(True)
        details.setAccessibleName("Verification details")
        layout.addWidget(details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
