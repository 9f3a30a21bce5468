"""All models, imported so that ``Base.metadata`` knows every table (Alembic, create_all)."""

from db.models.certificates import Certificate
from db.models.competitions import Competition, Entry, Event, Score, TeamMember
from db.models.core.cultivation import MentorEvaluation, MentorLink
from db.models.core.registers import Organisation, Worker
from db.models.mentoring import Pair
from db.models.red_craftsman import Candidate, Membership, Nomination, PartyStage, Round, Training
from db.models.system import AuditEntry, Setting

__all__ = [
    "AuditEntry", "Candidate", "Certificate", "Competition", "Entry", "Event", "Membership", "MentorEvaluation",
    "MentorLink", "Nomination", "Organisation", "Pair", "PartyStage", "Round", "Score", "Setting", "TeamMember",
    "Training", "Worker",
]
