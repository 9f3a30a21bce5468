"""Tests of desktop.demo_data: the demo registers (no Qt, no database)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

import pytest

from db import validators as v
from db.choices import CHOICES
from db.models.core.registers import Organisation, Worker
from desktop.demo_data import build_registers, load_vocabulary, organisation_count
from desktop.pinyin import initials

TODAY = date(2024, 6, 1)
DERIVED = {"id", "created_at", "updated_at", "name_key"}  # set by the database or a column default, not by the builder
CHOICE_COLUMNS_WORKER = {
    "gender": "gender",
    "skill_grade": "skill_grade",
    "political_status": "political_status",
    "education": "education",
    "category": "worker_category",
    "member_status": "member_status",
}
CHOICE_COLUMNS_ORG = {"kind": "org_kind", "ownership": "ownership", "union_form": "union_form"}
RARE = set(load_vocabulary()["rare_chars"]) | {"禤"}

Registers = tuple[list[dict[str, Any]], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def regs() -> Registers:
    return build_registers(seed=2024, today=TODAY)


@pytest.fixture(scope="module")
def big() -> Registers:
    return build_registers(100_000, seed=7, today=TODAY)


def codes(key: str) -> set[str]:
    return {code for code, _ in CHOICES[key]}


# --------------------------------------------------------------------------- shape


def test_default_sizes(regs: Registers) -> None:
    orgs, workers = regs
    assert len(workers) == 2000
    assert len(orgs) == organisation_count(2000) == 80


def test_organisation_count_bounds() -> None:
    assert organisation_count(0) == 30
    assert organisation_count(500) == 30
    assert organisation_count(2500) == 100
    assert organisation_count(10_000_000) == 3000


def test_small_and_default_today() -> None:
    orgs, workers = build_registers(10)  # today defaults to the current date
    assert len(workers) == 10
    assert len(orgs) == 30
    with pytest.raises(ValueError):
        build_registers(-1)


def test_keys_are_the_model_columns(regs: Registers) -> None:
    orgs, workers = regs
    org_cols = {c.key for c in Organisation.__table__.columns} - DERIVED
    worker_cols = {c.key for c in Worker.__table__.columns} - DERIVED
    for o in orgs:
        assert set(o) == org_cols | {"id"}
    for w in workers:
        assert set(w) == worker_cols


def test_deterministic() -> None:
    a = build_registers(300, seed=11, today=TODAY)
    b = build_registers(300, seed=11, today=TODAY)
    c = build_registers(300, seed=12, today=TODAY)
    assert a == b
    assert a != c


# --------------------------------------------------------------------------- organisations


def test_organisation_ids_and_names(regs: Registers) -> None:
    orgs, _ = regs
    assert [o["id"] for o in orgs] == list(range(1, len(orgs) + 1))
    assert len({o["name"] for o in orgs}) == len(orgs)
    for o in orgs:
        assert 4 <= len(o["name"]) <= 100


def test_credit_codes_valid_and_unique(regs: Registers, big: Registers) -> None:
    for orgs, _ in (regs, big):
        seen = set()
        for o in orgs:
            code = o["credit_code"]
            assert v.credit_code(code) == code
            assert code[2:8] == "330226"  # registered in 宁海县
            assert code[:2] in {"91", "11", "12", "51", "52", "54", "55"}
            seen.add(code)
        assert len(seen) == len(orgs)


def test_organisation_choices_and_fields(regs: Registers) -> None:
    orgs, workers = regs
    for o in orgs:
        for col, key in CHOICE_COLUMNS_ORG.items():
            assert o[col] is None or o[col] in codes(key), (col, o[col])
        assert v.is_mobile(o["contact_phone"])
        assert o["township"] and o["address"].startswith(o["township"]) and o["address"].endswith("号")
        if o["union_form"] == "none":
            assert o["union_founded"] is None
        else:
            assert o["union_founded"] is not None and o["union_founded"] <= TODAY
        if o["union_chair"]:
            assert v.person_name(o["union_chair"]) == o["union_chair"]
    kinds = Counter(o["kind"] for o in orgs)
    assert set(kinds) == codes("org_kind")
    assert kinds["enterprise"] > len(orgs) / 2
    ownership = Counter(o["ownership"] for o in orgs)
    assert ownership["non_public"] > ownership["state"] > 0
    assert {o["union_form"] for o in orgs} == codes("union_form")
    # Staff covers the registered workers.
    at = Counter(w["employer_id"] for w in workers)
    for o in orgs:
        assert o["headcount"] >= at[o["id"]]


def test_enterprises_from_the_seeds(big: Registers) -> None:
    orgs, _ = big
    assert len(orgs) == 3000
    chains = {o["chain"] for o in orgs}
    assert {"打印机产业链", "模具产业链", "汽车零部件产业链", "文具产业链"} <= chains
    towns = {o["township"] for o in orgs}
    assert {"跃龙街道", "桃源街道", "梅林街道", "桥头胡街道", "长街镇", "西店镇", "桑洲镇"} <= towns
    names = [o["name"] for o in orgs]
    assert any(re.fullmatch(r"宁波..精密机械有限公司", n) for n in names)
    assert any(n.endswith("社区居民委员会") for n in names)
    assert any(n.endswith("股份有限公司") for n in names)


# --------------------------------------------------------------------------- workers


def check_workers(orgs: list[dict[str, Any]], workers: list[dict[str, Any]]) -> None:
    org_ids = {o["id"] for o in orgs}
    ids: set[str] = set()
    phones: set[str] = set()
    cards: set[str] = set()
    for w in workers:
        info = v.id_info(w["id_number"])
        assert info.number == w["id_number"]
        assert info.gender == w["gender"]
        assert info.birth_date == w["birth_date"]
        ids.add(info.number)
        assert w["employer_id"] in org_ids
        assert v.is_mobile(w["phone"])
        phones.add(w["phone"])
        assert 2 <= len(w["name"]) <= 20
        if w["card_no"] is not None:
            cards.add(w["card_no"])
    assert len(ids) == len(workers)
    assert len(phones) == len(workers)
    assert len(cards) == sum(w["card_no"] is not None for w in workers)


def test_workers_valid(regs: Registers) -> None:
    check_workers(*regs)


def test_hundred_thousand_workers(big: Registers) -> None:
    orgs, workers = big
    assert len(workers) == 100_000
    check_workers(orgs, workers)


def test_worker_fields(regs: Registers) -> None:
    _, workers = regs
    for w in workers:
        assert v.person_name(w["name"]) == w["name"]
        assert w["name_initials"] == initials(w["name"])
        assert re.fullmatch(r"[a-z]*", w["name_initials"])
        for col, key in CHOICE_COLUMNS_WORKER.items():
            assert w[col] in codes(key) or (col == "member_status" and w[col] is None), (col, w[col])
        assert date(1966, 1, 1) <= w["birth_date"] <= date(2004, 12, 31)
        assert w["trade"] and w["ethnicity"].endswith("族")
        if w["member_status"] is None:
            assert w["member_since"] is None and w["card_no"] is None
        else:
            assert w["birth_date"] < w["member_since"] <= TODAY
            assert re.fullmatch(rf"NH{w['member_since'].year}\d{{6}}", w["card_no"])
        if w["category"] == "new_form":
            assert w["trade"] in {"快递员", "外卖骑手", "网约车司机"}


def test_rare_names_at_default_size(regs: Registers) -> None:
    _, workers = regs
    rare = [w["name"] for w in workers if RARE & set(w["name"])]
    assert rare, "no name with a rare character"
    assert len(rare) < 0.02 * len(workers)


def test_name_variety(big: Registers) -> None:
    _, workers = big
    names = [w["name"] for w in workers]
    assert any(any(ord(ch) > 0xFFFF for ch in n) for n in names)  # 𠮷
    assert any("·" in n for n in names)  # 阿卜杜·热合曼
    assert any(n[:2] in {"欧阳", "司马", "诸葛"} for n in names)
    lengths = Counter(len(n) for n in names)
    assert lengths[3] > lengths[2] > lengths[4] > 0
    surnames = Counter(n[0] for n in names)
    assert surnames.most_common(1)[0][0] == "王"


def test_distributions(big: Registers) -> None:
    _, workers = big
    n = len(workers)

    def share(col: str, code: str | None) -> float:
        return sum(w[col] == code for w in workers) / n

    assert 0.08 < share("political_status", "party_member") < 0.16
    assert share("category", "employee") > share("category", "migrant") > share("category", "new_form") > 0.02
    assert 0.85 < share("member_status", "active") < 0.97
    assert share("member_status", "transferred") > 0 and share("member_status", "withdrawn") > 0
    assert share("skill_grade", "senior_technician") < share("skill_grade", "technician") < share("skill_grade", "senior")
    assert 0.5 < share("gender", "male") < 0.75
    areas = Counter(w["id_number"][:6] for w in workers)
    assert areas.most_common(1)[0][0] == "330226"
    assert {"342201", "522121", "412726"} <= set(areas)
    # The 17th digit's parity is the gender.
    assert all((int(w["id_number"][16]) % 2 == 1) == (w["gender"] == "male") for w in workers)
    trades = {w["trade"] for w in workers}
    assert {"数控铣工", "电工", "焊工", "钳工", "模具工", "中式烹调师", "医疗装配工", "机电一体化", "汽车维修工",
            "快递员", "外卖骑手", "网约车司机", "养老护理员", "电商直播"} <= trades
