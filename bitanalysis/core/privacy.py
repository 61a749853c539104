"""Pseudonyms for CPR numbers (contract §4): the key, the pseudonym of each number, and the searches of the privacy guard."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import shlex
import sys
import tempfile
import time
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from bitanalysis.core.cpr import CPR_PATTERN
from bitanalysis.core.errors import InputError
from bitanalysis.core.parse import Parsed, _by_unique

#: Groups of fewer citizens are shown as "<5": the small-cell rule of every output.
SMALL = 5

KEY_ENV = "BITANALYSIS_KEY"
KEY_FILE_ENV = "BITANALYSIS_KEY_FILE"
DEFAULT_KEY_FILE = Path("~") / ".config" / "bitanalysis" / "pseudonym.key"  # the user's home when it is asked for
#: The shortest key accepted; bitanalysis itself makes 64 hex characters (256 bits).
KEY_MIN_LENGTH = 32
#: An empty or short key file is read this many times, this many seconds apart, before it is refused.
KEY_READ_TRIES, KEY_READ_WAIT = 10, 0.1

_CPR_DIGITS = re.compile(r"^\s*(\d{6})[- ]?(\d{4})\s*$")


class KeyFileError(InputError):
    """The pseudonym key (env BITANALYSIS_KEY or the key file) is empty or too short to use."""


def key_path() -> Path:
    """Where the pseudonym key file lives (env BITANALYSIS_KEY_FILE, else the user's config folder)."""
    return Path(os.environ.get(KEY_FILE_ENV, DEFAULT_KEY_FILE)).expanduser()


def pseudonym_key() -> bytes:
    """The local pseudonym key: env BITANALYSIS_KEY, else the key file, created on first use."""
    if KEY_ENV in os.environ:
        value = os.environ[KEY_ENV]
        if len(value.strip()) < KEY_MIN_LENGTH:
            raise KeyFileError(
                f"Pseudonymnøglen i miljøvariablen {KEY_ENV} er {_length_text(value.strip())}; den skal være mindst "
                f"{KEY_MIN_LENGTH} tegn, fx 64 hex-tegn som dem, bitanalysis selv laver i en ny nøglefil."
            )
        return value.encode()
    path = key_path()
    if not path.exists():
        _create_key_file(path)
    key = _read_key_file(path)
    _warn_if_shared(path)
    return key.encode()


def _create_key_file(path: Path) -> None:
    """Create the key file with a new random key, whole and readable by its owner only, unless another process was first."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if the file exists: a concurrent creator won, and its file is complete
        except FileExistsError:
            return
        except OSError:  # a file system without hard links: create exclusively (readers wait for the content)
            if not _create_exclusive(path, Path(tmp).read_text()):
                return
    finally:
        os.unlink(tmp)
    print(
        f"bitanalysis: ny pseudonymnøgle oprettet i {path}. Opbevar den sikkert og uden for git; "
        "samme nøgle giver samme pseudonymer næste gang.",
        file=_log_stream(),
    )


def _log_stream():
    """Where a notice goes: stderr, and in a Jupyter kernel the kernel process's own stderr (the log of whoever
    started it, such as a scheduled report run), never a notebook's output, where it would read as an error."""
    in_kernel = type(sys.stderr).__module__.startswith("ipykernel")
    return (sys.__stderr__ or sys.stderr) if in_kernel else sys.stderr


