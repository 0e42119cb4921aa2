"""Built-in charge vocabulary for the synthetic DOJ research file: the charge texts as they appear
in ``OFFENSE_DESCR``, weighted, and how DOJ abbreviates them in ``COMMENT_TEXT``.

Statute numbers are public; the weights make a file look like a large county's delivery: mostly
old-law felony marijuana convictions, long criminal histories, a sprinkling of odd charge texts.
"""

from __future__ import annotations

import zlib

from .dice import Picker


class Offense:
    """One charge text as it appears in ``OFFENSE_DESCR``.

    ``levels`` is a string of level letters to pick from uniformly (``'FFFM'`` = 75 % felony);
    ``p64`` is the class the product should give a conviction of it (``eligibility.md`` §4) when
    it is a Prop 64 class, else ``None``; ``registrable`` marks sex offenses followed by PC 290
    registration; ``severe`` marks life-term offenses (prison, long terms).
    """

    __slots__ = ("text", "levels", "p64", "registrable", "severe", "code", "comment")

    def __init__(self, text: str, levels: str, p64: str | None = None, *, registrable: bool = False,
                 severe: bool = False, comment: str = ""):
        self.text = text
        self.levels = levels
        self.p64 = p64
        self.registrable = registrable
        self.severe = severe
        self.comment = comment
        self.code = f"{zlib.crc32(text.encode()) % 90000 + 10000:05d}"


P64 = "prop64"

#: Prop 64 charges as written for offenses before 9 Nov 2016 (weights: LA was mostly felony sale)
PROP64_OLD: Picker[Offense] = Picker([
    (Offense("11359 HS-POSSESS MARIJUANA FOR SALE", "F", P64), 33),
    (Offense("11360(A) HS-SELL/TRANSPORT MARIJUANA", "F", P64), 22),
    (Offense("11358 HS-CULTIVATE MARIJUANA", "F", P64), 8),
    (Offense("11357(A) HS-POSSESS CONCENTRATED CANNABIS", "FFFM", P64), 6),
    (Offense("11357(B) HS-POSSESS MARIJUANA 28.5 GRAMS OR LESS", "MMMI", P64), 9),
    (Offense("11357(C) HS-POSSESS MARIJUANA OVER 28.5 GRAMS", "M", P64), 5),
    (Offense("11357(D) HS-POSSESS MARIJUANA ON SCHOOL GROUNDS", "M", P64), 0.4),
    (Offense("11357(E) HS-MINOR POSSESS MARIJUANA ON SCHOOL GROUNDS", "M", P64), 0.2),
    (Offense("11360(B) HS-GIVE/TRANSPORT MARIJUANA 28.5 GRAMS OR LESS", "M", P64), 3),
    (Offense("11360 HS-SELL/FURNISH MARIJUANA", "F", P64), 2),
    (Offense("11357 HS-POSSESS MARIJUANA", "FM", P64), 1.5),
    (Offense("11359HS-INTENT SELL CANNABIS", "F", P64), 1),
    (Offense("11357(C)HS-POSSESS MARIJUANA", "M", P64), 0.8),
    (Offense("11359-POSSESS FOR SALE", "F", P64), 0.5),
    (Offense("11360(A)(1) HS-TRANSPORT MARIJUANA", "F", P64), 0.6),
    (Offense("11359(C) HS-POSSESS MARIJUANA FOR SALE", "F", P64), 0.3),
])

#: Prop 64 charges as written for offenses on or after 9 Nov 2016 (new-law subsections)
PROP64_NEW: Picker[Offense] = Picker([
    (Offense("11357(A)(2) HS-POSSESS CANNABIS 28.5 GRAMS OR LESS", "I", P64), 20),
    (Offense("11357(B)(2) HS-POSSESS CANNABIS OVER 28.5 GRAMS", "M", P64), 15),
    (Offense("11359(B) HS-POSSESS CANNABIS FOR SALE", "M", P64), 25),
    (Offense("11359(C) HS-POSSESS CANNABIS FOR SALE W/PRIORS", "F", P64), 5),
    (Offense("11360(A)(2) HS-SELL/TRANSPORT CANNABIS", "M", P64), 20),
    (Offense("11360(A)(3) HS-SELL/TRANSPORT CANNABIS W/PRIORS", "F", P64), 3),
    (Offense("11358(C) HS-CULTIVATE MORE THAN 6 PLANTS", "M", P64), 8),
    (Offense("11360(B) HS-GIVE/TRANSPORT 28.5 GRAMS OR LESS", "I", P64), 4),
])

