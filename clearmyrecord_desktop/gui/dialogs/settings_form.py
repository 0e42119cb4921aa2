"""The office settings form, generated from the settings declaration: each dataclass field becomes a
widget chosen by its type (text, lines of text, true/false, whole number, one of its ``choices``),
labelled with a required mark and carrying its help text."""

from __future__ import annotations

import dataclasses
import typing
from html import escape

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox

#: Labels where the field name alone would be unclear (dotted keys); others are derived from the name.
LABELS = {
    "office.agency_name": "Office (filing agency)",
    "office.head_name": "Head of the office",
    "office.head_title": "Head's title",
    "office.address": "Office address",
    "office.email": "E-mail",
    "office.signature_block": "Signature block (optional)",
    "office.attorney.name": "Signing attorney",
    "office.attorney.title": "Attorney's title",
    "office.attorney.bar_number": "State Bar number",
    "signature.mode": "Signature line",
    "county.name": "County name",
    "county.code": "County code",
    "court.name": "Court name",
    "public_defender.name": "Public defender office",
    "public_defender.service_email": "Service e-mail",
    "marking.confidential_text": "Confidentiality marking",
    "marking.extra_line": "Second header line",
    "policy.authority_text": "Policy authority paragraph",
    "service.server_name": "Person who serves the papers",
    "court_data.bom": "Byte-order mark",
    "court_data.challenges_csv": "Challenge list",
    "output.pdf": "PDF copies",
    "libreoffice.path": "soffice program",
    "summary.suppress_below": "Hide small numbers",
    "order.registration_relief": "Registration",
    "packets.split_by_relief": "Split packets",
    "service.server_address": "Server's address",
    "ori_codes": "ORI codes",
    "description_match": "Court descriptions",
    "misc_case_number": "Misc. case number",
    "per_case_orders": "Per-case orders",
    "court_name": "Court name (if not the default)",
}
CHOICE_WORDS = {
    "blank": "Blank line, signed by hand", "conformed": "Conformed (/s/ name printed)",
    "combined": "Combined (statute and policy rows together)", "separate": "Separate statute and policy parts",
    "served": "Served (on the service list)", "filing": "Files its own packets",
}
MULTILINE = {"signature_block", "confidential_text", "authority_text"}


def _label_for(key: str, field: dataclasses.Field) -> str:
    """The field's label; ``*`` marks a field that is always required (conditions are in the tooltip)."""
    name = key.rsplit(".", 1)[-1]
    text = LABELS.get(key) or LABELS.get(name) or name.replace("_", " ").capitalize()
    return f"{text} *" if field.metadata.get("required") == "yes" else text


class FieldEditor:
    """One widget bound to one settings field, chosen by the field's type."""

    def __init__(self, key: str, field: dataclasses.Field, tp):
        self.key, self.field, self.tp = key, field, tp
        help_text = field.metadata.get("help", "")
        required = field.metadata.get("required", "")
        choices = field.metadata.get("choices") or ()
        tip = help_text + ("" if not required else " (required)" if required == "yes" else
                           " (at least one ORI code or description is required)" if required == "one match" else
                           f" (required {required})")
        if choices:
            widget = QComboBox()
            for choice in choices:
                widget.addItem(CHOICE_WORDS.get(choice, choice), choice)
        elif tp is bool:
            widget = QCheckBox(help_text)
        elif tp is int:
            widget = QSpinBox()
            widget.setRange(0, 1_000_000)
        elif typing.get_origin(tp) is list or field.name in MULTILINE:
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(64 if field.name not in MULTILINE else 78)
            lines = typing.get_origin(tp) is list and "one line per entry" not in help_text
            widget.setPlaceholderText(help_text + (" — one line per entry" if lines else ""))
        else:
            widget = QLineEdit()
            widget.setPlaceholderText(help_text)
        widget.setToolTip(tip)
        widget.setAccessibleName(_label_for(key, field).rstrip(" *"))
        widget.setAccessibleDescription(tip)
        self.widget = widget

    def set(self, value) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value or 0))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("\n".join(value) if isinstance(value, list) else (value or ""))
        else:
            w.setText(value or "")

    def get(self):
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
            if typing.get_origin(self.tp) is list:
                return [line.strip() for line in text.splitlines() if line.strip()]
            return text.strip()
        return w.text().strip()


def build_form(form: QFormLayout, cls: type, prefix: str, editors: dict[str, FieldEditor]) -> None:
    """Add a row per field of ``cls`` (nested dataclasses get a sub-heading)."""
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        key = f"{prefix}.{field.name}" if prefix else field.name
        tp = hints[field.name]
        if dataclasses.is_dataclass(tp):
            heading = QLabel(f"<b>{escape(field.metadata.get('help') or field.name)}</b>")
            form.addRow(heading)
            build_form(form, tp, key, editors)
            continue
        editor = FieldEditor(key, field, tp)
        editors[key] = editor
        if isinstance(editor.widget, QCheckBox):
            form.addRow(_label_for(key, field), editor.widget)
        else:
            label = QLabel(_label_for(key, field))
            label.setBuddy(editor.widget)
            label.setToolTip(editor.widget.toolTip())
            form.addRow(label, editor.widget)


def _get_path(obj, key: str):
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def _set_path(obj, key: str, value) -> None:
    *parents, last = key.split(".")
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, last, value)
