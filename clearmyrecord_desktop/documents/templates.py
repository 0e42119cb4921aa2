"""Template registry, validation and strict docxtpl rendering (motion-packets.md section 6.0).

The registry is ``templates/templates.toml``. An office may override any template file with its own copy of
the same name in the user templates folder (``paths.user_dir('templates')``); the override is validated the
same way and recorded in the manifest with source ``office``.

Rendering uses a Jinja environment with ``StrictUndefined`` (an undefined name or attribute is an error)
and autoescaping (``&`` and ``<`` in values cannot break the XML).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import jinja2

from .. import paths
from ..errors import TemplateError

SENTINEL_RE = re.compile(r"\[\[([a-z0-9_]+)\]\]")
ROWS_CAPTION = "rows_caption"


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    width_in: float
    chars: float


@dataclass(frozen=True)
class TableSpec:
    line_pt: float
    lines_per_page: int
    first_page_lines: int
    row_padding: float
    columns: tuple[ColumnSpec, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    file: str
    version: str
    orientation: str
    short_name: str
    title: str
    required: tuple[str, ...]
    table: TableSpec | None
    path: Path
    source: str                 # "builtin" or "office"
    sha256: str

    def manifest_entry(self) -> dict:
        return {"id": self.id, "version": self.version, "sha256": self.sha256, "source": self.source}


class _CachingEnvironment(jinja2.Environment):
    """docxtpl compiles the same part XML on every render; compile each distinct source once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, jinja2.Template] = {}
        self._lock = threading.Lock()

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's signature
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._lock:
            tpl = self._compiled.get(source)
            if tpl is None:
                if len(self._compiled) > 64:
                    self._compiled.clear()
                tpl = self._compiled[source] = super().from_string(source)
            return tpl


_ENV: _CachingEnvironment | None = None


