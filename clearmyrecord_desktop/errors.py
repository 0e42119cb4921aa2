"""Known errors (a message the user can act on) versus bugs (everything else).

Messages never contain personal data from the records: they name files, lines, columns and codes only.
"""


class CmrError(Exception):
    """Base class. ``title`` is a short heading for dialogs; ``str(err)`` is the message."""

    title = "ClearMyRecord"

    def __init__(self, message: str, title: str | None = None):
        super().__init__(message)
        if title:
            self.title = title


class KnownError(CmrError):
    """An expected failure with a clear message; not a bug."""


class ImportFileError(KnownError):
    title = "Import failed"

    def __init__(self, message: str, code: str, file: str = "", line: int | None = None):
        super().__init__(message)
        self.code = code
        self.file = file
        self.line = line


class DuplicateFileError(ImportFileError):
    pass


class WorkspaceError(KnownError):
    title = "Workspace problem"


class DatabaseLockedError(WorkspaceError):
    pass


class SchemaTooNewError(WorkspaceError):
    pass


class DiskFullError(KnownError):
    title = "Drive full"


class DriveRemovedError(KnownError):
    title = "Drive removed"


class TemplateError(KnownError):
    title = "Template problem"


class SettingsError(KnownError):
    title = "Settings problem"


class PolicyError(KnownError):
    title = "Policy file problem"


class VerificationError(KnownError):
    title = "Verification failed"


class ExportGateError(KnownError):
    title = "Export not ready"


class Cancelled(Exception):
    """Raised inside a job when the user pressed Cancel."""
