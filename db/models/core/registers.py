"""The shared registers every programme uses: workers (职工、会员) and organisations (单位)."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from db import validators as v
from db.base import Base, Timestamps
from db.fields import BIRTH, ID_NUMBER, PHONE, field


def organisation_name_key(name: str | None) -> str | None:
    """An organisation's name as it is matched: NFKC (full-width to half-width), every
    whitespace removed, case-folded. ``宁波 拓锋（宁海）`` and ``宁波拓锋(宁海)`` are one unit.
    The 0005 migration computes the same key for existing rows."""
    if name is None:
        return None
    key = "".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return key or None


def _name_key_default(context: Any) -> str | None:
    """Column default for inserts that leave ``name_key`` out (Core inserts included)."""
    return organisation_name_key(context.get_current_parameters().get("name"))


class Organisation(Timestamps, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(
        String(100), index=True,
        info=field("单位名称", required=True, synonyms=("单位", "企业名称", "名称", "单位全称", "企业"), width=30),
    )
    credit_code: Mapped[str | None] = mapped_column(
        String(18), unique=True,
        info=field("统一社会信用代码", "credit_code", validator=v.credit_code,
                   synonyms=("信用代码", "社会信用代码", "统一代码", "组织机构代码"), width=22),
    )
    kind: Mapped[str | None] = mapped_column(
        String(32), info=field("单位类型", "choice", choices="org_kind", synonyms=("类型", "单位性质"), width=12)
    )
    ownership: Mapped[str | None] = mapped_column(
        String(32), info=field("所有制", "choice", choices="ownership", synonyms=("经济类型", "所有制性质"), width=8)
    )
    industry: Mapped[str | None] = mapped_column(String(60), info=field("行业", synonyms=("所属行业",)))
    chain: Mapped[str | None] = mapped_column(String(60), info=field("产业链", synonyms=("所属产业链",)))
    township: Mapped[str | None] = mapped_column(
        String(40), info=field("所在乡镇（街道）", synonyms=("乡镇", "街道", "镇街", "所属镇街", "所在镇街"))
    )
    address: Mapped[str | None] = mapped_column(String(200), info=field("地址", synonyms=("单位地址", "详细地址"), width=30))
    headcount: Mapped[int | None] = mapped_column(
        Integer, info=field("职工人数", "int", synonyms=("人数", "员工人数", "职工数"), width=8)
    )
    union_form: Mapped[str | None] = mapped_column(
        String(32), info=field("建会情况", "choice", choices="union_form", synonyms=("是否建会", "建会形式"), width=10)
    )
    union_founded: Mapped[date | None] = mapped_column(
        Date, info=field("建会日期", "date", validator=v.date_value, synonyms=("建会时间",), in_table=False)
    )
    union_chair: Mapped[str | None] = mapped_column(
        String(40), info=field("工会主席", synonyms=("主席", "工会负责人"), width=10)
    )
    contact: Mapped[str | None] = mapped_column(
        String(40), info=field("联系人", synonyms=("联系人姓名",), width=10, in_table=False)
    )
    contact_phone: Mapped[str | None] = mapped_column(
        String(20), info=field("联系电话", "phone", validator=v.phone, privacy=PHONE,
                               synonyms=("电话", "手机", "联系方式"), width=14)
    )
    notes: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))
    # Internal (not described): the normalised name, unique, so that two imports running at
    # once create a unit only once (INSERT ... ON CONFLICT (name_key) DO NOTHING). Kept in
    # step with ``name`` by the validator below (ORM) and the column default (Core inserts);
    # a Core UPDATE of ``name`` must set it too (the importer does).
    name_key: Mapped[str | None] = mapped_column(Text, default=_name_key_default, unique=True, index=True)

    workers: Mapped[list[Worker]] = relationship(back_populates="employer")

    @validates("name")
    def _keep_name_key(self, _key: str, value: str | None) -> str | None:
        self.name_key = organisation_name_key(value)
        return value


class Worker(Timestamps, Base):
    __tablename__ = "workers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(
        String(40), index=True,
        info=field("姓名", "name", validator=v.person_name, required=True,
                   synonyms=("姓 名", "职工姓名", "会员姓名", "名字"), width=10),
    )
    gender: Mapped[str | None] = mapped_column(
        String(8), info=field("性别", "choice", choices="gender", synonyms=("性 别",), width=5)
    )
    id_number: Mapped[str] = mapped_column(
        String(18), unique=True,
        info=field("身份证号", "id_number", validator=v.id_number, privacy=ID_NUMBER, required=True,
                   synonyms=("身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码", "居民身份证号"),
                   width=21),
    )
    birth_date: Mapped[date | None] = mapped_column(
        Date, info=field("出生日期", "date", editable=False, privacy=BIRTH, synonyms=("出生年月",), width=12)
    )
    phone: Mapped[str | None] = mapped_column(
        String(20), info=field("手机号码", "phone", validator=v.mobile, privacy=PHONE,
                               synonyms=("手机", "联系电话", "电话", "手机号", "联系方式", "电话号码"), width=14)
    )
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True,
        info=field("工作单位", "ref", ref="organisations",
                   synonyms=("单位", "所在单位", "工作单位名称", "单位名称", "用人单位"), width=26),
    )
    trade: Mapped[str | None] = mapped_column(
        String(40), info=field("工种（岗位）", synonyms=("工种", "岗位", "职务", "工种岗位"), width=12)
    )
    skill_grade: Mapped[str | None] = mapped_column(
        String(32), info=field("技能等级", "choice", choices="skill_grade", synonyms=("技术等级", "职业技能等级"), width=10)
    )
    political_status: Mapped[str | None] = mapped_column(
        String(32), info=field("政治面貌", "choice", choices="political_status", width=12)
    )
    ethnicity: Mapped[str | None] = mapped_column(String(20), info=field("民族", width=6, in_table=False))
    education: Mapped[str | None] = mapped_column(
        String(32), info=field("文化程度", "choice", choices="education", synonyms=("学历",), width=10, in_table=False)
    )
    category: Mapped[str | None] = mapped_column(
        String(32), info=field("人员类别", "choice", choices="worker_category", synonyms=("职工类别", "类别"), width=14)
    )
    member_since: Mapped[date | None] = mapped_column(
        Date, info=field("入会时间", "date", validator=v.date_value, synonyms=("入会日期", "入会年月"), in_table=False)
    )
    card_no: Mapped[str | None] = mapped_column(
        String(40), info=field("会员证号", synonyms=("会员卡号", "会员证编号"), in_table=False)
    )
    member_status: Mapped[str | None] = mapped_column(
        String(32), info=field("会籍状态", "choice", choices="member_status", synonyms=("会员状态", "状态"), width=8)
    )
    notes: Mapped[str | None] = mapped_column(Text, info=field("备注", "multiline", in_table=False))
    # Derived, for the search box: pinyin initials of the name (张三 -> zs).
    name_initials: Mapped[str | None] = mapped_column(String(40))

    employer: Mapped[Organisation | None] = relationship(back_populates="workers")
