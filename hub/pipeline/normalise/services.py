"""Structured fields of an administrative procedure (thủ tục hành chính): raw record fields -> fields.

Input: values as a connector mapped them (the `json` kind over the dichvucong API: flags, method and fee
objects, `{code, name}` links). Output: feeds.namespace SERVICE_FIELDS plus `legal_basis_keys` (number keys
linking to documents) and `decision` (the publishing decision: number, key, date).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dedupe.doclaw import document_number_key, procedure_code_key
from dedupe.text import match_key, tone_key
from feeds.namespace import SERVICE_FIELDS
from hub.pipeline.normalise.documents import local_date, number_text
from hub.pipeline.normalise.text import clean_text

# Raw boolean flags (the API's isMinistry, isProvince, isWard ...) -> administrative level, in level order.
LEVEL_FLAGS: dict[str, str] = {
    "level_ministry": "Cấp Bộ",
    "level_province": "Cấp Tỉnh",
    "level_district": "Cấp Huyện",  # abolished in 2025; older records still carry it
    "level_commune": "Cấp Xã",
}
# Folded level text -> level; "Cấp Huyện" and "Cấp Xã" as provincial portals write them.
LEVELS: dict[str, str] = {
    "bo": "Cấp Bộ",
    "cap bo": "Cấp Bộ",
    "cap huyen": "Cấp Huyện",
    "cap tinh": "Cấp Tỉnh",
    "cap xa": "Cấp Xã",
    "huyen": "Cấp Huyện",
    "tinh": "Cấp Tỉnh",
    "xa": "Cấp Xã",
}
FULLY_ONLINE = "toàn trình"
PARTLY_ONLINE = "một phần"
# Online level as sources state it: Decree 42/2022 words, the old 1-4 scale (Decree 43/2011: 4 = submit,
# pay and receive online; 3 = submit online), the UI codes. Levels 1-2 are not online services.
ONLINE_LEVELS: dict[str, str] = {
    "3": PARTLY_ONLINE,
    "4": FULLY_ONLINE,
    "muc do 3": PARTLY_ONLINE,
    "muc do 4": FULLY_ONLINE,
    "mot phan": PARTLY_ONLINE,
    "toan trinh": FULLY_ONLINE,
}
# Processing-time units of the 2026 API -> Vietnamese.
TIME_UNITS: dict[str, str] = {
    "DAY": "ngày",
    "HOUR": "giờ",
    "MONTH": "tháng",
    "WEEK": "tuần",
    "WORKING_DAY": "ngày làm việc",
    "WORKING_HOUR": "giờ làm việc",
}
SUBMISSION_METHODS: dict[str, str] = {"DIRECT": "trực tiếp", "ONLINE": "trực tuyến", "POSTAL": "bưu chính"}
# The API leaves `currencyId` empty: fees and charges are set in đồng (Law on Fees and Charges 2015).
DEFAULT_CURRENCY = "VND"
NO_FEE = "Không thu phí"
RAW_SERVICE_FIELDS: frozenset[str] = frozenset([*SERVICE_FIELDS, *LEVEL_FLAGS, "decision"])

_NUMBER_IN_TEXT = re.compile(r"\d[\w.]*\s?/\s?[^\s,;()]+")


def normalise_service_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Service fields of one record; a list where the source names several (fields, agencies, levels)."""
    numbers = legal_basis_numbers(raw.get("legal_basis"))
    code = _text(raw.get("procedure_code"))
    fields = {
        "procedure_code": procedure_code_key(code) or clean_text(code),
        "field": _one_or_many(text_list(raw.get("field"))),
        "agency": _one_or_many(text_list(raw.get("agency"))),
        "level": _one_or_many(level_list(raw)),
        "online_level": online_level(raw.get("online_level")),
        "processing_time": processing_time(raw.get("processing_time")),
        "fees": fee_list(raw.get("fees")),
        "legal_basis": numbers,
        "legal_basis_keys": [key for key in map(document_number_key, numbers) if key],
        "decision": decision(raw.get("decision")),
    }
    return {key: value for key, value in fields.items() if value not in (None, "", [], {})}


