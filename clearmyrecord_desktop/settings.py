"""Office settings that fill the court documents (motion-packets.md section 7).

Settings are typed dataclasses declared once, with help text in the field metadata (the settings
dialog and the reference page are generated from it). They are stored in the workspace ``setting``
table as JSON, one row per section (``settings.office``, ``settings.courthouses`` …) plus
``settings.schema_version``. Rows whose key does not start with ``settings.`` belong to other parts of
the app and are ignored here.

Loading is strict: unknown keys, wrong types and invalid choices are errors, and all of them are
collected and reported together in one :class:`SettingsError`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Iterable

from .errors import SettingsError

SCHEMA_VERSION = 1
KEY_PREFIX = "settings."

DEFAULT_CONFIDENTIAL_TEXT = (
    "CONFIDENTIAL \u2014 Contains criminal offender record information. "
    "Do not disclose except as authorised by law."
)

_CODE_RE = re.compile(r"^[A-Za-z0-9_]{1,10}$")          # courthouse codes
_AGENCY_CODE_RE = re.compile(r"^[A-Za-z0-9_]{1,8}$")     # keeps packet ids and paths short (FAT32)
_COUNTY_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,8}$")


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


# -- generic (de)serialisation --------------------------------------------------------------------

def to_dict(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_dict(v) for v in obj]
    return obj


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is list:
        return "a list of text lines"
    if origin is dict:
        return "a table"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {str: "text", bool: "true or false", int: "a whole number"}.get(tp, str(tp))


def _convert(tp: Any, value: Any, key: str, errors: list[str]) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            errors.append(f"{key}: expected a table, got {type(value).__name__}")
            return tp()
        return _from_dict(tp, value, key, errors)
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if not isinstance(value, list):
            errors.append(f"{key}: expected {_type_name(tp)}")
            return []
        return [_convert(item_tp, v, f"{key}[{i}]", errors) for i, v in enumerate(value)]
    if origin is dict:
        _, val_tp = typing.get_args(tp)
        if not isinstance(value, dict):
            errors.append(f"{key}: expected a table")
            return {}
        return {str(k): _convert(val_tp, v, f"{key}.{k}", errors) for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            errors.append(f"{key}: expected true or false")
            return False
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(f"{key}: expected a whole number")
            return 0
        return value
    if tp is str:
        if not isinstance(value, str):
            errors.append(f"{key}: expected text")
            return ""
        return value
    raise TypeError(tp)  # pragma: no cover - schema bug


def _from_dict(cls: type, data: dict, prefix: str, errors: list[str]) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key in data:
        if key not in names:
            errors.append(f"{prefix + '.' if prefix else ''}{key}: unknown setting")
    for name, f in names.items():
        if name not in data:
            continue
        full = f"{prefix}.{name}" if prefix else name
        value = _convert(hints[name], data[name], full, errors)
        choices = f.metadata.get("choices") or ()
        if choices and value not in choices:
            errors.append(f"{full}: must be one of {', '.join(map(repr, choices))}")
            continue
        kwargs[name] = value
    return cls(**kwargs)


def _validate(s: Settings, errors: list[str]) -> None:
    if s.county.code and not _COUNTY_CODE_RE.match(s.county.code):
        errors.append("county.code: use 1-8 letters or digits")
    for code in s.courthouses:
        if not _CODE_RE.match(code):
            errors.append(f"courthouses.{code}: a courthouse code uses 1-10 letters, digits or _")
    for i, a in enumerate(s.agencies):
        if a.role == "filing":
            if not _AGENCY_CODE_RE.match(a.code or ""):
                errors.append(f"agencies[{i}].code: a filing agency needs a code of 1-8 letters, digits or _")
            if a.code.upper() in {"A", "B", "C", "CH"}:
                errors.append(f"agencies[{i}].code: {a.code} is reserved")
    if s.summary.suppress_below < 0:
        errors.append("summary.suppress_below: must be 0 or more")


def settings_from_dict(data: dict) -> Settings:
    """Strictly build settings from a plain dict (all problems reported together)."""
    errors: list[str] = []
    data = dict(data)
    version = data.pop("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise SettingsError(
                f"These settings were written by a newer version (settings schema {version}); "
                f"this version reads schema {SCHEMA_VERSION}."
            )
        data = _upgrade(version, data, errors)
    s = _from_dict(Settings, data, "", errors)
    _validate(s, errors)
    if errors:
        raise SettingsError("The office settings have problems:\n" + "\n".join(f"- {e}" for e in errors))
    return s


def settings_to_dict(s: Settings) -> dict:
    return {"schema_version": SCHEMA_VERSION, **to_dict(s)}


def _upgrade(version: Any, data: dict, errors: list[str]) -> dict:
    """Version-tagged upgrade steps go here (none yet: schema 1 is the first)."""
    errors.append(f"schema_version: unknown settings schema {version!r}")
    return data


# -- workspace storage --------------------------------------------------------------------------

def load_settings(ws) -> Settings:
    """Read the office settings from the workspace (defaults when none are stored)."""
    rows = ws.query("SELECT key, value FROM setting WHERE key LIKE 'settings.%' ORDER BY key")
    if not rows:
        return Settings()
    data: dict[str, Any] = {}
    errors = []
    for key, raw in rows:
        section = key[len(KEY_PREFIX):]
        try:
            data[section] = json.loads(raw)
        except ValueError:
            errors.append(f"{section}: stored value is not valid JSON")
    if errors:
        raise SettingsError("The office settings have problems:\n" + "\n".join(f"- {e}" for e in errors))
    return settings_from_dict(data)


def save_settings(ws, s: Settings) -> None:
    """Validate and store the settings in one transaction (replacing all ``settings.*`` rows)."""
    data = settings_to_dict(s)
    settings_from_dict(json.loads(json.dumps(data)))  # validate exactly what will be stored
    with ws.write() as cur:
        cur.execute("DELETE FROM setting WHERE key LIKE 'settings.%'")
        for section, value in data.items():
            cur.execute("INSERT INTO setting (key, value) VALUES (?, ?)",
                        [KEY_PREFIX + section, json.dumps(value, ensure_ascii=False, sort_keys=True)])


def settings_to_json(s: Settings) -> str:
    """Settings as a file, to set up several machines alike."""
    return json.dumps(settings_to_dict(s), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def settings_from_json(text: str) -> Settings:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SettingsError(f"The settings file is not valid JSON (line {getattr(exc, 'lineno', '?')}).") from None
    if not isinstance(data, dict):
        raise SettingsError("The settings file must contain a JSON object.")
    return settings_from_dict(data)


def document_settings_sha256(s: Settings) -> str:
    """SHA-256 of the settings that change anything on paper (part of every packet id)."""
    data = to_dict(s)
    for name in NON_DOCUMENT_SECTIONS:
        data.pop(name, None)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- courthouses ----------------------------------------------------------------------------------

def _norm(value: str | None) -> str:
    return re.sub(r"\s+", " ", (value or "").strip()).upper()


def match_courthouse(s: Settings, ori_code: str | None, description: str | None) -> str | None:
    """The settings courthouse code for a count's court (ORI code first, then description)."""
    ori = _norm(ori_code)
    if ori:
        for code in sorted(s.courthouses):
            if ori in {_norm(v) for v in s.courthouses[code].ori_codes}:
                return code
    desc = _norm(description)
    if desc:
        for code in sorted(s.courthouses):
            if desc in {_norm(v) for v in s.courthouses[code].description_match}:
                return code
    return None


