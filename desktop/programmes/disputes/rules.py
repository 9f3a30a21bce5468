"""劳动争议调解's rules: the stages a dispute passes and the party roles. No Qt, no session."""

from __future__ import annotations

from desktop.programmes.core.cases import CaseFlow, CaseStage

WARNING, NEGOTIATION, MEDIATION = "warning", "negotiation", "mediation"
ARBITRATION, LITIGATION, ENFORCEMENT, CLOSED = "arbitration", "litigation", "enforcement", "closed"

#: 预警 → 协商 → 调解 → 仲裁 → 诉讼 → 执行 → 结案 (any may be skipped; 结案 names the outcome).
FLOW = CaseFlow("disputes", "TJ", (
    CaseStage(WARNING, "预警", 0),
    CaseStage(NEGOTIATION, "协商", 1),
    CaseStage(MEDIATION, "调解", 2),
    CaseStage(ARBITRATION, "仲裁", 3),
    CaseStage(LITIGATION, "诉讼", 4),
    CaseStage(ENFORCEMENT, "执行", 5),
    CaseStage(CLOSED, "结案", 6, closes=True),
), outcome_choices="dp_outcome")

#: Party roles: the worker(s), the employer, the handler(s).
WORKER, EMPLOYER, HANDLER = "worker", "employer", "handler"
MEDIATED = "mediated"
