"""Every statutory rule id of the catalog is reached by the golden and sample data end to end
(Table A cells are covered cell by cell in test_table_a.py; policy steps in test_precedence.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from clearmyrecord_desktop import paths
from clearmyrecord_desktop.importers.doj_research_file import import_files
from clearmyrecord_desktop.rules.catalog import load_catalog
from clearmyrecord_desktop.rules.engine import evaluate

DATA = Path(__file__).parents[2] / "data"


def test_rule_ids_reached_end_to_end(workspace):
    import_files(workspace, [DATA / "cases" / "statutory_cases.csv", paths.sample_extract(),
                             DATA / "gogen" / "configurable_flow_input.csv"])
    options = DATA / "gogen" / "eligibility_options.json"
    for policy, opts, county in [("statutory", None, "LOS ANGELES"), ("los_angeles_2020", None, "LOS ANGELES"),
                                 ("bear_compatible", options, "SACRAMENTO"),
                                 ("bear_compatible", options, "LOS ANGELES")]:
        evaluate(workspace, county, dt.date(2020, 7, 1), policy, opts)
    emitted = set()
    for stat_ids, policy_ids in workspace.query("SELECT statutory_rule_ids, rule_ids FROM count_result"):
        emitted |= set(stat_ids.split(";")) | set(policy_ids.split(";"))
    catalog = load_catalog()
    not_cells = [i for i in catalog.entries if i.startswith("stat.") and not re.match(r"stat\.113[56]\d[a-ex]?\.(felony|misdemeanor|infraction)\.", i)]
    assert sorted(set(not_cells) - emitted) == []
    for _, entry in catalog.patterns:
        rx = re.compile(entry.pattern.replace(".", r"\.").replace("*", "[^.]+"))
        assert any(rx.fullmatch(i) for i in emitted), entry.pattern
    assert all(i in catalog for i in emitted)
