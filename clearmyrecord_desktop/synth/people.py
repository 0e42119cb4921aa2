"""Invented people of the synthetic DOJ research file: names, physical descriptors, birthplace and
identifiers — the subject columns repeated on every row of a person.

Names are synthetic combinations of common surnames and given names; identifiers are random (an
SSN-like number always starts with 9, never a valid SSN). No real person's data.
"""

from __future__ import annotations

from datetime import date

from .dice import Dice, Picker
from .fields import DateText, quoted

# Names (synthetic combinations of common surnames and given names)

LAST_NAMES: tuple[str, ...] = (
    "GARCIA", "HERNANDEZ", "LOPEZ", "MARTINEZ", "RODRIGUEZ", "GONZALEZ", "PEREZ", "SANCHEZ",
    "RAMIREZ", "TORRES", "FLORES", "RIVERA", "GOMEZ", "DIAZ", "REYES", "MORALES", "CRUZ", "ORTIZ",
    "GUTIERREZ", "CHAVEZ", "RAMOS", "RUIZ", "ALVAREZ", "MENDOZA", "CASTILLO", "JIMENEZ", "MORENO",
    "ROMERO", "HERRERA", "MEDINA", "AGUILAR", "VARGAS", "CASTRO", "GUZMAN", "FERNANDEZ", "SALAZAR",
    "SOTO", "DELGADO", "VALDEZ", "CONTRERAS", "SANDOVAL", "RIOS", "NAVARRO", "CAMPOS", "ESPINOZA",
    "VASQUEZ", "ESTRADA", "CERVANTES", "MEJIA", "IBARRA", "LUNA", "CORTEZ", "VELASQUEZ", "ROJAS",
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "MILLER", "DAVIS", "WILSON", "ANDERSON",
    "TAYLOR", "THOMAS", "MOORE", "JACKSON", "MARTIN", "LEE", "THOMPSON", "WHITE", "HARRIS", "CLARK",
    "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "HILL", "GREEN",
    "ADAMS", "BAKER", "NELSON", "CARTER", "MITCHELL", "ROBERTS", "TURNER", "PHILLIPS", "CAMPBELL",
    "PARKER", "EVANS", "EDWARDS", "COLLINS", "STEWART", "MORRIS", "ROGERS", "REED", "COOK", "BELL",
    "MURPHY", "BAILEY", "COOPER", "RICHARDSON", "COX", "HOWARD", "WARD", "PETERSON", "GRAY", "JAMES",
    "WATSON", "BROOKS", "KELLY", "SANDERS", "PRICE", "BENNETT", "WOOD", "BARNES", "ROSS", "HENDERSON",
    "COLEMAN", "JENKINS", "PERRY", "POWELL", "LONG", "PATTERSON", "HUGHES", "WASHINGTON", "BUTLER",
    "SIMMONS", "FOSTER", "BRYANT", "ALEXANDER", "RUSSELL", "GRIFFIN", "HAYES", "MYERS", "FORD",
    "HAMILTON", "GRAHAM", "WALLACE", "WOODS", "COLE", "WEST", "JORDAN", "OWENS", "REYNOLDS", "FISHER",
    "ELLIS", "HARRISON", "GIBSON", "MCDONALD", "MARSHALL", "FREEMAN", "WELLS", "WEBB", "TUCKER",
    "NGUYEN", "TRAN", "LE", "PHAM", "KIM", "PARK", "CHOI", "WONG", "CHEN", "LIU", "WANG", "YANG",
    "SANTOS", "DELA CRUZ", "REYES", "BAUTISTA", "HAKOBYAN", "PETROSYAN", "SARGSYAN", "AVETISYAN",
    "DE LA CRUZ", "DE LEON", "VAN DYKE", "ST JOHN", "MC CARTHY",
)

#: rarer surnames that exercise quoting and parsing: apostrophes, hyphens, ampersands, non-ASCII
ODD_LAST_NAMES: tuple[str, ...] = (
    "O'BRIEN", "O'NEAL", "O'CONNOR", "D'ANGELO", "D'AMICO", "DE'LEON", "GARCIA-LOPEZ",
    "SMITH-JONES", "PEREZ-RAMIREZ", "LOPEZ-GARCIA", "MARTINEZ&LOPEZ", "SMITH & JONES",
    "JOHNSON&JOHNSON", "MUÑOZ", "PEÑA", "NUÑEZ", "ORDOÑEZ",
)

