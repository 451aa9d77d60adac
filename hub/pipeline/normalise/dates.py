"""The hub's date layer: date text as sources write it -> aware UTC datetime with its precision.

Understands RFC 822/1123 (also `GMT+7`, `+07`, `ICT`), ISO 8601 and the day-first Vietnamese forms
(`Thứ Hai, 12/05/2025 - 14:30`, `09:21 AM 12/08/2023`, `ngày 07 tháng 4 năm 2011`). Naive is Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dedupe.text import strip_tones
from hub.items import DatePrecision

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONTHS: dict[str, int] = {
    "apr": 4,
    "aug": 8,
    "dec": 12,
    "feb": 2,
    "jan": 1,
    "jul": 7,
    "jun": 6,
    "mar": 3,
    "may": 5,
    "nov": 11,
    "oct": 10,
    "sep": 9,
}
# Zone names sources write, in minutes east of UTC. ICT is Indochina Time (+07:00); feedparser reads it as
# UTC, which puts every such item seven hours late.
ZONE_NAMES: dict[str, int] = {"gmt": 0, "ict": 420, "ut": 0, "utc": 0, "z": 0}

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# (pattern, order of the three groups); tried in this order on the lower-cased, tone-stripped text.
_DATE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})"), "dmy"),
    (re.compile(r"(?<![\d.])(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?![\d.])"), "ymd"),
    (re.compile(r"(?<![\d.])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d.])"), "dmy"),
    (re.compile(rf"(?<!\d)(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})(?!\d)"), "dby"),
    (re.compile(rf"{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)"), "bdy"),
)
_TIME = re.compile(
    r"(?<![\d.:])(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?:[.,]\d+)?(?!\d)\s*(?:(am|pm|sa|ch)(?![a-z]))?"
)
# "GMT+7", "UTC+07:00", "GMT -5"; without a zone name only the two-digit forms "+07", "+0700", "+07:00".
_ZONE_OFFSET = re.compile(
    r"(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?(?!\d)|([+-])(\d{2})(?::?(\d{2}))?(?!\d)"
)
_ZONE_NAME = re.compile(r"\b(gmt|ict|ut|utc|z)\b")
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_EPOCH_MS_ABOVE = 10**11  # a count of seconds this large is year 5138: it must be milliseconds


@dataclass(frozen=True, slots=True)
class ParsedDate:
    when: datetime  # aware UTC
    precision: DatePrecision


@dataclass(frozen=True, slots=True)
class ResolvedDates:
    """`published` never null (harvest time as the last resort), `updated` when the source gave one."""

    published: datetime
    precision: DatePrecision
    updated: datetime | None
    flags: list[str] = field(default_factory=list)


def parse_date(value: object) -> ParsedDate | None:
    """Parse one source date (text, datetime or epoch number); None when it names no full date."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)
        return ParsedDate(aware.astimezone(UTC), DatePrecision.DATETIME)
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > _EPOCH_MS_ABOVE else value
        return ParsedDate(datetime.fromtimestamp(seconds, UTC), DatePrecision.DATETIME)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    return _parse_iso(text) if _ISO_START.match(text) else _parse_words(text)


def resolve_dates(
    published: object, updated: object, *, fetched_at: datetime, now: datetime, future_tolerance: timedelta
) -> ResolvedDates:
    """Published from the source (else its updated, else harvest time); future dates clamped to `now`."""
    flags: list[str] = []
    parsed_updated = parse_date(updated)
    parsed = parse_date(published)
    if parsed is None and parsed_updated is not None:
        parsed, flags = parsed_updated, ["date.from_updated"]
    if parsed is None:
        return ResolvedDates(fetched_at, DatePrecision.FETCHED, None, ["date.from_fetch"])
    # A clock or time-zone slip at the source can date an item days ahead; a feed sorted by date would
    # then pin it to the top until that day comes.
    latest = now + future_tolerance
    published_at = now if parsed.when > latest else parsed.when
    updated_at = None
    if parsed_updated is not None:
        updated_at = now if parsed_updated.when > latest else parsed_updated.when
    if published_at != parsed.when or (parsed_updated and updated_at != parsed_updated.when):
        flags.append("date.future_clamped")
    return ResolvedDates(published_at, parsed.precision, updated_at, flags)


def _parse_iso(text: str) -> ParsedDate | None:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return _parse_words(text)
    if len(text) == len("2025-05-12"):
        return ParsedDate(_local_midnight(parsed.date()), DatePrecision.DATE)
    aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_TZ)
    return ParsedDate(aware.astimezone(UTC), DatePrecision.DATETIME)


def _parse_words(text: str) -> ParsedDate | None:
    folded = strip_tones(text).lower()
    found = _find_date(folded)
    if found is None:
        return None
    day, rest = found
    clock = _TIME.search(rest)
    if clock is None:
        return ParsedDate(_local_midnight(day), DatePrecision.DATE)
    try:
        moment = datetime.combine(day, _time_of(clock))
    except ValueError:
        return None
    zone = _zone_of(rest[: clock.start()] + " " + rest[clock.end() :])
    return ParsedDate(moment.replace(tzinfo=zone).astimezone(UTC), DatePrecision.DATETIME)


def _find_date(folded: str) -> tuple[date, str] | None:
    for pattern, order in _DATE_FORMS:
        found = pattern.search(folded)
        if found is None:
            continue
        parts = dict(zip(order, found.groups(), strict=True))
        month = MONTHS[parts["b"]] if "b" in parts else int(parts["m"])
        try:
            day = date(int(parts["y"]), month, int(parts["d"]))
        except ValueError:
            return None
        return day, folded[: found.start()] + " " + folded[found.end() :]
    return None


def _time_of(clock: re.Match[str]) -> time:
    hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
    # "SA"/"CH" (sáng/chiều) are AM/PM in Vietnamese Windows locales.
    meridiem = {"am": "am", "sa": "am", "pm": "pm", "ch": "pm"}.get(clock[4] or "")
    if meridiem and not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} with {meridiem}")
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return time(hour, minute, second)


def _zone_of(rest: str) -> timezone | ZoneInfo:
    offset = _ZONE_OFFSET.search(rest)
    if offset is not None:
        sign, hours, mins = offset.groups()[:3] if offset[1] else offset.groups()[3:]
        minutes = int(hours) * 60 + int(mins or 0)
        return timezone(timedelta(minutes=-minutes if sign == "-" else minutes))
    name = _ZONE_NAME.search(rest)
    if name is not None:
        return timezone(timedelta(minutes=ZONE_NAMES[name[1]]))
    return LOCAL_TZ


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)
