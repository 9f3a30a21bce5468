"""The font per role chosen in Settings by family name (issue 12, item 7): the families listed,
the face a role takes, the fallback of a seat that lacks the family (said once), the choice
stored in the database, and a rare character falling back to a face of the same style."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from reports.fonts import (
    FontMissing,
    FontSet,
    covers,
    fallback_names,
    find_fonts,
    list_families,
    register_fonts,
    split_runs,
    take_notice,
)
from reports.fonts.faces import FontFile
from reports.fonts.tables import style_of


@pytest.fixture
def fontset() -> FontSet:
    try:
        return find_fonts()
    except FontMissing:
        pytest.skip("no CJK TrueType font on this machine: sudo apt install fonts-lxgw-wenkai")


def _wenkai():
    fam = next((f for f in list_families() if f.name == "LXGW WenKai"), None)
    if fam is None:
        pytest.skip("needs LXGW WenKai (sudo apt install fonts-lxgw-wenkai)")
    return fam


def test_families_listed_with_chinese_labels_and_styles(fontset: FontSet) -> None:
    fams = list_families()
    assert fams and all(f.faces for f in fams)
    wenkai = _wenkai()
    assert wenkai.label == "霞鹜文楷" and wenkai.style == "kai"
    assert "Bold" in Path(wenkai.face_for("title").path).name
    assert "Regular" in Path(wenkai.face_for("body").path).name
    assert not any(f.name.startswith("DejaVu") for f in fams)  # Latin-only fonts are not offered


def test_style_from_names() -> None:
    assert style_of("simkai") == style_of("STKAITI") == style_of("LXGWWenKai-Regular") == "kai"
    assert style_of("simsun") == style_of("HanaMinA") == style_of("uming") == "song"
    assert style_of("simhei") == style_of("msyh") == style_of("wqy-zenhei") == "hei"
    assert style_of("simfang") == style_of("FangSong") == "fang"


def test_a_chosen_family_is_used_per_role(fontset: FontSet) -> None:
    _wenkai()
    mono = next((f for f in list_families() if f.name == "LXGW WenKai Mono"), None)
    if mono is None:
        pytest.skip("needs LXGW WenKai Mono")
    fs = find_fonts(families={"name": "LXGW WenKai Mono", "title": "霞鹜文楷"})
    assert Path(fs.name.path).name == "LXGWWenKaiMono-Regular.ttf"
    assert Path(fs.title.path).name == "LXGWWenKai-Bold.ttf"
    assert not fs.missing and fs.notice == ""


def test_a_missing_family_falls_back_and_says_so_once(fontset: FontSet, caplog: pytest.LogCaptureFixture) -> None:
    take_notice()
    with caplog.at_level(logging.WARNING):
        fs = find_fonts(families={"name": "方正小标宋简体-不存在"})
        again = find_fonts(families={"name": "方正小标宋简体-不存在"})
    assert fs.name == fontset.name  # the usual choice: the render still works
    assert fs.missing == (("name", "方正小标宋简体-不存在"),) == again.missing
    assert "方正小标宋简体-不存在" in fs.notice and "姓名" in fs.notice
    assert sum("not installed here" in r.message for r in caplog.records) == 1
    first = take_notice()
    assert "方正小标宋简体-不存在" in first
    assert take_notice() == ""


def _only_in(font_a: str, font_b: str) -> str | None:
    """A CJK Extension A character ``font_a`` has and ``font_b`` lacks."""
    for cp in range(0x3400, 0x4DC0):
        if covers(font_a, chr(cp)) and not covers(font_b, chr(cp)):
            return chr(cp)
    return None


def test_a_kai_name_falls_back_to_a_kai_face_first(fontset: FontSet, tmp_path: Path) -> None:
    """The name is in a Kai face; a character it lacks is in a Song face (earlier in the usual
    chain, as the body font) and in a Kai face: the Kai face draws it."""
    wenkai = _wenkai()
    song = next((f for f in list_families() if f.style == "song" and f.name.startswith("HanaMinA")), None)
    if song is None:
        pytest.skip("needs HanaMinA (sudo apt install fonts-hanazono)")
    song_face = song.face_for("body")
    kai_copy = tmp_path / "FallbackKai.ttf"  # the same glyphs as the Song face, under a Kai name
    os.symlink(song_face.path, kai_copy)
    fs = FontSet(title=wenkai.face_for("title"), name=wenkai.face_for("name"), body=song_face,
                 extra=(FontFile(str(kai_copy)),))
    names = register_fonts(fs)
    ch = _only_in(names["body"], names["name"])
    if ch is None:
        pytest.skip("no character the Song face has and the Kai face lacks")
    usual = fallback_names(fs)
    assert usual[0] == names["body"]  # without a role: the body (Song) first, as before
    kai_chain = fallback_names(fs, "name")
    kai_name = FontFile(str(kai_copy)).font_name
    assert kai_chain.index(kai_name) < kai_chain.index(names["body"])
    runs = split_runs(f"王{ch}", names["name"], kai_chain)
    assert runs == [(names["name"], "王"), (kai_name, ch)]
    # a Song body keeps to Song: the body's chain tries the Song faces before the Kai ones
    song_chain = fallback_names(fs, "body")
    assert song_chain.index(names["body"]) < song_chain.index(names["name"])
