"""Encrypted workspaces (DuckDB 2.0 ``ATTACH ... (ENCRYPTION_KEY ...)``, store/encryption.py).

The file on disk (and its WAL while open) must not show names, CII or case numbers of the imported
data; a wrong, missing or needless passphrase gives a clear WorkspaceError; the right one reopens.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from clearmyrecord_desktop.errors import WorkspaceError
from clearmyrecord_desktop.store import encryption
from clearmyrecord_desktop.store.database import Workspace, open_workspace

PASSPHRASE = "Correct horse 7 battery staple"


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> Path:
    from clearmyrecord_desktop.synth.generator import generate

    path = tmp_path_factory.mktemp("enc_src") / "extract.csv"
    generate(path, people=60, seed=31, county="LOS ANGELES")
    return path


def _secrets(extract: Path) -> list[bytes]:
    """Names, CII numbers and case numbers found in the extract (what must not be readable)."""
    from clearmyrecord_desktop.domain.doj_columns import DOJ_COLUMNS

    want = {DOJ_COLUMNS.index(c) for c in ("PRI_NAME", "CII_NUMBER", "OFN")}
    found: set[str] = set()
    with open(extract, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            for i in want:
                value = row[i].strip()
                if len(value) >= 7:
                    found.add(value)
    names = sorted(found)
    assert len(names) > 40
    return [n.encode("utf-8") for n in names]


def _files_bytes(folder: Path, stem: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name.startswith(stem)}


def _load(ws: Workspace, extract: Path) -> None:
    from clearmyrecord_desktop.importers.doj_research_file import import_files
    from clearmyrecord_desktop.rules.engine import evaluate

    [summary] = import_files(ws, [extract])
    assert summary["status"] == "imported" and summary["rows_imported"] > 0
    evaluate(ws, "LOS ANGELES", dt.date(2020, 7, 1))


def test_plain_workspace_shows_the_data(tmp_path, extract):
    """Control: without encryption the same bytes are readable, so the grep below means something."""
    with Workspace(tmp_path / "plain.duckdb", create=True) as ws:
        _load(ws, extract)
    blob = b"".join(_files_bytes(tmp_path, "plain").values())
    secrets = _secrets(extract)
    assert sum(s in blob for s in secrets) > len(secrets) // 2


def test_encrypted_file_holds_no_readable_record_data(tmp_path, extract):
    path = tmp_path / "secret.duckdb"
    ws = Workspace(path, create=True, passphrase=PASSPHRASE)
    assert ws.encrypted and ws.crypto in ("openssl", "mbedtls")
    _load(ws, extract)
    secrets = _secrets(extract)
    # while open: the database file and its write-ahead log
    open_files = _files_bytes(tmp_path, "secret")
    ws.close()
    closed_files = _files_bytes(tmp_path, "secret")
    for label, files in (("open", open_files), ("closed", closed_files)):
        for name, blob in files.items():
            leaked = [s.decode() for s in secrets if s in blob]
            assert leaked == [], f"{label}: {name} shows {len(leaked)} values, e.g. {leaked[:3]}"
    assert PASSPHRASE.encode() not in b"".join(closed_files.values())
    assert encryption.derive_key(PASSPHRASE).encode() not in b"".join(closed_files.values())


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory, extract) -> Path:
    path = tmp_path_factory.mktemp("enc") / "enc.duckdb"
    with Workspace(path, create=True, passphrase=PASSPHRASE) as ws:
        _load(ws, extract)
    return path


def test_right_passphrase_reopens(encrypted):
    with Workspace(encrypted, passphrase=PASSPHRASE) as ws:
        rows = ws.query("SELECT count(*) FROM doj_row")[0][0]
        runs = ws.query("SELECT count(*) FROM eval_run")[0][0]
        assert ws.integrity_check() == []
    assert rows > 0 and runs == 1
    with Workspace(encrypted, passphrase=PASSPHRASE, read_only=True) as ws:
        assert ws.query("SELECT count(*) FROM doj_row")[0][0] == rows
    with open_workspace(encrypted, create=False, passphrase=PASSPHRASE) as ws:
        assert ws.query("SELECT count(*) FROM count_result")[0][0] > 0


@pytest.mark.parametrize("read_only", [False, True])
def test_wrong_passphrase_is_a_clear_error(encrypted, read_only):
    with pytest.raises(WorkspaceError) as info:
        Workspace(encrypted, passphrase="Correct horse 7 battery stapler", read_only=read_only)
    err = info.value
    assert isinstance(err, encryption.PassphraseError) and err.code == "wrong_passphrase"
    message = str(err)
    assert "passphrase" in message and "wrong" in message and encrypted.name in message
    assert "stapler" not in message  # never echo what was typed
    # the file is still fine afterwards
    with Workspace(encrypted, passphrase=PASSPHRASE) as ws:
        assert ws.integrity_check() == []


def test_missing_passphrase_says_the_workspace_is_encrypted(encrypted):
    with pytest.raises(WorkspaceError) as info:
        Workspace(encrypted)
    assert info.value.code == "passphrase_required"
    assert "encrypted" in str(info.value) and "passphrase" in str(info.value)
    with pytest.raises(WorkspaceError):
        open_workspace(encrypted)  # create=True on an existing file opens it: same error


def test_passphrase_on_a_plain_workspace(tmp_path):
    path = tmp_path / "plain.duckdb"
    Workspace(path, create=True).close()
    with pytest.raises(WorkspaceError) as info:
        Workspace(path, passphrase=PASSPHRASE)
    assert info.value.code == "not_encrypted"


def test_new_workspace_needs_a_real_passphrase(tmp_path):
    for weak in ("", "short"):
        with pytest.raises(WorkspaceError) as info:
            Workspace(tmp_path / "weak.duckdb", create=True, passphrase=weak)
        assert info.value.code == "passphrase_too_short"
    assert not (tmp_path / "weak.duckdb").exists()


def test_key_derivation_is_stable_and_normalised():
    key = encryption.derive_key("Café crème 2024")
    assert len(key) == 64 and int(key, 16) >= 0
    assert encryption.derive_key(unicodedata.normalize("NFD", "Café crème 2024")) == key
    assert encryption.derive_key("Café crème 2025") != key
    # pinned: changing the KDF would lock users out of their existing workspaces
    assert encryption.derive_key("ClearMyRecord test vector") == \
        "dc4772282b76adeeacd1c06c7d27db27c8f3ee9466c62a5414250d3f6aaee30b"
    assert (encryption.KDF_N, encryption.KDF_R, encryption.KDF_P) == (2 ** 15, 8, 1)
    assert encryption.KDF_SALT == b"ClearMyRecord Desktop workspace key v1"


def test_raw_encryption_key_still_works(tmp_path):
    """Backward compatible API: ``encryption_key`` is handed to DuckDB as it is."""
    path = tmp_path / "raw.duckdb"
    with Workspace(path, create=True, encryption_key="raw key for tools") as ws:
        assert ws.encrypted
    with Workspace(path, encryption_key="raw key for tools") as ws:
        assert ws.schema_version()[0] == 1
    with pytest.raises(WorkspaceError):
        Workspace(path, passphrase="raw key for tools")  # a passphrase is stretched first: different key
    with pytest.raises(ValueError):
        Workspace(path, passphrase="x" * 10, encryption_key="y")


def test_encrypted_workspace_exports_results(tmp_path, encrypted):
    from clearmyrecord_desktop.exporters.results import latest_run, write_results_csv

    with Workspace(encrypted, passphrase=PASSPHRASE) as ws:
        n = write_results_csv(ws, latest_run(ws), tmp_path / "results.csv")
    assert n > 0
