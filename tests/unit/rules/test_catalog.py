"""The rule catalog (eligibility.md §3.5)."""

from __future__ import annotations

import hashlib
import shutil
import tomllib

import pytest

from clearmyrecord_desktop.rules import catalog as cat
from clearmyrecord_desktop.rules.reasons import STAT_RULE_IDS
from clearmyrecord_desktop.rules.table_a import DQ_POSSIBLE_RULE, DQ_RULES, SUBSECTION_UNKNOWN_RULE, all_cell_rule_ids

EMITTED = list(STAT_RULE_IDS) + all_cell_rule_ids()


def test_every_statutory_rule_id_is_in_the_catalog():
    for rid in EMITTED:
        e = cat.lookup(rid)
        assert e.id == rid
        assert e.version and e.citation and e.description


def test_rule_id_constants_are_listed():
    ids = set(STAT_RULE_IDS)
    assert {rid for rid, _ in DQ_RULES} <= ids
    assert {DQ_POSSIBLE_RULE, SUBSECTION_UNKNOWN_RULE} <= ids
    assert len(STAT_RULE_IDS) == len(ids) == 18


def test_no_stray_statutory_entries():
    stat_ids = {i for i in cat.load_catalog().entries if i.startswith("stat.")}
    assert stat_ids == set(EMITTED)


def test_cell_entries_describe_their_cell():
    e = cat.lookup("stat.11357b.misdemeanor.young_adult.reduce_i")
    assert "reduce_to_infraction" in e.description and "18–20" in e.description
    assert "11361.8" in e.citation and "11357(b)" in e.citation
    e = cat.lookup("stat.11358.felony.adult.reduce_m")
    assert "plant_count_unknown" in e.description


def test_unknown_id():
    with pytest.raises(KeyError):
        cat.lookup("stat.11357b.misdemeanor.adult.none")
    assert "stat.nope" not in cat.load_catalog()
    assert "stat.attempt" in cat.load_catalog()


def test_files_are_named_after_ids_and_strict():
    for p in cat.CATALOG_DIR.glob("*.toml"):
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
        assert p.name == doc["id"] + ".toml"
        assert set(doc) <= {"id", "version", "citation", "description", "pattern", "predicate"}
        assert doc["predicate"]


def test_catalog_sha256():
    files = sorted(cat.CATALOG_DIR.glob("*.toml"), key=lambda p: p.name)
    h = hashlib.sha256()
    for p in files:
        data = p.read_bytes()
        h.update(p.name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    assert cat.catalog_sha256() == h.hexdigest()
    assert cat.load_catalog() is cat.load_catalog()


def _write(folder, name, body):
    (folder / name).write_text(body, encoding="utf-8")


_OK = 'id = "{id}"\nversion = "1.0.0"\ncitation = "H&S § 11361.8"\ndescription = "d"\npredicate = "p"\n'


def test_copy_loads_and_hash_changes(tmp_path):
    shutil.copytree(cat.CATALOG_DIR, tmp_path / "c")
    c1 = cat.load_catalog(tmp_path / "c")
    assert c1.sha256 == cat.catalog_sha256()
    # a policy file added later by the policy layer is accepted and changes the hash
    _write(tmp_path / "c", "policy.floor.toml", _OK.format(id="policy.floor"))
    c2 = cat.load_catalog(tmp_path / "c")
    assert c2.lookup("policy.floor").citation == "H&S § 11361.8"
    assert c2.sha256 != c1.sha256
    # a one-byte change changes the hash too
    p = tmp_path / "c" / "policy.floor.toml"
    p.write_text(_OK.format(id="policy.floor").replace('"d"', '"e"'), encoding="utf-8")
    assert cat.load_catalog(tmp_path / "c").sha256 not in (c1.sha256, c2.sha256)


def test_non_toml_files_are_ignored(tmp_path):
    _write(tmp_path, "stat.attempt.toml", _OK.format(id="stat.attempt"))
    _write(tmp_path, "README.md", "notes")
    c = cat.load_catalog(tmp_path)
    assert list(c.entries) == ["stat.attempt"]


def test_pattern_entries(tmp_path):
    body = _OK.format(id="policy.criterion") + 'pattern = "policy.criterion.*"\n'
    _write(tmp_path, "policy.criterion.toml", body)
    _write(tmp_path, "policy.criterion.under_21.toml", _OK.format(id="policy.criterion.under_21"))
    c = cat.load_catalog(tmp_path)
    assert c.lookup("policy.criterion.age_50").id == "policy.criterion"
    assert c.lookup("policy.criterion.under_21").id == "policy.criterion.under_21"  # exact wins
    with pytest.raises(KeyError):
        c.lookup("policy.criterion.a.b")  # '*' is one segment
    with pytest.raises(KeyError):
        c.lookup("policy.other")


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("stat.x.toml", _OK.format(id="stat.x") + "extra = 1\n", "unknown key 'extra'"),
        ("stat.x.toml", _OK.format(id="stat.x").replace('version = "1.0.0"\n', ""), "'version'"),
        ("stat.x.toml", _OK.format(id="stat.x").replace('"1.0.0"', "1"), "'version'"),
        ("stat.x.toml", _OK.format(id="stat.x").replace('"d"', '""'), "'description'"),
        ("stat.x.toml", _OK.format(id="stat.y"), "must be named stat.y.toml"),
        ("other.x.toml", _OK.format(id="other.x"), "stat"),
        ("stat.x.toml", _OK.format(id="stat.x") + 'pattern = "stat.x"\n', "pattern"),
        ("stat.x.toml", _OK.format(id="stat.x") + "pattern = 3\n", "pattern"),
        ("stat.x.toml", "id = ", "TOML"),
        ("stat.x.toml", _OK.format(id="stat.x") + "[table]\n", "unknown key 'table'"),
    ],
)
def test_strict_loading(tmp_path, name, body, message):
    _write(tmp_path, name, body)
    with pytest.raises(cat.CatalogError, match=message) as err:
        cat.load_catalog(tmp_path)
    assert name in str(err.value)


def test_every_rule_names_a_registered_predicate_and_every_predicate_is_used():
    from clearmyrecord_desktop.rules.catalog import load_catalog
    from clearmyrecord_desktop.rules.predicates import registry

    predicates = registry()
    entries = list(load_catalog().entries.values()) + [e for _, e in load_catalog().patterns]
    used = set()
    for entry in entries:
        assert entry.predicate in predicates, entry.file
        assert callable(predicates[entry.predicate])
        used.add(entry.predicate)
    assert used | {"statutory.disqualifiers"} == set(predicates)
