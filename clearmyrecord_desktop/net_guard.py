"""A guard that records and refuses every network attempt made from Python (architecture.md 1.1).

ClearMyRecord never uses the network. Tests install this guard in a child process (through
``sitecustomize`` or a ``-c`` wrapper) and then run the whole pipeline; any attempt to resolve a
name or open an internet socket is recorded and raises :class:`NetworkAttemptError`. Attempts are
also appended to the file named by ``CLEARMYRECORD_NET_GUARD_LOG`` (one JSON object per line), so
the parent can count them even when the code under test swallows the exception.

Patched: ``socket.socket.connect``/``connect_ex``/``sendto``, ``socket.create_connection``,
``socket.getaddrinfo``, ``socket.gethostbyname``/``gethostbyname_ex``/``gethostbyaddr``. Unix-domain
sockets (local inter-process pipes, never the network) are allowed. Native code that opens sockets
without Python (e.g. a C++ library) is not seen here: the offline test also runs the pipeline
under ``strace`` and in a network namespace without any network (``unshare -n``).

Import cost is tiny and nothing happens until :func:`install` is called; the app never installs it.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import traceback

LOG_ENV = "CLEARMYRECORD_NET_GUARD_LOG"


class NetworkAttemptError(OSError):
    """Raised instead of making a network access."""


_lock = threading.Lock()
_attempts: list[dict] = []
_originals: dict[str, object] = {}


def _is_local_family(family) -> bool:
    return hasattr(socket, "AF_UNIX") and family == socket.AF_UNIX


def _record(kind: str, target) -> None:
    frames = traceback.extract_stack(limit=12)[:-2]
    entry = {"kind": kind, "target": repr(target)[:200],
             "where": [f"{f.filename}:{f.lineno} {f.name}" for f in frames[-6:]]}
    with _lock:
        _attempts.append(entry)
        path = os.environ.get(LOG_ENV)
        if path:
            try:
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry) + "\n")
            except OSError:
                pass
    raise NetworkAttemptError(f"network access blocked by ClearMyRecord's offline guard: {kind} {target!r}")


def attempts() -> list[dict]:
    """Attempts recorded in this process since :func:`install` (or :func:`reset`)."""
    with _lock:
        return list(_attempts)


def reset() -> None:
    with _lock:
        _attempts.clear()


def installed() -> bool:
    return bool(_originals)


def install() -> None:
    """Patch the socket module so every network attempt is recorded and refused. Idempotent."""
    if _originals:
        return
    sock_cls = socket.socket
    _originals.update({
        "connect": sock_cls.connect, "connect_ex": sock_cls.connect_ex, "sendto": sock_cls.sendto,
        "create_connection": socket.create_connection, "getaddrinfo": socket.getaddrinfo,
        "gethostbyname": socket.gethostbyname, "gethostbyname_ex": socket.gethostbyname_ex,
        "gethostbyaddr": socket.gethostbyaddr,
    })

    def connect(self, address):
        if _is_local_family(self.family):
            return _originals["connect"](self, address)
        _record("connect", address)

    def connect_ex(self, address):
        if _is_local_family(self.family):
            return _originals["connect_ex"](self, address)
        _record("connect_ex", address)

    def sendto(self, data, *args):
        if _is_local_family(self.family):
            return _originals["sendto"](self, data, *args)
        _record("sendto", args[-1] if args else None)

    def create_connection(address, *args, **kwargs):
        _record("create_connection", address)

    def getaddrinfo(host, port, *args, **kwargs):
        _record("getaddrinfo", (host, port))

    def gethostbyname(host):
        _record("gethostbyname", host)

    def gethostbyname_ex(host):
        _record("gethostbyname_ex", host)

    def gethostbyaddr(host):
        _record("gethostbyaddr", host)

    sock_cls.connect = connect
    sock_cls.connect_ex = connect_ex
    sock_cls.sendto = sendto
    socket.create_connection = create_connection
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    socket.gethostbyaddr = gethostbyaddr


def uninstall() -> None:
    """Undo :func:`install` (for tests that install the guard in their own process)."""
    if not _originals:
        return
    sock_cls = socket.socket
    for name in ("connect", "connect_ex", "sendto"):
        setattr(sock_cls, name, _originals[name])
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        setattr(socket, name, _originals[name])
    _originals.clear()
