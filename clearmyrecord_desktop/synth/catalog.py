"""Built-in vocabularies for the synthetic DOJ research file: names, descriptors, counties, courts,
police agencies and charges.

Everything here is invented or public-domain vocabulary (county names, statute numbers). No real
person's data. The weights are tuned so that a file looks like a large county's delivery: mostly
old-law felony marijuana convictions, long criminal histories, a sprinkling of odd charge texts.
"""

from __future__ import annotations

import bisect
import zlib
from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")


class Picker(Generic[T]):
    """Weighted choice driven by a caller-supplied ``random()`` (one call per pick, no allocation)."""

    __slots__ = ("items", "_cum", "_total")

    def __init__(self, weighted: Sequence[tuple[T, float]]):
        if not weighted:
            raise ValueError("empty picker")
        self.items: list[T] = [item for item, _ in weighted]
        self._cum: list[float] = []
        total = 0.0
        for _, w in weighted:
            total += w
            self._cum.append(total)
        self._total = total

    def __call__(self, rnd: Callable[[], float]) -> T:
        return self.items[bisect.bisect_right(self._cum, rnd() * self._total)]


# --------------------------------------------------------------------------------------------------
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

# --------------------------------------------------------------------------------------------------
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

# --------------------------------------------------------------------------------------------------
# Counties and agencies

#: California's 58 counties with DOJ's two-digit county code (alphabetical order)
COUNTY_CODES: dict[str, str] = {name: f"{i:02d}" for i, name in enumerate((
    "ALAMEDA", "ALPINE", "AMADOR", "BUTTE", "CALAVERAS", "COLUSA", "CONTRA COSTA", "DEL NORTE",
    "EL DORADO", "FRESNO", "GLENN", "HUMBOLDT", "IMPERIAL", "INYO", "KERN", "KINGS", "LAKE", "LASSEN",
    "LOS ANGELES", "MADERA", "MARIN", "MARIPOSA", "MENDOCINO", "MERCED", "MODOC", "MONO", "MONTEREY",
    "NAPA", "NEVADA", "ORANGE", "PLACER", "PLUMAS", "RIVERSIDE", "SACRAMENTO", "SAN BENITO",
    "SAN BERNARDINO", "SAN DIEGO", "SAN FRANCISCO", "SAN JOAQUIN", "SAN LUIS OBISPO", "SAN MATEO",
    "SANTA BARBARA", "SANTA CLARA", "SANTA CRUZ", "SHASTA", "SIERRA", "SISKIYOU", "SOLANO", "SONOMA",
    "STANISLAUS", "SUTTER", "TEHAMA", "TRINITY", "TULARE", "TUOLUMNE", "VENTURA", "YOLO", "YUBA",
), start=1)}

#: populous counties are more likely as "other county" history
COUNTY_WEIGHTS: dict[str, float] = {
    "ORANGE": 10, "RIVERSIDE": 8, "SAN BERNARDINO": 9, "SAN DIEGO": 7, "VENTURA": 4, "KERN": 4,
    "LOS ANGELES": 10, "SACRAMENTO": 4, "ALAMEDA": 3, "SANTA CLARA": 3, "FRESNO": 3,
    "SAN FRANCISCO": 2, "CONTRA COSTA": 2, "SAN JOAQUIN": 2, "SANTA BARBARA": 2, "TULARE": 1.5,
    "STANISLAUS": 1.5, "MONTEREY": 1, "HUMBOLDT": 1.5, "MENDOCINO": 1, "SAN LUIS OBISPO": 1,
}


class Court:
    """A courthouse (or other agency): ORI code and name, plus case-number styles."""

    __slots__ = ("ori", "descr", "county", "cnty_code", "fel_prefix", "misd_code", "weight")

    def __init__(self, ori: str, descr: str, county: str, cnty_code: str, fel_prefix: str,
                 misd_code: str, weight: float):
        self.ori, self.descr, self.county, self.cnty_code = ori, descr, county, cnty_code
        self.fel_prefix, self.misd_code, self.weight = fel_prefix, misd_code, weight


