"""JsonConnector end to end: a dichvucong-shaped JSON listing served on 127.0.0.1, fetched by PoliteClient."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from importlib.resources import files
from typing import Any

import pytest

from connectors import ConnectorDisabled, ConnectorError, HarvestContext, RawRecord, SourceSpec, get_connector
from connectors.base import FetchResult
from connectors.fetch import FetchPolicy, PoliteClient, Validators
from connectors.json_api import JsonConnector, walk
from tests.support.http import LocalServer, Reply, RequestInfo, serve

JSON = "application/json; charset=utf-8"
LISTING = files("hub.demo").joinpath(
    "portals/dichvucong/site/api/v1/formality/list-all-public-formality.json"
)
OPTIONS: dict[str, Any] = {
    "items_path": "data.items",
    "id_field": "code",
    "url_template": "/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}",
    "fields": {
        "title": "name",
        "published": "procedureProposal.publicationDate",
        "procedure_code": "code",
        "field": "categoriesDetails[].name",
        "level_province": "isProvince",
        "fees": "executionMethods[].fees[]",
        "legal_basis": "legalBasisesDetails",
        "first_case": "cases.0.code",
        "missing": "khongCo.truongNay",
    },
}


@dataclass(slots=True)
class HubFetcher:
    """Stored validators and payload hashes, as the hub puts them in front of the polite client."""

    client: PoliteClient
    validators: dict[str, Validators] = field(default_factory=dict)

    async def fetch(self, url: str, *, conditional: bool = False, discovered: bool = False) -> FetchResult:
        stored = self.validators.get(url) if conditional else None
        result = await self.client.fetch(
            url, conditional=conditional, discovered=discovered, validators=stored
        )
        if conditional and not result.not_modified:
            self.validators[url] = Validators.from_headers(result.headers)
        return replace(result, payload_hash=hashlib.sha256(result.body).hexdigest())


def _etagged(body: bytes, etag: str) -> Callable[[RequestInfo], Reply]:
    def answer(request: RequestInfo) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(b"", 304, {"ETag": etag})
        return Reply(body, 200, {"Content-Type": JSON, "ETag": etag})

    return answer


ROUTES: dict[str, Any] = {
    "/api/v1/formality/list.json": _etagged(LISTING.read_bytes(), '"dvc-1"'),
    "/api/bom.json": Reply(b"\xef\xbb\xbf" + json.dumps([{"code": "1.004227"}]).encode(), 200, {}),
    "/api/html.json": Reply("<html><body>Bảo trì hệ thống</body></html>".encode(), 200, {}),
    "/api/object.json": Reply(b'{"data": {"code": "OK", "items": null}}', 200, {"Content-Type": JSON}),
}


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serve(ROUTES) as local:
        yield local


def _spec(url: str, **options: Any) -> SourceSpec:
    return SourceSpec(
        id="dichvucong-thu-tuc",
        name="Cổng Dịch vụ công quốc gia - Thủ tục hành chính",
        agency="Văn phòng Chính phủ",
        level="central",
        kind="json",
        content_type="service",
        url=url,
        options=options or OPTIONS,
    )


async def _harvest(
    policy: FetchPolicy,
    spec: SourceSpec,
    *,
    rounds: int = 1,
    is_unchanged: Callable[[str, str], bool] = lambda _hint, _digest: False,
) -> list[list[RawRecord]]:
    async with PoliteClient(policy) as client:
        ctx = HarvestContext(fetcher=HubFetcher(client), is_unchanged=is_unchanged)
        connector = get_connector("json").from_source(spec, ctx)
        return [[record async for record in connector.harvest()] for _ in range(rounds)]


async def test_listing_objects_become_records_by_the_field_mapping(
    server: LocalServer, fast_policy: FetchPolicy
) -> None:
    [records] = await _harvest(fast_policy, _spec(server.url("/api/v1/formality/list.json")))
    first = records[0]
    assert [record.guid for record in records] == [
        "1.013395",
        "1.010382",
        "1.004227",
        "1.001021",
        "1.012763",
        "1.013401",
    ]
    assert first.url == server.url("/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.013395")
    assert first.content_type == "service"
    assert first.fields["title"] == "Điều chỉnh danh mục đầu tư lưới điện trung áp, hạ áp"
    assert first.fields["published"] == 1776322055432  # verbatim: the hub's date layer reads epoch ms
    assert first.fields["field"] == ["Điện lực"]
    assert first.fields["level_province"] is True
    assert first.fields["first_case"] == "1.013395.01"
    assert first.fields["legal_basis"][0]["code"] == "56/2025/NĐ-CP"
    assert "missing" not in first.fields
    assert first.fields["base_url"] == server.url("/api/v1/formality/list.json")


async def test_fan_out_flattens_nested_lists(server: LocalServer, fast_policy: FetchPolicy) -> None:
    [records] = await _harvest(fast_policy, _spec(server.url("/api/v1/formality/list.json")))
    fees = records[0].fields["fees"]
    assert len(fees) == 3  # one per submission method, as the API repeats them
    assert {fee["value"] for fee in fees} == {0}
    assert "fees" not in records[1].fields  # every method without fees: nothing to map


async def test_records_carry_digest_and_payload_hash(server: LocalServer, fast_policy: FetchPolicy) -> None:
    [records] = await _harvest(fast_policy, _spec(server.url("/api/v1/formality/list.json")))
    assert {record.payload_hash for record in records} == {hashlib.sha256(LISTING.read_bytes()).hexdigest()}
    assert len({record.entry_digest for record in records}) == len(records)
    assert all(record.fetched_at.tzinfo is not None for record in records)


async def test_not_modified_listing_yields_nothing(server: LocalServer, fast_policy: FetchPolicy) -> None:
    first, second = await _harvest(fast_policy, _spec(server.url("/api/v1/formality/list.json")), rounds=2)
    assert len(first) == 6
    assert second == []


async def test_unchanged_record_is_identity_only(server: LocalServer, fast_policy: FetchPolicy) -> None:
    spec = _spec(server.url("/api/v1/formality/list.json"))
    [records] = await _harvest(fast_policy, spec, is_unchanged=lambda hint, _digest: hint == "1.010382")
    seen = records[1]
    assert seen.unchanged
    assert seen.guid == "1.010382"
    assert dict(seen.fields) == {"base_url": spec.url}
    assert not records[0].unchanged


async def test_whole_document_list_with_bom_and_no_template(
    server: LocalServer, fast_policy: FetchPolicy
) -> None:
    spec = _spec(server.url("/api/bom.json"), fields={"procedure_code": "code"})
    [records] = await _harvest(fast_policy, spec)
    assert [(record.guid, record.url, dict(record.fields)) for record in records] == [
        (None, spec.url, {"base_url": spec.url, "procedure_code": "1.004227"})
    ]


@pytest.mark.parametrize(
    ("path", "code"),
    [("/api/html.json", "parse.not_json"), ("/api/object.json", "parse.no_items")],
)
async def test_listing_that_is_not_a_list_fails_the_source(
    server: LocalServer, fast_policy: FetchPolicy, path: str, code: str
) -> None:
    with pytest.raises(ConnectorError) as caught:
        await _harvest(fast_policy, _spec(server.url(path)))
    assert caught.value.code == code
    assert caught.value.url == server.url(path)


@pytest.mark.parametrize(
    "options",
    [
        {},  # no field mapping
        {"fields": {"title": "name..code"}},
        {"fields": {"title": "name"}, "items_path": "data items"},
        {"fields": {"title": "name"}, "url_template": "/p?ma={ ma thu tuc }"},
        {"fields": {"title": "name"}, "id_field": ""},
        {"fields": {"title": "name"}, "selector": "div.item"},
    ],
)
def test_bad_options_disable_the_source(options: dict[str, Any]) -> None:
    spec = replace(_spec("https://dichvucong.gov.vn/api/list.json"), options=options)
    with pytest.raises(ConnectorDisabled):
        JsonConnector.from_source(spec, HarvestContext(fetcher=_NoFetch()))


class _NoFetch:
    async def fetch(self, url: str, *, conditional: bool = False, discovered: bool = False) -> FetchResult:
        raise AssertionError(f"no fetch expected: {url}")


DOCUMENT = {"data": {"items": [{"a": {"b": [{"c": 1}, {"c": 2}, {"d": 3}]}, "n": [[1, 2], [3]]}]}}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("data.items.0.a.b.1.c", 2),
        ("data.items.0.a.b[].c", [1, 2]),  # a missing key in one element is dropped
        ("data.items[].a.b[].c", [1, 2]),
        ("data.items.0.n[]", [1, 2, 3]),
        ("data.items.5.a", None),
        ("data.items.x", None),
        ("data.khong", None),
        ("", DOCUMENT),
    ],
)
def test_walk_follows_keys_indexes_and_fan_outs(path: str, value: object) -> None:
    assert walk(DOCUMENT, path) == value


def test_json_kind_is_registered() -> None:
    assert get_connector("json") is JsonConnector
