"""The registers a spreadsheet import writes to, and the columns that identify their rows."""

from __future__ import annotations

from db.fields import column
from db.models.core.registers import Organisation, Worker

MODELS: dict[str, type] = {"workers": Worker, "organisations": Organisation}
EMPLOYER = "employer_id"  # a worker row's employer column holds an organisation's name
BATCH = 2000
ORG_NAME = column(Organisation, "name")  # an employer's name becomes an organisation's name
EMPLOYER_LABEL = column(Worker, EMPLOYER).label
# Columns that tell the rows of one import apart (the file's duplicates are rejected first).
IDENTITY: dict[str, tuple[str, ...]] = {"workers": ("id_number",), "organisations": ("name", "credit_code")}
