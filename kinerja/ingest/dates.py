"""Indonesian dates as printed ("10 Januari 2023", "05 Maret 2024")."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1,
    "februari": 2,
    "pebruari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "nopember": 11,
    "desember": 12,
}
DATE = r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})"


def parse_date(text: str) -> dt.date:
    """The first date in ``text``; ValueError saying what was expected otherwise."""
    m = re.search(DATE, text)
    if not m or m.group(2).casefold() not in MONTHS:
        raise ValueError(f"expected a date such as '10 Januari 2023', found {text!r}")
    day, month, year = int(m.group(1)), MONTHS[m.group(2).casefold()], int(m.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{m.group(0)!r} is not a calendar date") from None