MALE_FIRST: tuple[str, ...] = (
    "JOSE", "JUAN", "LUIS", "CARLOS", "JESUS", "MIGUEL", "ANTONIO", "FRANCISCO", "JORGE", "MANUEL",
    "RICARDO", "ROBERTO", "DANIEL", "DAVID", "JAMES", "JOHN", "ROBERT", "MICHAEL", "WILLIAM",
    "RICHARD", "JOSEPH", "THOMAS", "CHARLES", "CHRISTOPHER", "MARK", "ANTHONY", "KEVIN", "BRIAN",
    "JASON", "MATTHEW", "GARY", "TIMOTHY", "STEVEN", "ERIC", "TYRONE", "DARNELL", "ANDRE", "MARCUS",
    "TERRELL", "DESHAWN", "JAMAL", "LAMAR", "DONTE", "CURTIS", "CEDRIC", "REGINALD", "KENNETH",
    "LARRY", "RAYMOND", "GREGORY", "EDWARD", "RONALD", "DONALD", "PAUL", "ANDREW", "JOSHUA", "RYAN",
    "MINH", "TUAN", "HUNG", "SUNG", "JIN", "ARMEN", "ARAM", "VAHE", "RAFAEL", "ALEJANDRO", "OSCAR",
    "EDGAR", "HECTOR", "SERGIO", "MARIO", "RAUL", "ARTURO", "FERNANDO", "ERNESTO", "SALVADOR",
    "DE'ANDRE", "JEAN-PAUL",
)

FEMALE_FIRST: tuple[str, ...] = (
    "MARIA", "ANA", "ROSA", "GUADALUPE", "CARMEN", "VERONICA", "ELIZABETH", "PATRICIA", "JENNIFER",
    "LINDA", "BARBARA", "SUSAN", "JESSICA", "SARAH", "KAREN", "NANCY", "LISA", "MICHELLE", "LAURA",
    "ANGELA", "SHANICE", "TAMIKA", "KEISHA", "LATOYA", "EBONY", "MONIQUE", "YOLANDA", "DENISE",
    "SANDRA", "DIANA", "ADRIANA", "CLAUDIA", "LETICIA", "SILVIA", "YESENIA", "BRENDA", "LIEN",
    "MAI", "SOO", "ANI", "LUSINE", "MARY-ANN", "D'ANDREA",
)

MALE_MIDDLE: tuple[str, ...] = (
    "LUIS", "ANTONIO", "JAMES", "LEE", "RAY", "EDWARD", "ALLEN", "MINH", "DEWAYNE", "ROBERT",
    "MICHAEL", "JOSE", "DEAN", "WAYNE",
)

FEMALE_MIDDLE: tuple[str, ...] = (
    "MARIE", "ANN", "LYNN", "LUISA", "ELENA", "LEE", "ROSE", "JEAN", "GUADALUPE", "THI",
)

SUFFIXES: tuple[str, ...] = ("JR", "SR", "II", "III")

# Descriptors

#: (RACE_CODE, RACE_DESCR) with weights (roughly a large urban county's arrest population)
RACES: Picker[tuple[str, str]] = Picker([
    (("H", "HISPANIC"), 44), (("B", "BLACK"), 27), (("W", "WHITE"), 20), (("A", "ASIAN"), 3),
    (("O", "OTHER"), 2), (("F", "FILIPINO"), 1), (("C", "CHINESE"), 0.5), (("K", "KOREAN"), 0.5),
    (("V", "VIETNAMESE"), 0.5), (("I", "AMERICAN INDIAN"), 0.5), (("", ""), 1.0),
])

EYES: Picker[tuple[str, str]] = Picker([
    (("BRO", "BROWN"), 70), (("BLK", "BLACK"), 8), (("BLU", "BLUE"), 10), (("HAZ", "HAZEL"), 6),
    (("GRN", "GREEN"), 5), (("", ""), 1),
])

