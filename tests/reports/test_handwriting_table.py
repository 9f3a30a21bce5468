"""Forms for handwriting (issue 12, item 8) on made-up tables: tall rows for handwritten columns, header
labels that never orphan a character, the signature block on the page of the last rows, short tables
printed larger, and Chinese line breaking (禁则) in cells and notes. PDFs read back with pymupdf."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reports.fonts import FontSet
from reports.linebreak import NO_END, NO_START
from reports.spec import PAYMENT_SIGNATURES, ColumnSpec, TableReport
from tests.reports import pdfread

NOTE = ("评分说明：数控铣工：理论成绩占 30%，实操成绩占 70%，去掉一个最高分和一个最低分后取平均；电工：理论成绩占"
        " 40%，实操成绩占 60%。各项满分 100 分，保留两位小数。“红色工匠”（培育对象）《办法》：“优秀。”）")


def _write(report: TableReport, path: Path, fontset: FontSet) -> Path:
    from reports.pdf_table import write_table_pdf

    write_table_pdf(report, path, fonts=fontset)
    return path


def _names(n: int) -> list[str]:
    return [f"{'王李张刘陈杨'[i % 6]}{'建国秀英志强'[i // 6 % 6]}{'明华军'[i // 36 % 3]}" for i in range(n)]


def _form(n: int, **kw: object) -> TableReport:
    columns = [ColumnSpec("no", "序号", 4, "int"), ColumnSpec("name", "姓名", 8), ColumnSpec("unit", "工作单位", 24),
               ColumnSpec("score", "实操成绩", 10, "amount", handwritten=True),
               ColumnSpec("sign", "本人签字", 10, handwritten=True)]
    rows = [(i + 1, name, "宁海县跃龙街道总工会", None, "") for i, name in enumerate(_names(n))]
    return TableReport("职工技能比武评分表", columns, rows, "宁海县跃龙街道总工会", printed_on=date(2026, 12, 6),
                       **kw)  # type: ignore[arg-type]


def test_handwriting_rows_are_at_least_10_mm(tmp_path: Path, fontset: FontSet) -> None:
    pdf = _write(_form(12), tmp_path / "form.pdf", fontset)
    heights = pdfread.row_heights_mm(pdf, 0)
    assert len(heights) == 12 and min(heights) >= 10.0, heights
    plain = _form(12)
    plain.columns = [ColumnSpec(c.key, c.label, c.width, c.kind) for c in plain.columns]  # nothing by hand
    heights = pdfread.row_heights_mm(_write(plain, tmp_path / "list.pdf", fontset), 0)
    assert max(heights) < 8.0, "a list nobody writes on keeps compact rows"


@pytest.mark.parametrize("width", [6, 8, 10])
def test_handwriting_header_labels_never_orphan_a_character(tmp_path: Path, fontset: FontSet, width: int) -> None:
    labels = ["导师评培育对象", "培育对象评导师", "标准（元/月）", "本月带徒期间", "领取人签字", "金额（元）"]
    columns = [ColumnSpec("unit", "工作单位", 40)] + [
        ColumnSpec(f"c{i}", label, width, handwritten=True) for i, label in enumerate(labels)]
    columns += [ColumnSpec(f"x{i}", f"附加栏目{i}", 10) for i in range(4)]
    rows = [("宁波舜威精密模具有限公司", *[""] * (len(columns) - 1))] * 3
    report = TableReport("评议表", columns, rows, "总工会", printed_on=date(2026, 12, 6), landscape=False)
    found = pdfread.header_lines(_write(report, tmp_path / "h.pdf", fontset))
    assert "".join(found).replace(" ", "") == "".join(c.label for c in columns)
    assert all(len(x) >= 2 for x in found), found
    assert not any(x[0] in NO_START or x[-1] in NO_END for x in found), found
    assert not any(x.endswith(("（元", "（元/")) for x in found), f"brackets kept whole: {found}"
    assert any(x != c.label for x in found for c in columns[1:3]), "the labels had to break"


def test_handwriting_signature_block_stays_with_the_last_rows(tmp_path: Path, fontset: FontSet) -> None:
    """Whatever the row count, 评委签名/制表人 lines print on the page of the table's last row, below rows."""
    signs = ("评委签名：＿＿＿＿＿＿＿＿＿＿", *PAYMENT_SIGNATURES)
    moved = 0
    for n in range(14, 26):
        report = _form(n, footnote=NOTE, signatures=signs)
        pdf = _write(report, tmp_path / f"s{n}.pdf", fontset)
        last = pdfread.page_of(pdf, _names(n)[-1])[-1]
        assert pdfread.page_of(pdf, "评委签名") == [last], n
        assert pdfread.page_of(pdf, "制表人") == pdfread.page_of(pdf, "日期：") == [last], n
        rows_on_last = [ln for ln in pdfread.lines(pdf) if ln.page == last and ln.text.split()[-1] in _names(n)]
        assert len(rows_on_last) >= min(2, n), n
        moved += last > 0
    assert moved, "some row counts put the last rows on page 2"