#: Los Angeles courthouses: (name, ORI sequence, felony case prefix, misdemeanor court code, weight)
_LA_COURTS: tuple[tuple[str, int, str, str, float], ...] = (
    ("CASC LOS ANGELES", 15, "BA", "CJ", 30), ("CASC VAN NUYS", 35, "LA", "VN", 8),
    ("CASC LONG BEACH", 45, "NA", "LB", 7), ("CASC PASADENA", 55, "GA", "PA", 3),
    ("CASC COMPTON", 65, "TA", "CM", 6), ("CASC TORRANCE", 75, "YA", "TO", 3),
    ("CASC POMONA", 85, "KA", "PO", 4), ("CASC NORWALK", 95, "VA", "NW", 4),
    ("CASC SANTA MONICA", 105, "SA", "SM", 2), ("CASC INGLEWOOD", 115, "ZA", "IW", 4),
    ("CASC BURBANK", 125, "EA", "BU", 1), ("CASC GLENDALE", 135, "EA", "GL", 1),
    ("CASC ALHAMBRA", 145, "GA", "AL", 2), ("CASC WEST COVINA", 155, "KA", "CI", 2),
    ("CASC EL MONTE", 165, "KA", "RH", 2), ("CASC DOWNEY", 175, "VA", "DO", 2),
    ("CASC WHITTIER", 185, "VA", "WH", 1.5), ("CASC BELLFLOWER", 195, "VA", "BF", 1.5),
    ("CASC LANCASTER", 205, "MA", "AV", 3), ("CASC SAN FERNANDO", 215, "PA", "SF", 2),
    ("CASC CHATSWORTH", 225, "PA", "CH", 1), ("CASC MALIBU", 235, "SA", "MB", 0.5),
    ("CASC BEVERLY HILLS", 245, "SA", "BH", 0.5), ("CASC CULVER CITY", 255, "SA", "CC", 0.5),
    ("CASC HUNTINGTON PARK", 265, "VA", "HP", 1.5), ("CASC EAST LOS ANGELES", 275, "BA", "EL", 2),
    ("CASC AIRPORT", 285, "SA", "AP", 1.5), ("CASC SANTA CLARITA", 295, "PA", "NE", 1),
    ("CASC REDONDO BEACH", 305, "YA", "SB", 1), ("CASC SAN PEDRO", 315, "NA", "SP", 1),
    ("CASC METROPOLITAN", 325, "BA", "MT", 2), ("CASC WEST LOS ANGELES", 335, "SA", "WL", 1.5),
)

_GENERIC_COURT_SUFFIXES: tuple[str, ...] = (
    "", " NORTH", " SOUTH", " EAST", " WEST", " CENTRAL", " METRO", " HALL OF JUSTICE",
)

_LA_POLICE: tuple[tuple[str, str, float], ...] = (
    ("CA0194200", "CAPD LOS ANGELES", 50), ("CA0190000", "CASO LOS ANGELES", 25),
    ("CA0190900", "CAPD LONG BEACH", 6), ("CA0195400", "CAPD PASADENA", 2),
    ("CA0193500", "CAPD INGLEWOOD", 2), ("CA0197300", "CAPD SANTA MONICA", 1.5),
    ("CA0198100", "CAPD TORRANCE", 1.5), ("CA0192800", "CAPD GLENDALE", 1),
    ("CA0190500", "CAPD BURBANK", 1), ("CA0198900", "CAHP LOS ANGELES", 4),
    ("CA0193000", "CAPD POMONA", 1.5), ("CA0196600", "CAPD EL MONTE", 1),
)


def county_code(county: str) -> str:
    """DOJ two-digit code of a county name (``'00'`` for a name that is not a California county)."""
    return COUNTY_CODES.get(county.upper(), "00")


def courts_for(county: str) -> list[Court]:
    """Courthouses of a county: the real-sounding Los Angeles list, else ``CASC <COUNTY> …``."""
    county = county.upper()
    cc = county_code(county)
    if county == "LOS ANGELES":
        return [Court(f"CA0{cc}{seq:03d}J", name, county, cc, fel, misd, w)
                for name, seq, fel, misd, w in _LA_COURTS]
    initials = "".join(word[0] for word in county.split())[:2].ljust(2, "X")
    out = []
    for i, suffix in enumerate(_GENERIC_COURT_SUFFIXES):
        out.append(Court(f"CA0{cc}{15 + 10 * i:03d}J", f"CASC {county}{suffix}", county, cc,
                         "F", f"{initials[0]}{chr(ord('A') + i)}", 10.0 if i == 0 else 2.0))
    return out


def police_for(county: str) -> list[Court]:
    """Arresting agencies of a county (same shape as :class:`Court`; case fields unused)."""
    county = county.upper()
    cc = county_code(county)
    if county == "LOS ANGELES":
        return [Court(ori, name, county, cc, "", "", w) for ori, name, w in _LA_POLICE]
    return [
        Court(f"CA0{cc}0000", f"CASO {county}", county, cc, "", "", 5),
        Court(f"CA0{cc}4100", f"CAPD {county}", county, cc, "", "", 4),
        Court(f"CA0{cc}9800", f"CAHP {county}", county, cc, "", "", 1),
    ]


# --------------------------------------------------------------------------------------------------
# Charges

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