HAIR: Picker[tuple[str, str]] = Picker([
    (("BLK", "BLACK"), 60), (("BRO", "BROWN"), 25), (("BLN", "BLOND"), 5), (("GRY", "GRAY"), 4),
    (("RED", "RED"), 2), (("BAL", "BALD"), 3), (("", ""), 1),
])

#: (POB_CODE, POB_NAME, POB_TYPE)
BIRTHPLACES: Picker[tuple[str, str, str]] = Picker([
    (("CA", "CALIFORNIA", "S"), 70), (("MX", "MEXICO", "C"), 14), (("TX", "TEXAS", "S"), 3),
    (("NY", "NEW YORK", "S"), 2), (("IL", "ILLINOIS", "S"), 2), (("LA", "LOUISIANA", "S"), 2),
    (("ES", "EL SALVADOR", "C"), 2), (("GT", "GUATEMALA", "C"), 1.5), (("VN", "VIETNAM", "C"), 0.5),
    (("KS", "SOUTH KOREA", "C"), 0.5), (("AM", "ARMENIA", "C"), 0.5), (("PH", "PHILIPPINES", "C"), 0.5),
    (("", "", ""), 1.5),
])


def invent_person(dice: Dice, dt: DateText, sid: str) -> tuple[str, date]:
    """A new person with subject id ``sid``: (columns 2–36 of each of their rows, date of birth)."""
    rng, rnd = dice.rng, dice.rnd
    gender = "M" if rnd() < 0.82 else "F"
    if rnd() < 0.003:
        gender = ""
    year = int(rng.triangular(1930, 2003, 1972))
    dob = date.fromordinal(date(year, 1, 1).toordinal() + int(rnd() * 365))
    r = rnd()
    dob_text = dt(dob.toordinal()) if r > 0.006 else (f"{dob.year}0000" if r > 0.003 else "")
    return _subject_segment(dice, sid, gender, dob_text), dob


def _subject_segment(dice: Dice, sid: str, gender: str, dob_text: str) -> str:
    """Columns 2–36 (``SUBJECT_STATUS`` … ``CYC_SEG_SEP``), the same on every row of the person."""
    rnd, pick, below = dice.rnd, dice.pick, dice.below
    if rnd() < 0.004:
        last = pick(ODD_LAST_NAMES)
    else:
        last = pick(LAST_NAMES)
    female = gender == "F"
    first = pick(FEMALE_FIRST if female else MALE_FIRST)
    middles = FEMALE_MIDDLE if female else MALE_MIDDLE
    r = rnd()
    if r < 0.45:
        name = f"{last},{first} {pick(middles)[0]}"
    elif r < 0.75:
        name = f"{last},{first} {pick(middles)}"
    elif r < 0.78:
        name = f"{last},{first} {pick(SUFFIXES)}"
    else:
        name = f"{last},{first}"
    cii = f"{'A' if rnd() < 0.6 else '0'}{below(100_000_000):08d}"
    fbi = f"{below(1_000_000):06d}{pick('ABCDEFGHJK')}{pick('ABCDE')}{below(10)}"
    race_code, race_descr = RACES(rnd)
    eye_c, eye_d = EYES(rnd)
    hair_c, hair_d = HAIR(rnd)
    height = f"{pick('456')}{below(12):02d}" if rnd() < 0.97 else ""
    weight = str(110 + below(180)) if rnd() < 0.97 else ""
    pob_code, pob_name, pob_type = BIRTHPLACES(rnd)
    citizen = "US" if pob_type != "C" else ("" if rnd() < 0.5 else pob_code)
    ssn = f"9{below(100_000_000):08d}" if rnd() < 0.4 else ""  # 9xx: never a valid SSN
    cdl = f"X{below(10_000_000):07d}" if rnd() < 0.5 else ""
    req_cii = cii if rnd() < 0.98 else ""
    return ",".join((
        "", sid, "#", req_cii, "", "", "", "", "", "#", cii, quoted(name), gender, dob_text,
        ssn, cdl, "", "", fbi, "#", race_code, race_descr, eye_c, eye_d, hair_c, hair_d, height,
        weight, "", "", pob_code, pob_name, pob_type, citizen, "#",
    ))
