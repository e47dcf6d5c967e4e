"""The authority register (src/ofsted_kg/data/authorities.csv) and the strict name resolver."""

from __future__ import annotations

import csv
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from ofsted_kg.ingest.authorities import Authority, AuthorityRegister, normalise_name

LAS = Path(__file__).resolve().parents[2] / "shared" / "data" / "las.csv"

HERTS = ("E10000015", "919")
HEREFORD = ("E06000019", "884")


@pytest.fixture(scope="module")
def reg() -> AuthorityRegister:
    return AuthorityRegister.load()


@pytest.fixture(scope="module")
def las_rows() -> list[dict[str, str]]:
    if not LAS.exists():
        pytest.skip(f"{LAS} is not here (the shared data sits beside the project)")
    with LAS.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _single(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """las.csv rows for one entity: no combined 'A / B' rows, no 'x' (folded) or 'z' (BFPO) LA numbers."""
    return [r for r in rows if "/" not in r["new_la_code"] and "z" not in (r["new_la_code"], r["old_la_code"])
            and r["old_la_code"] != "x"]


def _ids(a: Authority | None) -> tuple[str, str] | None:
    return (a.gss, a.la_number) if a else None


def _mentions(reg: AuthorityRegister, text: str, on: date | None = None) -> list[tuple[str, str]]:
    return [(a.la_number, text[start:end]) for a, start, end in reg.find_all(text, on)]


# Hertfordshire and Herefordshire ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Hertfordshire", "HERTFORDSHIRE County Council", "Hertfordshire Council",
                                  "Hertfordshire Safeguarding Children Board", "Herts",
                                  "Hertfordshire Safeguarding Children Partnership",
                                  "hertfordshire county council"])
def test_hertfordshire_spellings(reg, name):
    assert _ids(reg.resolve(name)) == HERTS


@pytest.mark.parametrize("name", ["Herefordshire", "Herefordshire Council", "County of Herefordshire",
                                  "Herefordshire, County of", "HEREFORDSHIRE COUNCIL",
                                  "Herefordshire Safeguarding Children Board", "the County of Herefordshire"])
def test_herefordshire_spellings(reg, name):
    assert _ids(reg.resolve(name)) == HEREFORD


@pytest.mark.parametrize("name", ["Hertfordshre", "Herefordshir", "Hertford", "Hereford", "Herefordshire2",
                                  "Hertfordshire Herefordshire", "Hert", "Here", "Herefordshire County Hall"])
def test_no_fuzzy_matching(reg, name):
    assert reg.resolve(name) is None


def test_hertfordshire_and_herefordshire_share_no_key(reg):
    herts, hereford = reg.by_code("919"), reg.by_code("884")
    herts_keys = {normalise_name(v) for v in herts.all_names}
    assert herts_keys.isdisjoint(normalise_name(v) for v in hereford.all_names)


def test_find_all_both_with_offsets(reg):
    text = "Hertfordshire County Council shares a contract with Herefordshire Council, not Hertford."
    found = reg.find_all(text)
    assert [(_ids(a), s, e) for a, s, e in found] == [(HERTS, 0, 13), (HEREFORD, 52, 65)]
    assert [text[s:e] for _, s, e in found] == ["Hertfordshire", "Herefordshire"]


# Coverage of the DfE list ---------------------------------------------------------------------------------


def test_every_la_number_and_code_of_the_dfe_list(reg, las_rows):
    for row in _single(las_rows):
        by_number = reg.by_code(row["old_la_code"])
        assert by_number is not None, row
        assert row["new_la_code"] in by_number.codes, row
        assert reg.by_code(row["new_la_code"]) is by_number
    # Codes whose LA number is 'x' belong to the authority that carried on.
    folded = {r["new_la_code"]: r["la_name"] for r in las_rows if r["old_la_code"] == "x"}
    expected = {"E10000005": "908", "E10000010": "840", "E10000022": "929", "E10000026": "893",
                "E10000033": "865"}
    assert set(folded) == set(expected)
    for code, number in expected.items():
        assert reg.by_code(code).la_number == number


def test_no_rows_beyond_the_dfe_list(reg, las_rows):
    numbers = {r["old_la_code"] for r in _single(las_rows)}
    assert {a.la_number for a in reg} == numbers
    assert len(reg) == len(numbers) == 160
    assert reg.by_code("702") is None  # British Forces Post Office is not an authority


def test_kind_follows_the_latest_entity_code(reg):
    kinds = {"E06": "unitary", "E08": "metropolitan", "E09": "london", "E10": "county"}
    for a in reg:
        assert a.kind == kinds[a.gss[:3]], a


