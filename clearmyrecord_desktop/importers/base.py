"""What every importer returns: a per-file summary with its issues (never an exception per line)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class ImportIssue:
    file: str
    line: int | None
    reason: str
    message: str = ""


@dataclass
class FileImportSummary:
    file: str
    status: str  # imported | duplicate | rejected
    message: str = ""
    batch_id: int | None = None
    sha256: str = ""
    size_bytes: int = 0
    encoding: str = ""
    has_header: bool = False
    lines_total: int = 0
    blank_lines: int = 0
    data_lines: int = 0
    rows_imported: int = 0
    rows_quarantined: int = 0
    quarantine_by_reason: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)
