"""What ``check`` verifies about the audit log and the schema (the accounts-and-keys issue).

- The hash chain (db.audit_chain) recomputed over the whole log, in ``seq`` order: a gap names the
  deleted row, a hash that does not match names the edited row.
- Every signed head's Ed25519 signature, with the audit public key alone (KeyMaterial ``audit``);
  each head must match the row it covers; the newest head and the head remembered in this user's
  profile (desktop.keys.profile) must not be beyond the log's end (rows cut off the end).
- No trigger, view, table or index (PostgreSQL: rule, row-security policy too) that the migrations
  did not create: the expected set is ``db.base.Base.metadata`` plus ``alembic_version``.

Every problem is one Chinese line naming the first bad row or the unexpected object.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, text

from db import audit_chain
from db.models.accounts import AuditHead, KeyMaterial
from db.models.system import AuditEntry, Setting
from desktop.keys.ring import DATABASE_ID

_LOG = AuditEntry.__table__
_COLUMNS = [_LOG.c[name] for name in ("id", *audit_chain.FIELDS, "row_hash")]


@dataclass
class Report:
    """``lines``: what was verified; ``problems``: one Chinese line each (empty: healthy)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def database_id(conn: Connection) -> str:
    value = conn.execute(select(Setting.value).where(Setting.key == DATABASE_ID)).scalar()
    return value if isinstance(value, str) else ""


def profile_head(conn: Connection) -> dict[str, Any] | None:
    """The newest head this user's profile remembers for the database, if any."""
    db_id = database_id(conn)
    if not db_id:
        return None
    from desktop.keys.profile import read_profile

    try:
        head = read_profile(db_id).get("audit_head")
    except ValueError:
        return None
    return head if isinstance(head, dict) and isinstance(head.get("seq"), int) else None


def verify_signature(public: bytes | None, seq: int, hash_hex: str, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not public:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public)).verify(bytes(signature),
                                                                 audit_chain.head_message(seq, hash_hex))
    except (InvalidSignature, ValueError):
        return False
    return True


def _rows(conn: Connection) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, yield_per=5000).execute(
        select(*_COLUMNS).where(_LOG.c.seq.is_not(None)).order_by(_LOG.c.seq))
    yield from result.mappings()


def check_chain(conn: Connection, remembered: dict[str, Any] | None = None) -> Report:
    """The chain, the heads and ``remembered`` (the profile's head) checked; stops at the first bad row."""
    report = Report()
    public = conn.execute(select(KeyMaterial.public).where(KeyMaterial.name == "audit")).scalar()
    heads = conn.execute(select(AuditHead.seq, AuditHead.row_hash, AuditHead.signature)
                         .order_by(AuditHead.seq)).all()
    signed: dict[int, str] = {}
    for seq, hash_hex, signature in heads:
        if public is None:
            report.problems.append("找不到操作日志的公钥，无法验证链头签名。")
            break
        if not verify_signature(public, int(seq), str(hash_hex), signature):
            report.problems.append(f"操作日志第 {seq} 条处的签名无效（链头被伪造或改动）。")
            return report
        signed[int(seq)] = str(hash_hex)
    loose = conn.execute(select(_LOG.c.id).where(_LOG.c.seq.is_(None)).order_by(_LOG.c.id).limit(1)).scalar()
    if loose is not None:
        report.problems.append(f"操作日志中有不在链上的记录（内部编号 {loose}），是绕过本程序写入的。")
        return report
    previous: str | None = None
    expected = 1
    for row in _rows(conn):
        seq = int(row["seq"])
        if seq != expected:
            gone = f"第 {expected} 条" if seq == expected + 1 else f"第 {expected}–{seq - 1} 条"
            report.problems.append(f"操作日志{gone}被删除。")
            return report
        if audit_chain.row_hash(previous, row) != row["row_hash"]:
            report.problems.append(f"操作日志第 {seq} 条被修改。")
            return report
        if seq in signed and signed[seq] != row["row_hash"]:
            report.problems.append(f"操作日志第 {seq} 条或其之前的记录被改动（与签名的链头不符）。")
            return report
        previous = row["row_hash"]
        expected += 1
    last = expected - 1
    newest = max(signed) if signed else 0
    if newest > last:
        report.problems.append(f"操作日志末尾被删除（已签名到第 {newest} 条，现只有 {last} 条）。")
        return report
    if remembered is not None:
        seq = int(remembered["seq"])
        if seq > last:
            report.problems.append(f"操作日志末尾被删除（本机记下的链头为第 {seq} 条，现只有 {last} 条）。")
            return report
        stored = conn.execute(select(_LOG.c.row_hash).where(_LOG.c.seq == seq)).scalar()
        if seq > 0 and stored != remembered.get("row_hash"):
            report.problems.append(f"操作日志第 {seq} 条或其之前的记录被改动（与本机记下的链头不符）。")
            return report
    tail = f"，已签名到第 {newest} 条" if newest else "，尚无签名的链头"
    report.lines.append(f"操作日志：正常（共 {last} 条{tail}）")
    return report


