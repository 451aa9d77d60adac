"""`parse_duration` and the pure `next_harvest_at`: one table of schedules, outcomes and expected slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from hub.schedule import format_duration, next_harvest_at, parse_duration

# 2026-03-02 10:07 in Hà Nội (UTC+7); cron lines are read in Asia/Ho_Chi_Minh.
NOW = datetime(2026, 3, 2, 3, 7, tzinfo=UTC)
M = timedelta(minutes=1)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", 15 * M),
        ("1h", H),
        ("30s", timedelta(seconds=30)),
        ("2h30m", 2 * H + 30 * M),
        ("1d", timedelta(days=1)),
        (" 45M ", 45 * M),
    ],
)
def test_duration_text_becomes_timedelta(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected
    assert parse_duration(format_duration(expected)) == expected


@pytest.mark.parametrize("text", ["15x", "", "m", "15", "1h 30m", "-5m", "0m", "mười lăm phút"])
def test_text_that_is_not_a_duration_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


SCENARIOS = [
    # (case, every, cron, failures, retry_after, max_age, expected delay after NOW)
    ("every_success_waits_one_interval", 15 * M, None, 0, None, None, 15 * M),
    ("first_failure_doubles_the_interval", 15 * M, None, 1, None, None, 30 * M),
    ("third_failure_waits_eight_intervals", 15 * M, None, 3, None, None, 120 * M),
    ("back_off_is_capped_at_a_day", 15 * M, None, 12, None, None, 24 * H),
    ("huge_failure_count_stays_capped", 15 * M, None, 10_000, None, None, 24 * H),
    ("schedule_longer_than_cap_is_the_floor", 48 * H, None, 3, None, None, 48 * H),
    ("retry_after_beyond_the_slot_wins", 15 * M, None, 1, 3600.0, None, H),
    ("retry_after_shorter_than_the_slot_is_moot", 15 * M, None, 0, 60.0, None, 15 * M),
    ("retry_after_of_a_month_is_capped_at_a_week", 15 * M, None, 1, 30 * 86400.0, None, 7 * 24 * H),
    ("longer_max_age_stretches_the_interval", 15 * M, None, 0, None, 3600.0, H),
    ("shorter_max_age_changes_nothing", 15 * M, None, 0, None, 300.0, 15 * M),
    ("max_age_stretch_is_capped_at_a_day", 15 * M, None, 0, None, 7 * 86400.0, 24 * H),
    ("max_age_is_ignored_after_a_failure", 15 * M, None, 1, None, 3600.0, 30 * M),
    ("cron_success_is_the_next_slot", None, "*/15 * * * *", 0, None, None, 8 * M),
    ("cron_failure_waits_two_intervals_then_a_slot", None, "*/15 * * * *", 1, None, None, 38 * M),
    ("cron_failures_back_off_by_slots", None, "*/15 * * * *", 2, None, None, 68 * M),
    ("cron_is_local_time_seven_am_hanoi", None, "0 7 * * *", 0, None, None, 20 * H + 53 * M),
    ("daily_cron_failure_keeps_the_daily_slot", None, "0 7 * * *", 2, None, None, 20 * H + 53 * M),
    ("cron_max_age_moves_to_the_slot_after", None, "*/15 * * * *", 0, None, 1200.0, 23 * M),
    ("cron_retry_after_wins_over_the_slot", None, "*/15 * * * *", 1, 7200.0, None, 2 * H),
]


@pytest.mark.parametrize(
    ("every", "cron", "failures", "retry_after", "max_age", "delay"),
    [case[1:] for case in SCENARIOS],
    ids=[case[0] for case in SCENARIOS],
)
def test_next_harvest_at(
    every: timedelta | None,
    cron: str | None,
    failures: int,
    retry_after: float | None,
    max_age: float | None,
    delay: timedelta,
) -> None:
    due = next_harvest_at(
        now=NOW,
        every=every,
        cron=cron,
        consecutive_failures=failures,
        retry_after=retry_after,
        cache_max_age=max_age,
    )
    assert due == NOW + delay
    assert due.tzinfo == UTC


def test_local_now_gives_the_same_utc_slot() -> None:
    hanoi_now = NOW.astimezone(timezone(timedelta(hours=7)))
    assert next_harvest_at(now=hanoi_now, every=H, cron=None, consecutive_failures=0) == NOW + H


def test_cron_at_an_exact_slot_moves_to_the_following_one() -> None:
    at_slot = datetime(2026, 3, 2, 3, 15, tzinfo=UTC)
    due = next_harvest_at(now=at_slot, every=None, cron="*/15 * * * *", consecutive_failures=0)
    assert due == at_slot + 15 * M


@pytest.mark.parametrize(("every", "cron"), [(None, None), (H, "0 7 * * *")])
def test_schedule_needs_exactly_one_of_every_and_cron(every: timedelta | None, cron: str | None) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        next_harvest_at(now=NOW, every=every, cron=cron, consecutive_failures=0)