#: cannabis-related charge texts the product must *not* read as plain Prop 64 (or only with review)
PROP64_ODD: Picker[Offense] = Picker([
    (Offense("664/11360 HS-ATTEMPT SELL MARIJUANA", "FM", "prop64_attempt"), 10),
    (Offense("664-11359 HS-ATTEMPT POSSESS MARIJUANA FOR SALE", "F", "prop64_attempt"), 3),
    (Offense("182(A)(1)/11359 HS-CONSPIRACY", "F"), 12),
    (Offense("182(A)(1) PC/11360 HS-CONSPIRACY SELL MARIJUANA", "F"), 3),
    (Offense("11357.5 HS-SELL SYNTHETIC CANNABINOID", "M"), 8),
    (Offense("11358 PC-CULTIVATE MARIJUANA", "F", "prop64_code_unclear"), 2),
    (Offense("POSS MARIJ 11359", "F", "prop64_unreadable"), 2),
    (Offense("664.11357(C) HS-ATT POSS MARIJ", "M", "prop64_unreadable"), 1),
    (Offense("11361(A) HS-EMPLOY MINOR TO SELL MARIJUANA", "F"), 1),
    (Offense("11361(B) HS-FURNISH MARIJUANA TO MINOR", "F"), 1),
    (Offense("11366.5 HS-MAINTAIN PLACE FOR DRUGS", "F"), 2),
])

