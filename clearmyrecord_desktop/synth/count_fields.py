"""The fields of a count row that DOJ writes irregularly: the charge text and comment, the
qualifier, the level, and the disposition with its sentence parts.
"""

from __future__ import annotations

from .dice import Dice, Picker
from .fields import BLANK_PADS, padded_variants, quoted
from .offenses import SEE_COMMENT, Offense, short_comment

SENT_UNIT = {
    "D": padded_variants("DAYS", 7),
    "M": padded_variants("MONTHS", 9),
    "Y": padded_variants("YEARS", 8),
}
DISMISSALS = Picker([
    ("DISMISSED/CHARGE DROPPED", 70), ("DISMISSED-FURTHERANCE OF JUSTICE", 15),
    ("PROS REL-INSUFFICIENT EVIDENCE", 7), ("ACQUITTED", 3), ("", 5),
])
ARREST_ONLY_DISPS = Picker([
    ("", 80), ("REL/TOT OTHER JURIS/AUTH", 6), ("RELEASED-DETENTION ONLY", 7),
    ("DA REFUSED TO PROSECUTE", 7),
])
LEVEL_WORD = {"F": "FELONY", "M": "MISDEMEANOR", "I": "INFRACTION"}
NOISE_COMMENTS = ("RECORD CORRECTED PER COURT", "DA REJECT", "PER MINUTE ORDER", "SEE ALSO CII")


class CountFields:
    """Draws the irregular fields of count rows."""

    def __init__(self, dice: Dice):
        self.rnd, self.pick = dice.rnd, dice.pick

    def charge_text(self, offense: Offense) -> tuple[str, str]:
        """(``OFFENSE_DESCR``, ``COMMENT_TEXT``): usually the text; sometimes the charge is only in
        the comment (``SEE COMMENT FOR CHARGE`` or blank), rarely an unrelated note."""
        r = self.rnd()
        if r < 0.988:
            return offense.text, ""
        if r < 0.996:
            return SEE_COMMENT, short_comment(offense)
        if r < 0.998:
            return "", short_comment(offense)
        return offense.text, self.pick(NOISE_COMMENTS)

    def qual(self) -> str:
        r = self.rnd()
        return BLANK_PADS[1 + int(r * 16)] if r < 0.3 else ""

    def level_fields(self, level: str) -> tuple[str, str]:
        """(``OFFENSE_TOC``, ``CONV_STAT_DESCR``) of a conviction row, with DOJ's irregularities."""
        r = self.rnd()
        word = LEVEL_WORD[level]
        if r < 0.92:
            return level, word
        if r < 0.94:
            return level, word + " "
        if r < 0.95:
            return level, quoted("  " + word + "  ")
        if r < 0.985:
            return level, ""                 # level only in OFFENSE_TOC
        if r < 0.9985:
            return ("", level)               # the letter in CONV_STAT_DESCR, TOC blank
        return "", ""                        # level unknown

    def sentence(self, level: str, offense: Offense) -> tuple[str, list[str]]:
        """(``DISP_DESCR``, sentence parts as ``LOC_CODE,LOC_DESCR,LENGTH,UNIT,UNIT_DESCR``)."""
        rnd, pick = self.rnd, self.pick
        if offense.severe:
            if rnd() < 0.5:
                return "CONVICTED-PRISON", ["S,PRISON,,,LIFE"]
            return "CONVICTED-PRISON", [self.part("S", "PRISON", pick((15, 25, 30)), "Y")]
        r = rnd()
        if level == "F":
            if r < 0.5:
                parts = [self.part("P", "PROBATION", *pick(((36, "M"), (60, "M"), (3, "Y"),
                                                                   (5, "Y"), (24, "M"))))]
                if rnd() < 0.6:
                    parts.append(self.part("J", "JAIL", pick((90, 120, 180, 270, 365)), "D"))
                return "CONVICTED-PROBATION", parts
            if r < 0.8:
                length, unit = pick(((16, "M"), (2, "Y"), (3, "Y"), (4, "Y"), (5, "Y"), (6, "Y"),
                                           (8, "Y"), (32, "M")))
                return "CONVICTED-PRISON", [self.part("S", "PRISON", length, unit)]
            parts = [self.part("J", "JAIL", *pick(((90, "D"), (180, "D"), (365, "D"),
                                                          (6, "M"), (12, "M"))))]
            if rnd() < 0.3:
                parts.append(self.part("P", "PROBATION", 36, "M"))
            return "CONVICTED-JAIL", parts
        if level == "M":
            if r < 0.45:
                parts = [self.part("P", "PROBATION", pick((12, 24, 36)), "M")]
                if rnd() < 0.5:
                    parts.append(self.part("J", "JAIL", pick((1, 2, 10, 30, 45, 60, 90, 180)), "D"))
                return "CONVICTED-PROBATION", parts
            if r < 0.85:
                return "CONVICTED-JAIL", [self.part("J", "JAIL", pick((1, 5, 10, 30, 60, 90, 120,
                                                                             180, 365)), "D")]
            return "CONVICTED-FINE", []
        if r < 0.9:
            return "CONVICTED-FINE", []
        return "CONVICTED-PROBATION", [self.part("P", "PROBATION", 12, "M")]

    def part(self, loc_code: str, loc_descr: str, length: int, unit: str) -> str:
        r = self.rnd()
        variants = SENT_UNIT[unit]
        descr = variants[0] if r < 0.4 else (variants[1] if r < 0.8 else variants[2])
        code = unit if r < 0.98 else ""
        return f"{loc_code},{loc_descr},{length},{code},{descr}"
