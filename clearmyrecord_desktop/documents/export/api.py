"""The entry points callers use: :func:`export_all` (build, then deliver) and :func:`check_gates`, the
§5 gates as plain dicts for the export dialog."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

from ...errors import Cancelled, KnownError
from ...exporters import delivery
from ...settings import Settings, load_settings
from ..gates import check_gates as _check_gates
from ..packet import packet_template_ids, plan_export
from ..templates import TemplateRegistry
from .build import build_export
from .deliver import ExportResult, deliver_staged


def export_all(ws, run_id: int, out_dir: str | Path, *, what: str = "all", kind: str = "final",
               settings: Settings | None = None, clock: Callable[[], datetime] | None = None, progress=None,
               cancel=None, pdf: bool = False, operator: str | None = None,
               registry: TemplateRegistry | None = None, fs: delivery.FileOps | None = None) -> ExportResult:
    """Build and deliver one export set into ``out_dir``.

    Raises :class:`ExportGateError` (with ``.report``, a :class:`GateReport`) when a gate fails,
    :class:`DiskFullError` / :class:`DriveRemovedError` / :class:`KnownError` when the copy fails (the
    staged export is kept: ``err.staging_dir`` can be passed to :func:`deliver_staged` for another
    drive), :class:`Cancelled` on cancel (nothing final is left anywhere)."""
    staged, build = build_export(ws, run_id, what=what, kind=kind, settings=settings, clock=clock,
                                 progress=progress, cancel=cancel, pdf=pdf, registry=registry)
    try:
        result = deliver_staged(ws, staged, out_dir, progress=progress, cancel=cancel, operator=operator, fs=fs,
                                clock=clock)
    except Cancelled:
        delivery.remove_staging(staged)
        raise
    except KnownError as exc:
        exc.staging_dir = staged  # type: ignore[attr-defined]
        raise
    result.problems = build.problems + result.problems
    result.timings = {**build.timings, **result.timings}
    return result


GATE_NAMES = {
    1: "The run is current",
    2: "No open counts",
    3: "Courthouses and required settings",
    4: "Policy authority paragraph",
    5: "Templates load and render",
    6: "No formula-like values",
}


def check_gates(ws, run_id: int, *, kind: str = "final", settings: Settings | None = None,
                registry: TemplateRegistry | None = None) -> list[dict]:
    """The §5 gates for the export dialog: one dict per gate 1–6 with ``gate``, ``ok``, ``message``,
    ``fix`` (rerun | review | settings | templates | data), ``items`` (shown in the dialog only) and
    ``keys`` (settings to fill in). Gates a draft skips are reported as passing."""
    s = settings if settings is not None else load_settings(ws)
    registry = registry or TemplateRegistry()
    plan = plan_export(ws, run_id, s, kind=kind)
    ids = sorted({t for p in plan.packets for t in packet_template_ids(p)} | {"summary_report"})
    report = _check_gates(ws, plan, s, registry, kind=kind, template_ids=ids)
    failed = {f.gate: f for f in report.failures}
    out = []
    for gate, name in GATE_NAMES.items():
        f = failed.get(gate)
        out.append({"gate": gate, "name": name, "ok": f is None, "message": f.message if f else name,
                    "fix": f.fix if f else "", "items": list(f.items) if f else [], "keys": list(f.keys) if f else []})
    return out
