"""A protected column in lists, exports and pages: 「（受保护）」 without the permission, the value with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.fields import SENSITIVE, describe
from db.privacy import mask
from db.protected import PROTECTED_TEXT
from desktop import protected_fields
from desktop.accounts.roles import CLERK, READONLY, SignedIn
from desktop.context import App
from desktop.keys import KeyRing
from desktop.records import display, load_table
from tests.protected.model import Case, create

KEY = bytes(range(32))
SECRET = "低保户，患病致贫"


@pytest.fixture
def cases(app_ctx: App) -> App:
    create(app_ctx.db)
    app_ctx.db.field_key = KEY
    with app_ctx.db.session() as s:
        s.add_all([Case(title="一号", details=SECRET), Case(title="二号", details=None)])
    app_ctx.db.field_key = None
    return app_ctx


def rows(app: App) -> list[tuple[object, ...]]:
    with app.db.session() as s:
        table = load_table(s, Case, {}, columns=describe(Case))
    return [table.masked_row(i) for i in range(len(table.rows))] + [table.masked_row(i, True)
                                                                     for i in range(len(table.rows))]


def sign_in(app: App, role: str, sensitive: bool) -> None:
    app.has_accounts = True
    app.user = SignedIn(1, "wang", "王会计", role, sensitive=sensitive)
    protected_fields.apply(app)


def test_no_accounts_never_opens_protected_fields(cases: App) -> None:
    cases.keys = KeyRing(field=KEY)  # even with the key in the ring: no account holds the permission
    protected_fields.apply(cases)
    assert cases.db.field_key is None and not protected_fields.can_open(cases)
    assert [r[1] for r in rows(cases)] == [PROTECTED_TEXT, None] * 2  # masked and "full" outputs alike


def test_a_role_without_the_permission_sees_the_placeholder(cases: App) -> None:
    cases.keys = KeyRing(field=KEY)
    for role in (READONLY, CLERK):
        sign_in(cases, role, sensitive=False)
        assert cases.db.field_key is None
        assert [r[1] for r in rows(cases)] == [PROTECTED_TEXT, None] * 2


def test_the_permission_shows_the_value_and_signing_out_hides_it(cases: App) -> None:
    cases.keys = KeyRing(field=KEY)
    sign_in(cases, READONLY, sensitive=True)
    assert protected_fields.can_open(cases)
    assert [r[1] for r in rows(cases)] == [SECRET, None] * 2
    cases.user = None  # signed out / locked
    protected_fields.apply(cases)
    assert [r[1] for r in rows(cases)] == [PROTECTED_TEXT, None] * 2
    with cases.db.session() as s:
        assert s.scalar(select(Case.title).where(Case.details.is_not(None))) == "一号"


def test_display_and_mask_of_the_sensitive_class() -> None:
    col = next(c for c in describe(Case) if c.name == "details")
    assert col.field.privacy == SENSITIVE
    assert display(col, PROTECTED_TEXT, full=False) == PROTECTED_TEXT
    assert mask(SECRET, SENSITIVE) == PROTECTED_TEXT  # any masked path that masks by class
