"""One lock per database, honoured by every process: keyed by the file's identity (so a hard
link meets it), shared while open, exclusive for restore and the demo data; the window notices
a replaced file or a removed -wal; WAL checkpoints after jobs and when idle."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db import lock as dblock
from db.errors import DatabaseProblem
from db.lock import WINDOW, DatabaseLock, current_user
from db.models.core.registers import Worker
from desktop.context import App, open_app
from tests.support import cli, closed_demo_database, valid_id

ME = os.getpid()


def in_use_message(program: str, action: str) -> str:
    return f"数据库正在被使用（{program}，用户 {current_user()}，进程 {ME}），请先关闭后再{action}。未做任何改动。"


def workers(app: App) -> int:
    with app.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Worker)) or 0)


def rows_in_db_file_alone(path: Path, tmp_path: Path) -> int:
    """What a clerk copying only the .db file gets (no -wal beside it)."""
    copy = tmp_path / "copied-by-hand.sqlite3"
    shutil.copyfile(path, copy)
    con = sqlite3.connect(copy)
    try:
        return int(con.execute("SELECT count(*) FROM workers").fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def office(tmp_path: Path, uniondesk_home: Path) -> Path:
    """A closed database with 30 demo workers."""
    return closed_demo_database(tmp_path / "office.sqlite3", 30)


def csv_of_workers(path: Path, n: int, start: int = 100) -> Path:
    names = "赵钱孙李周吴郑王冯陈"
    lines = ["姓名,身份证号码,手机"] + [f"导入{names[i]},{valid_id(seq=start + i)},1390000{i:04d}" for i in range(n)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


# -- the lock itself ---------------------------------------------------------------------------------


def test_the_key_is_the_file_identity_so_a_hard_link_meets_the_same_lock(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(dblock.ENV_DIR, str(tmp_path / "locks"))
    db = tmp_path / "a.sqlite3"
    db.touch()
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "b.sqlite3"
    os.link(db, link)
    window, restore = DatabaseLock(db, WINDOW), DatabaseLock(link, "命令行 restore")
    st = db.stat()
    assert window.key == restore.key == f"{st.st_dev}-{st.st_ino}"
    assert window.lock_path == tmp_path / "locks" / f"{st.st_dev}-{st.st_ino}.lock"
    window.acquire_shared()
    restore.acquire_shared()  # shared locks live side by side
    with pytest.raises(DatabaseProblem) as info:
        restore.try_exclusive("恢复")
    assert info.value.code == "in_use" and info.value.message == in_use_message(WINDOW, "恢复")
    assert restore.mode == "shared"  # the failed try took the shared lock back
    third = DatabaseLock(db, "命令行 demo")
    with pytest.raises(DatabaseProblem):
        third.try_exclusive("生成演示数据")
    window.release()
    with restore.exclusive("恢复"):
        assert restore.mode == "exclusive"
        with pytest.raises(DatabaseProblem) as info:
            third.acquire_shared(wait=0)  # opening waits for a restore; here not at all
        assert "命令行 restore" in info.value.message
    assert restore.mode == "shared"
    restore.release()


def test_holder_files_name_us_and_only_ours_are_touched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locks"
    monkeypatch.setenv(dblock.ENV_DIR, str(folder))
    db = tmp_path / "a.sqlite3"
    db.touch()
    lock = DatabaseLock(db, WINDOW)
    lock.acquire_shared()
    mine = folder / f"{lock.key}.{ME}.holder"
    entry = json.loads(mine.read_text(encoding="utf-8"))[0]
    assert entry["program"] == WINDOW and entry["pid"] == ME and entry["user"] == current_user()
    dead = folder / f"{lock.key}.999999999.holder"  # no such process
    dead.write_text(json.dumps([{"program": "旧窗口", "pid": 999999999}]), encoding="utf-8")
    others_dead = folder / f"{lock.key}.999999998.holder"
    others_dead.write_text(json.dumps([{"program": "别人的窗口", "pid": 999999998}]), encoding="utf-8")
    if hasattr(os, "chown") and os.geteuid() == 0:
        os.chown(others_dead, 65534, 65534)  # another user's file
    other = DatabaseLock(db, "命令行 restore")
    other.acquire_shared()
    assert [h["program"] for h in other.others()] == [WINDOW]  # dead holders are ignored
    assert not dead.exists()  # our own stale file is tidied
    if os.geteuid() == 0:
        assert others_dead.exists()  # another user's is never deleted
    lock.release()
    other.release()
    assert not mine.exists()


def test_default_folder_and_the_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv(dblock.ENV_DIR, raising=False)
    if os.name != "nt" and os.access("/run/lock", os.W_OK):
        folder = dblock.lock_dir()
        assert folder == Path("/run/lock/uniondesk") and folder.stat().st_mode & 0o1777 == 0o1777
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv(dblock.ENV_DIR, str(blocked / "locks"))  # cannot be created
    assert dblock.lock_dir(tmp_path / "fallback") == tmp_path / "fallback"
    assert "lock folder" in caplog.text


def test_without_an_inode_the_resolved_path_is_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dblock, "identity", lambda _path: None)
    (tmp_path / "sub").mkdir()
    a = dblock.file_key(tmp_path / "db.sqlite3")
    assert a.startswith("p-") and a == dblock.file_key(tmp_path / "sub" / ".." / "db.sqlite3")


# -- restore and demo --force beside an open window ---------------------------------------------------


def test_restore_and_demo_force_are_refused_beside_an_open_window(office: Path, tmp_path: Path) -> None:
    # Read the bytes while nothing is open: closing any descriptor of the file would drop the
    # process's POSIX locks that SQLite relies on (SQLite's own opens are safe).
    before = office.read_bytes()
    window_app = open_app(str(office), daily_backup=False, program=WINDOW)
    backup = window_app.backup("manual", tmp_path / "b.sqlite3")
    home = tmp_path / "home"
    r = cli("restore", str(backup), "--yes", home=home, db=office)
    assert r.returncode == 1 and in_use_message(WINDOW, "恢复") in r.stderr
    r = cli("demo", "--force", "--size", "5", home=home, db=office)
    assert r.returncode == 1 and in_use_message(WINDOW, "生成演示数据") in r.stderr
    link = tmp_path / "hard.sqlite3"
    os.link(office, link)
    r = cli("restore", str(backup), "--yes", home=home, db=link)
    assert r.returncode == 1 and "请先关闭后再恢复" in r.stderr
    assert workers(window_app) == 30
    window_app.close()
    assert office.read_bytes() == before
    r = cli("restore", str(backup), "--yes", home=home, db=link)
    assert r.returncode == 0, r.stderr


def test_the_windows_own_restore_and_demo_retake_the_shared_lock(office: Path, tmp_path: Path) -> None:
    from desktop import demo

    app = open_app(str(office), daily_backup=False, program=WINDOW)
    backup = app.backup("manual", tmp_path / "b.sqlite3")
    cli_lock = DatabaseLock(office, "命令行 import")
    cli_lock.acquire_shared()
    try:
        with pytest.raises(DatabaseProblem) as info:
            app.restore(backup)
        assert info.value.message == in_use_message("命令行 import", "恢复")
        with pytest.raises(DatabaseProblem) as info:
            demo.replace(app, 5)
        assert info.value.message == in_use_message("命令行 import", "生成演示数据")
        assert app.lock is not None and app.lock.mode == "shared"  # retaken: still seen as open
        with pytest.raises(DatabaseProblem) as info:
            cli_lock.try_exclusive("恢复")
        assert WINDOW in info.value.message
        assert workers(app) == 30
    finally:
        cli_lock.release()
    demo.replace(app, 5)  # nobody else now
    assert workers(app) == 5
    app.close()


def test_a_second_window_through_a_hard_link_is_refused(qtbot: Any, office: Path, tmp_path: Path) -> None:
    from ui.app import ALREADY_OPEN, Starter
    from ui.main_window import MainWindow

    first, second = MainWindow(), MainWindow()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    one = Starter(first, interactive=False, daily_backup=False)
    assert one.start(str(office)) is not None
    link = tmp_path / "shortcut.sqlite3"
    os.link(office, link)
    two = Starter(second, interactive=False, daily_backup=False)
    with pytest.raises(DatabaseProblem) as info:
        two.open(str(link))
    assert info.value.code == "already_open" and ALREADY_OPEN in info.value.message
    assert f"{WINDOW}，用户 {current_user()}，进程 {ME}" in info.value.message
    one.close()
    opened = two.open(str(link))  # the lock went with the first window
    assert opened is not None
    opened[0].close()
    assert opened[1] is not None
    opened[1].release()


# -- a file replaced under an open window -------------------------------------------------------------


def test_the_pool_closing_its_connections_is_not_a_removed_wal(office: Path, tmp_path: Path) -> None:
    """The -wal goes when a file's last connection closes: the engine's pool closing all of its
    own (dispose, an invalidated connection) must not stop the window saving."""
    from desktop.programmes.core import registers

    app = open_app(str(office), daily_backup=False, program=WINDOW)
    wal = Path(str(office) + "-wal")
    with app.db.session() as s:
        registers.save(s, "organisations", None, {"name": "第一个单位"})
    before = os.stat(wal).st_ino
    app.db.engine.dispose()
    for n in range(5):  # other files created meanwhile would take a freed inode number
        (tmp_path / f"filler{n}").write_bytes(b"x")
    assert wal.exists() and os.stat(wal).st_ino == before
    with app.db.session() as s:
        registers.save(s, "organisations", None, {"name": "第二个单位"})
    app.close()
    assert not wal.exists() or wal.stat().st_size == 0  # the last connection tidied it


@pytest.mark.parametrize("how", ["replaced", "wal_removed"])
def test_the_window_notices_and_stops_writing(how: str, qtbot: Any, office: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.programmes.core import registers
    from ui.main_window import MainWindow

    app = open_app(str(office), daily_backup=False, program=WINDOW)
    win = MainWindow()
    qtbot.addWidget(win)
    win.attach_app(app)
    shown: list[str] = []
    monkeypatch.setattr("ui.main_window.QMessageBox.critical", lambda _p, _t, text: shown.append(text))
    with app.db.session() as s:
        registers.save(s, "organisations", None, {"name": "刚录入的单位"})
    if how == "replaced":
        other = tmp_path / "copy.sqlite3"
        shutil.copyfile(office, other)
        os.replace(other, office)  # as a careless restore by hand does
        expected = "已被移走或替换"
    else:
        os.unlink(str(office) + "-wal")
        expected = "日志文件"
    with pytest.raises(DatabaseProblem) as info, app.db.session() as s:
        registers.save(s, "organisations", None, {"name": "会丢失的单位"})
    assert info.value.code == "db_replaced" and expected in info.value.message
    win.watch_tick()
    assert shown and expected in shown[0] and "已停止保存" in shown[0]
    assert not win.import_workers_action.isEnabled()
    win.watch_tick()
    assert len(shown) == 1  # said once
    win.detach_app()
    app.close()


def test_a_job_on_a_replaced_file_fails_with_the_message(qtbot: Any, office: Path, tmp_path: Path) -> None:
    from ui.kit import jobs
    from ui.kit.jobs import Job

    app = open_app(str(office), daily_backup=False, program=WINDOW)
    jobs.watch(app)
    try:
        other = tmp_path / "copy.sqlite3"
        shutil.copyfile(office, other)
        os.replace(other, office)
        ran: list[int] = []
        failed: list[BaseException] = []
        job = Job(None, lambda _p, _c: ran.append(1)).failure(failed.append).run()
        assert job.wait()
        assert ran == [] and isinstance(failed[0], DatabaseProblem) and failed[0].code == "db_replaced"
    finally:
        jobs.unwatch(app)
        app.close()


# -- checkpoints ------------------------------------------------------------------------------------


def test_after_an_import_job_the_db_file_alone_holds_the_rows(qtbot: Any, office: Path, tmp_path: Path) -> None:
    from desktop.importing import service
    from ui.kit import jobs
    from ui.kit.jobs import Job

    app = open_app(str(office), daily_backup=False, program=WINDOW)
    jobs.watch(app)
    try:
        csv = csv_of_workers(tmp_path / "名单.csv", 5)
        job = Job(None, lambda p, c: service.import_file(app, "workers", csv, progress=p, cancelled=c)).run()
        assert job.wait() and job.error is None
        assert workers(app) == 35
        assert rows_in_db_file_alone(office, tmp_path) == 35  # app's connections are still open
    finally:
        jobs.unwatch(app)
        app.close()


def test_a_cli_import_beside_an_open_window_leaves_the_db_file_whole(office: Path, tmp_path: Path) -> None:
    app = open_app(str(office), daily_backup=False, program=WINDOW)
    try:
        assert workers(app) == 30  # the window's connection stays open, as a GUI's does
        csv = csv_of_workers(tmp_path / "名单.csv", 4)
        r = cli("import", "workers", str(csv), home=tmp_path / "home", db=office)
        assert r.returncode == 0, r.stderr
        assert rows_in_db_file_alone(office, tmp_path) == 34
    finally:
        app.close()


def test_idle_truncate_checkpoint_off_the_ui_thread_and_skipped_when_busy(
        qtbot: Any, office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.context as context
    from desktop.programmes.core import registers
    from ui.main_window import MainWindow

    app = open_app(str(office), daily_backup=False, program=WINDOW)
    win = MainWindow()
    qtbot.addWidget(win)
    win.attach_app(app)
    with app.db.session() as s:
        registers.save(s, "organisations", None, {"name": "新单位"})
    wal = Path(str(office) + "-wal")
    assert wal.stat().st_size > 0
    assert not app.idle_checkpoint()  # written just now: not idle yet
    monkeypatch.setattr(context, "IDLE_CHECKPOINT_S", 0.0)

    writer = sqlite3.connect(office, timeout=0, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        assert not app.idle_checkpoint()  # busy_timeout 0: skipped at once, tried again later
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert wal.stat().st_size > 0

    threads: list[str] = []
    real = app.idle_checkpoint

    def spy() -> bool:
        threads.append(threading.current_thread().name)
        return real()

    monkeypatch.setattr(app, "idle_checkpoint", spy)
    win.watch_tick()
    assert win._checkpoint_thread is not None
    win._checkpoint_thread.join(30)
    assert threads == ["idle-checkpoint"] and wal.stat().st_size == 0
    win.detach_app()
    app.close()


# -- PostgreSQL --------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_shared_advisory_lock_refuses_restore_and_demo(pg_url: str, tmp_path: Path) -> None:
    from desktop import demo

    window_app = open_app(pg_url, daily_backup=False, program=WINDOW)
    other = open_app(pg_url, daily_backup=False, program="命令行 restore")  # shared: both may open
    try:
        demo.create(window_app.db, size=10)
        with pytest.raises(DatabaseProblem) as info:
            demo.replace(other, 3)
        assert info.value.code == "in_use" and WINDOW in info.value.message
        assert "请先关闭后再生成演示数据" in info.value.message
        if shutil.which("pg_dump") and shutil.which("pg_restore"):
            dump = other.backup("manual", tmp_path / "pg.pgdump")
            with pytest.raises(DatabaseProblem) as info:
                other.restore(dump)
            assert info.value.code == "in_use" and WINDOW in info.value.message
        # the pooled connections may come and go: the lock lives on its own connection
        window_app.db.engine.dispose()
        with pytest.raises(DatabaseProblem):
            demo.replace(other, 3)
        assert workers(other) == 10
        window_app.close()
        demo.replace(other, 3)
        assert workers(other) == 3
    finally:
        window_app.close()
        other.close()


def test_the_restore_dialog_names_the_holder_and_keeps_working(qtbot: Any, office: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.dialogs.backup import RestoreDialog

    app = open_app(str(office), daily_backup=False, program=WINDOW)
    backup = app.backup("manual", tmp_path / "b.sqlite3")
    warnings: list[str] = []
    monkeypatch.setattr("ui.kit.jobs.QMessageBox.warning", lambda _p, _t, text: warnings.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    done: list[int] = []
    dlg = RestoreDialog(parent, app, lambda: done.append(1))
    dlg.choose_elsewhere(backup)
    cli_lock = DatabaseLock(office, "命令行 export")
    cli_lock.acquire_shared()
    try:
        job = dlg.run_restore(confirm=False)
        assert job is not None and job.wait()
        assert warnings == [in_use_message("命令行 export", "恢复")] and done == []
        assert app.lock is not None and app.lock.mode == "shared" and workers(app) == 30
    finally:
        cli_lock.release()
    dlg.close()
    app.close()
