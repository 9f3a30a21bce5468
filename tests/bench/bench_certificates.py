"""certificates_1000: the renderer, in-process, writing 1,000 certificates with serials and
verification QR on the default template (honour), over raw ReportLab drawing the same page
content in the same run: the same texts at the same places in the same fonts, the same
border (drawn once into a form XObject, as a careful ReportLab program would), and the QR
from segno with the same fixed mask drawn the same way (dark runs as one path).

The baseline knows the layout in advance: it wraps the body with a plain greedy character
loop and draws every line with ``drawString``; the renderer fills placeholders, fits every
field (shrink, wrap, fallback fonts) and writes the file atomically.

Prints ``BENCH certificates_1000 <ratio> <seconds>s <baseline>s`` (best of five each, interleaved).
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import bench_line, timed

N = 1000
RUNS = 5
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志新海波宁晓东雪飞鹏辉"
UNITS = ("宁波拓锋精密机械有限公司", "宁海县跃龙模具有限公司", "宁海县第一职业中学", "浙江海宁电器股份有限公司",
         "宁海县桃源街道社区卫生服务中心")
EVENTS = ("2026年宁海县职工职业技能竞赛数控铣工项目", "2026年宁海县职工职业技能竞赛电工项目",
          "2026年宁海县职工职业技能竞赛焊工项目")
AWARDS = ("一等奖", "二等奖", "三等奖", "优秀奖")


def records(n: int = N) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i in range(n):
        serial = f"UD-2026-competitions-{i + 1:05d}"
        code = hashlib.sha256(serial.encode()).hexdigest()[:6].upper()
        name = SURNAMES[i % 20] + GIVEN[(i // 20) % 40] + ("" if i % 3 == 0 else GIVEN[(i // 7) % 40])
        out.append({"name": name, "unit": UNITS[i % len(UNITS)], "award": AWARDS[i % 4],
                    "event": EVENTS[(i // 50) % len(EVENTS)], "issuer": "宁海县跃龙街道总工会",
                    "date": date(2026, 5, 1), "serial": serial, "verify": f"{serial}.{code}"})
    return out


def baseline(path: Path, recs: list[dict[str, object]]) -> int:
    """Raw ReportLab: the honour page drawn by hand."""
    import segno
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from reports.certificates.borders import draw_border
    from reports.cn_dates import date_cn
    from reports.fonts import find_fonts, register_fonts

    names = register_fonts(find_fonts())
    title_f, name_f, body_f = names["title"], names["name"], names["body"]
    w, h = 297 * mm, 210 * mm
    c = Canvas(str(path), pagesize=(w, h), initialFontName=body_f, pageCompression=1)
    c.setViewerPreference("PrintScaling", "None")
    c.beginForm("border")
    draw_border(c, "red_classic", w, h)
    c.setFillColor(HexColor("#B5121B"))
    t = c.beginText(0, 0)
    t.setFont(title_f, 52)
    t.setCharSpace(26)
    t.setTextOrigin(w / 2 - (4 * 52 + 3 * 26) / 2, h - 52 * mm)
    t.textOut("荣誉证书")
    c.drawText(t)
    c.endForm()
    ink, grey = HexColor("#1A1A1A"), HexColor("#555555")
    box_x, box_w = 42 * mm, 213 * mm
    for r in recs:
        c.doForm("border")
        c.setFillColor(ink)
        c.setFont(name_f, 26)
        c.drawString(box_x, h - 79 * mm, f"{r['unit']}{r['name']}同志：")
        body = f"　　在{r['event']}中荣获{r['award']}，特发此证，以资鼓励。"
        c.setFont(body_f, 22)
        y, line, used = h - 86 * mm - 19.4, "", 0.0
        for ch in body:
            cw = stringWidth(ch, body_f, 22)
            if used + cw > box_w:
                c.drawString(box_x, y, line)
                y, line, used = y - 22 * 1.8, "", 0.0
            line, used = line + ch, used + cw
        c.drawString(box_x, y, line)
        c.setFont(body_f, 20)
        c.drawCentredString(215 * mm, h - 148 * mm, str(r["issuer"]))
        c.setFont(body_f, 18)
        d = r["date"]
        assert isinstance(d, date)
        c.drawCentredString(215 * mm, h - 160.5 * mm, date_cn(d))
        c.setFillColor(grey)
        c.setFont(body_f, 9)
        c.drawString(30 * mm, h - 182.5 * mm, f"证书编号：{r['serial']}")
        qr = segno.make(str(r["verify"]), error="m", mask=0, micro=False, boost_error=False)
        matrix = qr.matrix
        n = len(matrix)
        module = 26 * mm / (n + 4)
        parts = []
        for row_i, row in enumerate(matrix):
            start = -1
            for col, v in enumerate(row):
                if v & 1:
                    if start < 0:
                        start = col
                elif start >= 0:
                    parts.append(f"{start} {n - 1 - row_i} {col - start} 1 re")
                    start = -1
            if start >= 0:
                parts.append(f"{start} {n - 1 - row_i} {n - start} 1 re")
        ox, oy = 30 * mm + 2 * module, h - 176 * mm + 2 * module
        c._code.append(f"q 0 g {module:.4f} 0 0 {module:.4f} {ox:.3f} {oy:.3f} cm {' '.join(parts)} f Q")
        c.showPage()
    c.save()
    return len(recs)


def renderer(path: Path, recs: list[dict[str, object]]) -> int:
    from reports.certificates.render import render_certificates
    from reports.certificates.template import builtin_templates

    template = builtin_templates()["honour"]
    pages = [0]

    def progress(done: int, total: int) -> None:
        pages[0] = done

    return render_certificates(template, recs, path, progress=progress, cancelled=lambda: False)


def main() -> None:
    from reports.fonts import find_fonts, register_fonts

    register_fonts(find_fonts())  # the font scan is the app's start-up, not the job's
    recs = records()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base_times, ours = [], []
        for i in range(RUNS):  # interleaved, so both see the same machine state
            base_times.append(timed(lambda i=i: baseline(folder / f"base{i}.pdf", recs)))
            ours.append(timed(lambda i=i: renderer(folder / f"ours{i}.pdf", recs)))
        sizes = (folder / "base0.pdf").stat().st_size, (folder / "ours0.pdf").stat().st_size
        print(f"# pages {N}, file sizes: baseline {sizes[0] // 1024} KB, renderer {sizes[1] // 1024} KB", flush=True)
        bench_line("certificates_1000", min(ours), min(base_times), "s")


if __name__ == "__main__":
    main()