def _draft_code(ori: str, descr: str) -> str:
    base = ori or descr or "UNKNOWN"
    code = re.sub(r"[^A-Za-z0-9_]+", "_", base.strip()).strip("_").upper()
    return (code or "UNKNOWN")[:10].rstrip("_")


def draft_courthouse_entries(ws, run_id: int, *, settings: Settings | None = None) -> dict[str, CourthouseSettings]:
    """Draft entries (code = STP_ORI_CODE, name = STP_ORI_DESCR) for the courthouses of a run, for the
    user to confirm. With ``settings``, only courts that no existing entry matches."""
    rows = ws.query(
        """SELECT coalesce(trim(court_ori), ''), coalesce(trim(courthouse), ''), count(*)
           FROM count_result WHERE run_id = ? GROUP BY 1, 2 ORDER BY 1, 2""",
        [run_id],
    )
    out: dict[str, CourthouseSettings] = {}
    for ori, descr, _n in rows:
        if settings is not None and match_courthouse(settings, ori, descr):
            continue
        code = _draft_code(ori, descr)
        entry = out.get(code)
        if entry is None:
            out[code] = CourthouseSettings(
                name=re.sub(r"\s+", " ", descr) or code,
                ori_codes=[ori] if ori else [],
                description_match=[descr] if descr and not ori else [],
            )
        else:
            if ori and ori not in entry.ori_codes:
                entry.ori_codes.append(ori)
            if descr and not ori and descr not in entry.description_match:
                entry.description_match.append(descr)
    return out


