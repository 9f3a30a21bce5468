"""Demo data for 劳动争议调解, after 临安's 预警 → 协商 → 调解 → 仲裁 → 诉讼 → 执行 chain (seed 003): about
forty disputes over last year and this, from every source (预警信息, 窗口来访, 热线, 部门转办) and of
every kind; several settled by mediation with a 调解协议书 confirmed by the arbitration committee
(张某's 工伤 case: the company would not pay for the treatment, the agreement was confirmed), a few
that went on to 仲裁, 诉讼 and 执行, one collective 欠薪 case (a 预警 shared at once with the
矛盾调处中心 and the 人社局), one still in 调解 past the 15-day limit, and the year's newest still open.

The workers come from the demo register (and a few named only, as at 预警), the employers from the
demo enterprises, the handlers are the union's 劳动法律监督员, 法律援助志愿者 and 律师. The demo database
has no accounts, so the sensitive fields (工伤情况, 健康状况, 月收入) cannot be written and stay empty:
an administrator with the sensitive-information permission fills them in. No time lies in the future.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.core.cases import Case, CaseMove, CaseParty
from db.models.core.registers import Organisation, Worker
from db.models.disputes import Dispute
from db.validators import id_check_digit
from desktop.programmes.core.cases import number
from desktop.programmes.disputes import casework
from desktop.programmes.disputes.rules import (
    ARBITRATION,
    CLOSED,
    EMPLOYER,
    ENFORCEMENT,
    FLOW,
    HANDLER,
    LITIGATION,
    MEDIATED,
    MEDIATION,
    NEGOTIATION,
    WORKER,
)
from desktop.settings import choice_labels
from reports.cn_dates import date_cn

HANDLERS = (("胡建平", "supervisor"), ("陈晓燕", "volunteer"), ("王立新", "lawyer"), ("俞海峰", "supervisor"),
            ("方丽君", "mediator"), ("许志强", "lawyer"))
AGENCIES = ("人社局", "矛盾调处中心", "法院", "司法所", "人社局、矛盾调处中心")
NAMED_ONLY = ("李某某", "章国庆", "潘小红", "何建军", "叶春燕")

#: kind -> (claim, facts, terms); the terms name {amount}, the agreed sum, and {due}, the payment day
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "wages": ("支付拖欠的三个月工资",
              "申请人在被申请人处从事生产工作，被申请人以资金周转困难为由，拖欠申请人三个月工资未发放。",
              ("被申请人于{due}前一次性支付申请人拖欠的工资{amount}元",
               "申请人收到上述款项后，不再就工资支付事项向被申请人主张权利")),
    "injury": ("支付工伤医疗费、停工留薪期工资及一次性伤残补助金",
               "申请人在工作中受到意外伤害，救治期间被申请人不愿支付其治疗费用。",
               ("被申请人于{due}前一次性支付申请人医疗费、停工留薪期工资及一次性伤残补助金共计{amount}元",
                "双方劳动关系自本协议签订之日起解除，被申请人为申请人出具解除劳动关系证明")),
    "social_insurance": ("补缴社会保险费并赔偿损失",
                         "被申请人未依法为申请人缴纳入职以来的社会保险费。",
                         ("被申请人于{due}前为申请人补缴所欠社会保险费",
                          "被申请人一次性赔偿申请人损失{amount}元")),
    "dismissal": ("支付违法解除劳动合同赔偿金",
                  "被申请人以经营调整为由，未提前通知即解除与申请人的劳动合同。",
                  ("被申请人于{due}前一次性支付申请人解除劳动合同经济补偿金{amount}元",
                   "被申请人于本协议签订后三日内为申请人办理档案和社会保险关系转移手续")),
    "overtime": ("支付延长工作时间加班费",
                 "申请人在被申请人处工作期间，每周工作六天，每天工作十小时以上，未领取加班费。",
                 ("被申请人于{due}前一次性支付申请人加班费{amount}元",)),
    "contract": ("支付未签订书面劳动合同的二倍工资差额",
                 "申请人入职后，被申请人一直未与申请人签订书面劳动合同。",
                 ("被申请人于{due}前一次性支付申请人二倍工资差额{amount}元",
                  "被申请人自本协议签订之日起十日内与申请人补签书面劳动合同")),
    "other": ("退还押金并出具离职证明", "申请人离职时，被申请人扣押其入职押金并拒绝出具离职证明。",
              ("被申请人于{due}前退还申请人押金{amount}元", "被申请人当日为申请人出具离职证明")),
}


@dataclass(frozen=True)
class Plan:
    kind: str
    source: str
    path: tuple[tuple[str, int], ...]  # (stage, days after the previous move)
    outcome: str | None = None
    confirm: bool = False  # 仲裁确认 after a 调解成功
    collective: int = 0  # workers in a collective case
    named: bool = False  # the worker named only (name and phone), as at 预警


MEDIATED_PATH = ((NEGOTIATION, 2), (MEDIATION, 3), (CLOSED, 9))
PLANS: tuple[Plan, ...] = (
    Plan("injury", "walk_in", ((MEDIATION, 2), (CLOSED, 12)), MEDIATED, confirm=True),  # 张某
    Plan("wages", "warning", ((NEGOTIATION, 1), (MEDIATION, 2), (CLOSED, 8)), MEDIATED, confirm=True, collective=23),
    Plan("wages", "hotline", MEDIATED_PATH, MEDIATED, confirm=True),
    Plan("dismissal", "walk_in", ((MEDIATION, 3), (CLOSED, 10)), MEDIATED, confirm=True),
    Plan("overtime", "walk_in", MEDIATED_PATH, MEDIATED),
    Plan("social_insurance", "referral", ((MEDIATION, 4), (CLOSED, 13)), MEDIATED, confirm=True),
    Plan("wages", "warning", ((NEGOTIATION, 1), (CLOSED, 4)), "withdrawn"),
    Plan("contract", "hotline", ((NEGOTIATION, 2), (CLOSED, 6)), "withdrawn"),
    Plan("injury", "referral", ((MEDIATION, 3), (ARBITRATION, 16), (CLOSED, 40)), "arbitrated"),
    Plan("dismissal", "walk_in", ((NEGOTIATION, 2), (MEDIATION, 4), (ARBITRATION, 15), (LITIGATION, 45),
                                  (CLOSED, 70)), "judged"),
    Plan("wages", "warning", ((MEDIATION, 2), (ARBITRATION, 15), (LITIGATION, 50), (ENFORCEMENT, 60),
                              (CLOSED, 30)), "enforced"),
    Plan("wages", "walk_in", MEDIATED_PATH, MEDIATED),
    Plan("other", "hotline", ((MEDIATION, 1), (CLOSED, 5)), MEDIATED),
    Plan("social_insurance", "warning", ((NEGOTIATION, 3), (MEDIATION, 5), (ARBITRATION, 16)), None),
)
#: the newest cases, still open: (plan, days before today it was opened)
OPEN_PLANS: tuple[tuple[Plan, int], ...] = (
    (Plan("wages", "warning", ((NEGOTIATION, 1), (MEDIATION, 2))), 26),  # in 调解 past the 15-day limit
    (Plan("dismissal", "walk_in", ((MEDIATION, 2),)), 9),
    (Plan("injury", "hotline", ((NEGOTIATION, 2),)), 5),
    (Plan("overtime", "warning", (), named=True), 2),
    (Plan("contract", "hotline", ((NEGOTIATION, 1),), named=True), 1),
)


def _id_number(rng: random.Random, born: date, male: bool) -> str:
    body = f"330226{born:%Y%m%d}{rng.randint(10, 99)}{rng.choice('13579' if male else '02468')}"
    return body + id_check_digit(body)


def _working(day: date, rng: random.Random, now: datetime) -> datetime:
    """A time in office hours on ``day`` or the next working day, never after ``now``."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    at = datetime.combine(day, time(rng.randint(8, 16), rng.choice((0, 10, 20, 30, 40, 50))))
    return min(at, now)


