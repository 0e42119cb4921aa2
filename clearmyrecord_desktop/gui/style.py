"""Colours and small style helpers shared by delegates and panels (no stylesheet files needed)."""

from __future__ import annotations

from PySide6.QtGui import QColor

#: determination -> (text colour, background)
BADGE_COLOURS: dict[str, tuple[str, str]] = {
    "dismiss_and_seal": ("#11612c", "#d9f2e1"),
    "reduce_to_misdemeanor": ("#174e8c", "#dde9f8"),
    "reduce_to_infraction": ("#0b5e58", "#d4efec"),
    "no_relief": ("#8f1d1d", "#f9e0e0"),
    "hand_review": ("#7a4d00", "#ffedc2"),
}
REVIEWED_COLOUR = "#5b3b8c"
CHANGED_COLOUR = "#b54708"
EVIDENCE_BACKGROUND = "#fff3b0"
MARIJUANA_BACKGROUND = "#e6f4ea"


def badge_colours(determination: str | None) -> tuple[QColor, QColor]:
    fg, bg = BADGE_COLOURS.get(determination or "", ("#333333", "#eeeeee"))
    return QColor(fg), QColor(bg)


def badge_html(determination: str | None, text: str) -> str:
    fg, bg = BADGE_COLOURS.get(determination or "", ("#333333", "#eeeeee"))
    return (f'<span style="color:{fg}; background-color:{bg}; font-weight:600;">'
            f'&nbsp;{text}&nbsp;</span>')