def _create_exclusive(path: Path, key: str) -> bool:
    """Create the key file with O_EXCL and mode 0600; False when it exists already."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return True


def _read_key_file(path: Path) -> str:
    """The key in the key file; an empty or short file is read again a few times (a writer may be mid-write), then refused."""
    text = ""
    for attempt in range(KEY_READ_TRIES):
        if attempt:
            time.sleep(KEY_READ_WAIT)
        text = path.read_text().strip()
        if len(text) >= KEY_MIN_LENGTH:
            return text
    hint = " Slet den tomme fil, så laver bitanalysis en ny nøgle næste gang." if not text else ""
    raise KeyFileError(
        f"Nøglefilen {path} er {_length_text(text)}; den skal indeholde en pseudonymnøgle på mindst {KEY_MIN_LENGTH} tegn, "
        f"fx de 64 hex-tegn, som bitanalysis selv skriver i en ny nøglefil.{hint}"
    )


def _length_text(key: str) -> str:
    """'tom' or 'for kort (n tegn)', for the messages about a key that cannot be used."""
    return "tom" if not key else f"for kort ({len(key)} tegn)"


@functools.cache
def _warn_if_shared(path: Path) -> None:
    """Warn once per process and file when other users may read or change the key file."""
    if os.name != "posix" or path.stat().st_mode & 0o077 == 0:
        return
    print(
        f"bitanalysis: advarsel: nøglefilen {path} kan læses eller ændres af andre end dig; "
        f"kør chmod 600 {shlex.quote(str(path))}, så kun du har adgang til den.",
        file=sys.stderr,
    )


@_by_unique
def cpr_digits(values: pd.Series) -> Parsed:
    """The 10 CPR digits of each value (missing where absent), and a mask of values that are not CPR numbers."""
    text = values.astype("string").str.strip()
    text = text.mask(text == "")
    # Excel may have turned a CPR starting with 0 into a 9-digit number: restore the leading zero.
    text = text.str.replace(r"^(\d{9})(\.0)?$", r"0\1", regex=True).str.replace(r"^(\d{10})\.0$", r"\1", regex=True)
    parts = text.str.extract(_CPR_DIGITS)
    digits = (parts[0] + parts[1]).astype("string")
    bad = text.notna() & digits.isna()
    return Parsed(digits, bad.astype(bool))


@_by_unique
def pseudonymise(values: pd.Series, key: bytes | None = None) -> Parsed:
    """Replace CPR numbers by "B-" + 12 hex digits of HMAC-SHA256; also return the mask of non-CPR values."""
    key = pseudonym_key() if key is None else key
    digits, bad = cpr_digits(values)
    uniques = digits.dropna().unique()
    lookup = {d: "B-" + hmac.new(key, d.encode(), hashlib.sha256).hexdigest()[:12] for d in uniques}
    return Parsed(digits.map(lookup).astype("string"), bad)


@_by_unique
def has_cpr(values: pd.Series) -> pd.Series:
    """Cells whose text holds something that looks like a CPR number."""
    return values.astype("string").str.contains(CPR_PATTERN, regex=True).fillna(False).astype(bool)


def birth_year(digits: pd.Series) -> pd.Series:
    """Birth year from 10 CPR digits, the century from the 7th digit (the CPR office's rule)."""
    # float, not the nullable Int64 a string column gives: a missing digit compares False, never <NA>, in np.select
    yy = pd.to_numeric(digits.str[4:6], errors="coerce").astype("float64")
    d7 = pd.to_numeric(digits.str[6], errors="coerce").astype("float64")
    century = np.select(
        [d7 <= 3, d7.isin([4, 9]) & (yy <= 36), d7.isin([4, 9]), (d7 >= 5) & (yy <= 57), d7 >= 5],
        [1900, 2000, 1900, 2000, 1800],
        default=0,
    )
    return (pd.Series(century, index=digits.index) + yy).where(d7.notna()).astype("Int64")


def texts_pattern(texts: Collection[str]) -> re.Pattern[str] | None:
    """One pattern finding any of the texts (longest first), or None for no texts."""
    return re.compile("|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))) if texts else None


def any_found(cells: pd.Series, pattern: re.Pattern[str]) -> bool:
    """Whether any text cell holds the pattern (one of many texts: see `texts_pattern`): in one pass by Arrow's RE2
    over the distinct cells, or by Python's re where RE2 cannot read the pattern."""
    import pyarrow as pa
    import pyarrow.compute as pc

    distinct = pa.array(pd.unique(cells.dropna().astype(str).to_numpy()), type=pa.string())
    try:
        return bool(pc.any(pc.match_substring_regex(distinct, pattern.pattern)).as_py())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return any(pattern.search(c) for c in distinct.to_pylist())


def blanked(cells: pd.Series, pattern: re.Pattern[str]) -> pd.Series:
    """The text cells with every text of the pattern replaced by a NUL (the same rule as `pattern.sub`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = cells.dropna().astype(str)
    try:
        out = pc.replace_substring_regex(pa.array(text.to_numpy(), type=pa.string()), pattern.pattern, "\x00")
        return pd.Series(out.to_pylist(), index=text.index, dtype="string")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return text.map(lambda t: pattern.sub("\x00", t)).astype("string")
