"""Build an export set in a staging folder: plan → gates → read each packet's rows once (packet ids,
page plans) → write the packets and the summary report → optional PDFs → manifests. Nothing touches
the destination."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ...errors import ExportGateError
from ...exporters import delivery
from ...jobs.progress import NullProgress
from ...settings import Settings, document_settings_sha256, load_settings
from ..contexts import fmt_int
from ..gates import GateReport
from ..gates import check_gates as _check_gates
from ..packet import PacketPlan, RowSource, first_pass, packet_template_ids, plan_export
from ..templates import TemplateRegistry
from .manifests import _write_export_set_files, _write_packet_manifest
from .packet_files import _write_packet
from .shared import _ch_name

log = logging.getLogger("cmr.export")  # ids, counts and timings only; never record data

WHAT = ("all", "packets", "report")
KINDS = ("final", "draft")


class _Stages:
    """Overall progress across stages, and timings."""

    def __init__(self, progress, total_units: int):
        self.progress = progress or NullProgress()
        self.total = max(1, total_units)
        self.done = 0
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def step(self, message: str, units: int = 1) -> None:
        self.done += units
        self.progress.update(min(self.done, self.total), self.total, message)

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self._t
        self._t = now


def _default_clock() -> datetime:
    return datetime.now(timezone.utc).astimezone()


def export_id_for(s: Settings, when: datetime) -> str:
    return f"CMR-{(s.county.code or 'XX').upper()}-{when.strftime('%Y%m%d')}-{when.strftime('%H%M%S')}"


@dataclass
class BuildInfo:
    export_id: str
    kind: str
    packet_ids: list[str]
    problems: list[str]
    timings: dict[str, float]
    gates: GateReport


def build_export(ws, run_id: int, *, what: str = "all", kind: str = "final", settings: Settings | None = None,
                 clock: Callable[[], datetime] | None = None, progress=None, cancel=None, pdf: bool = False,
                 registry: TemplateRegistry | None = None, staging_dir: Path | None = None) -> tuple[Path, BuildInfo]:
    """Build the export set in a staging folder (nothing touches the destination). Returns the staged
    export folder and build information."""
    if what not in WHAT:
        raise ValueError(f"what must be one of {WHAT}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    s = settings if settings is not None else load_settings(ws)
    registry = registry or TemplateRegistry()
    when = (clock or _default_clock)()
    export_id = export_id_for(s, when)
    plan = plan_export(ws, run_id, s, kind=kind)
    packets = plan.packets if what in ("all", "packets") else []
    template_ids = sorted({t for p in packets for t in packet_template_ids(p)}
                          | ({"summary_report"} if what in ("all", "report") else set()))
    report = _check_gates(ws, plan, s, registry, kind=kind, template_ids=template_ids)
    if what == "report":
        report.failures = [f for f in report.failures if f.gate in (1, 5)]
    if not report.ok:
        err = ExportGateError(_gate_summary(report))
        err.report = report  # type: ignore[attr-defined]
        raise err
    stages = _Stages(progress, 2 * len(packets) + 4)
    staged = staging_dir or delivery.new_staging_dir(export_id)
    problems: list[str] = []
    plan.source = RowSource(ws, plan, cancel=cancel) if packets else None
    try:
        settings_sha = document_settings_sha256(s)
        # pass 1: packet ids, statistics and page plans
        for i, p in enumerate(packets):
            if cancel is not None:
                cancel.check()
            first_pass(ws, plan, p, registry, template_ids=packet_template_ids(p), settings_sha=settings_sha,
                       cancel=cancel)
            stages.step(f"Reading rows ({i + 1} of {len(packets)} packets)")
        _link_challenge_packets(packets)
        stages.mark("read_rows")
        # pass 2: documents and court data
        outputs: dict[str, dict] = {}
        for i, p in enumerate(packets):
            if cancel is not None:
                cancel.check()
            outputs[p.packet_id] = _write_packet(ws, plan, p, staged / "packets" / p.packet_id, registry, s,
                                                 when=when, cancel=cancel)
            stages.step(f"Writing packet {p.packet_id} ({i + 1} of {len(packets)})")
        stages.mark("packets")
        summary_files: list[str] = []
        if what in ("all", "report"):
            from ..summary import write_summary

            packet_ids: dict[str, list[str]] = {}
            for p in packets:
                packet_ids.setdefault(p.ch_code, []).append(p.packet_id)
            plist = [{"id": p.packet_id, "courthouse": f"{p.ch_code} {_ch_name(s, p.ch_code)}",
                      "granted": fmt_int(p.granted), "challenged": fmt_int(p.challenged)} for p in packets]
            summary_files = write_summary(staged / "summary", ws, run_id, s, registry, kind=kind, when=when,
                                          export_id=export_id, plan=plan, packet_ids=packet_ids, packets=plist,
                                          cancel=cancel)
            stages.step("Summary report written")
            stages.mark("summary")
        if pdf:
            problems += _make_pdfs(staged, packets, summary_files, s, progress, cancel)
            stages.mark("pdf")
        # manifests
        inputs = [{"name": f["name"], "bytes": f["bytes"], "sha256": f["sha256"]} for f in plan.run.input_files(ws)]
        templates_all = registry.manifest_entries(template_ids)
        for p in packets:
            _write_packet_manifest(staged / "packets" / p.packet_id, plan, p, registry, s, when=when,
                                   inputs=inputs, settings_sha=settings_sha, court_data=outputs[p.packet_id])
        _write_export_set_files(staged, plan, packets, s, when=when, export_id=export_id, inputs=inputs,
                                templates=templates_all, settings_sha=settings_sha, what=what)
        stages.step("Manifests written")
        stages.mark("manifests")
    except BaseException:
        if staging_dir is None:
            delivery.remove_staging(staged)
        raise
    finally:
        if plan.source is not None:
            plan.source.close()
            plan.source = None
    log.info("export %s built: %d packet(s), kind %s, stages %s", export_id, len(packets), kind,
             {k: round(v, 2) for k, v in stages.timings.items()})
    return staged, BuildInfo(export_id=export_id, kind=kind, packet_ids=[p.packet_id for p in packets],
                             problems=problems, timings=stages.timings, gates=report)


def _gate_summary(report: GateReport) -> str:
    lines = [f"The {report.kind} export cannot start:"]
    lines += [f"- Gate {f.gate}: {f.message}" for f in report.failures]
    return "\n".join(lines)


def _link_challenge_packets(packets: list[PacketPlan]) -> None:
    by_ch = {(p.ch_code, p.agency_code): p.packet_id for p in packets if p.segment == "CH"}
    for p in packets:
        if p.segment and p.segment != "CH":
            p.related_challenge_packet = by_ch.get((p.ch_code, p.agency_code), "")


def _make_pdfs(staged: Path, packets: list[PacketPlan], summary_files: list[str], s: Settings, progress,
               cancel) -> list[str]:
    from ..pdf import convert_to_pdf, find_soffice

    exe = find_soffice(s.libreoffice.path)
    if exe is None:
        return ["PDF copies were not made: LibreOffice was not found."]
    docs: list[Path] = []
    for p in packets:
        pdir = staged / "packets" / p.packet_id
        docs += sorted(pdir.glob("*.docx"))
    if "summary_report.docx" in summary_files:
        docs.append(staged / "summary" / "summary_report.docx")

    def out_dir_for(doc: Path) -> Path:
        return doc.parent if doc.parent.name == "summary" else doc.parent / "pdf"

    result = convert_to_pdf(docs, out_dir_for, soffice=exe, progress=progress, cancel=cancel)
    return [f"PDF not made for {src.name}: {why}" for src, why in result.failed]
