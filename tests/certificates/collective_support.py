"""A small certificate source of units (and people) for the collective-certificate tests.

The tests must not depend on the honours or star-union programmes: :func:`install` adds a fake
:class:`desktop.registry.CertificateSource` (key ``unit_awards``, serial code ``JT``) to the
registry for one test, listing the records the test gives.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop import registry
from reports.linebreak import NO_END, NO_START

KEY = "unit_awards"
CODE = "JT"
WHEN = date(2026, 4, 20)
UNIT = "宁波某某有限公司工会"
TEAM = "宁波某某有限公司数控车间一班"
#: 49 characters: wider than a line of the citation's name box at its size, and than the register's name column
LONG_UNIT = "浙江省宁波市宁海县跃龙街道城东工业园区恒拓精密模具五金工具制造股份有限公司数控车间第一班组工会小组"


def unit(name: str = UNIT, award: str = "四星级规范活力工会", **extra: Any) -> dict[str, Any]:
    return {"collective": True, "name": name, "award": award, "date": WHEN, **extra}


def person(name: str, award: str = "一等奖", **extra: Any) -> dict[str, Any]:
    return {"name": name, "unit": "宁波某某有限公司", "award": award,
            "event": "二〇二六年宁海县职工职业技能竞赛\u200b数控铣工项目", "date": WHEN, **extra}



def install(monkeypatch: pytest.MonkeyPatch, records: list[dict[str, Any]], *, template: str = "honour",
            collective_template: str = "citation") -> registry.CertificateSource:
    """The fake source in the registry for this test, listing ``records``."""
    src = registry.CertificateSource(key=KEY, title="集体荣誉（测试）", records=lambda _s, _p: [dict(r) for r in records],
                                     template=template, collective_template=collective_template)
    sources, code = registry.certificate_sources, registry.serial_code
    monkeypatch.setattr(registry, "certificate_sources", lambda: [*sources(), src])
    monkeypatch.setattr(registry, "serial_code", lambda key: CODE if key == KEY else code(key))
    return src


def pdf_pages(path: Path) -> list[list[str]]:
    """Each page's lines as pdftotext reads them (whitespace dropped, blank lines left out)."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[ln for ln in ("".join(raw.split()) for raw in page.splitlines()) if ln]
            for page in text.split("\f") if page.strip()]


def typeset_problems(lines: list[str]) -> list[str]:
    """Lines that start with closing punctuation or end with opening punctuation."""
    return [ln for ln in lines if ln[0] in NO_START or ln[-1] in NO_END]
