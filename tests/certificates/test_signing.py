"""Signed register rows (desktop.certificates.signing): a row inserted with sqlite3 never verifies,
the fingerprint printed is the one ``verify`` accepts, the QR reads the serial and the signature,
rows waiting for a signature are signed once, and only those."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from db.models.certificates import Certificate
from db.models.system import Setting
from desktop import settings as app_settings
from desktop.certificates import issuing as certs
from desktop.certificates import register, signing
from desktop.context import App, open_app
from desktop.keys import KeyRing
from tests.certificates.pdfread import page_flat, read_lines, read_qr, render_gray
from tests.certificates.signing_support import unlocked

CODE = re.compile(r"校验码\s*[：:]\s*(?P<code>[0-9A-Za-z-]+\.[0-9A-Z]+)")


def person(name: str, award: str = "一等奖", event: str = "焊工") -> dict[str, Any]:
    return {"name": name, "unit": "跃龙模具", "award": award, "event": event, "programme": "competitions",
            "date": date(2026, 5, 1)}


def issued(app: App, names: list[str]) -> list[Certificate]:
    with app.db.session() as s:
        rows = [c for _r, c, _n in certs.assign(s, [person(n) for n in names], "honour", app.settings, ring=app.keys)]
        s.expunge_all()
    return rows


def check(app: App, text: str) -> str:
    with app.db.session() as s:
        return register.verify(s, text, app.keys).message


def forge(db: Path, serial: str, signature: bytes | None, legacy: str | None = None) -> None:
    """A register row written with sqlite3, as 伪造者 would."""
    con = sqlite3.connect(db)
    try:
        con.execute(
            "INSERT INTO certificates (serial, prefix, year, programme, code, counter, name, unit, award, event, "
            "template, issued_on, issued_at, printed_count, signature, legacy_codes) VALUES "
            "(?, 'UD', 2026, 'competitions', 'JS', ?, '伪造者', '跃龙模具', '一等奖', '焊工', 'honour', '2026-05-01', "
            "'2026-05-01 09:00:00', 1, ?, ?)", (serial, int(serial[-5:]), signature, legacy))
        con.commit()
    finally:
        con.close()


# -- the canonical content and the printed forms ---------------------------------------------------


def test_canonical_content_names_what_makes_a_certificate() -> None:
    row = {"serial": "UD-2026-JS-00001", "alias": None, "code": "JS", "name": "张三", "unit": "跃龙模具",
           "award": "一等奖", "event": "焊工", "team": None, "issued_on": date(2026, 5, 1)}
    base = signing.canonical(row)
    assert base.startswith(b"v1|") and "张三".encode() in base and b"2026-05-01" in base
    for key, other in (("serial", "UD-2026-JS-00002"), ("name", "张王"), ("unit", "别处"), ("award", "特等奖"),
                       ("event", "电工"), ("team", "一队"), ("issued_on", date(2026, 5, 2)), ("code", "HS"),
                       ("alias", "UD-2026-competitions-00001")):
        assert signing.canonical({**row, key: other}) != base, key
    assert signing.canonical({**row, "name": "张|三"}) != signing.canonical({**row, "name": "张", "unit": "三"})
    assert signing.canonical(row, ["ab"]) != base  # old code hashes are signed too


def test_fingerprint_is_eight_typeable_characters_starting_the_qr_signature() -> None:
    sig = Ed25519PrivateKey.generate().sign(b"x")
    fp = signing.fingerprint(sig)
    assert len(fp) == 8 and re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", fp)
    assert signing.qr_payload("UD-2026-JS-00001", sig).startswith(signing.printed_code("UD-2026-JS-00001", sig))
    assert len(signing.b32(sig)) == 103
    typed = fp.lower().replace("0", "o").replace("1", "l")
    assert signing.normalise_code(typed) == fp


# -- verify -----------------------------------------------------------------------------------------


def test_issued_rows_are_signed_and_verify_in_every_printed_form(app_ctx: App) -> None:
    unlocked(app_ctx)
    first, second = issued(app_ctx, ["张三", "李四"])
    assert first.signature and len(first.signature) == 64
    sig = bytes(first.signature)
    assert check(app_ctx, first.serial) == "有效"
    assert check(app_ctx, signing.printed_code(first.serial, sig)) == "有效"
    assert check(app_ctx, signing.qr_payload(first.serial, sig)) == "有效"
    assert check(app_ctx, signing.printed_code(first.serial, sig).lower()) == "有效"  # typed in lower case
    assert check(app_ctx, f"{first.serial}.{signing.fingerprint(bytes(second.signature))}") == "校验码不符"
    assert check(app_ctx, f"{first.serial}.ABCDEF") == "校验码不符"  # an HMAC-era code it never had
    assert check(app_ctx, "UD-2026-JS-09999") == "无此证书"
    with app_ctx.db.session() as s:
        register.void(s, second.id, "重复发放")
    assert check(app_ctx, signing.printed_code(second.serial, bytes(second.signature))) == "已作废（重复发放）"


def test_forged_rows_answer_mismatch_with_or_without_a_code(app_ctx: App, db_path: Path) -> None:
    ring = unlocked(app_ctx)
    (genuine,) = issued(app_ctx, ["张三"])
    other = Ed25519PrivateKey.generate()
    forged_values = {"serial": "UD-2026-JS-00101", "code": "JS", "name": "伪造者", "unit": "跃龙模具", "award": "一等奖",
                     "event": "焊工", "issued_on": date(2026, 5, 1)}
    made_with_other_key = other.sign(signing.canonical(forged_values))
    forge(db_path, "UD-2026-JS-00101", made_with_other_key)
    forge(db_path, "UD-2026-JS-00102", None)
    forge(db_path, "UD-2026-JS-00103", bytes(range(64)))
    forge(db_path, "UD-2026-JS-00104", bytes(genuine.signature))  # a genuine row's signature, copied
    forge(db_path, "UD-2026-JS-00105", None, f'["{signing.legacy_hash("UD-2026-JS-00105.ABCDEF")}"]')
    for serial, sig in (("UD-2026-JS-00101", made_with_other_key), ("UD-2026-JS-00103", bytes(range(64))),
                        ("UD-2026-JS-00104", bytes(genuine.signature))):
        assert check(app_ctx, serial) == "校验码不符", serial
        assert check(app_ctx, signing.printed_code(serial, sig)) == "校验码不符", serial
        assert check(app_ctx, signing.qr_payload(serial, sig)) == "校验码不符", serial
    assert check(app_ctx, "UD-2026-JS-00102") == "校验码不符"
    assert check(app_ctx, "UD-2026-JS-00105.ABCDEF") == "校验码不符"  # an old code it gave itself
    # the next process holding the key signs none of them, and a reprint does not launder a forged signature
    with app_ctx.db.session() as s:
        assert signing.sign_pending(s, ring) == 0
    assert check(app_ctx, "UD-2026-JS-00101") == "校验码不符"
    assert check(app_ctx, genuine.serial) == "有效"


def test_a_void_cleared_with_sqlite_still_answers_void(app_ctx: App, db_path: Path) -> None:
    """伪造者 clears the void in the register with sqlite3: the chained audit log still holds it."""
    unlocked(app_ctx)
    (cert,) = issued(app_ctx, ["张三"])
    app_ctx.db.actor.clerk = "王芳"
    assert check(app_ctx, cert.serial) == "有效"
    register.void_certificate(app_ctx, cert.id, "姓名打错")
    assert check(app_ctx, cert.serial) == "已作废（姓名打错）"
    con = sqlite3.connect(db_path)
    try:
        con.execute("UPDATE certificates SET voided_at = NULL, void_reason = NULL WHERE id = ?", (cert.id,))
        con.commit()
    finally:
        con.close()
    assert check(app_ctx, cert.serial) == "已作废（姓名打错；登记簿中的作废记录已被改动）"
    code = signing.printed_code(cert.serial, bytes(cert.signature))
    assert check(app_ctx, code).startswith("已作废")


def test_a_swapped_public_key_answers_mismatch(app_ctx: App, db_path: Path) -> None:
    """伪造者 replaces the public key with his own and signs his row with it: this profile remembers
    the database's key (desktop.keys.check_keys), so nothing verifies."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    unlocked(app_ctx)
    (genuine,) = issued(app_ctx, ["张三"])
    other = Ed25519PrivateKey.generate()
    values = {"serial": "UD-2026-JS-00101", "code": "JS", "name": "伪造者", "unit": "跃龙模具", "award": "一等奖",
              "event": "焊工", "issued_on": date(2026, 5, 1)}
    sig = other.sign(signing.canonical(values))
    forge(db_path, "UD-2026-JS-00101", sig)
    con = sqlite3.connect(db_path)
    con.execute("UPDATE key_material SET public = ? WHERE name = 'signing'",
                (other.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),))
    con.commit()
    con.close()
    assert check(app_ctx, signing.printed_code("UD-2026-JS-00101", sig)) == "校验码不符"
    assert check(app_ctx, genuine.serial) == "校验码不符"