def test_operating_on_2025(reg, las_rows):
    # 160 entities minus 7 that ended before 2025: Bedfordshire and Cheshire (2009), Bournemouth, Poole and
    # Dorset county (2019), Northamptonshire (2021) and Cumbria (2023). Counted independently from las.csv:
    # the LA numbers with a row in operation on that day.
    day = date(2025, 1, 1)

    def live(row: dict[str, str]) -> bool:
        start = date(*reversed([int(p) for p in row["date_of_operation"].split("/")]))
        end = row["date_of_termination"]
        return start <= day and (not end or day <= date(*reversed([int(p) for p in end.split("/")])))

    from_las = {r["old_la_code"] for r in _single(las_rows) if live(r)}
    ours = {a.la_number for a in reg if a.operating_on(day)}
    assert ours == from_las
    assert len(ours) == 153


def test_small_authorities_present(reg):
    assert reg.resolve("Isles of Scilly").la_number == "420"
    assert reg.resolve("Council of the Isles of Scilly").gss == "E06000053"
    assert reg.resolve("City of London").la_number == "201"
    assert reg.resolve("City of London Corporation").gss == "E09000001"
    assert reg.resolve("London") is None  # "City of London" is never reduced to "London"


def test_common_names(reg):
    assert reg.by_code("E06000023").name == "Bristol"
    assert reg.by_code("E06000019").name == "Herefordshire"
    assert reg.by_code("E06000010").name == "Kingston upon Hull"
    assert reg.by_code("E06000047").name == "County Durham"
    assert reg.by_code("E08000013").name == "St Helens"
    assert reg.by_code("E06000058").name == "Bournemouth, Christchurch and Poole"


@pytest.mark.parametrize(("name", "number"), [
    ("City of Bristol", "801"), ("Bristol City Council", "801"), ("Hull City Council", "810"),
    ("Kingston upon Hull City Council", "810"), ("Telford & Wrekin Council", "894"),
    ("Durham County Council", "840"),
    ("BCP Council", "839"), ("Brighton & Hove City Council", "846"), ("Southend-on-Sea City Council", "882"),
    ("St. Helens Council", "342"), ("Royal Borough of Windsor & Maidenhead", "868"), ("BANES", "800"),
    ("Bath & North East Somerset Council", "800"), ("Redcar & Cleveland Borough Council", "807"),
    ("Stockton", "808"), ("London Borough of Richmond", "318"), ("London Borough of Richmond Council", "318"),
    ("Royal Borough of Kingston", "314"), ("Royal Borough of Kensington & Chelsea", "207"),
    ("London Borough of Hammersmith & Fulham", "205"), ("Bedford Borough Council", "822"),
    ("Wigan Metropolitan Borough Council", "359"), ("Dudley Metropolitan Borough Council", "332"),
    ("Westminster City Council", "213"), ("City of York Council", "816"),
])
def test_variants_resolve(reg, name, number):
    assert reg.resolve(name).la_number == number


def test_ambiguous_or_partial_names_do_not_resolve(reg):
    for name in ("Richmond", "Kingston", "Northamptonshire Children's Trust Ltd", "Bedfordshire Central",
                 "Yorkshire", "Sussex", "Tyneside", "Achieving for Children"):
        assert reg.resolve(name) is None, name


def test_only_dorset_shares_a_name(reg):
    shared = {}
    for a in reg:
        for n in a.all_names:
            shared.setdefault(normalise_name(n), set()).add(a.la_number)
    assert {k: v for k, v in shared.items() if len(v) > 1} == {"dorset": {"835", "838"}}


def test_every_name_and_variant_round_trips(reg):
    for a in reg:
        when = a.end or a.start
        for n in a.all_names:
            assert reg.resolve(n, when) is a, n
            assert reg.find_all(n, when) == [(a, 0, len(n))], n


# Dates ----------------------------------------------------------------------------------------------------


def test_dorset_by_date(reg):
    assert reg.resolve("Dorset", date(2015, 1, 1)).la_number == "835"
    assert reg.resolve("Dorset County Council", date(2019, 3, 31)).la_number == "835"
    assert reg.resolve("Dorset Council", date(2020, 1, 1)).la_number == "838"
    assert reg.resolve("Dorset").la_number == "838"  # no date: the current one
    assert [a.la_number for a, _, _ in reg.find_all("Dorset", date(2015, 1, 1))] == ["835"]
    assert [a.la_number for a, _, _ in reg.find_all("Dorset", date(2020, 1, 1))] == ["838"]


