"""Structured fields of a legal document: raw record fields + normalised title, summary and page -> fields.

Output: feeds.namespace DOCUMENT_FIELDS (number, doc_type, issuer, signer, issued_on ...) plus `number_key`
(dedupe.doclaw) and `validity` (a stable code for `validity_status`). Dates are ISO calendar dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml.html import HtmlElement

from dedupe.doclaw import (
    DOC_TYPES,
    ISSUER_CODES,
    ISSUERS,
    LOCAL_ISSUER_CODES,
    TYPE_ABBREVIATIONS,
    document_number_key,
    parse_document_number,
)
from dedupe.text import fold_lookalikes, match_key, tone_key
from feeds.namespace import DOCUMENT_FIELDS
from hub.pipeline.normalise.dates import LOCAL_TZ, parse_date
from hub.pipeline.normalise.fragment import parse_fragment
from hub.pipeline.normalise.text import clean_text
from hub.pipeline.normalise.urls import absolute_url

# What signs for an issuer in a title ("... của Bộ trưởng Bộ Y tế ban hành"): dropped before the issuer.
SIGNER_TITLES: tuple[str, ...] = ("Bộ trưởng", "Chánh án", "Thống đốc", "Tổng Kiểm toán", "Viện trưởng")
# Words an abstract starts with, after the issuer of a title whose issuer is not in ISSUERS.
ABSTRACT_VERBS: tuple[str, ...] = (
    "ban hành",
    "bãi bỏ",
    "công bố",
    "hướng dẫn",
    "phê duyệt",
    "quy định",
    "sửa đổi",
    "thành lập",
    "về",
)
MAX_NAME_WORDS = 5  # Vietnamese personal names run to four words, rarely five
# Validity status text (folded) -> stable code; Sơn La writes "Đang hiệu lực" for "Còn hiệu lực".
VALIDITY: dict[str, str] = {
    "chua co hieu luc": "not_yet_in_force",
    "con hieu luc": "in_force",
    "dang hieu luc": "in_force",
    "het hieu luc": "expired",
    "het hieu luc mot phan": "partly_expired",
    "het hieu luc toan bo": "expired",
}
# Property labels of document pages (congbao, vbpl, Sơn La Domino), folded -> field.
PROPERTY_LABELS: dict[str, str] = {
    "chuc danh": "signer_title",
    "co quan ban hanh": "issuer",
    "hieu luc": "validity_status",
    "loai van ban": "doc_type",
    "ngay ban hanh": "issued_on",
    "ngay co hieu luc": "effective_on",
    "ngay hieu luc": "effective_on",
    "nguoi ky": "signer",
    "so hieu": "number",
    "so ky hieu": "number",
    "tinh trang hieu luc": "validity_status",
    "trich yeu": "abstract",
}
# vbpl puts three properties under one label, their values in the cells that follow.
COMBINED_LABELS: dict[str, tuple[str, ...]] = {
    "co quan ban hanh chuc danh nguoi ky": ("issuer", "signer_title", "signer"),
}
# File extensions of attachments (văn bản gốc, signed PDFs, annexes) -> kind.
ATTACHMENT_KINDS: dict[str, str] = {
    "doc": "doc",
    "docx": "docx",
    "pdf": "pdf",
    "rar": "rar",
    "xls": "xls",
    "xlsx": "xlsx",
    "zip": "zip",
}
# A connector may give any field under its own name (a gazette listing's number column); consumed here.
RAW_DOCUMENT_FIELDS: frozenset[str] = frozenset(DOCUMENT_FIELDS)

_NUMBER = r"\d[^\s/]*\s?/\s?\S+"
_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
# "<type> số <number> ngày <date> của <issuer and abstract>"; every part but the number optional.
_TITLE = re.compile(
    rf"^(?:(?P<type>[^\d]+?)\s+)?(?:số\s*:?\s*)?(?P<number>{_NUMBER}?)[,:;]?"
    rf"(?:\s+ngày\s+(?P<date>{_DATE}))?(?:\s+của\s+(?P<rest>.+))?(?:\s|$)",
    re.IGNORECASE,
)
_EFFECTIVE = re.compile(rf"hiệu lực(?: thi hành)?(?: kể)? từ ngày\s+({_DATE})", re.IGNORECASE)
_SIGNED_PDF = re.compile(r"[._-]signed\.pdf\Z")


def normalise_document_fields(
    raw: Mapping[str, Any],
    *,
    title: str,
    summary: str,
    body_html: str,
    base_url: str,
    body: HtmlElement | None = None,
) -> dict[str, Any]:
    """Document fields of one record, each from the first of these that has it:

    1. the document's page (properties table rows and "Label: value" lines of the sanitised body);
    2. the value the connector gave under the field's own name;
    3. the title's head ("Nghị định số 318/2026/NĐ-CP ngày 16/11/2026 của Chính phủ quy định ...");
       never the abstract, which cites other documents' numbers;
    4. fallbacks: type and issuer from the number's abbreviations, signer from the feed's author
       (gazette feeds put the signer there), abstract from the summary, effective date from its text.

    `body` is `parse_fragment(body_html)` when the caller has it already; it is only read.
    """
    body = body if body is not None else parse_fragment(body_html)
    page = page_properties(body)
    head = _title_head(title)

    def pick(name: str) -> str:
        return page.get(name) or clean_text(_text(raw.get(name))) or head.get(name, "")

    # Not through `pick`: the number is folded before any cleaning (see `number_text`).
    number = number_text(page.get("number") or _text(raw.get("number")) or head.get("number", ""))
    issued_on = local_date(pick("issued_on"))
    issuers = issuer_list(pick("issuer")) or _issuers_of(number)
    validity_status = pick("validity_status")
    fields = {
        "number": number,
        "number_key": document_number_key(
            number, issuers[0] if issuers else None, year=int(issued_on[:4]) if issued_on else None
        ),
        "doc_type": doc_type_name(pick("doc_type")) or _type_of(number),
        "issuer": issuers,
        "signer": signer_list(page.get("signer"), page.get("signer_title"))
        or signer_list(_text(raw.get("signer")) or _text(raw.get("author"))),
        "issued_on": issued_on,
        "effective_on": local_date(pick("effective_on")) or local_date(_effective_in(summary)),
        "validity_status": validity_status,
        "validity": VALIDITY.get(match_key(validity_status)),
        "abstract": page.get("abstract")
        or clean_text(_text(raw.get("abstract")))
        or (
            summary if _text(raw.get("summary")).strip() else head.get("abstract", title if not head else "")
        ),
        "attachments": attachment_list(body, raw.get("attachments"), base_url=base_url),
    }
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def local_date(value: object) -> str | None:
    """ISO calendar date in Asia/Ho_Chi_Minh of a date text or epoch-ms number; None when none.

    An epoch at UTC midnight (1740960000000 = 2025-03-03T00:00Z) is 07:00 local on the same day, and
    one at local midnight (…T17:00Z the day before) is that local day: converting first gets both right.
    """
    parsed = parse_date(value)
    return None if parsed is None else parsed.when.astimezone(LOCAL_TZ).date().isoformat()


def number_text(text: str) -> str:
    """A document number for display: look-alike letters (Eth, Cyrillic) as the Latin/Vietnamese ones.

    Folded before cleaning: alone, "NÐ-CP" looks like mis-decoded UTF-8 to the mojibake repair.
    """
    return clean_text(fold_lookalikes(text))


def doc_type_name(text: str) -> str:
    """The vocabulary's name for a type as written ("Quyết định của UBND tỉnh" -> "Quyết định")."""
    folded = match_key(text)
    found = [name for name in DOC_TYPES if f"{folded} ".startswith(match_key(name) + " ")]
    return max(found, key=len) if found else clean_text(text)


