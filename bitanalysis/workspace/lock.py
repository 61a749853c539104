"""Lock files that keep two runs out of one folder: created whole and at once, taken over only when provably stale.

A lock file holds JSON: the host, the PID, the start time and what runs. It is written to a temporary file first and
then hard-linked to its name, so it never exists without its content, and the link fails when another run holds the
lock. A lock is stale, and taken over, only when it is from this host and its process is gone, or when it is empty or
unreadable and older than `UNWRITTEN_GRACE` seconds (an old-style writer creates the file first and writes it after).
A lock from another host is never taken over: its process cannot be seen from here.

Taking over a stale lock is race-safe: the lock is renamed to a unique name (only one run can move a given file), its
content is compared with what was judged stale, and a lock that turns out to be a newer run's is put back. Only a third
run that starts in that instant could slip in; plain unlink-and-retry would let any two concurrent runs both win.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

LOCK = ".lock"
#: Seconds an empty or unreadable lock is left alone: an old-style writer may not have written its content yet.
UNWRITTEN_GRACE = 60.0
_TRIES = 3

#: The token of each lock this process holds, so release_lock removes only its own lock.
_TAKEN: dict[Path, str] = {}


class LockedError(RuntimeError):
    """Another run holds the lock of a folder; the message says who and what to do."""

    def __init__(self, message: str, lock: Path, holder: dict[str, Any] | None = None):
        super().__init__(message)
        self.lock, self.holder = lock, holder


def take_lock(folder: Path, what: str = "rapportkørsel") -> Path:
    """Take the lock of a folder for a run, taking over a stale one; raise LockedError while another run holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK
    token = uuid.uuid4().hex
    content = json.dumps(_me(what, token), ensure_ascii=False).encode()
    for _ in range(_TRIES):
        if _create(lock, content):
            _TAKEN[lock] = token
            return lock
        try:
            seen, age = lock.read_bytes(), time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            continue  # released in the meantime: try again
        except PermissionError:
            raise LockedError(
                f"Låsefilen {lock} kan ikke læses (ingen adgang), så en anden kørsel holder den måske; {_DELETE}", lock
            ) from None
        _refuse_unless_stale(lock, seen, age, what)
        _remove_stale(lock, seen)
    raise LockedError(f"En anden {what} startede samtidig i {folder} og fik låsen {lock}; prøv igen om lidt.", lock)


def release_lock(lock: Path) -> None:
    """Remove a lock taken by this process, unless it is no longer ours (then it is left alone)."""
    token = _TAKEN.pop(lock, None)
    if token is None:
        return
    with contextlib.suppress(OSError):
        holder = _parse(lock.read_bytes())
        if holder is not None and holder.get("token") == token and holder.get("pid") == os.getpid():
            lock.unlink(missing_ok=True)


_DELETE = "slet den i hånden, hvis du ved, at ingen kørsel bruger mappen."


def _me(what: str, token: str) -> dict[str, Any]:
    """This run as a lock's holder."""
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return {"host": socket.gethostname(), "pid": os.getpid(), "started": started, "what": what, "token": token}


def _create(lock: Path, content: bytes) -> bool:
    """Create the lock file with its content in one step; False when it exists already."""
    fd, tmp = tempfile.mkstemp(prefix=f"{lock.name}.", suffix=".tmp", dir=lock.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.chmod(tmp, 0o644)  # others sharing the folder must read who holds it (an unreadable lock is never stale)
        try:
            os.link(tmp, lock)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


def _parse(content: bytes) -> dict[str, Any] | None:
    """The holder a lock file names, or None when it is empty or unreadable; an old-style lock (a bare PID) is this host's."""
    text = content.decode("utf-8", errors="replace").strip()
    if text.isdigit() and int(text) > 0:
        return {"host": socket.gethostname(), "pid": int(text)}
    try:
        holder = json.loads(text)
    except ValueError:
        return None
    if (
        not isinstance(holder, dict)
        or not isinstance(holder.get("pid"), int)
        or holder["pid"] <= 0
        or not isinstance(holder.get("host"), str)
    ):
        return None
    return holder


def _refuse_unless_stale(lock: Path, seen: bytes, age: float, what: str) -> None:
    """Raise LockedError unless the lock is stale: this host's with its process gone, or unreadable and old."""
    holder = _parse(seen)
    if holder is None:
        if age >= UNWRITTEN_GRACE:
            return
        raise LockedError(
            f"Låsefilen {lock} er tom eller kan ikke læses; en anden {what} er måske ved at starte. Prøv igen om lidt "
            f"(efter {UNWRITTEN_GRACE:.0f} sekunder overtages en tom låsefil), eller {_DELETE}",
            lock,
        )
    if holder["host"] == socket.gethostname() and not alive(holder["pid"]):
        return
    raise LockedError(_held_message(lock, holder, what), lock, holder)


def _held_message(lock: Path, holder: dict[str, Any], what: str) -> str:
    """Who holds a lock, since when, and what to do."""
    who = f"proces {holder['pid']} på maskinen {holder['host']}"
    since = f", startet {_since(holder['started'])}" if isinstance(holder.get("started"), str) else ""
    head = f"En anden {holder.get('what') or what} er i gang i {lock.parent} ({who}{since})."
    if holder["host"] != socket.gethostname():
        return (
            f"{head} Låsen overtages aldrig automatisk fra en anden maskine; vent til den kørsel er færdig, "
            f"eller slet {lock} i hånden, hvis du ved, at den er stoppet."
        )
    return f"{head} Vent til den er færdig, eller slet {lock}, hvis proces {holder['pid']} ikke er den kørsel."


def _since(started: str) -> str:
    """A lock's start time as Danish analysts read it (day first), or the text as it stands."""
    try:
        return dt.datetime.fromisoformat(started).strftime("%d-%m-%Y kl. %H:%M:%S")
    except ValueError:
        return started


def _remove_stale(lock: Path, seen: bytes) -> None:
    """Move a stale lock aside; put it back if it turned out to be a newer run's lock."""
    aside = lock.with_name(f"{lock.name}.stale-{uuid.uuid4().hex}")
    try:
        os.rename(lock, aside)  # atomic: of runs racing to take over, only one moves any given file
    except FileNotFoundError:
        return  # another run removed it first
    try:
        if aside.read_bytes() != seen:
            with contextlib.suppress(FileExistsError):
                os.link(aside, lock)
    finally:
        aside.unlink(missing_ok=True)


def alive(pid: int) -> bool:
    """True when a process of this host has the PID (or it cannot be told: outside POSIX a lock is never taken over)."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would signal the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
