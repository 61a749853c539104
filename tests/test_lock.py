import json
import os
import socket
import subprocess
import sys
import time

import pytest

from bitanalysis.workspace.lock import LOCK, UNWRITTEN_GRACE, LockedError, release_lock, take_lock


def dead_pid() -> int:
    """The PID of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_lock(folder, host, pid, started="2026-01-02T03:04:05+01:00"):
    """A lock file as another run would leave it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LOCK).write_text(json.dumps({"host": host, "pid": pid, "started": started, "what": "rapportkørsel", "token": "x"}))
    return folder / LOCK


def test_take_writes_holder_and_release_removes_it(tmp_path):
    lock = take_lock(tmp_path / "out")
    holder = json.loads(lock.read_text())
    assert lock == tmp_path / "out" / LOCK
    assert holder["host"] == socket.gethostname() and holder["pid"] == os.getpid() and holder["started"]
    assert sorted(p.name for p in lock.parent.iterdir()) == [LOCK]  # no temporary file left
    release_lock(lock)
    assert not lock.exists()
    release_lock(lock)  # twice is harmless


def test_second_take_refused_naming_host_pid_and_start(tmp_path):
    lock = take_lock(tmp_path)
    try:
        with pytest.raises(LockedError) as exc:
            take_lock(tmp_path, "analyse")
        message = str(exc.value)
        assert f"proces {os.getpid()}" in message and socket.gethostname() in message and "startet" in message
        assert "rapportkørsel er i gang" in message and str(lock) in message
        assert exc.value.lock == lock and exc.value.holder["pid"] == os.getpid()
    finally:
        release_lock(lock)


def test_stale_lock_of_this_host_taken_over(tmp_path):
    write_lock(tmp_path, socket.gethostname(), dead_pid())
    lock = take_lock(tmp_path)
    assert json.loads(lock.read_text())["pid"] == os.getpid()
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK]
    release_lock(lock)


def test_old_style_lock_with_a_dead_pid_taken_over(tmp_path):
    (tmp_path / LOCK).write_text(str(dead_pid()))
    lock = take_lock(tmp_path)
    assert json.loads(lock.read_text())["pid"] == os.getpid()
    release_lock(lock)


def test_lock_of_another_host_never_taken_over(tmp_path):
    lock = write_lock(tmp_path, "anden-maskine", dead_pid())
    old = time.time() - 10 * UNWRITTEN_GRACE
    os.utime(lock, (old, old))
    with pytest.raises(LockedError) as exc:
        take_lock(tmp_path)
    message = str(exc.value)
    assert "anden-maskine" in message and "02-01-2026 kl. 03:04:05" in message and "i hånden" in message
    assert json.loads(lock.read_text())["host"] == "anden-maskine"


def test_empty_lock_refused_while_fresh_and_taken_over_when_old(tmp_path):
    (tmp_path / LOCK).touch()
    with pytest.raises(LockedError, match="tom eller kan ikke læses"):
        take_lock(tmp_path)
    old = time.time() - UNWRITTEN_GRACE - 1
    os.utime(tmp_path / LOCK, (old, old))
    lock = take_lock(tmp_path)
    assert json.loads(lock.read_text())["pid"] == os.getpid()
    release_lock(lock)


def test_release_leaves_someone_elses_lock(tmp_path):
    lock = take_lock(tmp_path)
    lock.unlink()  # removed by hand, and another run took the folder
    other = write_lock(tmp_path, "anden-maskine", 4242)
    release_lock(lock)
    assert json.loads(other.read_text())["host"] == "anden-maskine"


def test_release_of_a_lock_never_taken_does_nothing(tmp_path):
    other = write_lock(tmp_path, socket.gethostname(), os.getpid())
    release_lock(other)
    assert other.exists()


def test_lock_held_by_a_live_process_of_this_host_refused(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        write_lock(tmp_path, socket.gethostname(), proc.pid)
        with pytest.raises(LockedError, match=f"proces {proc.pid} på maskinen"):
            take_lock(tmp_path)
    finally:
        proc.kill()
        proc.wait()
    release_lock(take_lock(tmp_path))  # now it is stale
