"""The data lines of a synthetic DOJ research file as they are written: numbered (``RECORD_ID``)
and, in a ``dirty`` file, now and then malformed the ways the importer must quarantine, or preceded
by a blank line.
"""

from __future__ import annotations

from .dice import Dice, Picker

#: malformation kinds of ``dirty`` files and their relative weights
DIRTY_KINDS = Picker([
    ("wrong_field_count", 25), ("bad_quote", 15), ("bad_date", 25), ("bad_cnt_order", 15),
    ("missing_subject_id", 10),
])
DIRTY_RATE = 0.001
BLANK_LINE_RATE = 0.0002
#: in dirty files these data lines (by RECORD_ID) are always malformed, so even a small demo file
#: shows every quarantine reason; ``None`` puts a blank line before that record instead
FORCED_DIRTY: dict[int, str | None] = {
    37: "bad_date", 61: None, 83: "wrong_field_count", 131: "bad_quote", 177: "bad_cnt_order",
    229: "missing_subject_id", 263: None,
}
BAD_DATES = ("20151345", "19850230", "2015-02-14", "2015021", "1985021A", "20101345")


class RowWriter:
    """Appends finished lines to ``buf`` and counts them. ``person_malformed`` is set when a line is
    malformed in a way that still names its person (any kind but a blank ``SUBJECT_ID``); the
    generator resets it for each person."""

    def __init__(self, dice: Dice, dirty: bool):
        self.rnd, self.pick = dice.rnd, dice.pick
        self.dirty = dirty
        self.buf: list[str] = []
        self.record_id = 0
        self.data_lines = 0
        self.blank_lines = 0
        self.malformed: dict[str, int] = {kind: 0 for kind in DIRTY_KINDS.items}
        self.person_malformed = False

    def emit(self, prefix: str, cyc: str, stp: str, cnt: str, sent: str, tail: str) -> bool:
        """Append one line; in dirty mode maybe malform it. True if the line stays valid."""
        rnd = self.rnd
        self.record_id += 1
        self.data_lines += 1
        if self.dirty:
            forced = FORCED_DIRTY.get(self.record_id, "")
            if forced is None or rnd() < BLANK_LINE_RATE:
                self.buf.append("   \n" if rnd() < 0.5 else "\n")
                self.blank_lines += 1
            if forced or rnd() < DIRTY_RATE:
                return self._emit_bad(prefix, cyc, stp, cnt, sent, tail, forced)
        self.buf.append(f"{self.record_id:07d},{prefix},{cyc},{stp},{cnt},{sent},{tail}\n")
        return True

    def _emit_bad(self, prefix: str, cyc: str, stp: str, cnt: str, sent: str, tail: str,
                  kind: str | None = None) -> bool:
        """Append a malformed version of the line (``kind`` or a random kind); always False."""
        rnd, pick = self.rnd, self.pick
        kind = kind or DIRTY_KINDS(rnd)
        self.malformed[kind] += 1
        if kind != "missing_subject_id":
            self.person_malformed = True
        if kind == "missing_subject_id":
            prefix = "," + ("  " if rnd() < 0.5 else "") + prefix[prefix.index(",", 1):]
        elif kind == "bad_cnt_order":
            cnt = pick(("10100", cnt[:10], cnt[:11], "")) + cnt[12:]
        elif kind == "bad_date":
            bad = pick(BAD_DATES)
            where = rnd()
            if where < 0.4:
                cyc = cyc[:4] + bad + cyc[cyc.index(",", 4):]
            elif where < 0.7:
                stp = stp[:4] + bad + stp[stp.index(",", 4):]
            else:
                cnt = cnt[:13] + bad + cnt[cnt.index(",", 13):]
        line = f"{self.record_id:07d},{prefix},{cyc},{stp},{cnt},{sent},{tail}"
        if kind == "wrong_field_count":
            line = line[:-2] if rnd() < 0.6 else line + ","
        elif kind == "bad_quote":
            start = line.index(',"') + 2
            end = line.index('"', start)
            line = line[:end] + line[end + 1:]          # name quote never closed
        self.buf.append(line + "\n")
        return False
