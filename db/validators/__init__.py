"""Plain validation functions (no Qt, nothing of ours outside db).

Every function takes what a clerk typed or what a spreadsheet cell held (text, int, float,
date, None) and returns the normalised value, or raises :class:`ValidationError` with a
stable ``code`` (CLI.md, "Registers") and a short Chinese message naming the value.
"""

from __future__ import annotations

from db.errors import ValidationError
from db.validators.credit_codes import credit_check_char, credit_code
from db.validators.dates import date_value, datetime_value
from db.validators.id_numbers import IdInfo, check_gender, id_check_digit, id_info, id_number
from db.validators.names import person_name
from db.validators.numbers import amount
from db.validators.phones import is_mobile, mobile, phone

__all__ = [
    "IdInfo",
    "ValidationError",
    "amount",
    "check_gender",
    "credit_check_char",
    "credit_code",
    "date_value",
    "datetime_value",
    "id_check_digit",
    "id_info",
    "id_number",
    "is_mobile",
    "mobile",
    "person_name",
    "phone",
]

