"""The registers' services (no Qt): one validation from the field's description, what a write
returns (Changes), the check before a delete, the logged reveal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db import validators
from db.errors import ValidationError
from db.fields import column
from db.models.competitions import Competition
from db.models.core.registers import Organisation, Worker
from db.models.system import AuditEntry
from desktop.context import App
from desktop.programmes.competitions import service as competitions
from desktop.programmes.core import register_queries, registers
from desktop.programmes.core.forms import validate_form
from tests.support import valid_id


def test_a_phone_that_is_not_a_mobile_is_refused_on_every_path(app_ctx: App) -> None:
    assert column(Worker, "phone").field.validator is validators.mobile  # declared once, on the field
    _clean, errors = registers.validate("workers", {"name": "王芳", "id_number": valid_id(), "phone": "1380000"})
    assert "不是手机号码" in errors["phone"] and "1380000" not in errors["phone"]
    with pytest.raises(ValidationError, match="不是手机号码"):
        registers.save_record(app_ctx, "workers", None, {"name": "王芳", "id_number": valid_id(), "phone": "1380000"})
    clean, errors = registers.validate("workers", {"name": "王芳", "id_number": valid_id(), "phone": "+86 138-1234-5678"})
    assert not errors and clean["phone"] == "13812345678"
    # A unit's 联系电话 may be a landline: its field says so.
    clean, errors = registers.validate("organisations", {"name": "跃龙模具厂", "contact_phone": "0574-65551234"})
    assert not errors and clean["contact_phone"] == "0574-65551234"


def test_one_form_validation_for_registers_and_competitions() -> None:
    clean, errors = validate_form(Organisation, {"name": "  跃龙模具厂 ", "headcount": "120", "notes": " "})
    assert not errors and clean == {"name": "跃龙模具厂", "headcount": 120, "notes": None}
    _clean, errors = validate_form(Organisation, {"name": "", "headcount": "很多"})
    assert errors == {"name": "请填写单位名称", "headcount": "职工人数应为整数"}
    _clean, errors = validate_form(Worker, {"trade": "工" * 41})
    assert "超过 40 个字" in errors["trade"]
    assert competitions.validate(Competition, {"title": ""})[1] == validate_form(Competition, {"title": ""})[1]


def test_save_and_delete_return_what_changed(app_ctx: App) -> None:
    done = registers.save_record(app_ctx, "organisations", None, {"name": "跃龙模具厂"})
    assert done.changes.tables == {"organisations"} and done.changes.ids("organisations") == {done.value}
    assert done.changes.message == "已新增：跃龙模具厂"
    worker = registers.save_record(app_ctx, "workers", None, {"name": "周国全", "id_number": valid_id(),
                                                              "employer_id": done.value})
    refused = registers.refusal(app_ctx, "organisations", done.value)
    assert refused is not None and "1 名职工在此单位" in refused
    assert registers.refusal(app_ctx, "workers", worker.value) is None
    changes = registers.delete_record(app_ctx, "workers", worker.value)
    assert changes.ids("workers") == {worker.value} and changes.message == "已删除：周国全"
    assert registers.refusal(app_ctx, "organisations", done.value) is None


def test_reveal_values_logs_first_and_gives_the_birth_day_with_the_id(app_ctx: App) -> None:
    number = valid_id(birth="19880512")
    wid = registers.save_record(app_ctx, "workers", None, {"name": "甘文彬", "id_number": number,
                                                           "phone": "13805741234"}).value
    record = register_queries.form_record(app_ctx, "workers", wid)
    assert record.values["id_number"] == "*" * 15 + number[-3:] and record.values["birth_date"] == "1988-05"
    assert record.masked == {"id_number", "phone"} and record.id_info is not None
    assert number not in repr(record)
    shown = registers.reveal_values(app_ctx, "workers", wid, ["id_number"])
    assert shown == {"id_number": number, "birth_date": "1988-05-12"}
    with app_ctx.db.session() as s:
        notes = s.scalars(select(AuditEntry.note).where(AuditEntry.action == "reveal")).all()
    assert notes == ["id_number"]