def test_handwriting_short_table_prints_larger(tmp_path: Path, fontset: FontSet) -> None:
    """A short table with many columns (the red-craftsman summary) prints at the body size, not 8 pt."""
    labels = ["名额", "上年结转", "可用名额", "推荐人数", "推荐比例", "新入库", "补充入库", "移出", "在库", "集中培训",
              "已评议", "调整结对", "导师评优"]
    columns = [ColumnSpec("track", "培育类别", 14)] + [ColumnSpec(f"n{i}", x, 8, "int") for i, x in enumerate(labels)]
    columns.append(ColumnSpec("outcome", "培育成效", 24))
    rows = [("A类（党员→技术能手）", *range(10, 23), "成为技术能手 1 人（晋升技能等级 1）"),
            ("B类（技术能手→党员）", *range(3, 16), "入党申请 5、入党积极分子 2、发展对象 0、预备党员 0、正式党员 0"),
            ("合计", *range(13), "")]
    report = TableReport("培育工作汇总表", columns, rows, "总工会", printed_on=date(2026, 12, 6), landscape=True)
    pdf = _write(report, tmp_path / "summary.pdf", fontset)
    cells = [ln for ln in pdfread.lines(pdf) if "技术能手" in ln.text or ln.text.strip() == "合计"]
    assert cells and min(ln.size for ln in cells) >= 10.0, [(ln.text, ln.size) for ln in cells]
    assert pdfread.page_of(pdf, "合计") == [0]
    assert all(len(x) >= 2 for x in pdfread.header_lines(pdf))


@pytest.mark.parametrize("width", [12, 17, 23, 31])
def test_handwriting_no_cell_line_starts_with_closing_punctuation(tmp_path: Path, fontset: FontSet,
                                                                  width: int) -> None:
    columns = [ColumnSpec("name", "姓名", 8), ColumnSpec("note", "备注", width)]
    rows = [(name, "另" * i + NOTE) for i, name in enumerate(_names(8))]
    report = TableReport("说明", columns, rows, "总工会", printed_on=date(2026, 12, 6), footnote=NOTE,
                         landscape=False)
    found = pdfread.lines(_write(report, tmp_path / "n.pdf", fontset))
    wrapped = [ln.text.strip() for ln in found if ln.text.strip()]
    assert any("保留两位小数" in x for x in wrapped)
    assert not [x for x in wrapped if x[0] in NO_START], "a line starts with closing punctuation"
    assert not [x for x in wrapped if x[-1] in NO_END], "a line ends with opening punctuation"


def test_handwriting_wrap_rules_at_every_width(fontset: FontSet) -> None:
    """ReportLab paragraphs (one font and several) after reports.pdf_wrap.install(): 禁则 at any width."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from reports.fonts import register_fonts
    from reports.pdf_wrap import install, mend_break

    assert mend_break(list("保留两位小数，"), 0, 6) == 5
    assert mend_break(list("见《办法》"), 0, 2) == 1
    install()
    names = register_fonts(fontset)
    style = ParagraphStyle("t", fontName=names["body"], fontSize=9, leading=12, wordWrap="CJK")
    for text in (NOTE, f'<font name="{names["title"]}">注</font>{NOTE}'):
        for w in range(30, 420, 5):
            p = Paragraph(text, style)
            p.wrap(w, 10000)
            out = []
            for line in p.blPara.lines:
                words = line[1] if isinstance(line, tuple | list) else [f.text for f in line.words]
                out.append("".join(words).strip())
            assert "".join(out).replace(" ", "").endswith(NOTE.replace(" ", "")), w
            assert not any(x and x[0] in NO_START for x in out[1:]), (w, out)
            assert not any(x and x[-1] in NO_END for x in out[:-1]), (w, out)


def test_handwriting_apprentice_letter_wraps_by_the_same_rules(fontset: FontSet) -> None:
    from reports.apprentice_letter import _wrap
    from reports.canvas_text import CanvasFonts

    f = CanvasFonts(fontset)
    text = "弟子热依拉·艾力，系宁波精晟文具有限公司职工。久慕师傅技艺精湛，潜心学习“文具装配工”技艺（见《办法》）。"
    for width in range(60, 400, 3):
        lines = _wrap(f, text, f.body, 12, width, 24)
        assert "".join(lines) == text
        assert not any(x[0] in NO_START for x in lines[1:]), (width, lines)
        assert not any(x[-1] in NO_END for x in lines[:-1]), (width, lines)


def test_handwriting_soft_break_mark_is_never_printed() -> None:
    from reports.linebreak import SOFT
    from reports.spec import format_cell

    assert format_cell(f"二〇二六年宁海县职工职业技能竞赛{SOFT}数控铣工项目") == "二〇二六年宁海县职工职业技能竞赛数控铣工项目"