# -- printing ---------------------------------------------------------------------------------------


def test_the_printed_fingerprint_is_the_one_verify_accepts_and_the_qr_reads_the_serial(
        app_ctx: App, tmp_path: Path, fontset: Any) -> None:
    unlocked(app_ctx)
    with app_ctx.db.session() as s:
        app_settings.save(s, {"certificate_verify": 1})
    app_ctx.reload_settings()
    out = tmp_path / "证书.pdf"
    done = certs.issue_and_render(app_ctx, "honour", [person("张三"), person("李四")], out)
    assert not done.unsigned
    for page, serial in enumerate(done.serials):
        m = CODE.search(page_flat(read_lines(out)[page]))
        assert m, f"page {page + 1}: no 校验码"
        printed = m["code"]
        assert re.fullmatch(re.escape(serial) + r"\.[0-9A-HJKMNP-TV-Z]{8}", printed), printed
        found = read_qr(render_gray(out, page, dpi=200))
        assert len(found) == 1 and found[0].text.startswith(printed) and serial in found[0].text
        assert check(app_ctx, printed) == "有效"
        assert check(app_ctx, found[0].text) == "有效"
        with app_ctx.db.session() as s:
            sig = s.execute(select(Certificate.signature).where(Certificate.serial == serial)).scalar_one()
        assert found[0].text == signing.qr_payload(serial, sig)


