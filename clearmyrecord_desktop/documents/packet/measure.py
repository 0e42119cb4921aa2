"""The first pass over a packet's rows: the content hash that makes the packet id (motion-packets.md §3),
the packet statistics and each exhibit's page plan."""

from __future__ import annotations

import hashlib
from typing import Sequence

from ..stamping import Paginator
from ..templates import TemplateRegistry
from .plans import ExportPlan, PacketPlan, PacketStats
from .streaming import iter_packet_rows


def first_pass(ws, plan: ExportPlan, packet: PacketPlan, registry: TemplateRegistry, *, template_ids: Sequence[str],
               settings_sha: str, cancel=None) -> None:
    """Read the packet's rows once: content hash (→ packet id), statistics and the page plan."""
    h = hashlib.sha256()
    h.update(b"cmr-packet-v1\n")
    h.update(f"policy={plan.run.policy_sha256}\nruleset={plan.run.ruleset_hash}\n".encode())
    for tid, sha in sorted(registry.hashes(template_ids).items()):
        h.update(f"template {tid}={sha}\n".encode())
    h.update(f"settings={settings_sha}\n".encode())
    h.update(f"packet={packet.id_prefix()}\n".encode())
    ex_by_id = {e.id: e for e in packet.all_exhibits}
    paginators = {}
    for e in packet.all_exhibits:
        info = registry.get("challenge_list" if e.letter == "CH" else "exhibit")
        paginators[e.id] = Paginator(info.table)
    people, cases = set(), set()
    st = PacketStats()
    for row in iter_packet_rows(ws, plan, packet, cancel=cancel):
        printed = row.printed_values()
        h.update(row.canonical(printed).encode("utf-8"))
        h.update(b"\n")
        paginators[row.exhibit].add(printed)
        people.add(row.subject_id)
        if row.case_number:
            cases.add(row.case_number)
        else:
            st.no_case_number += 1
        if row.relief_path == "unknown":
            st.path_unknown += 1
        if row.exhibit != "CH":
            if row.relief_path == "resentencing":
                st.resent += 1
            elif row.relief_path == "redesignation":
                st.redesig += 1
            if row.basis == "policy":
                st.criteria[row.criterion] = st.criteria.get(row.criterion, 0) + 1
                st.policy_by_exhibit[row.exhibit] = st.policy_by_exhibit.get(row.exhibit, 0) + 1
                if row.bar:
                    st.conflicts += 1
        if row.reviewed:
            st.reviewed += 1
    st.people, st.cases = len(people), len(cases)
    for ex_id, pag in paginators.items():
        ex_by_id[ex_id].pages = pag.finish()
        got = sum(ex_by_id[ex_id].pages)
        if got != ex_by_id[ex_id].total:  # the run changed under us
            from ...errors import ExportGateError
            raise ExportGateError("The run's results changed while the export was being prepared. Export again.")
    packet.stats = st
    packet.content_hash = h.hexdigest()
    packet.packet_id = packet.make_id()