def text_list(value: object) -> list[str]:
    """Clean texts of a text, a list of texts or of `{name}` objects; repeats dropped."""
    values = value if isinstance(value, list | tuple) else [value]
    texts = [clean_text(_name(one)) for one in values]
    seen: set[str] = set()
    unique = []
    for text in texts:
        if text and tone_key(text) not in seen:  # "Hộ tịch" and "hộ tịch" are one
            seen.add(tone_key(text))
            unique.append(text)
    return unique


def level_list(raw: Mapping[str, Any]) -> list[str]:
    """Levels from the level flags, else from level text ("Cấp Tỉnh", "tỉnh")."""
    flagged = [level for key, level in LEVEL_FLAGS.items() if raw.get(key) is True]
    written = [LEVELS.get(match_key(text), text) for text in text_list(raw.get("level"))]
    return flagged or written


def online_level(value: object) -> str | None:
    """ "toàn trình" / "một phần" from isFullProcess (bool), the old 1-4 scale or the words."""
    if isinstance(value, bool):
        return FULLY_ONLINE if value else PARTLY_ONLINE
    folded = match_key(str(value)) if isinstance(value, str | int) else ""
    return ONLINE_LEVELS.get(folded) or next(
        (level for words, level in ONLINE_LEVELS.items() if not words.isdigit() and words in folded), None
    )


def processing_time(value: object) -> str:
    """Processing time as text: "12 ngày làm việc"; per submission method when the methods differ."""
    if isinstance(value, str):
        return clean_text(value)
    methods = [one for one in (value if isinstance(value, list) else [value]) if isinstance(one, Mapping)]
    timed = [
        (_duration(one), SUBMISSION_METHODS.get(_text(one.get("submissionMethod")), "")) for one in methods
    ]
    durations = {text for text, _ in timed if text}
    if len(durations) <= 1:
        return durations.pop() if durations else ""
    return "; ".join(f"{text} ({method})" if method else text for text, method in timed if text)


def fee_list(value: object) -> list[dict[str, Any]] | str:
    """Fees as [{amount, currency, description}], each once (the API repeats them per method)."""
    if isinstance(value, str):
        return clean_text(value)
    fees: list[dict[str, Any]] = []
    for one in value if isinstance(value, list) else []:
        if isinstance(one, Mapping) and (fee := _fee(one)) not in fees:
            fees.append(fee)
    return fees


def legal_basis_numbers(value: object) -> list[str]:
    """Document numbers of the legal basis, as written: `{code}` objects, or numbers inside citations."""
    numbers: list[str] = []
    for one in value if isinstance(value, list) else [value]:
        code = _text(one.get("code")) if isinstance(one, Mapping) else ""
        # A code may carry the citation's words ("Nghị định số 123/2015/NĐ-CP"): keep the number only.
        found = _NUMBER_IN_TEXT.search(code or _name(one))
        number = number_text(found[0] if found else code)
        if number and number not in numbers:
            numbers.append(number)
    return numbers


def decision(value: object) -> dict[str, str]:
    """The decision publishing the procedure: number as written, its key, and its local date."""
    if not isinstance(value, Mapping):
        return {}
    number = number_text(_text(value.get("proposalNumber") or value.get("number")))
    found = {
        "date": local_date(value.get("decisionDate") or value.get("date")),
        "number": number,
        "number_key": document_number_key(number),
    }
    return {key: text for key, text in found.items() if text}


def _duration(method: Mapping[str, Any]) -> str:
    quantity = method.get("processingTime", method.get("qty"))
    unit = TIME_UNITS.get(_text(method.get("processingTimeUnit") or method.get("type")), "ngày")
    if isinstance(quantity, int | float) and not isinstance(quantity, bool):
        return f"{quantity:g} {unit}"
    return clean_text(_text(quantity))


def _fee(one: Mapping[str, Any]) -> dict[str, Any]:
    amount = one.get("value", one.get("amount"))
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    description = clean_text(_text(one.get("description"))) or (NO_FEE if amount == 0 else "")
    currency = clean_text(_text(one.get("currencyId") or one.get("currency"))) or DEFAULT_CURRENCY
    fee = {"amount": amount, "currency": currency, "description": description}
    return {key: part for key, part in fee.items() if part not in (None, "")}


def _one_or_many(values: list[str]) -> str | list[str]:
    # One value is a plain field; several (a procedure at two levels) stay a list, as joint issuers do.
    return values[0] if len(values) == 1 else values


def _name(value: object) -> str:
    return _text(value.get("name")) if isinstance(value, Mapping) else _text(value)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