def test_a_locked_ring_prints_without_qr_or_code_and_the_rows_wait(app_ctx: App, tmp_path: Path,
                                                                   fontset: Any) -> None:
    with app_ctx.db.session() as s:
        app_settings.save(s, {"certificate_verify": 1})
    app_ctx.reload_settings()
    ring = unlocked(app_ctx)
    app_ctx.keys = KeyRing()  # locked: no master key
    out = tmp_path / "证书.pdf"
    done = certs.issue_and_render(app_ctx, "honour", [person("张三")], out)
    assert done.unsigned and done.pages == 1
    assert "校验码" not in page_flat(read_lines(out)[0]) and not read_qr(render_gray(out, 0))
    assert check(app_ctx, done.serials[0]) == "校验码不符"  # not signed yet
    with app_ctx.db.session() as s:
        assert s.get(Setting, signing.PENDING_KEY).value["ids"] == done.ids
    app_ctx.keys = ring
    assert signing.sign_waiting(app_ctx) == 1
    assert check(app_ctx, done.serials[0]) == "有效"
    with app_ctx.db.session() as s:
        assert s.get(Setting, signing.PENDING_KEY) is None
        assert signing.sign_pending(s, ring) == 0


# -- a copy of the data elsewhere ---------------------------------------------------------------------


