"""Small pieces the export modules share: the app entry of the manifests, the CRLF line end of the
READMEs, a courthouse's name and a packet's row counts."""

from __future__ import annotations

from ... import __version__
from ...settings import Settings
from ..packet import PacketPlan

APP = {"name": "ClearMyRecord Desktop", "version": __version__}
CRLF = "\r\n"


def _ch_name(s: Settings, code: str) -> str:
    ch = s.courthouses.get(code)
    return ch.name if ch else code


def _manifest_rows(packet: PacketPlan) -> dict:
    rows: dict = {}
    for letter in ("A", "B", "C"):
        parts = [e for e in packet.exhibits if e.letter == letter]
        rows[letter] = {"total": sum(e.total for e in parts), "statute": sum(e.statute for e in parts),
                        "policy": sum(e.policy for e in parts)}
    st = packet.stats
    rows.update({"challenge": packet.challenged, "people": st.people, "cases": st.cases,
                 "path_unknown": st.path_unknown, "no_case_number": st.no_case_number})
    return rows