def jinja_env() -> jinja2.Environment:
    """The one rendering environment: strict undefined names, autoescaping on (shared; compiled part
    templates are cached by their source text)."""
    global _ENV
    if _ENV is None:
        _ENV = _CachingEnvironment(undefined=jinja2.StrictUndefined, autoescape=True, keep_trailing_newline=False)
    return _ENV


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class TemplateRegistry:
    """The templates in use: built-in files from ``templates/`` unless the office folder overrides them."""

    def __init__(self, builtin_dir: str | Path | None = None, office_dir: str | Path | None | bool = None):
        self.builtin_dir = Path(builtin_dir) if builtin_dir else paths.templates_dir()
        if office_dir is False:
            self.office_dir = None
        elif office_dir is None:
            self.office_dir = paths.user_dir("templates")
        else:
            self.office_dir = Path(office_dir)
        reg_path = self.builtin_dir / "templates.toml"
        try:
            data = tomllib.loads(reg_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise TemplateError(f"The template registry {reg_path.name} cannot be read: {exc}") from None
        self._infos: dict[str, TemplateInfo] = {}
        problems = []
        for entry in data.get("template", []):
            try:
                info = self._make_info(entry)
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(f"templates.toml entry {entry.get('id', '?')}: {exc}")
                continue
            self._infos[info.id] = info
        if problems:
            raise TemplateError("\n".join(problems))

    def _make_info(self, entry: Mapping[str, Any]) -> TemplateInfo:
        allowed = {"id", "file", "version", "orientation", "short_name", "title", "required", "table"}
        unknown = set(entry) - allowed
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}")
        table = None
        if "table" in entry:
            t = entry["table"]
            table = TableSpec(
                line_pt=float(t["line_pt"]),
                lines_per_page=int(t["lines_per_page"]),
                first_page_lines=int(t["first_page_lines"]),
                row_padding=float(t.get("row_padding", 0.0)),
                columns=tuple(ColumnSpec(c["key"], c["header"], float(c["width_in"]), float(c["chars"]))
                              for c in t["columns"]),
            )
        file = entry["file"]
        path = self.builtin_dir / file
        source = "builtin"
        if self.office_dir is not None and (self.office_dir / file).is_file():
            path = self.office_dir / file
            source = "office"
        if entry["orientation"] not in ("portrait", "landscape"):
            raise ValueError("orientation must be portrait or landscape")
        sha = _sha256_file(path) if path.is_file() else ""
        return TemplateInfo(
            id=entry["id"], file=file, version=str(entry["version"]), orientation=entry["orientation"],
            short_name=entry["short_name"], title=entry.get("title", entry["short_name"]),
            required=tuple(entry["required"]), table=table, path=path, source=source, sha256=sha,
        )

    def get(self, template_id: str) -> TemplateInfo:
        try:
            return self._infos[template_id]
        except KeyError:
            raise TemplateError(f"No template with id {template_id!r} in templates.toml.") from None

    def ids(self) -> list[str]:
        return list(self._infos)

    def all(self) -> list[TemplateInfo]:
        return list(self._infos.values())

    def manifest_entries(self, ids: Iterable[str] | None = None) -> list[dict]:
        wanted = list(ids) if ids is not None else self.ids()
        return [self.get(i).manifest_entry() for i in sorted(set(wanted))]

    def hashes(self, ids: Iterable[str] | None = None) -> dict[str, str]:
        wanted = list(ids) if ids is not None else self.ids()
        return {i: self.get(i).sha256 for i in sorted(set(wanted))}

    # -- validation (gate 5) -----------------------------------------------------------------------
    def validate(self, sample_contexts: Mapping[str, Callable[[], dict]] | None = None,
                 ids: Iterable[str] | None = None) -> list[str]:
        """Problems with the templates, each naming the file: missing file, unreadable DOCX, unknown
        placeholders, a failing test render, a broken stamped-table row. Empty when all is well."""
        problems: list[str] = []
        for tid in (list(ids) if ids is not None else self.ids()):
            info = self.get(tid)
            where = f"{info.file} ({info.source})"
            if not info.path.is_file():
                problems.append(f"{where}: the template file is missing.")
                continue
            try:
                undeclared = undeclared_names(info)
            except Exception as exc:  # noqa: BLE001 - any parse problem is a template problem
                problems.append(f"{where}: the template cannot be read ({type(exc).__name__}: {exc}).")
                continue
            unknown = sorted(undeclared - set(info.required))
            if unknown:
                problems.append(f"{where}: unknown placeholder(s): {', '.join(unknown)}.")
            if sample_contexts and tid in sample_contexts:
                try:
                    rendered = render_template(info, sample_contexts[tid]())
                except TemplateError as exc:
                    problems.append(f"{where}: test render failed: {exc}")
                    continue
                if info.table is not None:
                    xml = read_part(rendered, "word/document.xml")
                    found = set(SENTINEL_RE.findall(xml))
                    need = set(info.table.keys) | {ROWS_CAPTION}
                    lost = sorted(need - found)
                    if lost:
                        problems.append(f"{where}: the table row must hold the placeholders "
                                        f"{', '.join('[[' + k + ']]' for k in lost)} (each in one piece).")
        return problems


def undeclared_names(info: TemplateInfo) -> set[str]:
    from docxtpl import DocxTemplate  # heavy import kept local

    tpl = DocxTemplate(str(info.path))
    return set(tpl.get_undeclared_template_variables(jinja_env()))


def render_template(info: TemplateInfo, context: dict, *, images: Mapping[str, bytes] | None = None,
                    image_width_in: float = 6.5) -> bytes:
    """Render a template with docxtpl (strict, autoescaped) and return the DOCX bytes (not yet
    normalised; see :func:`stamping.write_docx`). ``images`` become ``InlineImage`` objects in
    ``context['charts']``."""
    from docx.shared import Inches
    from docxtpl import DocxTemplate, InlineImage

    try:
        tpl = DocxTemplate(str(info.path))
        ctx = dict(context)
        if images is not None:
            ctx["charts"] = {name: InlineImage(tpl, io.BytesIO(data), width=Inches(image_width_in))
                             for name, data in images.items()}
        tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{info.file}: missing placeholder value ({exc.message}).") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{info.file}: template syntax error ({exc.message}).") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{info.file}: {exc}") from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{info.file}: not a usable DOCX template ({exc}).") from None
    return buf.getvalue()


def read_part(docx_bytes: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zf:
        return zf.read(name).decode("utf-8")
