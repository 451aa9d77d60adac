"""Fingerprints of stored items: only trusted identifiers become exact keys; the per-process cache is
bounded and never hands back the fingerprint of an item's earlier text."""

from __future__ import annotations

from dataclasses import replace

from dedupe import DEFAULT_SETTINGS, fingerprint_item
from hub.items import IdentityRule
from hub.pipeline.fingerprints import FingerprintCache, domain_keys, item_fingerprint
from hub.storage.stories import FINGERPRINT_COLUMNS
from tests.conftest import NOW, make_item

TEXT = "Ủy ban nhân dân tỉnh Khánh Hòa tổ chức hội nghị tổng kết công tác phòng, chống thiên tai năm 2026."


class StoredRow:
    """A stored item's fingerprinted columns, as `items_to_assign` hands them over."""

    def __init__(self, item_id: int, version: int, **changes: object) -> None:
        item = make_item(item_id, body_text=TEXT, **changes)
        self.id, self.version = item_id, version
        for name in ("title", "body_text", "summary", "url", "guid", "identity_rule", "source_id"):
            setattr(self, name, getattr(item, name))
        self.published, self.content_type, self.extra = NOW, item.content_type, item.extra
        self.content_hash = item.content_hash


def test_only_the_identifier_the_normaliser_trusted_is_an_exact_key() -> None:
    by_url = item_fingerprint(StoredRow(1, 1))
    by_guid = item_fingerprint(StoredRow(2, 1, guid="tin-2026-11", identity_rule=IdentityRule.GUID))
    assert {"url", "guid"} & set(by_url.keys) == {"url"}
    assert {"url", "guid"} & set(by_guid.keys) == {"guid"}


def test_documents_are_keyed_by_number_and_issuer_folded() -> None:
    extra = {"document_number": "25/2026/NĐ-CP", "issuer": "Chính phủ"}
    assert domain_keys("document", extra) == {"document": "25 2026 nd cp|chinh phu"}
    assert domain_keys("document", {"document_number": "25/2026/NĐ-CP"}) == {}  # issuer missing
    assert domain_keys("article", extra) == {}


def test_the_cache_forgets_the_least_recently_used_first() -> None:
    cache = FingerprintCache(size=2)
    first, second, third = (fingerprint_item(title=f"Tin {n}", body=TEXT) for n in range(3))
    cache.put((1, 1), first)
    cache.put((2, 1), second)
    assert cache.get((1, 1)) is first  # now the most recently used
    cache.put((3, 1), third)
    assert (cache.get((1, 1)), cache.get((2, 1)), cache.get((3, 1))) == (first, None, third)


def test_equal_settings_share_a_token_and_different_settings_do_not() -> None:
    cache = FingerprintCache()
    looser = replace(DEFAULT_SETTINGS, jaccard_threshold=0.5)
    tokens = [cache.settings_token(s) for s in (DEFAULT_SETTINGS, replace(DEFAULT_SETTINGS), looser)]
    assert tokens[0] == tokens[1] != tokens[2]


def test_every_fingerprinted_field_is_selected_from_the_database() -> None:
    selected = {column.key for column in FINGERPRINT_COLUMNS}
    assert set(vars(StoredRow(1, 1))) <= selected
