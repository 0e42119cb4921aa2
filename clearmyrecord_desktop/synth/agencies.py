"""Counties, courthouses and police agencies of the synthetic DOJ research file (ORI codes, names,
case-number styles), and :class:`Agencies`, which draws them.

County names and DOJ's county codes are public; the courthouse and agency lists are invented in
their style.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from .dice import Dice, Picker


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


class Agencies:
    """The weighted courts and arresting agencies of each county (tables built on first use), and
    court case numbers."""

    def __init__(self, dice: Dice):
        self.rnd, self.below = dice.rnd, dice.below
        self._courts: dict[str, Picker[Court]] = {}
        self._police: dict[str, Picker[Court]] = {}

    def court(self, county: str) -> Court:
        return self._draw(self._courts, courts_for, county)

    def police(self, county: str) -> Court:
        return self._draw(self._police, police_for, county)

    def _draw(self, pickers: dict[str, Picker[Court]], agencies_of: Callable[[str], list[Court]],
              county: str) -> Court:
        picker = pickers.get(county)
        if picker is None:
            picker = pickers[county] = Picker([(c, c.weight) for c in agencies_of(county)])
        return picker(self.rnd)

    def case_number(self, court: Court, level: str, day: int) -> str:
        below = self.below
        year = date.fromordinal(day).year
        if len(court.fel_prefix) == 2:        # Los Angeles styles: BA123456 / 6CJ40037
            if level == "F":
                return f"{court.fel_prefix}{below(1_000_000):06d}"
            return f"{year % 10}{court.misd_code}{below(100_000):05d}"
        kind = "F" if level == "F" else "M"
        return f"{year % 100:02d}{kind}{below(100_000):05d}"
