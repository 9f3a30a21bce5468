"""No Chinese field label is typed a second time: forms, table headers, report columns, picker
columns and import headers read the ``info=field(...)`` declarations (DESIGN.md, "One description
of a record"). A whole string literal in ``ui/`` or in a programme's ``reports.py``/``queries.py``
equal to a field's label fails here; the allow-list names each word used in another sense."""

from __future__ import annotations

import ast
from pathlib import Path

import db.models  # noqa: F401  (every model registered with Base)
from db.base import Base
from db.fields import describe

ROOT = Path(__file__).resolve().parent.parent

# Literals equal to a field label that mean something else where they stand, each with its reason.
ALLOWED: dict[str, str] = {
    "职工": "the workers tab's title and the 职工 menu words, not the column",
    "单位": "the organisations tab's title, not the column",
    "姓名": "the --from sheet header CLI.md names for certificates",
    "备注": "a free-text note column on a printed sheet that has no model (signature sheets)",
    "年度": "a word of running text and of names (2026年度县级五一劳动奖章推荐), not the column",
    "推荐日期": "红色工匠's nomination date; 劳模工匠's add-nomination dialog asks for the same date "
                "(its first stage move) and cannot read another programme's model",
}


def field_labels() -> dict[str, str]:
    """Every label declared on a model column, with the first column that declares it."""
    labels: dict[str, str] = {}
    for mapper in Base.registry.mappers:
        model = mapper.class_
        for col in describe(model):
            labels.setdefault(col.label, f"{model.__name__}.{col.name}")
    return labels


def checked_files() -> list[Path]:
    files = sorted((ROOT / "ui").rglob("*.py"))
    for folder in sorted((ROOT / "desktop" / "programmes").iterdir()):
        files += [p for p in (folder / "reports.py", folder / "queries.py") if p.is_file()]
    return files


def literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_models_declare_labels() -> None:
    labels = field_labels()
    assert "身份证号" in labels.values() or "身份证号" in labels  # the registers are described
    assert len(labels) > 40


def test_no_field_label_typed_twice() -> None:
    labels = field_labels()
    found = [f"{p.relative_to(ROOT)}:{line}: 「{text}」 is the label of {labels[text]}"
             for p in checked_files() for line, text in literals(p)
             if text in labels and text not in ALLOWED]
    assert not found, "labels typed again instead of read from the field description:\n" + "\n".join(found)


def test_allow_list_is_still_needed() -> None:
    """An allow-list entry no literal needs any more goes."""
    labels = field_labels()
    used = {text for p in checked_files() for _line, text in literals(p)}
    stale = [word for word in ALLOWED if word not in used or word not in labels]
    assert not stale, f"remove from ALLOWED: {stale}"
