"""All models, imported so that ``Base.metadata`` knows every table (Alembic, create_all)."""

from db.models.registers import Organisation, Worker
from db.models.system import AuditEntry, Setting

__all__ = ["AuditEntry", "Organisation", "Setting", "Worker"]
