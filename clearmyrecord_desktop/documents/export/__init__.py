"""Export a run: motion packets per courthouse, the summary report, manifests, then the copy to the
chosen folder (motion-packets.md sections 3–9).

``export_all`` = plan → gates → build in staging (read rows once for packet ids and page plans, then
stream them into the exhibits, the court data CSV and XLSX) → optional PDFs → manifests and SHA256SUMS →
deliver (atomic copy with verify-after-write) → export record. Same run, settings, templates and clock
give the same bytes.

- ``api``: :func:`export_all` and :func:`check_gates` (the gates as dicts for the export dialog).
- ``build``: :func:`build_export`, the staged build and its stages.
- ``packet_files``: one packet's documents, court data and index.
- ``readme``: the clerk's README of a packet.
- ``manifests``: packet and export set manifests, checksums and the export set README.
- ``deliver``: :func:`deliver_staged`, the verified copy and the export record.
- ``shared``: small pieces the modules above share.
"""

from .api import GATE_NAMES, check_gates, export_all
from .build import KINDS, WHAT, BuildInfo, build_export, export_id_for
from .deliver import ExportResult, deliver_staged
from .shared import APP, CRLF

__all__ = ["APP", "CRLF", "GATE_NAMES", "KINDS", "WHAT", "BuildInfo", "ExportResult", "build_export",
           "check_gates", "deliver_staged", "export_all", "export_id_for"]
