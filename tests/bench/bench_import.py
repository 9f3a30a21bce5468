"""import_10k: in-process import of a 10,000-row workers .xlsx with full validation and the
pre-import backup, over openpyxl read-only iteration of the same file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.common import bench_line, timed

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志新海波宁晓东雪飞鹏辉"


def make_workbook(path: Path, rows: int = 10_000) -> None:
    """A clerk-style workbook: a merged title row, a header, 12 columns, text IDs."""
    from db.validators import id_check_digit

    wb = Workbook()
    ws = wb.active
    ws.append(["2026年宁海县跃龙街道职工花名册"])
    ws.merge_cells("A1:L1")
    ws.append(["序号", "姓名", "性别", "身份证号码", "工作单位", "手机号码", "工种", "技能等级", "政治面貌",
               "文化程度", "人员类别", "入会时间"])
    for n in range(rows):
        body = f"330226{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{n // 336:03d}"
        male = int(body[-1]) % 2 == 1
        ws.append([n + 1, SURNAMES[n % 20] + GIVEN[(n // 20) % 40] + GIVEN[(n // 800) % 40], "男" if male else "女",
                   body + id_check_digit(body), f"宁海{GIVEN[n % 40]}机械有限公司", f"138{n:08d}", "数控铣工",
                   "高级工", "群众", "高中", "职工", f"2020.{1 + n % 12}.1"])
    wb.save(path)


def baseline(path: Path) -> int:
    wb = load_workbook(path, read_only=True)
    n = sum(1 for _ in wb.active.iter_rows(values_only=True))
    wb.close()
    return n


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["UNIONDESK_HOME"] = str(folder / "home")
        os.environ["UNIONDESK_NO_QSETTINGS"] = "1"
        book = folder / "workers10k.xlsx"
        make_workbook(book)
        from desktop.context import open_app
        from desktop.importing import service

        base = min(timed(lambda: baseline(book)) for _ in range(3))
        results = []
        for i in range(3):
            app = open_app(str(folder / f"bench{i}.sqlite3"), daily_backup=False)
            report = None

            def run(a=app) -> None:
                nonlocal report
                report = service.import_file(a, "workers", book)

            results.append(timed(run))
            assert report is not None and report.imported == 10_000, report.summary() if report else ""
            app.close()
        bench_line("import_10k", min(results), base, "s")


if __name__ == "__main__":
    main()