#: ordinary non-Prop-64 charges (the bulk of every history)
GENERAL: Picker[Offense] = Picker([
    (Offense("459 PC-BURGLARY", "FFFM"), 8),
    (Offense("484(A) PC-PETTY THEFT", "M"), 7),
    (Offense("487(A) PC-GRAND THEFT", "FM"), 3),
    (Offense("11350(A) HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE", "FFFM"), 9),
    (Offense("11351 HS-POSSESS/PURCHASE NARCOTIC FOR SALE", "F"), 3),
    (Offense("11352(A) HS-TRANSPORT/SELL NARCOTIC", "F"), 2),
    (Offense("11377(A) HS-POSSESS CONTROLLED SUBSTANCE", "FFM"), 7),
    (Offense("11378 HS-POSSESS CONTROLLED SUBSTANCE FOR SALE", "F"), 2),
    (Offense("11364 HS-POSSESS DRUG PARAPHERNALIA", "M"), 4),
    (Offense("11550(A) HS-UNDER INFLUENCE CONTROLLED SUBSTANCE", "M"), 5),
    (Offense("23152(A) VC-DUI ALCOHOL/DRUGS", "M"), 8),
    (Offense("23152(B) VC-DUI 0.08 PERCENT", "M"), 5),
    (Offense("14601.1(A) VC-DRIVE WHILE LICENSE SUSPENDED", "M"), 4),
    (Offense("12500(A) VC-DRIVE WITHOUT LICENSE", "MMI"), 3),
    (Offense("10851(A) VC-TAKE VEHICLE W/O OWNER CONSENT", "FM"), 3),
    (Offense("245(A)(1) PC-ADW NOT FIREARM", "FFM"), 4),
    (Offense("211 PC-ROBBERY", "F"), 3),
    (Offense("273.5(A) PC-INFLICT CORPORAL INJ SPOUSE/COHAB", "FM"), 3),
    (Offense("242 PC-BATTERY", "M"), 3),
    (Offense("243(E)(1) PC-BATTERY ON SPOUSE/EX SPOUSE/DATE/ETC", "M"), 2),
    (Offense("148(A)(1) PC-OBSTRUCT/RESIST PUBLIC OFFICER/ETC", "M"), 4),
    (Offense("647(F) PC-DISORDERLY CONDUCT:INTOX DRUG/ALCOHOL", "M"), 4),
    (Offense("496(A) PC-RECEIVE/ETC KNOWN STOLEN PROPERTY", "FM"), 3),
    (Offense("12025(A)(1) PC-CARRY CONCEALED WEAPON IN VEHICLE", "FM"), 1.5),
    (Offense("12031(A)(1) PC-CARRY LOADED FIREARM IN PUBLIC", "FM"), 1.5),
    (Offense("29800(A)(1) PC-FELON/ADDICT POSSESS FIREARM", "F"), 1.5),
    (Offense("594(A) PC-VANDALISM", "MMF"), 2),
    (Offense("666 PC-PETTY THEFT WITH PRIOR", "FM"), 1.5),
    (Offense("4573.6 PC-POSSESS CONTROLLED SUBSTANCE IN JAIL", "F"), 0.5),
    (Offense("11379.6 HS-MANUFACTURE CONTROLLED SUBSTANCE", "F"), 0.3),
    (Offense("415 PC-DISTURB THE PEACE", "MI"), 1.5),
    (Offense("853.7 PC-FAIL TO APPEAR AFTER PROMISE", "M"), 2),
    (Offense("1203.2 PC-PROBATION VIOLATION", "FM"), 2),
    (Offense("136.1-186.22(B)(4) PC-DISSUADE WITNESS/GANG", "F"), 0.2),
    (Offense("186.22(A) PC-PARTICIPATE CRIMINAL STREET GANG", "F"), 0.6),
    (Offense("32 PC-ACCESSORY", "FM"), 0.5),
    (Offense("237 PC-FALSE IMPRISONMENT", "FM"), 0.5),
    (Offense("422 PC-THREATEN CRIME WITH INTENT TO TERRORIZE", "FM"), 1),
    (Offense("460(B) PC-BURGLARY:SECOND DEGREE", "FM"), 1),
    (Offense("470(A) PC-FORGERY", "F"), 0.7),
    (Offense("530.5(A) PC-UNAUTHORIZED USE PERSONAL ID", "FM"), 0.7),
    (Offense("22350 VC-UNSAFE SPEED", "I"), 0.5),
])

#: rare priors that disqualify (super strikes, PC 290(c) sex offenses)
DISQUALIFYING: Picker[Offense] = Picker([
    (Offense("187(A) PC-MURDER", "F", severe=True), 2),
    (Offense("664/187(A) PC-ATTEMPTED MURDER", "F", severe=True), 2),
    (Offense("192(A) PC-VOLUNTARY MANSLAUGHTER", "F"), 1.5),
    (Offense("288(A) PC-LEWD ACT WITH CHILD UNDER 14", "F", registrable=True), 3),
    (Offense("220 PC-ASSAULT WITH INTENT TO COMMIT RAPE", "F", registrable=True), 1),
    (Offense("314(1) PC-INDECENT EXPOSURE", "M", registrable=True), 3),
    (Offense("261(A)(2) PC-RAPE BY FORCE/FEAR/ETC", "F", registrable=True), 1),
    (Offense("647.6(A) PC-ANNOY/MOLEST CHILD", "M", registrable=True), 2),
    (Offense("207(A) PC-KIDNAPPING", "F"), 1),
    (Offense("288 PC-LEWD/LASCIV ACTS W/CHILD", "F", registrable=True), 0.5),
])

REGISTRATION_TEXT = "290 PC-REGISTRATION OF SEX OFFENDER"
SEE_COMMENT = "SEE COMMENT FOR CHARGE"


def short_comment(offense: Offense) -> str:
    """The charge as DOJ abbreviates it in ``COMMENT_TEXT``: citation plus a clipped description
    (``11360(A) HS-SELL/TRANS``). The citation part is kept whole so the charge stays readable."""
    text = offense.text
    for i in range(1, len(text)):
        if text[i] == "-" and text[i - 1].isalpha():
            return (text[:i + 1] + text[i + 1:i + 11]).rstrip()
    return text[:30].rstrip()