def test_continuing_authorities_keep_one_entity(reg):
    assert reg.resolve("Northumberland", date(2010, 1, 1)) is reg.resolve("Northumberland", date(2020, 1, 1))
    assert reg.resolve("Northumberland").la_number == "929"
    before, after = reg.resolve("Sheffield", date(2025, 4, 30)), reg.resolve("Sheffield", date(2025, 5, 2))
    assert before is after and before.la_number == "373"
    assert {"E08000019", "E08000039"} <= set(before.codes) and before.gss == "E08000039"
    assert reg.by_code("E08000019") is before
    assert reg.by_code("E06000048") is reg.by_code("E10000022") is reg.by_code("929")
    assert reg.by_code("E10000002").gss == "E06000060"  # Buckinghamshire county then unitary


def test_reorganisations(reg):
    assert reg.resolve("Cumbria", date(2019, 1, 1)).la_number == "909"
    assert reg.resolve("Cumberland", date(2024, 1, 1)).la_number == "942"
    cumbria = reg.by_code("909")
    assert cumbria.end == date(2023, 3, 31) and cumbria.successors == ("942", "943")
    assert cumbria.operating_on(date(2023, 3, 31)) and not cumbria.operating_on(date(2023, 4, 1))
    assert cumbria.operating_on(date(2001, 1, 1))  # empty start: existed before the list began
    assert reg.by_code("942").predecessors == ("909",)
    assert not reg.by_code("942").operating_on(date(2023, 3, 31))
    assert set(reg.by_code("839").predecessors) == {"836", "837"}
    assert reg.by_code("928").successors == ("940", "941")
    assert reg.by_code("875").successors == ("895", "896")
    assert reg.by_code("820").successors == ("822", "823")
    for a in reg:  # predecessor and successor links agree both ways
        for s in a.successors:
            assert a.la_number in reg.by_code(s).predecessors
        for p in a.predecessors:
            assert a.la_number in reg.by_code(p).successors


# find_all ------------------------------------------------------------------------------------------------


def test_find_all_longest_whole_words(reg):
    assert _mentions(reg, "Bedford Borough Council and Central Bedfordshire") == [
        ("822", "Bedford"), ("823", "Central Bedfordshire")]
    assert _mentions(reg, "Leicestershire County Council") == [("855", "Leicestershire")]
    assert _mentions(reg, "Bedfordshire") == [("820", "Bedfordshire")]
    assert _mentions(reg, "East Riding of Yorkshire and North Tyneside") == [
        ("811", "East Riding of Yorkshire"), ("392", "North Tyneside")]
    assert _mentions(reg, "Kingston upon Hull, Kingston upon Thames") == [
        ("810", "Kingston upon Hull"), ("314", "Kingston upon Thames")]
    assert _mentions(reg, "Cheshire, East Sussex") == [("875", "Cheshire"), ("845", "East Sussex")]
    assert reg.find_all("Kentish, Bedfordian, Wiltshires, preDerby, Durham2, Kent_Surrey") == []


def test_find_all_spelling_variations(reg):
    for text in ("Telford & Wrekin", "Telford and Wrekin", "TELFORD AND\nWREKIN", "Telford&Wrekin"):
        assert [a.la_number for a, _, _ in reg.find_all(text)] == ["894"], text
    for text in ("Southend-on-Sea", "Southend on Sea", "Southend-on-\nSea", "Southend"):
        assert _mentions(reg, text) == [("882", text)]
    text = "the London Borough of Tower Hamlets"
    assert _mentions(reg, text) == [("211", "London Borough of Tower Hamlets")]
    assert _mentions(reg, "East Riding of\nYorkshire") == [("811", "East Riding of\nYorkshire")]
    assert _mentions(reg, "London Borough of Richmond upon\r\nThames") == [
        ("318", "London Borough of Richmond upon\r\nThames")]
    assert _mentions(reg, "St. Helens and St Helens") == [("342", "St. Helens"), ("342", "St Helens")]


def test_find_all_trusts(reg):
    text = "Together for Children works for the council; Birmingham Children’s Trust too."
    assert [a.name for a, _, _ in reg.find_all(text)] == ["Sunderland", "Birmingham"]
    assert reg.resolve("Together for Children").name == "Sunderland"
    assert reg.resolve("Birmingham Children's Trust").name == "Birmingham"
    assert reg.resolve("Doncaster Children's Services Trust").name == "Doncaster"
    assert reg.resolve("Slough Children First").name == "Slough"
    assert reg.resolve("Sandwell Children's Trust").name == "Sandwell"


