"""The CPR number: the one pattern that finds it, for the loader, the messages and the privacy guard of every output."""

import re

#: A CPR number (DDMMYY-XXXX, DDMMYY XXXX or DDMMYYXXXX, with a real day and month), not inside a longer word or
#: number: a pseudonym's hex digits (B- and twelve hex digits) and the decimals of a number (digits after "3,") are not
#: taken for one, but a number between the commas or periods of a list is. The one pattern for the
#: loader and the reports' privacy guard.
CPR_PATTERN = re.compile(r"(?<!\w)(?<!\d[.,])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\w)(?![.,]\d)")


def hide_cpr(text: str) -> str:
    """The text with every CPR number replaced by '<CPR skjult>' (for messages, file and sheet names)."""
    return CPR_PATTERN.sub("<CPR skjult>", text)


def contains_cpr(text: str) -> bool:
    """True when the text holds something that looks like a CPR number."""
    return CPR_PATTERN.search(text) is not None
