"""Dates with a time of day, as front matter writes them (ISO 8601, ``Z`` or an offset)."""

from __future__ import annotations

import datetime as dt


def parse_timestamp(value: str) -> dt.datetime:
    """``value`` as a date and time, naive when it has no offset.

    Raises ValueError when it is malformed, or so near the ends of the calendar that
    some time zone would take it off (``9999-12-31T23:00:00-05:00``).
    """
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        if "offset must be a timedelta" not in str(exc):
            raise
        raise ValueError("the offset from UTC must be less than 24 hours") from None
    try:
        utc = moment.replace(tzinfo=None) - (moment.utcoffset() or dt.timedelta())
        _ = utc - dt.timedelta(days=1), utc + dt.timedelta(days=1)
    except OverflowError:
        raise ValueError("too close to the first or last day of the calendar") from None
    return moment