def issuer_list(text: str) -> list[str]:
    """Issuers of a document (";" or line separated for joint ones), spelt as the vocabulary spells them."""
    known = {tone_key(name): name for name in ISSUERS}
    names = (clean_text(part) for part in re.split(r"[;\n]", text or ""))
    return [known.get(tone_key(name), name) for name in names if name]


def signer_list(text: str | None, title: str | None = None) -> list[dict[str, str]]:
    """Signers as {name, title}: "Chủ tịch HĐND Lò Minh Hùng" -> "Chủ tịch HĐND" and "Lò Minh Hùng"."""
    if title:  # vbpl gives title and name in cells of their own
        return [
            {key: value for key, value in (("name", clean_text(text)), ("title", clean_text(title))) if value}
        ]
    return [_signer(clean_text(part)) for part in re.split(r"[;\n]", text or "") if part.strip()]


def page_properties(body: HtmlElement | None) -> dict[str, str]:
    """Properties of a document page: table rows (label cell, value cells) and "Label: value" blocks."""
    found: dict[str, str] = {}
    for row in () if body is None else body.iter("tr"):
        _read_row([" ".join(cell.text_content().split()) for cell in row if cell.tag in ("td", "th")], found)
    for block in () if body is None else body.iter("div", "li", "p", "td"):
        label, colon, value = block.text_content().partition(":")
        if colon and match_key(label) in PROPERTY_LABELS:
            found.setdefault(PROPERTY_LABELS[match_key(label)], " ".join(value.split()))
    return found


