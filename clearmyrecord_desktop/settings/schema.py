"""The settings schema: typed dataclasses declared once, with help text, "required" and choices in the
field metadata (the settings dialog and the reference page are generated from it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_CONFIDENTIAL_TEXT = (
    "CONFIDENTIAL \u2014 Contains criminal offender record information. "
    "Do not disclose except as authorised by law."
)


def _f(default: Any = "", *, help: str, required: str = "", choices: tuple = (), factory=None):
    """A settings field: ``required`` is "" (no), "yes", or a condition in words."""
    meta = {"help": help, "required": required, "choices": choices}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class AttorneySettings:
    name: str = _f(help="Name of the attorney who signs the motion", required="yes")
    title: str = _f(help='Title, e.g. "Deputy District Attorney"', required="yes")
    bar_number: str = _f(help="State Bar number", required="yes")


@dataclass
class OfficeSettings:
    agency_name: str = _f(help='Filing agency, e.g. "Office of the District Attorney, County of …"',
                          required="yes")
    head_name: str = _f(help="Name of the head of the office (motion caption)", required="yes")
    head_title: str = _f(help='Title of the head of the office, e.g. "District Attorney"',
                         required="yes")
    attorney: AttorneySettings = _f(help="Signing attorney", factory=AttorneySettings)
    address: list[str] = _f(help="Office address, one line per entry", required="yes", factory=list)
    phone: str = _f(help="Office telephone", required="yes")
    email: str = _f(help="Office e-mail for the court and the clerk", required="yes")
    signature_block: str = _f(help="Multi-line signature block; replaces the generated one")


@dataclass
class SignatureSettings:
    mode: str = _f("blank", help='"blank" leaves the signature line empty; "conformed" prints /s/ name',
                   choices=("blank", "conformed"))


@dataclass
class CountySettings:
    name: str = _f(help='County name as printed, e.g. "Los Angeles"', required="yes")
    code: str = _f(help='Short county code used in packet ids, e.g. "LA"', required="yes")


@dataclass
class CourtSettings:
    name: str = _f(help='e.g. "Superior Court of California, County of Los Angeles"', required="yes")


@dataclass
class CourthouseSettings:
    name: str = _f(help='Courthouse name as printed, e.g. "Van Nuys Courthouse West"', required="yes")
    short_name: str = _f(help='Short name for the exhibit column, e.g. "Van Nuys" (blank: the name)')
    address: list[str] = _f(help="Courthouse address, one line per entry", factory=list)
    court_name: str = _f(help="Overrides court.name for this courthouse")
    ori_codes: list[str] = _f(help="DOJ STP_ORI_CODE values of this courthouse",
                              required="one match", factory=list)
    description_match: list[str] = _f(help="DOJ STP_ORI_DESCR values of this courthouse",
                                      required="one match", factory=list)
    misc_case_number: str = _f(help="Miscellaneous case number for the bulk motion, if any")
    per_case_orders: bool = _f(False, help="Also write one motion and order per court case")


@dataclass
class PublicDefenderSettings:
    name: str = _f(help="Public defender office served with the notice of challenge",
                   required="if any challenge")
    address: list[str] = _f(help="Address, one line per entry", required="if any challenge",
                            factory=list)
    service_email: str = _f(help="E-mail address for electronic service", required="if any challenge")


@dataclass
class AgencySettings:
    name: str = _f(help="Agency name")
    address: list[str] = _f(help="Address, one line per entry", factory=list)
    role: str = _f("served", help='"served" (on the service list) or "filing" (files its own packets)',
                   choices=("served", "filing"))
    code: str = _f(help="Short code used in packet ids (filing agencies)")
    route: str = _f(help='Review route whose counts this agency files, e.g. "city_attorney"')
    attorney_name: str = _f(help="Signing attorney (filing agencies)")
    attorney_title: str = _f(help="Signing attorney's title")
    bar_number: str = _f(help="Signing attorney's bar number")
    phone: str = _f(help="Telephone")
    email: str = _f(help="E-mail")
    service_email: str = _f(help="E-mail address for electronic service")


@dataclass
class ServiceSettings:
    server_name: str = _f(help="Name of the person who serves the papers (blank: left to fill in)")
    server_address: list[str] = _f(help="Server's business address", factory=list)


@dataclass
class MarkingSettings:
    confidential_text: str = _f(DEFAULT_CONFIDENTIAL_TEXT, help="Page header of documents that list people",
                                required="yes")
    extra_line: str = _f(help="Optional second header line, e.g. a sealed-record notice")


@dataclass
class PolicySettings:
    authority_text: str = _f(help="The authority the office invokes for relief beyond the statutory floor",
                             required="if any policy row")


@dataclass
class PacketSettings:
    split_by_relief: bool = _f(False, help="One packet per courthouse and relief type")
    policy_exhibits: str = _f("combined", help='"separate" splits each exhibit into statute/policy parts',
                              choices=("combined", "separate"))


@dataclass
class CourtDataSettings:
    bom: bool = _f(False, help="Write a UTF-8 byte-order mark at the start of court_data.csv")
    challenges_csv: bool = _f(False, help="Also write challenge_list.csv")


@dataclass
class OrderSettings:
    registration_relief: bool = _f(False, help="Proposed order also relieves registration tied to the conviction")


@dataclass
class OutputSettings:
    pdf: bool = _f(False, help="Also create PDFs (needs LibreOffice)")


@dataclass
class LibreOfficeSettings:
    path: str = _f(help="Path to soffice (blank: look in the standard places)")


@dataclass
class SummarySettings:
    suppress_below: int = _f(0, help="Show breakdown cells below N as <N (0 = off)")


@dataclass
class Settings:
    office: OfficeSettings = field(default_factory=OfficeSettings)
    signature: SignatureSettings = field(default_factory=SignatureSettings)
    county: CountySettings = field(default_factory=CountySettings)
    court: CourtSettings = field(default_factory=CourtSettings)
    courthouses: dict[str, CourthouseSettings] = field(default_factory=dict)
    public_defender: PublicDefenderSettings = field(default_factory=PublicDefenderSettings)
    agencies: list[AgencySettings] = field(default_factory=list)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    marking: MarkingSettings = field(default_factory=MarkingSettings)
    policy: PolicySettings = field(default_factory=PolicySettings)
    packets: PacketSettings = field(default_factory=PacketSettings)
    court_data: CourtDataSettings = field(default_factory=CourtDataSettings)
    order: OrderSettings = field(default_factory=OrderSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    libreoffice: LibreOfficeSettings = field(default_factory=LibreOfficeSettings)
    summary: SummarySettings = field(default_factory=SummarySettings)

    def courthouse_court_name(self, code: str) -> str:
        ch = self.courthouses.get(code)
        return (ch.court_name if ch and ch.court_name else self.court.name)

    def filing_agencies(self) -> list[AgencySettings]:
        return [a for a in self.agencies if a.role == "filing"]


#: Sections that change nothing on paper (left out of the document-settings hash).
NON_DOCUMENT_SECTIONS = ("output", "libreoffice", "summary")


@dataclass(frozen=True)
class MissingSetting:
    key: str        # dotted key, e.g. "office.attorney.bar_number" or "courthouses.VNY.name"
    message: str    # what to fill in, for the export dialog
