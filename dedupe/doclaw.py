"""Keys for legal documents and administrative procedures: a number or code as written -> one key.

`document_number_key("Nghị định số 09/2015/ND- CP")` and `document_number_key("9/2015/NĐ-CP")` agree
(DOMAIN §2.5 variants); `procedure_code_key("1.013395.01")` is `"1.013395"`. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import takewhile

from dedupe.text import fold_lookalikes, match_key, strip_tones

# Document type abbreviations of the number (Decree 30/2020/NĐ-CP, Appendix III; normative types) -> name.
TYPE_ABBREVIATIONS: dict[str, str] = {
    "BC": "Báo cáo",
    "CT": "Chỉ thị",
    "CTr": "Chương trình",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "L": "Lệnh",
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "NĐ": "Nghị định",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "QĐ": "Quyết định",
    "TB": "Thông báo",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "TTr": "Tờ trình",
    "VBHN": "Văn bản hợp nhất",
}
# Document types (Loại văn bản, DOMAIN §2.1/§2.5) as the hub displays them.
DOC_TYPES: tuple[str, ...] = (
    "Bộ luật",
    "Chỉ thị",
    "Công văn",
    "Hiến pháp",
    "Kế hoạch",
    "Luật",
    "Lệnh",
    "Nghị quyết",
    "Nghị quyết liên tịch",
    "Nghị định",
    "Pháp lệnh",
    "Quy chế",
    "Quy định",
    "Quyết định",
    "Thông báo",
    "Thông tư",
    "Thông tư liên tịch",
    "Văn bản hợp nhất",
)
# Issuer abbreviations of the number -> issuer name (DOMAIN §2.5; the 2025 ministries included).
ISSUER_CODES: dict[str, str] = {
    "BCA": "Bộ Công an",
    "BCT": "Bộ Công Thương",
    "BDTTG": "Bộ Dân tộc và Tôn giáo",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BNG": "Bộ Ngoại giao",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BNV": "Bộ Nội vụ",
    "BQP": "Bộ Quốc phòng",
    "BTC": "Bộ Tài chính",
    "BTP": "Bộ Tư pháp",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BXD": "Bộ Xây dựng",
    "BYT": "Bộ Y tế",
    "CP": "Chính phủ",
    "CTN": "Chủ tịch nước",
    "HĐND": "Hội đồng nhân dân",
    "KTNN": "Kiểm toán nhà nước",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TANDTC": "Tòa án nhân dân tối cao",
    "TTCP": "Thanh tra Chính phủ",
    "TTHĐND": "Thường trực Hội đồng nhân dân",
    "TTg": "Thủ tướng Chính phủ",
    "UBND": "Ủy ban nhân dân",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "VPCP": "Văn phòng Chính phủ",
}
# Issuers as the hub displays them: every national issuer code's name, and Quốc hội (its numbers say QH13).
ISSUERS: tuple[str, ...] = tuple(
    sorted(
        {*ISSUER_CODES.values(), "Quốc hội"}
        - {"Hội đồng nhân dân", "Thường trực Hội đồng nhân dân"}
        - {"Ủy ban nhân dân"}
    )
)
# Segments spelt another way in real data -> the spelling of the key: ASCII transliterations, the
# pre-2025 "&" form, and the space-split Sơn La "TT HĐND" (spaces are gone by the time this applies).
SEGMENT_ALIASES: dict[str, str] = {
    "BGD&DT": "BGDĐT",
    "BGD&ĐT": "BGDĐT",
    "BGDDT": "BGDĐT",
    "BKHDT": "BKHĐT",
    "HDND": "HĐND",
    "ND": "NĐ",
    "QD": "QĐ",
    "TTHDND": "TTHĐND",
}
# Issuer codes no one body owns: every province has a UBND and a HĐND, so their numbers need the issuer.
LOCAL_ISSUER_CODES: frozenset[str] = frozenset({"HĐND", "TTHĐND", "UBND"})
# Words written before a number ("Số:", "Nghị định số", "Luật số"), compared tone- and case-folded.
PREFIX_WORDS: tuple[str, ...] = tuple(
    sorted({strip_tones(name).lower() for name in TYPE_ABBREVIATIONS.values()} | {"bo luat", "luat"})
)
NO_NUMBER = "khong so"  # "Không số": the 2013 Constitution has no number

_MIXED_CASE = {code.upper(): code for code in (*TYPE_ABBREVIATIONS, *ISSUER_CODES) if code != code.upper()}
_PREFIX = re.compile(
    r"^(?:(?:" + "|".join(re.escape(w) for w in sorted(PREFIX_WORDS, key=len, reverse=True)) + r")\s+)?"
    r"(?:so\s*[:.]?\s*)?"
)
_AROUND_SEPARATOR = re.compile(r"\s*([/-])\s*")
_SERIAL = re.compile(r"0*(\d+)(.*)", re.DOTALL)
_YEAR = re.compile(r"(?:19|20)\d\d")
_PROCEDURE = re.compile(r"(?<![\d.])([1-9])\s*[.,]\s*(\d{1,6})(?!\d)")


@dataclass(frozen=True, slots=True)
class DocumentNumber:
    """A number split into its parts: `37/2026/QĐ-UBND` -> serial 37, year 2026, QĐ, (UBND,)."""

    key: str  # the whole number in key spelling: "37/2026/QĐ-UBND"
    serial: str  # "37", "12A"
    year: int | None
    type_code: str | None  # "QĐ"; None for official letters ("6188/BTNMT-ĐKDLTTĐĐ")
    issuer_codes: tuple[str, ...]


def document_number_key(number: str, issuer: str | None = None, *, year: int | None = None) -> str:
    """Key of a document number as written; "" when it names none ("Không số", empty).

    A number with a year and a national issuer is its own key ("43/2011/NĐ-CP"). Serials of local
    issuers (UBND, HĐND) repeat in every province, and yearless serials restart every 1 January, so
    those keys carry the folded `issuer` and the issue `year` when the caller knows them.
    """
    parsed = parse_document_number(number)
    if parsed is None:
        return ""
    qualifiers = []
    if parsed.year is None and year is not None:
        qualifiers.append(str(year))
    if issuer and (parsed.year is None or LOCAL_ISSUER_CODES & set(parsed.issuer_codes)):
        qualifiers.append(issuer_key(issuer))
    return "|".join([parsed.key, *qualifiers])


def parse_document_number(number: str) -> DocumentNumber | None:
    """The parts of a number as written (prefix words, look-alikes, spaces, aliases folded)."""
    core = _core(number)
    if not core:
        return None
    if not core[0].isdigit():  # odd one-offs ("QĐ/0001-BCA") still fold to one spelling
        return DocumentNumber(core, "", None, None, ())
    head, *rest = core.split("/")
    serial = _SERIAL.fullmatch(head)
    serial_text = (serial[1] + serial[2]) if serial else head
    year = int(rest[0]) if len(rest) > 1 and _YEAR.fullmatch(rest[0]) else None
    codes = rest[-1].split("-") if rest else []
    type_code = codes[0] if codes and codes[0] in TYPE_ABBREVIATIONS else None
    issuers = tuple(code for code in codes if code != type_code)
    return DocumentNumber("/".join([serial_text, *rest]), serial_text, year, type_code, issuers)


def issuer_key(issuer: str) -> str:
    """Folded issuer name, abbreviations spelt out: "UBND tỉnh Sơn La" = "Ủy ban nhân dân Tỉnh Sơn La"."""
    words = [ISSUER_CODES.get(_segment(word), word) for word in _normal(issuer).split()]
    return match_key(" ".join(words))


def procedure_code_key(code: str) -> str:
    """Key of a procedure code: "1.013395", also from "1.013395.01", "1.004873.H87" or "Mã: 1.013395".

    Spreadsheets turn "1.010400" into the number 1.0104: the six digits are restored by padding right.
    """
    found = _PROCEDURE.search(unicodedata.normalize("NFKC", code))
    return f"{found[1]}.{found[2].ljust(6, '0')}" if found else ""


def _core(number: str) -> str:
    text = " ".join(_normal(number).split())
    text = text[_prefix_length(text) :]
    if strip_tones(text).lower().startswith(NO_NUMBER):
        return ""
    text = _AROUND_SEPARATOR.sub(r"\1", text)
    tokens = text.split(" ")
    # Keep code-like words after the number ("QĐ-TT HĐND"); stop at prose ("ngày 13/6/2011").
    joined = "".join([tokens[0], *takewhile(_is_code_word, tokens[1:])])
    parts = re.split(r"([/-])", joined)
    return "".join(_segment(part) if part not in "/-" else part for part in parts).strip("/-")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", fold_lookalikes(unicodedata.normalize("NFKC", text)))


def _prefix_length(text: str) -> int:
    # Tone folding keeps one character per NFC letter, so a length found on the folded text cuts the original.
    folded = "".join((strip_tones(ch) or " ")[0] for ch in text).lower()
    found = _PREFIX.match(folded)
    return found.end() if found else 0


def _segment(part: str) -> str:
    upper = part.upper()
    upper = SEGMENT_ALIASES.get(upper, upper)
    return _MIXED_CASE.get(upper, upper)


def _is_code_word(token: str) -> bool:
    # Issuer codes are capitals with at most one small letter ("HĐND", "TTg"); prose is not ("ngày", "Ngày").
    return token[:1].isalpha() and token[0].isupper() and sum(ch.islower() for ch in token) <= 1
