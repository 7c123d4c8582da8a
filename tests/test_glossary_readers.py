"""Glossary files: TSV/CSV per the DESIGN contract, TBX-Basic and TBX v3, bad input."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from mtqa.errors import InputError
from mtqa.glossary import load_glossaries, read_glossary
from mtqa.readers.glossary_table import parse_table
from mtqa.readers.tbx import parse_tbx

HEADER = "source\ttarget\tforbidden\tnote\tcase"


def test_tsv_contract() -> None:
    terms = parse_table("\n".join([
        HEADER,
        "# a comment line",
        "",
        "河长制\triver chief system | river chief mechanism\triver long system\tcalque\t",
        "党支部\tParty branch\t\tXinhua style\tsensitive",
        "\tCommunist Party of China\tChinese Communist Party\t\t",
    ]), "g.tsv")
    assert [t.source for t in terms] == ["河长制", "党支部", ""]
    assert terms[0].targets == ("river chief system", "river chief mechanism")
    assert terms[0].forbidden == ("river long system",)
    assert terms[0].note == "calque" and terms[0].case == "insensitive"
    assert terms[1].case_sensitive and terms[1].origin == "g.tsv:5"
    assert terms[2].label() == "Communist Party of China"


def test_tsv_trailing_columns_may_be_omitted_and_order_is_free() -> None:
    terms = parse_table("target\tsource\n河长\triver chief\n".replace("河长\triver chief",
                                                                      "river chief\t河长"), "g.tsv")
    assert terms[0].source == "河长" and terms[0].targets == ("river chief",)


def test_csv_with_quoted_fields() -> None:
    text = ('source,target,forbidden,note\n'
            '生态环境部,"Ministry of Ecology and Environment","Ministry of Ecological Environment",'
            '"official name, english.mee.gov.cn"\n')
    (term,) = parse_table(text, "g.csv", ",")
    assert term.note == "official name, english.mee.gov.cn"
    assert term.forbidden == ("Ministry of Ecological Environment",)


@pytest.mark.parametrize("text, line, message", [
    ("source\ttranslation\n", 1, "unknown glossary column 'translation'"),
    ("source,target\n", 1, "comma-separated"),
    ("source\tforbidden\n", 1, "lacks the 'target' column"),
    (f"{HEADER}\n河长\triver chief\t\t\tsensitive\textra\n", 2, "6 tab-separated fields"),
    (f"{HEADER}\n河长\triver chief\t\t\tupper\n", 2, "case must be"),
    (f"{HEADER}\n河长\t\t\t\t\n", 2, "needs a target or a forbidden"),
    (f"{HEADER}\n\triver chief\t\t\t\n", 2, "target-only rule"),
    (f"{HEADER}\n河长\triver chief\n# c\n河长\triver head\n", 4, "first on line 2"),
    (f"{HEADER}\n河长\triver chief\tRiver Chief\n", 2, "both accepted and forbidden"),
    ("", None, "file is empty"),
])
def test_tsv_errors_name_file_and_line(tmp_path: Path, text: str, line: int | None,
                                       message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_glossary(path)
    assert err.value.line == line
    assert message in str(err.value) and str(path) in str(err.value)


def test_bad_csv_quoting_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        parse_table('source,target\n河长,"river chief\n', "g.csv", ",")
    assert "bad CSV" in str(err.value)


TBX_BASIC = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="zh">
 <text><body>
  <termEntry id="e1">
   <descrip type="definition">official name</descrip>
   <langSet xml:lang="zh-CN"><tig><term>生态环境部</term></tig></langSet>
   <langSet xml:lang="en-US">
    <tig><term>Ministry of Ecology and Environment</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>MEE</term>
     <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <tig><term>Ministry of Ecological Environment</term>
     <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
    <tig><term>Ministry of Environmental Protection</term>
     <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
   </langSet>
  </termEntry>
  <termEntry id="e2">
   <langSet xml:lang="en"><tig><term>Chinese Communist Party</term>
     <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""

TBX_V3_DCT = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="zh" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:basic="http://www.tbxinfo.net/ns/basic">
 <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="zh"><termSec><term>河长制</term></termSec></langSec>
   <langSec xml:lang="en">
    <termSec><term>river chief system</term>
     <basic:administrativeStatus>preferredTerm-admn-sts</basic:administrativeStatus></termSec>
    <termSec><term>river long system</term>
     <basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus></termSec>
   </langSec>
  </conceptEntry>
 </body></text>
</tbx>
"""

