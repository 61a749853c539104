"""Pseudonyms for CPR numbers (contract §4) and the CPR pattern that no output may contain."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sys
from pathlib import Path

import numpy as np
import pandas as pd

KEY_ENV = "BITANALYSIS_KEY"
KEY_FILE_ENV = "BITANALYSIS_KEY_FILE"
DEFAULT_KEY_FILE = Path.home() / ".config" / "bitanalysis" / "pseudonym.key"

#: A CPR number (DDMMYY-XXXX, DDMMYY XXXX or DDMMYYXXXX, with a real day and month), not inside a longer word or
#: number: a pseudonym's hex digits (B- and twelve hex digits) and the decimals of a number (digits after "3,") are not
#: taken for one, but a number between the commas or periods of a list is. The one pattern for the
#: loader and the reports' privacy guard.
CPR_PATTERN = re.compile(r"(?<!\w)(?<!\d[.,])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\w)(?![.,]\d)")

_CPR_DIGITS = re.compile(r"^\s*(\d{6})[- ]?(\d{4})\s*$")


def key_path() -> Path:
    """Where the pseudonym key file lives (env BITANALYSIS_KEY_FILE, else the user's config folder)."""
    return Path(os.environ.get(KEY_FILE_ENV, DEFAULT_KEY_FILE)).expanduser()


def pseudonym_key() -> bytes:
    """The local pseudonym key: env BITANALYSIS_KEY, else the key file, created on first use."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        print(
            f"bitanalysis: ny pseudonymnøgle oprettet i {path}. Opbevar den sikkert og uden for git; "
            "samme nøgle giver samme pseudonymer næste gang.",
            file=sys.stderr,
        )
    return path.read_text().strip().encode()


def cpr_digits(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The 10 CPR digits of each value (missing where absent), and a mask of values that are not CPR numbers."""
    text = values.astype("string").str.strip()
    text = text.mask(text == "")
    # Excel may have turned a CPR starting with 0 into a 9-digit number: restore the leading zero.
    text = text.str.replace(r"^(\d{9})(\.0)?$", r"0\1", regex=True).str.replace(r"^(\d{10})\.0$", r"\1", regex=True)
    parts = text.str.extract(_CPR_DIGITS)
    digits = (parts[0] + parts[1]).astype("string")
    bad = text.notna() & digits.isna()
    return digits, bad


def pseudonymise(values: pd.Series, key: bytes | None = None) -> tuple[pd.Series, pd.Series]:
    """Replace CPR numbers by "B-" + 12 hex digits of HMAC-SHA256; also return the mask of non-CPR values."""
    key = pseudonym_key() if key is None else key
    digits, bad = cpr_digits(values)
    uniques = digits.dropna().unique()
    lookup = {d: "B-" + hmac.new(key, d.encode(), hashlib.sha256).hexdigest()[:12] for d in uniques}
    return digits.map(lookup).astype("string"), bad


def birth_year(digits: pd.Series) -> pd.Series:
    """Birth year from 10 CPR digits, the century from the 7th digit (the CPR office's rule)."""
    yy = pd.to_numeric(digits.str[4:6], errors="coerce")
    d7 = pd.to_numeric(digits.str[6], errors="coerce")
    century = np.select(
        [d7 <= 3, d7.isin([4, 9]) & (yy <= 36), d7.isin([4, 9]), (d7 >= 5) & (yy <= 57), d7 >= 5],
        [1900, 2000, 1900, 2000, 1800],
        default=0,
    )
    return (pd.Series(century, index=digits.index) + yy).where(d7.notna()).astype("Int64")


def contains_cpr(text: str) -> bool:
    """True when the text holds something that looks like a CPR number."""
    return CPR_PATTERN.search(text) is not None