# ------------------------------------------------------------------------------------ the schema


def _expected() -> tuple[set[str], set[str], dict[str, list[set[str]]]]:
    """(tables, index names, per table the column sets of its primary key and unique constraints)."""
    from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint

    import db.models  # noqa: F401 - every model module, so the metadata knows every table
    from db.base import Base

    tables = set(Base.metadata.tables) | {"alembic_version"}
    indexes: set[str] = set()
    keys: dict[str, list[set[str]]] = {"alembic_version": [{"version_num"}]}
    for t in Base.metadata.tables.values():
        indexes.update(str(ix.name) for ix in t.indexes if ix.name)
        sets = keys.setdefault(t.name, [])
        for c in t.constraints:
            if isinstance(c, PrimaryKeyConstraint | UniqueConstraint):
                sets.append({col.name for col in c.columns})
                if c.name:
                    indexes.add(str(c.name))
        sets.extend({col.name} for col in t.columns if col.unique)
    return tables, indexes, keys


def foreign_objects(conn: Connection) -> list[str]:
    """One Chinese line per trigger, view, table or index (rule, policy) the migrations did not create."""
    tables, indexes, keys = _expected()
    found: list[tuple[str, str]] = []
    if conn.dialect.name == "sqlite":
        for kind, name, sql in conn.execute(text(
                "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")):
            if name.startswith("sqlite_"):
                continue
            if kind == "table" and name not in tables:
                found.append(("表", name))
            elif kind == "index" and sql is not None and name not in indexes:
                found.append(("索引", name))
            elif kind in ("trigger", "view"):
                found.append(("触发器" if kind == "trigger" else "视图", name))
    else:
        found.extend(_postgres_objects(conn, tables, indexes, keys))
    return [f"发现不是本程序创建的{kind} {name}，可能用于篡改数据，请联系管理员检查。" for kind, name in found]


def _postgres_objects(conn: Connection, tables: set[str], indexes: set[str],
                      keys: dict[str, list[set[str]]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    schema = "n.nspname = current_schema()"
    for (name,) in conn.execute(text(
            f"SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE {schema} AND c.relkind IN ('r', 'p', 'f') ORDER BY 1")):
        if name not in tables:
            found.append(("表", name))
    for (name,) in conn.execute(text(
            f"SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE {schema} AND c.relkind IN ('v', 'm') ORDER BY 1")):
        found.append(("视图", name))
    for (name,) in conn.execute(text(
            f"SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {schema} AND NOT t.tgisinternal ORDER BY 1")):
        found.append(("触发器", name))
    for (name,) in conn.execute(text(
            "SELECT rulename FROM pg_rules WHERE schemaname = current_schema() ORDER BY 1")):
        found.append(("规则", name))
    for (name,) in conn.execute(text(
            f"SELECT p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
            f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {schema} ORDER BY 1")):
        found.append(("行级安全策略", name))
    rows = conn.execute(text(
        f"SELECT i.relname, t.relname, con.contype, ARRAY(SELECT a.attname FROM pg_attribute a "
        f"WHERE a.attrelid = t.oid AND a.attnum = ANY(x.indkey)) FROM pg_index x "
        f"JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        f"JOIN pg_namespace n ON n.oid = t.relnamespace "
        f"LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.contype IN ('p', 'u') "
        f"WHERE {schema} ORDER BY 1"))
    for name, table, contype, columns in rows:
        if name in indexes:
            continue
        if contype is not None and set(columns) in keys.get(table, []):
            continue  # the index of a primary key or unique constraint the models declare
        found.append(("索引", name))
    return found


def check(conn: Connection) -> Report:
    """The whole audit and schema check on an open connection (``check`` prints it)."""
    report = check_chain(conn, profile_head(conn))
    report.problems.extend(foreign_objects(conn))
    if not any(line.startswith("发现") for line in report.problems):
        report.lines.append("数据库结构：没有多余的触发器、视图、表或索引")
    return report
