"""When a source is harvested next: `every`/`cron` parsing and the pure `next_harvest_at` function.

Input: the source's schedule, the last outcome (failure count, Retry-After, Cache-Control max-age).
Output: an aware UTC datetime. No clock and no database here, so one table-driven test covers it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

# Cron lines are read as operators write them: in Vietnamese local time ("0 7 * * *" is 07:00 ICT).
CRON_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# Back-off after failures, and a max-age stretching the interval, never push a source past a day:
# a dead portal is still retried daily, and an over-eager Cache-Control cannot silence a source.
MAX_BACKOFF = timedelta(hours=24)
MAX_CACHE_STRETCH = timedelta(hours=24)
# A server asking to be left alone longer than this is asked again anyway (misconfigured Retry-After).
MAX_RETRY_AFTER = timedelta(days=7)

_DURATION_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def parse_duration(text: str) -> timedelta:
    """'15m', '1h', '30s', '2h30m', '1d' -> timedelta; ValueError for anything else or zero."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not text.strip() or match is None:
        raise ValueError(f"{text!r} is not a duration like 15m, 1h, 30s")
    parts = {
        unit: int(value)
        for unit, value in zip(_DURATION_UNITS.values(), match.groups(), strict=True)
        if value
    }
    duration = timedelta(**parts)
    if duration <= timedelta(0):
        raise ValueError(f"{text!r} is not a positive duration")
    return duration


def format_duration(duration: timedelta) -> str:
    """Inverse of `parse_duration` for display: timedelta(minutes=150) -> '2h30m'."""
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def cron_trigger(expression: str) -> CronTrigger:
    """A 5-field crontab line in Asia/Ho_Chi_Minh; ValueError when it is not one."""
    return CronTrigger.from_crontab(expression, timezone=CRON_TIMEZONE)


def next_harvest_at(
    *,
    now: datetime,
    every: timedelta | None,
    cron: str | None,
    consecutive_failures: int,
    retry_after: float | None = None,
    cache_max_age: float | None = None,
) -> datetime:
    """The next time this source is due, in UTC.

    1. The delay wanted: the interval on success, stretched by a longer max-age (capped);
       after n failures, the interval doubled n times (capped), never shorter than the schedule.
    2. For `every`, `now + delay`; for `cron`, the next slot, or when backing off or stretched
       the first slot at or after `now + delay` (a cron's interval is the gap between its next two slots).
    3. Never earlier than a (capped) Retry-After.
    """
    if (every is None) == (cron is None):
        raise ValueError("exactly one of every and cron is required")
    now = now.astimezone(UTC)
    period = every if every is not None else _cron_period(cron_trigger(str(cron)), now)
    delay = _delay(period, consecutive_failures, cache_max_age)
    due = now + delay if every is not None else _cron_slot(str(cron), now, delay if delay > period else None)
    if retry_after is not None and retry_after > 0:
        due = max(due, now + min(timedelta(seconds=retry_after), MAX_RETRY_AFTER))
    return due


def _delay(period: timedelta, consecutive_failures: int, cache_max_age: float | None) -> timedelta:
    if consecutive_failures > 0:
        # 2**n grows fast; stop doubling once past the cap so huge counts cannot overflow timedelta.
        exponent = min(consecutive_failures, 32)
        backoff = period * 2**exponent if period < MAX_BACKOFF else period
        return max(period, min(backoff, MAX_BACKOFF))
    if cache_max_age is not None and cache_max_age > period.total_seconds():
        return max(period, min(timedelta(seconds=cache_max_age), MAX_CACHE_STRETCH))
    return period


def _cron_period(trigger: CronTrigger, now: datetime) -> timedelta:
    """The gap between the next two firings: what 'the interval' means for a cron schedule."""
    first = trigger.get_next_fire_time(None, now)
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1))
    return (second - first) if first and second else MAX_BACKOFF


def _cron_slot(expression: str, now: datetime, delay: timedelta | None) -> datetime:
    """The next firing after `now` or, when backing off or stretched, the first one at/after `now + delay`."""
    # One second past `now`: a slot equal to `now` is the one just served.
    earliest = now + delay if delay is not None else now + timedelta(seconds=1)
    fire = cron_trigger(expression).get_next_fire_time(None, earliest)
    return fire.astimezone(UTC) if fire else earliest + MAX_BACKOFF
