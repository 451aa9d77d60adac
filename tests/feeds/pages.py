"""Realistic feed pages for the renderer tests and the render benchmark: ministry and province news,
Decree 224/2026/NĐ-CP and public service 1.013395, with republications and attribution."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from feeds import Attribution, FeedEntry, FeedPage, Republication

HUB = "https://hub.chinhphu.vn"

MAE = Attribution(
    source_id="mae-tin-tuc",
    portal_name="Cổng TTĐT Bộ Nông nghiệp và Môi trường",
    agency="Bộ Nông nghiệp và Môi trường",
    portal_url="https://mae.gov.vn",
    feed_url="https://mae.gov.vn/rss/tin-tuc.rss",
)
VINH_LONG = Attribution(
    source_id="vinhlong-tin-tuc",
    portal_name="Cổng TTĐT tỉnh Vĩnh Long",
    agency="UBND tỉnh Vĩnh Long",
    portal_url="https://vinhlong.gov.vn",
    feed_url="https://vinhlong.gov.vn/rss/tintuc.rss",
)
CONG_BAO = Attribution(
    source_id="congbao-van-ban-moi",
    portal_name="Công báo nước CHXHCN Việt Nam",
    agency="Văn phòng Chính phủ",
    portal_url="https://congbao.chinhphu.vn",
    feed_url="https://congbao.chinhphu.vn/cac-van-ban-moi-ban-hanh.rss",
)
DVCQG = Attribution(
    source_id="dvcqg-thu-tuc",
    portal_name="Cổng Dịch vụ công quốc gia",
    agency="Văn phòng Chính phủ",
    portal_url="https://dichvucong.gov.vn",
)

PARAGRAPHS = (
    "Theo Bộ Nông nghiệp và Môi trường, từ đầu năm đến nay cả nước đã xảy ra 12 loại hình thiên tai, "
    "làm 38 người chết và mất tích, thiệt hại về kinh tế ước tính hơn 1.500 tỷ đồng.",
    "Thứ trưởng đề nghị các địa phương rà soát phương án ứng phó với bão mạnh, siêu bão, bảo đảm an toàn "
    "hồ đập thủy lợi và chủ động sơ tán người dân khỏi khu vực nguy hiểm trước mùa mưa bão.",
    "Các tỉnh ven biển được yêu cầu kiểm đếm tàu thuyền, hướng dẫn ngư dân neo đậu tránh trú an toàn; "
    "lực lượng tại chỗ trực 24/24 giờ, sẵn sàng vật tư, phương tiện cứu hộ, cứu nạn.",
    "Về chuyển đổi số, 100% thủ tục hành chính đủ điều kiện đã được cung cấp trực tuyến toàn trình trên "
    "Cổng Dịch vụ công quốc gia; tỷ lệ hồ sơ nộp trực tuyến đạt 68,5%, tăng 12% so với cùng kỳ.",
    "Ủy ban nhân dân tỉnh giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành kết nối, "
    "chia sẻ dữ liệu với Cổng Thông tin điện tử Chính phủ theo quy định tại Nghị định số 224/2026/NĐ-CP.",
    "Người dân có thể tra cứu tình trạng hồ sơ, thanh toán phí, lệ phí trực tuyến và nhận kết quả qua "
    "dịch vụ bưu chính công ích hoặc trên ứng dụng định danh quốc gia VNeID.",
)


def body_html(seed: int, paragraphs: int = 3) -> str:
    """Sanitised article HTML with absolute image and link URLs, as the hub stores it."""
    picked = [PARAGRAPHS[(seed + n) % len(PARAGRAPHS)] for n in range(paragraphs)]
    text = "".join(f"<p>{one}</p>" for one in picked)
    return (
        f'<p><img src="https://mae.gov.vn/upload/2026/7/{seed}/anh-hop.jpg" alt="Quang cảnh cuộc họp"></p>'
        f"{text}"
        '<p><a href="https://mae.gov.vn/van-ban/chi-thi-03.htm">Xem Chỉ thị số 03/CT-BNNMT</a></p>'
    )


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in July 2026 given as Hà Nội wall-clock time, stored as aware UTC."""
    return datetime(2026, 7, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


ARTICLE = FeedEntry(
    id="tag:hub.chinhphu.vn,2026:story/7f3a9c",
    # Written in NFD, as some CMS editors emit it; every renderer must write it NFC.
    title=unicodedata.normalize("NFD", "Chủ động ứng phó thiên tai, bảo đảm an toàn hồ đập mùa mưa bão 2026"),
    link="https://mae.gov.vn/tin-tuc/chu-dong-ung-pho-thien-tai-2026-7f3a9c.htm",
    published=_at(13, 8, 30),
    updated=_at(13, 15, 5),
    content_type="article",
    # A vertical tab from a pasted Word document: forbidden in XML 1.0, dropped by the renderers.
    summary="Bộ Nông nghiệp và Môi trường yêu cầu các địa phương\x0b chủ động phương án ứng phó với bão lũ.",
    content_html=body_html(0),
    author="Bộ Nông nghiệp và Môi trường",
    categories=("Nông nghiệp", "Phòng, chống thiên tai"),
    image_url="https://mae.gov.vn/upload/2026/7/0/anh-hop.jpg",
    attribution=MAE,
    republications=(
        Republication(
            url="https://baochinhphu.vn/chu-dong-ung-pho-thien-tai-102260713.htm",
            source_id="baochinhphu-home",
            portal_name="Báo Điện tử Chính phủ",
            agency="Văn phòng Chính phủ",
            published=_at(13, 10, 12),
        ),
        Republication(
            url="https://vinhlong.gov.vn/tin-tuc/ung-pho-thien-tai-mua-mua-bao.html",
            source_id="vinhlong-tin-tuc",
            portal_name="Cổng TTĐT tỉnh Vĩnh Long",
            agency="UBND tỉnh Vĩnh Long",
            published=_at(14, 7, 45),
        ),
    ),
)

PROVINCE_ARTICLE = FeedEntry(
    id="tag:hub.chinhphu.vn,2026:story/81be04",
    title="Vĩnh Long: 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình",
    link="https://vinhlong.gov.vn/tin-tuc/thu-tuc-hanh-chinh-truc-tuyen-toan-trinh.html",
    published=_at(12, 16, 0),
    updated=_at(12, 16, 0),
    content_type="article",
    summary="Tỷ lệ hồ sơ nộp trực tuyến trên địa bàn tỉnh đạt 68,5%, tăng 12% so với cùng kỳ năm trước.",
    content_html=body_html(3),
    author="",  # the feed gave no author: the agency of the originating portal stands in
    categories=("Cải cách hành chính", "Chuyển đổi số"),
    attribution=VINH_LONG,
)

DECREE = FeedEntry(
    id="urn:portalhub:document:224-2026-nd-cp",
    title="Nghị định 224/2026/NĐ-CP quy định chi tiết thi hành một số điều của Luật Chuyển đổi số",
    link="https://congbao.chinhphu.vn/van-ban/nghi-dinh-224-2026-nd-cp.htm",
    published=_at(2, 10, 0),  # posted to Công báo eight days after it was issued
    updated=_at(2, 10, 0),
    content_type="document",
    summary="Quy định chi tiết thi hành một số điều của Luật Chuyển đổi số số 148/2025/QH15.",
    author="Chính phủ",
    categories=("Công nghệ thông tin",),
    attribution=CONG_BAO,
    fields={
        "abstract": "Quy định chi tiết thi hành một số điều của Luật Chuyển đổi số",
        "attachments": [
            {
                "kind": "signed-pdf",
                "name": "224-ndcp.signed.pdf",
                "url": "https://datafiles.chinhphu.vn/cpp/files/vbpq/2026/6/224-ndcp.signed.pdf",
            }
        ],
        "doc_type": "Nghị định",
        "effective_on": date(2026, 7, 1),
        "issued_on": date(2026, 6, 24),
        "issuer": ["Chính phủ"],
        "number": "224/2026/NĐ-CP",
        "signer": [{"title": "TM. Chính phủ"}],
        "validity_status": "Còn hiệu lực",
    },
)

SERVICE = FeedEntry(
    id="urn:portalhub:service:1.013395",
    title="Điều chỉnh danh mục đầu tư lưới điện trung áp, hạ áp",
    link="https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.013395",
    published=datetime(2026, 4, 16, 6, 47, 35, tzinfo=UTC),
    updated=datetime(2026, 4, 16, 6, 47, 35, tzinfo=UTC),
    content_type="service",
    summary="Đơn vị điện lực, nhà đầu tư nộp 01 bộ hồ sơ đề nghị điều chỉnh danh mục đầu tư lưới điện.",
    author="Ủy ban nhân dân tỉnh và thành phố trực thuộc Trung ương",
    categories=("Điện lực",),
    attribution=DVCQG,
    fields={
        "agency": "Ủy ban nhân dân tỉnh và thành phố trực thuộc Trung ương",
        "fees": [{"amount": 0, "currency": "VND", "description": "Không thu phí"}],
        "field": "Điện lực",
        "legal_basis": ["56/2025/NĐ-CP"],
        "level": "Cấp Tỉnh",
        "online_level": "một phần",
        "procedure_code": "1.013395",
        "processing_time": "12 ngày làm việc",
    },
)

ENTRIES = (ARTICLE, PROVINCE_ARTICLE, DECREE, SERVICE)


def sample_page(entries: tuple[FeedEntry, ...] = ENTRIES) -> FeedPage:
    """Page 2 of the `all` stream: first, previous and next links present."""
    return FeedPage(
        id="tag:hub.chinhphu.vn,2026:feeds/all",
        title="Cổng TTĐT Chính phủ – tin tổng hợp từ các bộ, ngành, địa phương",
        subtitle="Tin, văn bản và thủ tục hành chính từ các cổng thông tin điện tử",
        self_url=f"{HUB}/feeds/all.atom?after=2026-07-14T00%3A00%3A00Z",
        home_url="https://chinhphu.vn",
        updated=max(entry.updated for entry in entries),
        entries=entries,
        first_url=f"{HUB}/feeds/all.atom",
        prev_url=f"{HUB}/feeds/all.atom?before=2026-07-13T08%3A05%3A00Z",
        next_url=f"{HUB}/feeds/all.atom?after=2026-04-16T06%3A47%3A35Z",
    )


def large_page(size: int = 50) -> FeedPage:
    """`size` entries of about 4 KB each (real portals' article bodies), mixed content types."""
    entries = []
    for n in range(size):
        template = ENTRIES[n % len(ENTRIES)]
        entries.append(
            replace(
                template,
                id=f"{template.id}-{n}",
                link=f"{template.link}?n={n}",
                published=template.published - timedelta(hours=n),
                content_html=body_html(n, paragraphs=11),
            )
        )
    return sample_page(tuple(entries))


NOTICE = FeedEntry(
    id="urn:portalhub:story:3c5d10",
    title="Thông báo lịch tiếp công dân tháng 7/2026",
    link="https://vinhlong.gov.vn/thong-bao/lich-tiep-cong-dan-thang-7-2026.html",
    published=_at(1, 7, 30),
    updated=_at(1, 7, 30),
    content_type="article",
)


def minimal_page() -> FeedPage:
    """The first and only page: no paging links; one entry without body, author, attribution or topics."""
    return replace(sample_page((NOTICE, DECREE, SERVICE)), first_url=None, prev_url=None, next_url=None)