# -- gates 3 and 4 ---------------------------------------------------------------------------------

def required_missing(s: Settings, courthouse_codes: Iterable[str], need_pd: bool, need_authority: bool,
                     *, agency_codes: Iterable[str] = ()) -> list[MissingSetting]:
    """Every required setting that is empty, for the courthouses (and filing agencies) in scope."""
    missing: list[MissingSetting] = []

    def need(key: str, value: Any, what: str) -> None:
        empty = (not value) or (isinstance(value, str) and not value.strip()) or (
            isinstance(value, list) and not any(str(v).strip() for v in value))
        if empty:
            missing.append(MissingSetting(key, f"Fill in {what}."))

    o = s.office
    need("office.agency_name", o.agency_name, "the office (filing agency) name")
    need("office.head_name", o.head_name, "the name of the head of the office")
    need("office.head_title", o.head_title, "the title of the head of the office")
    need("office.attorney.name", o.attorney.name, "the signing attorney's name")
    need("office.attorney.title", o.attorney.title, "the signing attorney's title")
    need("office.attorney.bar_number", o.attorney.bar_number, "the signing attorney's bar number")
    need("office.address", o.address, "the office address")
    need("office.phone", o.phone, "the office telephone")
    need("office.email", o.email, "the office e-mail")
    need("county.name", s.county.name, "the county name")
    need("county.code", s.county.code, "the county code")
    need("court.name", s.court.name, "the court name")
    need("marking.confidential_text", s.marking.confidential_text, "the confidentiality marking")
    for code in sorted(set(courthouse_codes)):
        ch = s.courthouses.get(code)
        if ch is None:
            missing.append(MissingSetting(f"courthouses.{code}", f"Add a settings entry for courthouse {code}."))
            continue
        need(f"courthouses.{code}.name", ch.name, f"the name of courthouse {code}")
        if not ch.ori_codes and not ch.description_match:
            missing.append(MissingSetting(f"courthouses.{code}.ori_codes",
                                          f"Give courthouse {code} at least one ORI code or description to match."))
    if need_pd:
        p = s.public_defender
        need("public_defender.name", p.name, "the public defender's name")
        need("public_defender.address", p.address, "the public defender's address")
        need("public_defender.service_email", p.service_email, "the public defender's service e-mail")
    if need_authority:
        need("policy.authority_text", s.policy.authority_text,
             "the authority for relief beyond the statutory floor (policy paragraph of the motion)")
    agencies = {a.code: (i, a) for i, a in enumerate(s.agencies) if a.role == "filing"}
    for code in sorted(set(agency_codes)):
        if code not in agencies:
            missing.append(MissingSetting("agencies", f"Add a filing agency with code {code}."))
            continue
        i, a = agencies[code]
        need(f"agencies[{i}].name", a.name, f"the name of filing agency {code}")
        need(f"agencies[{i}].attorney_name", a.attorney_name, f"the signing attorney of agency {code}")
        need(f"agencies[{i}].address", a.address, f"the address of agency {code}")
    return missing


# -- demo --------------------------------------------------------------------------------------------

def demo_settings(ws=None, run_id: int | None = None) -> Settings:
    """Obviously fake office data for the demo and the self-test. With a workspace and run, the run's
    courthouses get draft entries."""
    s = Settings(
        office=OfficeSettings(
            agency_name="Office of the District Attorney, County of Example (DEMO)",
            head_name="Pat Placeholder",
            head_title="District Attorney (DEMO)",
            attorney=AttorneySettings(name="Sam Sample", title="Deputy District Attorney (DEMO)",
                                      bar_number="000000"),
            address=["100 Example Street, Suite 0", "Exampleville, CA 90000"],
            phone="(555) 010-0000",
            email="demo-da@example.invalid",
        ),
        county=CountySettings(name="Example", code="EX"),
        court=CourtSettings(name="Superior Court of California, County of Example (DEMO)"),
        public_defender=PublicDefenderSettings(
            name="Office of the Public Defender, County of Example (DEMO)",
            address=["200 Sample Avenue", "Exampleville, CA 90000"],
            service_email="demo-pd@example.invalid",
        ),
        service=ServiceSettings(server_name="", server_address=[]),
        policy=PolicySettings(authority_text=(
            "[DEMO TEXT \u2014 counsel to replace] the People's discretion not to oppose relief "
            "beyond the statutory minimum")),
    )
    if ws is not None and run_id is not None:
        s.courthouses.update(draft_courthouse_entries(ws, run_id))
    return s
