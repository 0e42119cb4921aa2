"""The only module that opens DuckDB: workspace files, schema version, transactions, cursors.

A workspace is one DuckDB file chosen by the user. It is attached to an in-memory connection as
``ws`` (so an encrypted file can be attached with its key) and made the default catalog.
"""

from __future__ import annotations

import contextlib
import uuid
import logging
import os
import threading
from importlib import resources
from pathlib import Path
from typing import Iterator

import duckdb

from .. import __version__
from . import encryption, queries, spill
from ..errors import DatabaseLockedError, DiskFullError, SchemaTooNewError, WorkspaceError

log = logging.getLogger("cmr.store")

#: (major, minor). A workspace with a newer major is refused; older files are migrated forward.
SCHEMA_MAJOR = 1
CATALOG = "ws"
#: DuckDB's own memory budget. Large imports and evaluations spill to the temporary folder beyond
#: it, which keeps a 1M-row import near 600 MB of resident memory (bench/run.py). Override with the
#: environment variable CLEARMYRECORD_MEMORY_LIMIT (e.g. "4GB" on a big machine).
DEFAULT_MEMORY_LIMIT = "512MB"


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("clearmyrecord_desktop.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def translate_error(exc: BaseException, path: str | Path = "") -> Exception:
    """Turn DuckDB/OS errors into known errors where the user can act; leave the rest as bugs."""
    text = str(exc)
    low = text.lower()
    if "could not set lock" in low or "conflicting lock" in low:
        return DatabaseLockedError(
            f"The workspace {Path(path).name} is open in another window or program. "
            "Close it there and try again."
        )
    if "no space left" in low or "disk is full" in low or "not enough space" in low:
        return DiskFullError("The disk holding the workspace is full. Free some space and try again.")
    return exc if isinstance(exc, Exception) else RuntimeError(text)


class Workspace:
    """An open workspace. Thread rules: one cursor per thread (``cursor()``), one writer at a time
    (``write()``), finish every result before issuing the next statement on a cursor."""

    def __init__(self, path: str | Path, *, create: bool = False, encryption_key: str | None = None,
                 read_only: bool = False, memory_limit: str | None = None, passphrase: str | None = None):
        """Open (or with ``create`` make) a workspace file. An encrypted workspace is opened with the
        user's ``passphrase`` (stretched into a key, see ``store/encryption.py``) or, for tools, with
        a raw DuckDB ``encryption_key``. Wrong, missing or needless passphrases raise
        :class:`~.encryption.PassphraseError` (a :class:`WorkspaceError`) with a clear message."""
        self.path = Path(path)
        if not create and not self.path.exists():
            raise WorkspaceError(f"No workspace file at {self.path}.")
        new_file = not self.path.exists() or self.path.stat().st_size == 0
        if create and not new_file:
            create = False
        if passphrase is not None and encryption_key is not None:
            raise ValueError("give either passphrase or encryption_key, not both")
        if passphrase is not None:
            if create:
                encryption.check_new_passphrase(passphrase)
            encryption_key = encryption.derive_key(passphrase)
        self._write_lock = threading.RLock()
        self.encrypted = encryption_key is not None
        #: crypto module used for an encrypted workspace: "openssl", "mbedtls" or "" (not encrypted)
        self.crypto = ""
        config = dict(encryption.OFFLINE_CONFIG)
        config["memory_limit"] = (memory_limit or os.environ.get("CLEARMYRECORD_MEMORY_LIMIT")
                                  or DEFAULT_MEMORY_LIMIT)
        self._spill = spill.new_folder()
        config["temp_directory"] = str(self._spill)
        try:
            self._con = duckdb.connect(":memory:", config=config)
            opts = []
            if encryption_key is not None:
                self.crypto = encryption.prepare_connection(self._con, writing=not read_only)
                opts.append("ENCRYPTION_KEY ?")
            if read_only:
                opts.append("READ_ONLY")
            clause = f" ({', '.join(opts)})" if opts else ""
            params = [encryption_key] if encryption_key is not None else []
            self._con.execute(f"ATTACH ? AS {CATALOG}{clause}", [str(self.path), *params])
            self._con.execute(f"USE {CATALOG}")
            if encryption_key is not None:
                self._con.execute("SET temp_file_encryption = true")
        except duckdb.Error as exc:
            with contextlib.suppress(Exception):
                self._con.close()
            spill.remove(self._spill)
            known = encryption.explain_open_error(exc, self.path.name, key_given=encryption_key is not None)
            if known is not None:
                raise known from None
            low = str(exc).lower()
            if "not a valid duckdb" in low or "invalid database" in low or "magic" in low:
                raise WorkspaceError(f"{self.path.name} is not a ClearMyRecord workspace file.") from None
            raise translate_error(exc, self.path) from None
        if self.encrypted:
            log.info("encrypted workspace opened (crypto module: %s)", self.crypto)
        try:
            if not read_only:
                self._remove_stale_temp_files()
                self._migrate()
            else:
                self._check_version()
        except BaseException:
            self._con.close()
            spill.remove(self._spill)
            raise

    # -- temporary files --------------------------------------------------------------------
    def temp_path(self, purpose: str) -> Path:
        """A fresh temporary file next to the workspace for bulk loads (it holds record data: the
        caller deletes it; files left by a crash are removed the next time the workspace opens)."""
        return self.path.parent / f".cmr-{self.path.stem}-{purpose}-{uuid.uuid4().hex}.tmp"

    def _remove_stale_temp_files(self) -> None:
        # Opening for writing holds DuckDB's lock on the file, so no other process of ours is
        # using these any more: they are leftovers of a killed import, evaluation or export.
        for stale in self.path.parent.glob(f".cmr-{self.path.stem}-*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
                log.info("removed a temporary file left by an interrupted job")

    # -- schema -------------------------------------------------------------------------------
    def _tables(self) -> set[str]:
        rows = self._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?", [CATALOG]
        ).fetchall()
        return {r[0] for r in rows}

    def schema_version(self) -> tuple[int, int]:
        if "workspace_info" not in self._tables():
            return (0, 0)
        row = self._con.execute(
            "SELECT value FROM workspace_info WHERE key = 'schema_version'"
        ).fetchone()
        if not row:
            return (0, 0)
        major, minor = row[0].split(".")
        return int(major), int(minor)

    def _check_version(self) -> tuple[int, int]:
        major, minor = self.schema_version()
        if major > SCHEMA_MAJOR:
            raise SchemaTooNewError(
                f"The workspace {self.path.name} was written by a newer version of ClearMyRecord "
                f"(schema {major}.{minor}); this is version {__version__} (schema {SCHEMA_MAJOR}). "
                "Open it with the newer version."
            )
        return major, minor

    def _migrate(self) -> None:
        major, minor = self._check_version()
        current = 0 if major == 0 else minor
        pending = [m for m in _migrations() if m[0] > current]
        if not pending:
            return
        with self.write() as cur:
            for number, name, sql in pending:
                log.info("applying migration %s", name)
                cur.execute(sql)
                cur.execute(
                    "INSERT OR REPLACE INTO workspace_info VALUES ('schema_version', ?)",
                    [f"{SCHEMA_MAJOR}.{number}"],
                )
            cur.execute(
                "INSERT OR IGNORE INTO workspace_info VALUES ('created_by', ?)", [__version__]
            )

    # -- access -------------------------------------------------------------------------------
    def cursor(self, macros: bool = False) -> duckdb.DuckDBPyConnection:
        """A new cursor for the calling thread (never share one between threads). ``macros``
        defines the cmr_* SQL helper macros (store/sql/macros.sql) used by import and evaluation."""
        cur = self._con.cursor()
        cur.execute(f"USE {CATALOG}")
        if macros:
            cur.execute(queries.sql("macros"))
        return cur

    @contextlib.contextmanager
    def write(self, macros: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction on a fresh cursor under the write lock; rolled back on any exception."""
        with self._write_lock:
            cur = self.cursor(macros)
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                with contextlib.suppress(Exception):
                    cur.execute("ROLLBACK")
                cur.close()
                raise
            try:
                cur.execute("COMMIT")
            except duckdb.Error as exc:
                with contextlib.suppress(Exception):
                    cur.execute("ROLLBACK")
                raise translate_error(exc, self.path) from None
            finally:
                cur.close()

    def query(self, sql: str, params: list | tuple | None = None) -> list[tuple]:
        """Run a short read on a throwaway cursor and return all rows."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def query_dicts(self, sql: str, params: list | tuple | None = None) -> list[dict]:
        cur = self.cursor()
        try:
            res = cur.execute(sql, params or [])
            names = [d[0] for d in res.description]
            return [dict(zip(names, row)) for row in res.fetchall()]
        finally:
            cur.close()

    def integrity_check(self) -> list[str]:
        """Cheap consistency checks used after crashes: every row and quarantine record belongs
        to a batch whose counts match; every result belongs to a run."""
        problems = []
        rows = self.query(
            """SELECT b.batch_id, b.rows_imported, b.lines_quarantined,
                      (SELECT count(*) FROM doj_row r WHERE r.batch_id = b.batch_id),
                      (SELECT count(*) FROM quarantine q WHERE q.batch_id = b.batch_id)
               FROM import_batch b"""
        )
        for batch_id, want_rows, want_q, got_rows, got_q in rows:
            if want_rows != got_rows or want_q != got_q:
                problems.append(f"batch {batch_id}: counts differ from its summary")
        orphan = self.query(
            "SELECT count(*) FROM doj_row WHERE batch_id NOT IN (SELECT batch_id FROM import_batch)"
        )[0][0]
        if orphan:
            problems.append(f"{orphan} rows without an import batch")
        orphan = self.query(
            "SELECT count(*) FROM count_result WHERE run_id NOT IN (SELECT run_id FROM eval_run)"
        )[0][0]
        if orphan:
            problems.append(f"{orphan} results without a run")
        return problems

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._con.execute("CHECKPOINT")
        self._con.close()
        spill.remove(self._spill)

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_workspace(path: str | Path, *, create: bool = True, encryption_key: str | None = None,
                   read_only: bool = False, passphrase: str | None = None) -> Workspace:
    return Workspace(path, create=create, encryption_key=encryption_key, read_only=read_only,
                     passphrase=passphrase)