def attachment_list(body: HtmlElement | None, raw: object, *, base_url: str) -> list[dict[str, str]]:
    """Files linked from the page and given by the connector, as {url, name, kind}, each URL once."""
    links = [(a.get("href"), a.text_content()) for a in (() if body is None else body.iter("a"))]
    for one in raw if isinstance(raw, list) else []:
        given = one if isinstance(one, Mapping) else {"url": one}
        links.append((given.get("url") or given.get("href"), _text(given.get("name"))))
    found: dict[str, dict[str, str]] = {}
    for href, text in links:
        url = absolute_url(href if isinstance(href, str) else None, base_url)
        kind = _file_kind(url or "")
        if url and kind and url not in found:
            name = clean_text(text) or unquote(urlsplit(url).path.rsplit("/", 1)[-1])
            found[url] = {"kind": kind, "name": name, "url": url}
    return list(found.values())


def _read_row(cells: list[str], found: dict[str, str]) -> None:
    labels = {match_key(cell): index for index, cell in enumerate(cells)}
    for label, index in labels.items():
        names = COMBINED_LABELS.get(label) or ((PROPERTY_LABELS[label],) if label in PROPERTY_LABELS else ())
        values = []
        for cell in cells[index + 1 :]:
            if match_key(cell) in PROPERTY_LABELS or match_key(cell) in COMBINED_LABELS:
                break
            values.append(cell)
        for name, value in zip(names, values, strict=False):
            if value:  # text nodes are repaired and NFC already (parse_fragment)
                found.setdefault(name, value)


def _file_kind(url: str) -> str | None:
    path = unquote(urlsplit(url).path).lower()
    if _SIGNED_PDF.search(path):
        return "signed-pdf"
    return ATTACHMENT_KINDS.get(path.rsplit(".", 1)[-1]) if "." in path.rsplit("/", 1)[-1] else None


def _signer(text: str) -> dict[str, str]:
    words = text.split()
    # The name follows the issuer when one is named ("Bộ trưởng Bộ Công Thương Nguyễn Hồng Diên"), else it
    # is the trailing run of capitalised words ("Chủ tịch HĐND Lò Minh Hùng"); "Chính phủ" is no name.
    folded = tone_key(text)
    after_issuer = max(
        (folded.find(key) + len(key) for key in map(tone_key, ISSUERS) if key in folded), default=0
    )
    start = len(folded[:after_issuer].split())  # words up to the end of the issuer's name
    count = 0
    while count < min(len(words) - start, MAX_NAME_WORDS) and _is_name_word(words[-1 - count]):
        count += 1
    if count < 2:
        return {"title": text}
    name, title = " ".join(words[-count:]), " ".join(words[:-count])
    return {"name": name, "title": title} if title else {"name": name}


def _is_name_word(word: str) -> bool:
    # "Hùng", "Đức": a capital then small letters; "HĐND" and "tỉnh" are not parts of a name.
    return word.isalpha() and word[0].isupper() and all(ch.islower() for ch in word[1:])


def _title_head(title: str) -> dict[str, str]:
    found = _TITLE.match(title)
    if found is None or (found["type"] and doc_type_name(found["type"]) not in DOC_TYPES):
        return {}
    issued_on = (
        f"ngày {found['date']}" if found["date"] else ""
    )  # the date layer reads "ngày 8 tháng 11 năm 2026"
    head = {"number": found["number"], "issued_on": issued_on, "doc_type": found["type"] or ""}
    return head | _issuer_and_abstract(found["rest"] or "")


def _issuer_and_abstract(rest: str) -> dict[str, str]:
    for signer_title in SIGNER_TITLES:
        if rest.startswith(signer_title + " "):
            rest = rest[len(signer_title) + 1 :]
    folded = tone_key(rest) + " "
    known = [name for name in ISSUERS if folded.startswith(tone_key(name) + " ")]
    if known:
        issuer = max(known, key=len)
        return {"issuer": issuer, "abstract": _sentence(rest.split(maxsplit=len(issuer.split()))[-1])}
    verbs = "|".join(re.escape(verb) for verb in ABSTRACT_VERBS)
    split = re.search(rf"\s+(?=(?:{verbs})\s)", rest)
    if split is None:
        return {}
    return {"issuer": rest[: split.start()], "abstract": _sentence(rest[split.end() :])}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""


def _issuers_of(number: str) -> list[str]:
    parsed = parse_document_number(number)
    codes = () if parsed is None else parsed.issuer_codes
    # "UBND" names no province: an issuer read from it would merge every province's decisions.
    return [ISSUER_CODES[code] for code in codes if code in ISSUER_CODES and code not in LOCAL_ISSUER_CODES]


def _type_of(number: str) -> str:
    parsed = parse_document_number(number)
    return TYPE_ABBREVIATIONS.get(parsed.type_code or "", "") if parsed else ""


def _effective_in(text: str) -> str:
    found = _EFFECTIVE.search(text)
    return found[1] if found else ""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