TBX_V3_DCA = TBX_V3_DCT.replace(
    "<basic:administrativeStatus>preferredTerm-admn-sts</basic:administrativeStatus>",
    '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>').replace(
    "<basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>",
    '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>').replace(
    'style="dct"', 'style="dca"')


def test_tbx_basic_statuses_map_to_required_accepted_forbidden() -> None:
    terms = parse_tbx(TBX_BASIC, "g.tbx")
    mee, ccp = terms
    assert mee.source == "生态环境部"
    assert mee.targets == ("Ministry of Ecology and Environment", "MEE")
    assert mee.forbidden == ("Ministry of Ecological Environment",
                             "Ministry of Environmental Protection")
    assert mee.note == "official name" and mee.origin == "g.tbx:5"
    assert ccp.source == "" and ccp.forbidden == ("Chinese Communist Party",)


@pytest.mark.parametrize("text", [TBX_V3_DCT, TBX_V3_DCA])
def test_tbx_v3_dct_and_dca(text: str) -> None:
    (term,) = parse_tbx(text, "g.tbx")
    assert term.source == "河长制"
    assert term.targets == ("river chief system",)
    assert term.forbidden == ("river long system",)


def test_tbx_languages_follow_the_run_when_given() -> None:
    # Every source-language term is a way the source may say it, deprecated or not.
    terms = parse_tbx(TBX_V3_DCT, "g.tbx", source_lang="en", target_lang="zh")
    assert [(t.source, t.targets) for t in terms] == [("river chief system", ("河长制",)),
                                                      ("river long system", ("河长制",))]


BOMB = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&b;</term></tig>
</langSet></termEntry></body></text></martif>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&x;</term></tig>
</langSet></termEntry></body></text></martif>
"""


@pytest.mark.parametrize("text, line, message", [
    (BOMB, 2, "refused unsafe XML"),
    (EXTERNAL, 2, "refused unsafe XML"),
    ("<martif>\n<text>\n</martif>", 3, "malformed XML"),
    ("<glossary/>", 1, "not a TBX file"),
    (TBX_BASIC.replace("admittedTerm-admn-sts", "okTerm"), 12, "unknown term status 'okTerm'"),
    (TBX_BASIC.replace('<langSet xml:lang="en">', "<langSet>"), 20, "without xml:lang"),
    (TBX_BASIC.replace("<term>MEE</term>", ""), 11, "without a <term>"),
])
def test_tbx_errors_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_glossary(path)
    assert err.value.line == line, str(err.value)
    assert message in str(err.value)


def test_three_languages_need_the_pair() -> None:
    text = TBX_BASIC.replace(' </body>', '<termEntry><langSet xml:lang="fr"><tig><term>'
                             'ministère</term></tig></langSet></termEntry></body>')
    with pytest.raises(InputError, match="give --source-lang"):
        parse_tbx(text, "g.tbx")
    assert parse_tbx(text, "g.tbx", "zh", "en")


def test_several_glossaries_later_entry_wins(tmp_path: Path) -> None:
    a = tmp_path / "a.tsv"
    b = tmp_path / "b.csv"
    a.write_text(f"{HEADER}\n河长\triver chief\n河湖\trivers and lakes\n", encoding="utf-8")
    b.write_text("source,target\n河长,river head\n", encoding="utf-8")
    g = load_glossaries([a, b])
    assert g is not None
    assert {t.source: t.targets for t in g.terms} == {"河长": ("river head",),
                                                      "河湖": ("rivers and lakes",)}
    assert load_glossaries([]) is None


def test_shipped_glossaries_load() -> None:
    for path in (ROOT / "references" / "glossaries").glob("*.tsv"):
        terms = read_glossary(path)
        assert len(terms) >= 15
        assert all(t.note or not t.forbidden for t in terms), path


def test_cli_bad_glossary_exits_2_with_one_line(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_text("The river chief system works.\n", encoding="utf-8")
    bad = tmp_path / "g.tsv"
    bad.write_text("source\ttarget\n河长\triver chief\textra\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mtqa", "check", str(target), "-g", str(bad)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert f"{bad}:2:" in proc.stderr
