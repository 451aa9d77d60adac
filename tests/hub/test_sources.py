"""The sources file: a valid example loads, every kind of bad line is reported with file, line and field."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from connectors.base import SourceSpec
from hub.errors import SourcesFileError
from hub.sources import Schedule, SourceConfig, load_sources_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"

# Line numbers in the cases below refer to this entry (line 1 is `sources:`).
ENTRY = """\
sources:
  - id: khanhhoa-tin-tuc
    name: Tin tức - sự kiện tỉnh Khánh Hòa
    agency: UBND tỉnh Khánh Hòa
    level: province
    kind: feed
    content_type: article
    url: https://khanhhoa.gov.vn/rss/tin-tuc-su-kien
    schedule:
      every: 15m
"""
WHERE = 'sources.yaml:{line}: source "khanhhoa-tin-tuc": '
LEVELS = "'central', 'ministry', 'province', 'department' or 'district'"


def _problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    Path("sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SourcesFileError) as caught:
        load_sources_file("sources.yaml")
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def _edit(replace: dict[str, str | None], append: str = "") -> str:
    """ENTRY with whole lines replaced (None deletes), plus lines appended to the entry."""
    lines = []
    for line in ENTRY.splitlines():
        key = line.strip()
        if key in replace:
            if replace[key] is not None:
                lines.append(line[: len(line) - len(line.lstrip())] + str(replace[key]))
            continue
        lines.append(line)
    return "\n".join(lines) + "\n" + append


def test_valid_file_loads_every_source() -> None:
    configs = load_sources_file(FIXTURES / "valid.yaml")
    assert [config.id for config in configs] == [
        "mae-tin-tuc",
        "khanhhoa-tin-tuc",
        "khanhhoa-van-ban",
        "syt-hcm-tin-tuc",
    ]
    mae, khanhhoa, van_ban, syt = configs
    assert mae.agency == "Bộ Nông nghiệp và Môi trường"
    assert mae.schedule.every == timedelta(minutes=15)
    assert mae.topics == ["Nông nghiệp", "Môi trường", "Tài nguyên nước"]
    assert (mae.priority, mae.review, mae.enabled) == (10, False, True)
    assert khanhhoa.schedule.cron == "*/30 6-22 * * *"
    assert khanhhoa.schedule.every is None
    assert (khanhhoa.agency, khanhhoa.level) == ("UBND tỉnh Khánh Hòa", "province")
    assert (van_ban.content_type, van_ban.review, van_ban.schedule.every_seconds) == ("document", True, 9000)
    assert (syt.level, syt.enabled) == ("department", False)


def test_top_level_options_are_folded_into_options() -> None:
    mae, _khanhhoa, _van_ban, syt = load_sources_file(FIXTURES / "valid.yaml")
    assert mae.options == {"full_text": True}
    assert syt.options == {"full_text": False}


def test_config_becomes_the_connector_spec() -> None:
    mae = load_sources_file(FIXTURES / "valid.yaml")[0]
    assert mae.to_spec() == SourceSpec(
        id="mae-tin-tuc",
        name="Tin tức - Bộ Nông nghiệp và Môi trường",
        agency="Bộ Nông nghiệp và Môi trường",
        level="ministry",
        kind="feed",
        content_type="article",
        url="https://mae.gov.vn/rss/tin-tuc.rss",
        topics=("Nông nghiệp", "Môi trường", "Tài nguyên nước"),
        options={"full_text": True},
    )


def test_decomposed_text_is_stored_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Sở Y tế TP Hồ Chí Minh")
    config = SourceConfig.model_validate(
        {
            "id": "syt-hcm-tin-tuc",
            "name": f"  Tin tức - {decomposed} ",
            "agency": decomposed,
            "level": "department",
            "kind": "feed",
            "content_type": "article",
            "url": "https://medinet.hochiminhcity.gov.vn/rss/tin-tuc",
            "schedule": {"every": "1h"},
            "topics": [unicodedata.normalize("NFD", "Y tế")],
        }
    )
    assert config.name == "Tin tức - Sở Y tế TP Hồ Chí Minh"
    assert config.agency == unicodedata.normalize("NFC", "Sở Y tế TP Hồ Chí Minh")
    assert config.topics == ["Y tế"]


@pytest.mark.parametrize(
    ("line", "site"),
    [
        ("    site: https://khanhhoa.gov.vn\n", "https://khanhhoa.gov.vn"),
        ("    site: ' http://www.khanhhoa.gov.vn/ '\n", "http://www.khanhhoa.gov.vn/"),
        ("    site:\n", None),
        ("", None),
    ],
)
def test_site_is_an_optional_portal_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, site: str | None
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("sources.yaml").write_text(_edit({}, line), encoding="utf-8")
    [config] = load_sources_file("sources.yaml")
    assert config.site == site
    assert config.url == "https://khanhhoa.gov.vn/rss/tin-tuc-su-kien"


@pytest.mark.parametrize(
    ("schedule", "every", "cron"),
    [
        ({"every": "30s"}, timedelta(seconds=30), None),
        ({"every": timedelta(hours=1)}, timedelta(hours=1), None),
        ({"cron": "0  7 * * 1-5"}, None, "0 7 * * 1-5"),
    ],
)
def test_schedule_takes_every_or_cron(
    schedule: dict[str, object], every: timedelta | None, cron: str | None
) -> None:
    parsed = Schedule.model_validate(schedule)
    assert (parsed.every, parsed.cron) == (every, cron)


def test_schedule_refuses_neither() -> None:
    with pytest.raises(ValidationError, match='exactly one of "every" or "cron"'):
        Schedule.model_validate({})


# (case, lines replaced, lines appended, the problem reported: exact, or its start before a final "...")
BAD_LINES = [
    ("bad_duration", {"every: 15m": "every: 15x"}, "", WHERE.format(line=10)
     + 'field "schedule": "every: 15x" is not a duration like 15m, 1h, 30s'),
    ("zero_duration", {"every: 15m": "every: 0m"}, "", WHERE.format(line=10)
     + 'field "schedule": "every: 0m" is not a duration like 15m, 1h, 30s'),
    ("number_as_duration", {"every: 15m": "every: 900"}, "", WHERE.format(line=10)
     + 'field "schedule": "every: 900" is not a duration like 15m, 1h, 30s'),
    ("four_field_cron", {"every: 15m": 'cron: "*/15 * * *"'}, "", WHERE.format(line=10)
     + 'field "schedule": "cron: */15 * * *" is not a 5-field cron line: ...'),
    ("cron_out_of_range", {"every: 15m": 'cron: "0 25 * * *"'}, "", WHERE.format(line=10)
     + 'field "schedule": "cron: 0 25 * * *" is not a 5-field cron line: ...'),
    ("every_and_cron", {}, '      cron: "0 7 * * *"\n', WHERE.format(line=9)
     + 'field "schedule": needs exactly one of "every" or "cron"'),
    ("schedule_not_a_mapping", {"schedule:": "schedule: 15m", "every: 15m": None}, "", WHERE.format(line=9)
     + 'field "schedule": "15m" must be a mapping'),
    ("unknown_schedule_field", {"every: 15m": "evry: 15m"}, "", WHERE.format(line=10)
     + 'field "schedule": "evry" is not a known field'),
    ("bad_level", {"level: province": "level: tinh"}, "", WHERE.format(line=5)
     + "field \"level\": \"tinh\" is not one of " + LEVELS),
    ("unknown_kind", {"kind: feed": "kind: rss"}, "", WHERE.format(line=6)
     + 'field "kind": "rss" is not a known kind (...'),
    ("bad_content_type", {"content_type: article": "content_type: news"}, "", WHERE.format(line=7)
     + "field \"content_type\": \"news\" is not one of 'article', 'document' or 'service'"),
    ("ftp_url", {"url: https://khanhhoa.gov.vn/rss/tin-tuc-su-kien": "url: ftp://khanhhoa.gov.vn/rss"}, "",
     WHERE.format(line=8) + 'field "url": "ftp://khanhhoa.gov.vn/rss" is not an http(s) URL'),
    ("url_without_host", {"url: https://khanhhoa.gov.vn/rss/tin-tuc-su-kien": "url: https:///rss"}, "",
     WHERE.format(line=8) + 'field "url": "https:///rss" is not an http(s) URL'),
    ("site_without_scheme", {}, "    site: khanhhoa.gov.vn\n", WHERE.format(line=11)
     + 'field "site": "khanhhoa.gov.vn" is not an http(s) URL'),
    ("ftp_site", {}, "    site: ftp://khanhhoa.gov.vn\n", WHERE.format(line=11)
     + 'field "site": "ftp://khanhhoa.gov.vn" is not an http(s) URL'),
    ("site_not_text", {}, "    site: [https://khanhhoa.gov.vn]\n", WHERE.format(line=11)
     + 'field "site": is not text'),
    ("missing_agency", {"agency: UBND tỉnh Khánh Hòa": None}, "", WHERE.format(line=2)
     + 'field "agency": is required'),
    ("empty_name", {"name: Tin tức - sự kiện tỉnh Khánh Hòa": 'name: ""'}, "", WHERE.format(line=3)
     + 'field "name": "" is empty'),
    ("blank_agency", {"agency: UBND tỉnh Khánh Hòa": 'agency: "   "'}, "", WHERE.format(line=4)
     + 'field "agency": "   " is empty'),
    ("priority_not_a_number", {}, "    priority: cao\n", WHERE.format(line=11)
     + 'field "priority": "cao" is not a whole number'),
    ("enabled_not_a_boolean", {}, "    enabled: có\n", WHERE.format(line=11)
     + 'field "enabled": "có" is not true or false'),
    ("topic_not_text", {}, "    topics: [Kinh tế, 2026]\n", WHERE.format(line=11)
     + 'field "topics[1]": "2026" is not text'),
    ("topics_not_a_list", {}, "    topics: {Kinh tế: 1}\n", WHERE.format(line=11)
     + 'field "topics": must be a list'),
    ("unknown_top_level_option", {}, "    full_txt: true\n", WHERE.format(line=11)
     + 'field "full_txt": is neither a source field nor an option of kind "feed" (options: ...'),
    ("unknown_option_under_options", {}, "    options:\n      full_txt: true\n", WHERE.format(line=12)
     + 'field "options": "full_txt" is not an option of kind "feed" (options: ...'),
    ("bad_option_value", {}, "    full_text: chắc chắn\n", WHERE.format(line=11)
     + 'field "full_text": "chắc chắn" is not true or false'),
    ("option_given_twice", {}, "    full_text: true\n    options: {full_text: false}\n", WHERE.format(line=2)
     + 'option "full_text" is given both at top level and under options'),
    ("options_not_a_mapping", {}, "    options: [full_text]\n", WHERE.format(line=11)
     + 'field "options": must be a mapping'),
    ("key_given_twice", {}, "    level: ministry\n", WHERE.format(line=11)
     + 'field "level": given twice (first at line 5)'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("replace", "append", "expected"),
    [case[1:] for case in BAD_LINES],
    ids=[case[0] for case in BAD_LINES],
)
def test_bad_line_is_reported_precisely(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    replace: dict[str, str | None],
    append: str,
    expected: str,
) -> None:
    problems = _problems(tmp_path, monkeypatch, _edit(replace, append))
    if expected.endswith("..."):
        assert len(problems) == 1
        assert problems[0].startswith(expected.removesuffix("..."))
    else:
        assert problems == [expected]


def test_bad_id_is_reported_with_the_id_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(tmp_path, monkeypatch, _edit({"- id: khanhhoa-tin-tuc": "- id: Khanh_Hoa"}))
    assert problems == [
        'sources.yaml:2: source "Khanh_Hoa": field "id": "Khanh_Hoa" is not an id: '
        "lower-case letters, digits, - and _, not starting with - or _"
    ]


def test_misspelt_field_reports_the_typo_and_the_missing_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = _problems(tmp_path, monkeypatch, _edit({"schedule:": "shedule:"}))
    assert problems[0] == WHERE.format(line=2) + 'field "schedule": is required'
    assert problems[1].startswith(
        WHERE.format(line=9) + 'field "shedule": is neither a source field nor an option of kind "feed"'
    )


def test_every_problem_of_every_source_is_reported_in_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = _edit({"- id: khanhhoa-tin-tuc": "- id: syt-hcm-tin-tuc", "level: province": "level: so"})
    text = _edit({"every: 15m": "every: 15x"}) + second.removeprefix("sources:\n") + "  - Sở Y tế\n"
    assert _problems(tmp_path, monkeypatch, text) == [
        WHERE.format(line=10) + 'field "schedule": "every: 15x" is not a duration like 15m, 1h, 30s',
        'sources.yaml:14: source "syt-hcm-tin-tuc": field "level": "so" is not one of ' + LEVELS,
        'sources.yaml:20: source #3: must be a mapping of fields, got "Sở Y tế"',
    ]


def test_duplicate_id_names_the_first_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ENTRY + ENTRY.removeprefix("sources:\n")
    assert _problems(tmp_path, monkeypatch, text) == [
        WHERE.format(line=11) + "duplicate id, first defined at line 2",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "sources:\n  - id: a\n    name: [Khánh Hòa\n",
            "sources.yaml:4:1: YAML syntax error: expected ',' or ']'",
        ),
        (
            "sources:\n  - id: a\n   name: b\n",
            "sources.yaml:3:4: YAML syntax error: expected <block end>",
        ),
        ("", 'sources.yaml:1: the top level must be a mapping with a "sources:" list'),
        ("- id: a\n", 'sources.yaml:1: the top level must be a mapping with a "sources:" list'),
        ("nguon:\n  - id: a\n", 'sources.yaml:1: unknown top-level key "nguon" (only "sources" is read)'),
        ("sources:\n  id: a\n", 'sources.yaml:1: "sources" must be a list of sources, got a mapping'),
        ("sources:\n", 'sources.yaml:1: "sources" must be a list of sources, got nothing'),
        ("sources: khanhhoa\n", 'sources.yaml:1: "sources" must be a list of sources, got "khanhhoa"'),
    ],
)
def test_bad_file_shape_is_reported_with_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    assert _problems(tmp_path, monkeypatch, text)[0].startswith(expected)


def test_unknown_top_level_key_does_not_hide_entry_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "defaults: {}\n" + _edit({"every: 15m": "every: 15x"}).replace("sources:\n", "sources:\n", 1)
    problems = _problems(tmp_path, monkeypatch, text)
    assert problems == [
        'sources.yaml:1: unknown top-level key "defaults" (only "sources" is read)',
        WHERE.format(line=11) + 'field "schedule": "every: 15x" is not a duration like 15m, 1h, 30s',
    ]


def test_missing_file_is_a_sources_file_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourcesFileError, match=r"^nguon\.yaml: cannot read the sources file: No such file"):
        load_sources_file("nguon.yaml")
