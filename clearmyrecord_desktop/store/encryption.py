"""Encrypted workspaces: passphrase → key, the crypto module DuckDB writes with, clear messages.

DuckDB 2.0 encrypts a database file with AES-256-GCM when it is attached with ``ENCRYPTION_KEY``.
Two facts of DuckDB 2.0.1 shape this module:

* **Writing** an encrypted file needs a secure random source, which DuckDB takes from the OpenSSL
  code inside its ``httpfs`` extension. Without that extension DuckDB tries to *download* it (a
  network access this product must never make), and then refuses. The workspace connection therefore
  disables extension auto-install/auto-load, and :func:`prepare_connection` loads ``httpfs`` only from
  a file shipped with the app (``<install root>/duckdb_extensions/httpfs.duckdb_extension``, or the
  folder named by ``CLEARMYRECORD_DUCKDB_EXTENSIONS``). ``LOAD`` of an official extension checks its
  signature and makes no network access.
* When no such file is shipped, DuckDB's built-in mbedTLS module still encrypts with AES-256-GCM but
  draws its nonces from a non-cryptographic generator; DuckDB calls this mode "not securely
  encrypted" and requires ``force_mbedtls_unsafe``. It still keeps names and numbers unreadable in
  the file on disk (tested), but it is weaker against a determined attacker. ``Workspace.crypto``
  tells which module is in use (``"openssl"`` or ``"mbedtls"``) so the app can say so.

**Passphrase → key.** DuckDB derives its file key from the given key with one salted SHA-256, which is
cheap to brute-force for a human passphrase. :func:`derive_key` first stretches the passphrase with
scrypt (N=2^15, r=8, p=1: ~32 MiB and ~0.2 s per attempt), so every guess costs an attacker the same.
The scrypt salt is fixed per product (a salt stored beside the file could get lost when the workspace
is copied); DuckDB adds its own random per-file salt on top, so two files with the same passphrase
still get different file keys.
"""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
from pathlib import Path

from ..errors import WorkspaceError

log = logging.getLogger("cmr.store")

#: Part of the key derivation: changing any of these makes existing encrypted workspaces unreadable.
KDF_SALT = b"ClearMyRecord Desktop workspace key v1"
KDF_N, KDF_R, KDF_P = 2 ** 15, 8, 1
MIN_PASSPHRASE_CHARS = 8

#: Settings for every workspace connection: never fetch or auto-load DuckDB extensions (offline).
OFFLINE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}

EXTENSIONS_ENV = "CLEARMYRECORD_DUCKDB_EXTENSIONS"
HTTPFS_FILE = "httpfs.duckdb_extension"


class PassphraseError(WorkspaceError):
    """The passphrase does not fit the workspace. ``code`` is one of ``wrong_passphrase``,
    ``passphrase_required``, ``not_encrypted``, ``passphrase_too_short`` (the GUI can ask again)."""

    title = "Workspace passphrase"

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def derive_key(passphrase: str) -> str:
    """The DuckDB key (64 hex characters) for a passphrase. Unicode is NFC-normalised so the same
    passphrase typed on another keyboard layout or system gives the same key."""
    if not isinstance(passphrase, str) or not passphrase:
        raise PassphraseError("The passphrase is empty.", "passphrase_too_short")
    data = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    key = hashlib.scrypt(data, salt=KDF_SALT, n=KDF_N, r=KDF_R, p=KDF_P, maxmem=64 * 1024 * 1024,
                         dklen=32)
    return key.hex()


def check_new_passphrase(passphrase: str) -> None:
    """Rules for a passphrase that creates a new encrypted workspace."""
    if len(passphrase or "") < MIN_PASSPHRASE_CHARS:
        raise PassphraseError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE_CHARS} characters for the new workspace.",
            "passphrase_too_short")


def bundled_httpfs() -> Path | None:
    """The shipped ``httpfs`` extension file, if this build has one."""
    folders = []
    env = os.environ.get(EXTENSIONS_ENV)
    if env:
        folders.append(Path(env))
    from ..paths import install_root

    folders.append(install_root() / "duckdb_extensions")
    for folder in folders:
        candidate = folder / HTTPFS_FILE
        if candidate.is_file():
            return candidate
    return None


def prepare_connection(con, *, writing: bool) -> str:
    """Make ``con`` able to read (and, when ``writing``, write) encrypted files without any network
    access. Returns the crypto module in use: ``openssl`` or ``mbedtls``."""
    path = bundled_httpfs()
    if path is not None:
        try:
            con.execute(f"LOAD '{_sql_text(str(path))}'")
            return "openssl"
        except Exception as exc:  # noqa: BLE001 - a damaged or mismatched file: fall back, say why
            log.info("bundled crypto module not loaded (%s); using DuckDB's built-in module",
                     type(exc).__name__)
    if writing:
        con.execute("SET force_mbedtls_unsafe = true")
    return "mbedtls"


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def explain_open_error(exc: BaseException, name: str, *, key_given: bool) -> WorkspaceError | None:
    """A clear message for DuckDB's errors about keys, or None when the error is about something else."""
    low = str(exc).lower()
    if "wrong encryption key" in low or "computed aes tag differs" in low:
        return PassphraseError(
            f"The passphrase for the workspace {name} is wrong. Passphrases are case-sensitive; "
            "check Caps Lock and try again.", "wrong_passphrase")
    if "without a key" in low:
        return PassphraseError(
            f"The workspace {name} is encrypted. Enter its passphrase to open it.", "passphrase_required")
    if "is not encrypted" in low and key_given:
        return PassphraseError(
            f"The workspace {name} is not encrypted; open it without a passphrase.", "not_encrypted")
    if "crypto module" in low or "httpfs" in low:
        return WorkspaceError(
            f"The workspace {name} cannot be written encrypted: this installation lacks the "
            "encryption module. Reinstall ClearMyRecord or open the workspace read-only.")
    return None
