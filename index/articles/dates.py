"""Publication dates as news pages print them, parsed to ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# Offsets in minutes of the zone abbreviations news sites print.
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "IST": 330, "PKT": 300, "EST": -300, "EDT": -240,
    "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "MSK": 180,
    "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AEST": 600, "AEDT": 660,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME = (
    r"(?:[\s,]*(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
    r"(?:\s*(?P<zone>[A-Z]{1,4})\b)?"
)
_PATTERNS = (
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(
        r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME, re.I
    ),
    re.compile(
        r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?"
    ),
)


def find_date(line: str) -> tuple[str, re.Match[str]] | None:
    """The first date in ``line`` as ISO 8601 text, with the match that found it."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(line):
            iso = _to_iso(match)
            if iso is not None:
                return iso, match
    return None


def _to_iso(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    month = _MONTHS.get(parts["month"].lower()) if parts.get("month") else int(parts["mon"])
    hour, minute = int(parts.get("hour") or 0), int(parts.get("minute") or 0)
    ampm = (parts.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    try:
        moment = datetime(int(parts["year"]), month or 0, int(parts["day"]), hour, minute)
    except ValueError:
        return None
    zone = _ZONES.get(parts.get("zone") or "")
    if zone is not None:
        moment = moment.replace(tzinfo=timezone(timedelta(minutes=zone)))
    if parts.get("hour") is None:
        return moment.date().isoformat()
    return moment.isoformat()


def display_date(iso: str | None) -> str | None:
    """``2015-10-10T12:31:00+05:30`` -> ``10 Oct 2015``; unparseable text comes back as it is."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{moment.day} {moment:%b %Y}"