def test_a_copy_in_a_new_data_folder_verifies_and_cannot_forge(app_ctx: App, db_path: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    unlocked(app_ctx)
    (genuine,) = issued(app_ctx, ["张三"])
    code = signing.printed_code(genuine.serial, bytes(genuine.signature))
    app_ctx.close()
    copy = tmp_path / "copy" / "uniondesk.sqlite3"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    monkeypatch.setenv("UNIONDESK_HOME", str(tmp_path / "another-home"))
    other = open_app(str(copy), daily_backup=False)
    try:
        ring = other.keys
        assert ring is None or ring.locked, "a new data folder has no machine key for this database"
        forged = issued(other, ["伪造者"])[0]  # issued in the copy: no key, no signature
        assert forged.signature is None
        forge(copy, "UD-2026-JS-00200", Ed25519PrivateKey.generate().sign(b"v1|"))
        assert check(other, code) == "有效"
        assert check(other, genuine.serial) == "有效"
        assert check(other, forged.serial) == "校验码不符"
        assert check(other, "UD-2026-JS-00200") == "校验码不符"
    finally:
        other.close()


def test_sign_pending_signs_the_listed_rows_only(app_ctx: App, db_path: Path) -> None:
    ring = unlocked(app_ctx)
    forge(db_path, "UD-2026-JS-00001", None, "[]")  # a row from before signatures (migration 0007)
    forge(db_path, "UD-2026-JS-00002", None, "[]")
    with app_ctx.db.session() as s:
        top = s.execute(select(Certificate.id).where(Certificate.serial == "UD-2026-JS-00002")).scalar_one()
        s.add(Setting(key=signing.PENDING_KEY, value={"upto": top, "ids": []}))
    forge(db_path, "UD-2026-JS-00003", None, "[]")  # inserted later with sqlite3: never signed
    with app_ctx.db.session() as s:
        assert signing.sign_pending(s, ring) == 2
    assert [check(app_ctx, f"UD-2026-JS-0000{i}") for i in (1, 2, 3)] == ["有效", "有效", "校验码不符"]
    with app_ctx.db.session() as s:
        assert s.get(Setting, signing.PENDING_KEY) is None
        assert signing.sign_pending(s, ring) == 0


def test_a_value_changed_behind_the_signature_answers_mismatch(app_ctx: App) -> None:
    unlocked(app_ctx)
    with app_ctx.db.session() as s:
        (cert,) = [c for _r, c, _n in certs.assign(s, [person("张三")], "honour", app_ctx.settings,
                                                   now=datetime(2026, 5, 1, 9), ring=app_ctx.keys)]
        cert.issued_on = date(2026, 5, 2)  # changed behind the signature
    with app_ctx.db.session() as s:
        assert register.verify(s, "UD-2026-JS-00001", app_ctx.keys).message == "校验码不符"


# -- the command line -------------------------------------------------------------------------------


def test_cli_verify_refuses_a_forged_row_and_a_locked_copy_prints_without_code(tmp_path: Path) -> None:
    from tests.support import cli, write_workbook

    home, db = tmp_path / "home", tmp_path / "office.sqlite3"
    sheet = write_workbook(tmp_path / "名单.xlsx", [["姓名", "单位", "奖项", "项目"], ["张三", "甲厂", "一等奖", "焊工"]])
    r = cli("certificates", "--from", str(sheet), "--out", str(tmp_path / "a.pdf"), home=home, db=db)
    assert r.returncode == 0, r.stderr
    assert signing.LOCKED_NOTICE not in r.stderr
    serial = f"UD-{date.today().year}-MD-00001"
    con = sqlite3.connect(db)
    sig = con.execute("SELECT signature FROM certificates WHERE serial = ?", (serial,)).fetchone()[0]
    con.close()
    assert cli("verify", signing.printed_code(serial, sig), home=home, db=db).stdout.splitlines()[0] == "有效"
    forged = f"UD-{date.today().year}-MD-00002"
    forge(db, forged, Ed25519PrivateKey.generate().sign(b"v1|"))
    for text in (forged, signing.printed_code(forged, sig)):
        v = cli("verify", text, home=home, db=db)
        assert (v.returncode, v.stdout.strip()) == (1, "校验码不符"), text
    # a copy in another data folder: no machine key there, so nothing is signed or printed with a code
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as con:
        con.execute("INSERT INTO settings (key, value) VALUES ('certificate_verify', '1')")
    other = tmp_path / "other-home"
    r = cli("certificates", "--from", str(sheet), "--out", str(tmp_path / "b.pdf"), home=other, db=copy)
    assert r.returncode == 0, r.stderr
    assert signing.LOCKED_NOTICE in r.stderr.splitlines()
    assert "校验码" not in page_flat(read_lines(tmp_path / "b.pdf")[0])
    v = cli("verify", signing.printed_code(serial, sig), home=other, db=copy)
    assert (v.returncode, v.stdout.splitlines()[0]) == (0, "有效")