class _Writer:
    """Plans written as ORM objects (a case, its moves and parties, the dispute) and flushed once: the
    demo database of the tests is built hundreds of times. ``test_demo_cli`` checks the rules hold."""

    def __init__(self, session: Session, rng: random.Random, now: datetime) -> None:
        self.s, self.rng, self.now = session, rng, now
        self.orgs = list(session.scalars(select(Organisation).where(Organisation.kind == "enterprise")
                                         .order_by(Organisation.id)))
        rng.shuffle(self.orgs)
        staff: dict[int, list[tuple[int, str]]] = {}
        ids = [o.id for o in self.orgs]
        for wid, name, org in session.execute(select(Worker.id, Worker.name, Worker.employer_id)
                                              .where(Worker.employer_id.in_(ids)).order_by(Worker.id)):
            staff.setdefault(org, []).append((wid, name))
        self.staff = staff
        self.kinds = choice_labels(session).get("dp_kind", {})
        self.seq: dict[int, int] = {}
        self.named = 0

    def workers(self, org: Organisation, n: int, *, skip: int = 0, named: bool = False) -> list[CaseParty]:
        found = [] if named else self.staff.get(org.id, [])[skip:skip + n]
        if found:
            return [CaseParty(role=WORKER, worker_id=wid, organisation_id=org.id, name=name) for wid, name in found]
        name = NAMED_ONLY[self.named % len(NAMED_ONLY)]  # named only, as at 预警
        self.named += 1
        born = date(self.rng.randint(1970, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28))
        return [CaseParty(role=WORKER, name=name, phone=f"139{self.rng.randint(10_000_000, 99_999_999)}",
                          id_number=_id_number(self.rng, born, self.rng.random() < 0.6))]

    def case(self, opened: datetime, summary: str) -> Case:
        seq = self.seq[opened.year] = self.seq.get(opened.year, 0) + 1
        return Case(programme=FLOW.programme, year=opened.year, seq=seq, number=number(opened.year, FLOW.code, seq),
                    stage=FLOW.first, stage_at=opened, opened_at=opened, summary=summary)

    def write(self, plan: Plan, opened: datetime, k: int) -> None:
        rng, org = self.rng, self.orgs[k % len(self.orgs)]
        claim, facts, terms = KINDS[plan.kind]
        amount = Decimal(rng.randrange(60, 900) * 100) * (plan.collective // 3 if plan.collective else 1)
        agreed = (amount * Decimal(rng.choice(("0.7", "0.8", "0.9", "1")))).quantize(Decimal("100"))
        workers = self.workers(org, 3 if plan.collective else 1, skip=k // len(self.orgs) * 3, named=plan.named)
        headcount = plan.collective or len(workers)
        summary = casework.summary_text([p.name for p in workers], org.name, self.kinds.get(plan.kind, plan.kind),
                                        collective=bool(plan.collective), headcount=headcount)
        case = self.case(opened, summary)
        case.moves.append(CaseMove(stage=FLOW.first, at=opened,
                                   note="职工维权窗口登记" if plan.source == "walk_in" else None))
        handlers = (HANDLERS[k % len(HANDLERS)], HANDLERS[(k + 2) % len(HANDLERS)])[: 1 + (k % 3 == 0)]
        case.parties.extend([*workers, CaseParty(role=EMPLOYER, organisation_id=org.id, name=org.name),
                             *(CaseParty(role=HANDLER, name=name, capacity=cap) for name, cap in handlers)])
        d = Dispute(case=case, kind=plan.kind, source=plan.source, claim=claim, claim_amount=amount, facts=facts,
                    collective=bool(plan.collective), headcount=headcount,
                    agencies=AGENCIES[-1] if plan.collective else AGENCIES[k % 4] if plan.source == "warning" else None)
        self.s.add(d)
        at, closed_on = opened, None
        for stage, days in plan.path:
            if (at + timedelta(days=days)).date() > self.now.date():
                break
            at = max(at, _working((at + timedelta(days=days)).date(), rng, self.now))
            case.moves.append(CaseMove(stage=stage, at=at, note=_note(stage, plan.outcome)))
            case.stage, case.stage_at = stage, at
            if stage == CLOSED:
                case.closed_at, case.outcome, closed_on = at, plan.outcome, at.date()
        if closed_on is None or plan.outcome in (None, "withdrawn"):
            return
        due = closed_on + timedelta(days=15)
        if plan.outcome == MEDIATED:
            d.terms = "\n".join(t.format(amount=f"{agreed:,.0f}", due=date_cn(due))
                                for t in terms)
        d.agreed_amount = agreed
        today = self.now.date()
        d.paid_amount = agreed if due <= today else (agreed / 2).quantize(Decimal("0.01")) if rng.random() < 0.5 else None
        if plan.confirm and plan.outcome == MEDIATED and closed_on + timedelta(days=4) <= today:
            d.confirmed_on = min(today, closed_on + timedelta(days=rng.randint(4, 12)))


def _note(stage: str, outcome: str | None) -> str | None:
    return {NEGOTIATION: "约谈用人单位，组织双方协商", MEDIATION: "受理调解申请，组织调解",
            ARBITRATION: "调解不成，引导申请劳动仲裁", LITIGATION: "不服仲裁裁决，向法院起诉",
            ENFORCEMENT: "用人单位未履行，申请强制执行",
            CLOSED: "达成调解协议" if outcome == MEDIATED else None}.get(stage)


def demo(session: Session, rng: random.Random, today: date) -> None:
    """About forty disputes over last year and this (none in the future)."""
    now = min(datetime.now(), datetime.combine(today, time(17, 30)))
    w = _Writer(session, rng, now)
    if not w.orgs:
        return
    this, last = today.year, today.year - 1
    k = 0
    for year, count in ((last, 22), (this, 13)):
        begin = date(year, 1, 6)
        end = min(date(year, 12, 10), today - timedelta(days=30)) if year == this else date(year, 12, 10)
        span = (end - begin).days
        if span <= 0:
            continue
        for i in range(count):
            plan = PLANS[k % len(PLANS)]
            w.write(plan, _working(begin + timedelta(days=span * i // count + rng.randint(0, 3)), rng, now), k)
            k += 1
    for plan, ago in OPEN_PLANS:
        w.write(plan, _working(today - timedelta(days=ago), rng, now), k)
        k += 1
    session.flush()
