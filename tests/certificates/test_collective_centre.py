"""The certificate centre with units in the list (issue 14 part 4): a list of units starts on the
source's template for units, a list of people and units says which template the others print on,
and saving gives each its own kind, through real widgets. ``UNIONDESK_TEST_SHOTS=/folder`` keeps PNGs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy import select

from db.models.certificates import Certificate
from desktop.context import App
from tests.certificates.collective_support import KEY, TEAM, UNIT, install, pdf_pages, person, unit
from ui.certificates.centre import CertificateCentre, open_certificate_centre

pytestmark = [pytest.mark.usefixtures("look"), pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("UNIONDESK_TEST_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"ud_collective_{name}.png"))


@pytest.fixture
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: 0)  # "证书已生成" offers to open the file


@pytest.fixture
def centre_on(qtbot: Any, app_ctx: App, quiet: None) -> Iterator[Any]:
    opened: list[CertificateCentre] = []

    def make() -> CertificateCentre:
        dlg = open_certificate_centre(None, app_ctx, source=KEY, params={"year": 2026})
        qtbot.addWidget(dlg)
        dlg.resize(1280, 800)
        assert dlg._load_job is not None and dlg._load_job.wait()
        qtbot.waitUntil(lambda: dlg.selection is not None and dlg.preview.ready(), timeout=30_000)
        opened.append(dlg)
        return dlg

    yield make
    for dlg in opened:
        for job in (dlg.job, dlg.preview.job, dlg._load_job):
            if job is not None:
                job.wait()


def templates_given(app: App) -> list[str]:
    with app.db.session() as s:
        return list(s.execute(select(Certificate.template).order_by(Certificate.id)).scalars())


def test_a_list_of_units_starts_on_the_citation(monkeypatch: pytest.MonkeyPatch, centre_on: Any, app_ctx: App,
                                               tmp_path: Path) -> None:
    install(monkeypatch, [unit(organisation_id=1), unit(TEAM, "工人先锋号", organisation_id=1, team="数控车间一班")])
    dlg = centre_on()
    assert dlg.template_combo.currentData() == "citation" and dlg.template_combo.currentText() == "集体奖状"
    assert not dlg.kind_label.isVisible()
    assert dlg.summary.text() == "集体荣誉（测试）：共 2 个单位" and dlg.chooser.count_label.text() == "已选 2 项，共 2 项"
    shot(dlg, "units")
    out = tmp_path / "奖状.pdf"
    job = dlg.save_pdf(out)
    assert job is not None and job.wait()
    pages = pdf_pages(out)
    assert [p[0] for p in pages] == ["奖状", "奖状"] and f"{UNIT}：" in pages[0] and f"{TEAM}：" in pages[1]
    assert templates_given(app_ctx) == ["citation", "citation"]


def test_a_list_of_people_and_units_prints_each_on_its_kind(monkeypatch: pytest.MonkeyPatch, centre_on: Any,
                                                            app_ctx: App, qtbot: Any, tmp_path: Path) -> None:
    install(monkeypatch, [person("王素兰"), unit(organisation_id=1), person("张三")])
    dlg = centre_on()
    assert dlg.template_combo.currentData() == "honour"
    assert dlg.kind_label.isVisible() and dlg.kind_label.text() == "其中 1 个单位用“集体奖状”（按受表彰对象自动选用）"
    assert dlg.preview.total == 3 and dlg.summary.text() == "集体荣誉（测试）：共 2 人、1 个单位"
    shot(dlg, "mixed")
    dlg.template_combo.setCurrentIndex(dlg.template_combo.findData("plaque"))
    assert dlg.kind_label.text() == "其中 2 人用“荣誉证书”（按受表彰对象自动选用）"
    qtbot.waitUntil(lambda: dlg.preview.ready(), timeout=30_000)
    out = tmp_path / "混合.pdf"
    job = dlg.save_pdf(out)
    assert job is not None and job.wait()
    pages = pdf_pages(out)
    assert [p[0] for p in pages] == ["荣誉证书", "授予：", "荣誉证书"]
    assert "王素兰同志：" in pages[0] and UNIT in pages[1] and "同志" not in "".join(pages[1])
    assert templates_given(app_ctx) == ["honour", "plaque", "honour"]