def test_find_all_not_authorities(reg):
    # Ofsted's own address, streets, and places that contain an authority's name are not mentions.
    assert _mentions(reg, "Piccadilly Gate Store Street Manchester M1 2WD") == []
    assert _mentions(reg, "1 Reading Lane London E8 1GQ") == []
    assert _mentions(reg, "Greater Manchester Police and Manchester City Council") == [("352", "Manchester")]
    assert _mentions(reg, "Newcastle-under-Lyme, then Newcastle") == [("391", "Newcastle")]
    assert _mentions(reg, "Richmond, North Yorkshire") == [("815", "North Yorkshire")]
    assert _mentions(reg, "reading and writing in Reading") == [("870", "Reading")]


def test_find_all_is_non_overlapping_left_to_right(reg):
    text = "Westminster City Council, London Borough of Hammersmith and Fulham, and the Royal Borough of\n" \
           "Kensington and Chelsea"
    found = reg.find_all(text)
    assert [a.la_number for a, _, _ in found] == ["213", "205", "207"]
    ends = [0] + [e for _, _, e in found]
    assert all(s >= prev for (_, s, _), prev in zip(found, ends, strict=False))


# Loading ----------------------------------------------------------------------------------------------------


HEADER = "la_number,gss,former_gss,name,variants,kind,start,end,predecessors,successors,fictional\n"


def test_load_extra_fictional(tmp_path):
    extra = tmp_path / "authorities.csv"
    extra.write_text(HEADER + "990,X99999990,,Calderbrook,Calderbrook Borough Council,metropolitan,,,,,yes\n")
    reg = AuthorityRegister.load(extra=[extra])
    assert len(reg) == len(AuthorityRegister.load()) + 1
    cb = reg.resolve("Calderbrook Borough Council")
    assert cb is reg.by_code("X99999990") is reg.by_code("990")
    assert cb.fictional and not reg.by_code("919").fictional
    text = "Inspection of Calderbrook children's services"
    assert [a.name for a, _, _ in reg.find_all(text)] == ["Calderbrook"]
    assert "Calderbrook" in reg.names()


@pytest.mark.parametrize(("body", "fragment"), [
    ("la_number,gss,name\n990,X1,Foo\n", "line 1: missing column(s) former_gss"),
    (HEADER + "990,X99999990,,Foo,,borough,,,,,yes\n", "line 2: kind 'borough'"),
    (HEADER + "990,X99999990,,Foo,,unitary,1/4/2019,,,,yes\n", "line 2: start '1/4/2019' is not a date"),
    (HEADER + "990,X99999990,,Foo,,unitary,,,,,yes\n991,X99999991,,Bar, Baz,unitary,,,,,yes,extra\n",
     "line 3: 12 fields for 11 columns"),
    (HEADER + "990,X99999990,,Foo,,unitary\n", "line 2: no value for start"),
    (HEADER + "990,,,Foo,,unitary,,,,,yes\n", "line 2: gss is empty"),
    (HEADER + "990,X99999990,,Foo,,unitary,,,,,maybe\n", "line 2: fictional 'maybe'"),
    (HEADER + "919,X99999990,,Foo,,unitary,,,,,yes\n", "code 919 is used by both"),
])
def test_load_malformed_extra(tmp_path, body, fragment):
    bad = tmp_path / "bad-authorities.csv"
    bad.write_text(body)
    with pytest.raises(ValueError) as err:
        AuthorityRegister.load(extra=[bad])
    assert str(bad) in str(err.value)
    assert fragment in str(err.value)


def test_load_missing_extra(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(ValueError, match=r"nope\.csv"):
        AuthorityRegister.load(extra=[missing])


# No work at import ----------------------------------------------------------------------------------------


def test_import_reads_nothing():
    # A fresh interpreter spies on importlib.resources.files before importing the module: importing must not
    # call it, loading must (which shows the spy is in the module's path).
    code = textwrap.dedent("""
        import importlib.resources
        calls = []
        real = importlib.resources.files
        importlib.resources.files = lambda *a: calls.append(a) or real(*a)
        import ofsted_kg.ingest.authorities as m
        assert calls == [], calls
        reg = m.AuthorityRegister.load()
        assert calls and len(reg) > 100
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_no_class_level_data_and_lazy_pattern():
    for value in vars(AuthorityRegister).values():
        assert not isinstance(value, Authority | tuple | list | dict), value
    reg = AuthorityRegister.load()
    assert "_pattern" not in vars(reg)  # compiled on first use, not at load
    reg.find_all("Kent")
    pattern = vars(reg)["_pattern"]
    reg.find_all("Surrey")
    assert vars(reg)["_pattern"] is pattern
    assert reg.names() == sorted({a.name for a in reg})
    assert "Hertfordshire" in reg.names() and reg.names().count("Dorset") == 1
