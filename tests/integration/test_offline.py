"""Offline guarantee (architecture.md 1.1 and 13): the whole pipeline makes no network attempt.

Three layers, because each one alone can miss something:
1. the Python-level guard (clearmyrecord_desktop.net_guard) installed through sitecustomize in the
   child process: every name lookup or internet socket from Python is recorded and refused;
2. strace on the same child: catches native code too (DuckDB once tried to download an extension
   from C++ for encrypted workspaces, which no Python patch can see);
3. the pipeline in a network namespace with no network at all (``unshare -n``): it must still work.
Plus static checks: no network modules imported by the package, extension auto-install disabled.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "clearmyrecord_desktop"
DRIVER = Path(__file__).with_name("pipeline_driver.py")
PY = sys.executable
LOG_ENV = "CLEARMYRECORD_NET_GUARD_LOG"


@pytest.fixture(scope="module")
def small_extract(tmp_path_factory) -> Path:
    from clearmyrecord_desktop.synth.generator import generate

    path = tmp_path_factory.mktemp("offline_src") / "small_extract.csv"
    generate(path, people=12, seed=11, county="LOS ANGELES")
    return path


def _guarded_env(tmp: Path) -> tuple[dict, Path]:
    site = tmp / "guard_site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(
        "import clearmyrecord_desktop.net_guard as _g\n_g.install()\n", encoding="utf-8")
    log = tmp / "net_attempts.jsonl"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)])
    env[LOG_ENV] = str(log)
    env["CLEARMYRECORD_HOME"] = str(tmp / "home")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("http_proxy", None)
    env.pop("https_proxy", None)
    return env, log


def _attempts(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def _run_pipeline(prefix: list[str], tmp: Path, source: Path, gui: bool = True,
                  timeout: int = 300) -> tuple[subprocess.CompletedProcess, dict, Path]:
    env, log = _guarded_env(tmp)
    cmd = prefix + [PY, str(DRIVER), "--source", str(source), "--work", str(tmp / "work")]
    if gui:
        cmd.append("--gui")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=tmp)
    summary = {}
    if proc.returncode == 0:
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return proc, summary, log


def _assert_pipeline_ok(proc, summary, log, gui=True) -> None:
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert summary["rows_imported"] > 0
    assert summary["results_rows"] > 0
    assert summary["packets"] > 0
    assert summary["verified"] is True
    if gui:
        assert summary["gui_exit"] == 0
        assert summary["screenshot_bytes"] > 1000
    assert _attempts(log) == [], "network attempts: " + json.dumps(_attempts(log), indent=1)


def test_guard_records_and_refuses(tmp_path):
    """Positive control: the sitecustomize guard is active in a child and sees an attempt (which it
    refuses before any packet is sent)."""
    env, log = _guarded_env(tmp_path)
    code = ("import socket\n"
            "try:\n    socket.create_connection(('updates.example.invalid', 443), timeout=1)\n"
            "except OSError as e:\n    print(type(e).__name__)\n"
            "try:\n    socket.getaddrinfo('example.invalid', 80)\n"
            "except OSError as e:\n    print(type(e).__name__)\n")
    proc = subprocess.run([PY, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[:2] == ["NetworkAttemptError", "NetworkAttemptError"]
    kinds = [a["kind"] for a in _attempts(log)]
    assert kinds == ["create_connection", "getaddrinfo"]


def test_guard_in_process_blocks_and_uninstalls():
    import socket

    from clearmyrecord_desktop import net_guard

    net_guard.install()
    try:
        with pytest.raises(net_guard.NetworkAttemptError):
            socket.getaddrinfo("example.invalid", 80)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            with pytest.raises(net_guard.NetworkAttemptError):
                s.connect(("192.0.2.1", 80))  # TEST-NET-1: never sent, the guard raises first
        finally:
            s.close()
        assert [a["kind"] for a in net_guard.attempts()] == ["getaddrinfo", "connect"]
        if hasattr(socket, "AF_UNIX"):  # local pipes stay allowed
            a, b = socket.socketpair()
            a.close()
            b.close()
    finally:
        net_guard.uninstall()
        net_guard.reset()
    assert not net_guard.installed()


_INET = re.compile(r"\b(connect|sendto|sendmsg)\(.*(AF_INET6?|sin6?_addr)")


def _strace_prefix(trace_file: Path) -> list[str] | None:
    exe = shutil.which("strace")
    if not exe:
        return None
    probe = subprocess.run([exe, "-f", "--seccomp-bpf", "-e", "trace=connect", "-o", os.devnull, "true"],
                           capture_output=True, timeout=30)
    seccomp = ["--seccomp-bpf"] if probe.returncode == 0 else []
    probe = subprocess.run([exe, "-f", *seccomp, "-e", "trace=connect", "-o", os.devnull, "true"],
                           capture_output=True, timeout=30)
    if probe.returncode != 0:  # ptrace not permitted here
        return None
    return [exe, "-f", *seccomp, "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace_file)]


def test_pipeline_makes_no_network_attempt(tmp_path, small_extract):
    """import → evaluate → results + draft packets + report → verify → GUI screenshot, with the
    Python guard installed, and (when strace works here) every connect/sendto of the process tree
    watched: no internet socket and no DNS query."""
    trace = tmp_path / "strace.txt"
    prefix = _strace_prefix(trace) or []
    proc, summary, log = _run_pipeline(prefix, tmp_path, small_extract)
    _assert_pipeline_ok(proc, summary, log)
    if prefix:
        lines = trace.read_text(encoding="utf-8", errors="replace").splitlines()
        inet = [line for line in lines if _INET.search(line)]
        assert inet == [], "native network attempts:\n" + "\n".join(inet[:20])


def _unshare_works() -> bool:
    exe = shutil.which("unshare")
    if not exe:
        return False
    try:
        return subprocess.run([exe, "-n", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _unshare_works(), reason="unshare -n (network namespace) not available here")
def test_pipeline_works_without_any_network(tmp_path, small_extract):
    """The same pipeline in a network namespace that has no interface but a down loopback."""
    proc, summary, log = _run_pipeline([shutil.which("unshare"), "-n"], tmp_path, small_extract)
    _assert_pipeline_ok(proc, summary, log)


@pytest.mark.skipif(not _unshare_works(), reason="unshare -n (network namespace) not available here")
def test_encrypted_workspace_without_any_network(tmp_path):
    """Encrypted workspaces must not need a download (DuckDB 2.0 wants its httpfs extension for
    writing encrypted files and tries to fetch it unless told not to)."""
    code = ("import sys\nfrom clearmyrecord_desktop.store.database import Workspace\n"
            "ws = Workspace(sys.argv[1], create=True, passphrase='offline passphrase')\n"
            "print(ws.crypto)\nws.close()\n")
    env, log = _guarded_env(tmp_path)
    proc = subprocess.run([shutil.which("unshare"), "-n", PY, "-c", code, str(tmp_path / "enc.duckdb")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() in ("openssl", "mbedtls")
    assert _attempts(log) == []


# -- static checks ---------------------------------------------------------------------------------

FORBIDDEN = {"socket", "ssl", "urllib", "urllib.request", "urllib3", "requests", "httpx", "aiohttp",
             "http", "http.client", "http.server", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib",
             "xmlrpc", "xmlrpc.client", "websocket", "websockets", "socketserver", "asyncio", "webbrowser",
             "PySide6.QtNetwork", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
             "PySide6.QtWebSockets", "PySide6.QtNetworkAuth", "PySide6.QtHttpServer"}
ALLOWED = {"urllib.parse"}  # string handling only, never a connection
#: modules that may import socket on purpose
EXEMPT = {"net_guard.py"}


def _imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.add(str(node.args[0].value))
    return found


def test_package_imports_no_network_module():
    offenders = []
    for path in sorted(PKG.rglob("*.py")):
        if path.name in EXEMPT:
            continue
        for name in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if name in ALLOWED:
                continue
            parts = name.split(".")
            if any(".".join(parts[:i]) in FORBIDDEN for i in range(1, len(parts) + 1)):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_package_never_installs_or_fetches_duckdb_extensions():
    """No SQL in the package installs extensions, loads them by name or reads a URL."""
    keywords = re.compile(r"\b(FORCE\s+)?INSTALL\s+'?[a-z_]+|\bLOAD\s+'?[a-z_]+")  # SQL, upper case
    urls = re.compile(r"https?://[^\s\"']*\.(csv|parquet|json)|s3://|gcs://|hf://"
                      r"|autoinstall_known_extensions\s*=\s*true", re.IGNORECASE)
    offenders = []
    for path in sorted(PKG.rglob("*")):
        if path.suffix not in (".py", ".sql") or path.name == "encryption.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if keywords.search(line) or urls.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert offenders == []


def test_workspace_connection_never_autoinstalls(tmp_path):
    from clearmyrecord_desktop.store.database import Workspace

    with Workspace(tmp_path / "w.duckdb", create=True) as ws:
        rows = ws.query("SELECT name, value FROM duckdb_settings() WHERE name IN "
                        "('autoinstall_known_extensions', 'autoload_known_extensions')")
    assert dict(rows) == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_reading_a_url_fails_without_network_access(tmp_path):
    """A path that is a URL (typed by mistake) must fail at once, not fetch an extension."""
    import duckdb

    from clearmyrecord_desktop.store.database import Workspace

    with Workspace(tmp_path / "w.duckdb", create=True) as ws:
        with pytest.raises(duckdb.Error):
            ws.query("SELECT * FROM read_csv('https://example.invalid/x.csv')")
