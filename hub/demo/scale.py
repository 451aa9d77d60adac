"""Generated portals for the benchmark: `feeds` feeds of `entries` varied Vietnamese articles each.

Input: how many feeds and entries per feed. Output: the same `SamplePortals` as the bundled demo, one
loopback port per feed (every feed its own host), content generated deterministically from a seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

from hub.demo.catalogue import Portal
from hub.demo.sample import SamplePortals, serve_portals

ICT = timezone(timedelta(hours=7))
LATEST = datetime(2026, 11, 21, 17, 0, tzinfo=ICT)
FEED_PATH = "/rss/tin-tuc.rss"

# The 34 provincial-level units after Resolution 202/2025/QH15.
PROVINCES = (
    "An Giang", "Bắc Ninh", "Cao Bằng", "Cà Mau", "Cần Thơ", "Điện Biên", "Đà Nẵng", "Đắk Lắk",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Huế", "Hưng Yên",
    "Khánh Hòa", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình", "Phú Thọ",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa",
    "Thành phố Hồ Chí Minh", "Tuyên Quang", "Vĩnh Long",
)  # fmt: skip
COMMUNES = ("Tân Lập", "Phú Hòa", "Thạnh Mỹ", "Hòa Bình", "Long Hưng", "Mường Chanh", "Đông Sơn", "Bình An")
# (topic, title template, lead template); slots: {p} province, {x} commune, {n} number, {m} month, {r} rate.
TOPICS = (
    ("Chuyển đổi số", "{p} đưa {n} dịch vụ công trực tuyến toàn trình lên Cổng dịch vụ công quốc gia",
     "Đến hết tháng {m}/2026, tỷ lệ hồ sơ trực tuyến toàn trình của địa phương đạt {r}%."),
    ("Đất đai", "{p} cấp {n} giấy chứng nhận quyền sử dụng đất cho hộ gia đình tại xã {x}",
     "Việc cấp giấy chứng nhận được thực hiện sau khi hoàn thành đo đạc, chỉnh lý bản đồ địa chính."),
    ("Giáo dục", "{p} khởi công {n} phòng học mới tại các xã vùng khó khăn",
     "Tổng vốn đầu tư từ ngân sách tỉnh và nguồn xã hội hóa chiếm {r}% kế hoạch năm."),
    ("Môi trường", "{p} xử lý {n} tấn rác thải sinh hoạt mỗi ngày tại khu liên hợp xã {x}",
     "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý trong tháng {m} đạt {r}%."),
    ("Nông nghiệp", "{p} thu hoạch {n} ha lúa vụ mùa, năng suất tăng so với cùng kỳ",
     "Ngành nông nghiệp khuyến cáo bà con chuẩn bị giống, vật tư cho vụ đông xuân."),
    ("Thủy lợi", "{p} hoàn thành nạo vét {n} km kênh mương nội đồng trước mùa khô",
     "Công trình giúp chủ động nước tưới cho {r}% diện tích gieo trồng của xã {x}."),
    ("Y tế", "{p} tổ chức khám sàng lọc miễn phí cho {n} người cao tuổi",
     "Đợt khám do Sở Y tế phối hợp với Trạm Y tế xã {x} thực hiện trong tháng {m}."),
    ("Đầu tư", "{p} trao quyết định chủ trương đầu tư cho {n} dự án tại khu công nghiệp",
     "Tổng vốn đăng ký tăng {r}% so với cùng kỳ năm trước."),
)  # fmt: skip
CITIES = ("Cần Thơ", "Đà Nẵng", "Hà Nội", "Hải Phòng", "Huế")
# Body sentences; four are drawn per entry in random order, so two entries share little wording.
# Extra slots: {P} province with its "tỉnh"/"thành phố", {d} day, {o} official.
PARAGRAPHS = (
    "Theo báo cáo của Ủy ban nhân dân {P}, kết quả trên có được nhờ sự vào cuộc đồng bộ của các sở, ngành "
    "và chính quyền cấp xã sau khi sắp xếp đơn vị hành chính.",
    "Tại buổi làm việc ngày {d}/{m}/2026, {o} đề nghị các đơn vị rà soát, tháo gỡ khó khăn, "
    "bảo đảm tiến độ trước ngày 31/12/2026.",
    "Người dân xã {x} cho biết việc triển khai đã giúp giảm thời gian đi lại và chi phí thực hiện thủ tục.",
    "Trong thời gian tới, {P} tiếp tục bố trí nguồn lực, tăng cường kiểm tra, giám sát và "
    "định kỳ báo cáo kết quả thực hiện.",
    "Sở Tài chính được giao chủ trì, phối hợp với các đơn vị liên quan tham mưu phân bổ kinh phí "
    "khoảng {n} triệu đồng cho các nhiệm vụ năm 2027.",
    "Phát biểu chỉ đạo, {o} yêu cầu công khai tiến độ trên Cổng thông tin điện tử để người dân theo dõi.",
    "Đoàn công tác đã kiểm tra thực tế tại xã {x}, nơi có {n} hộ dân hưởng lợi trực tiếp.",
    "Một số khó khăn được nêu ra gồm thiếu nhân lực chuyên môn ở cấp xã, hạ tầng viễn thông chưa đồng bộ "
    "và thời tiết mưa kéo dài trong tháng {m}.",
    "Ủy ban Mặt trận Tổ quốc Việt Nam xã {x} cam kết phối hợp tuyên truyền, "
    "vận động nhân dân cùng thực hiện.",
    "So với cùng kỳ năm 2025, các chỉ tiêu chính đều tăng, trong đó chỉ tiêu cao nhất đạt {r}%.",
    "Các doanh nghiệp trên địa bàn kiến nghị đơn giản hóa hồ sơ, rút ngắn thời gian giải quyết "
    "xuống còn {d} ngày làm việc.",
    "Hội nghị cũng thống nhất lịch kiểm tra định kỳ hằng quý và cơ chế báo cáo nhanh khi có sự cố.",
    "Đến nay, {P} đã hoàn thành {r}% khối lượng công việc theo kế hoạch được giao đầu năm.",
    "Kết thúc đợt cao điểm, các tập thể, cá nhân có thành tích tiêu biểu sẽ được đề nghị khen thưởng.",
)
OFFICIALS = (
    "Chủ tịch UBND {P}", "Phó Chủ tịch UBND {P}", "Giám đốc Sở Nông nghiệp và Môi trường",
    "Giám đốc Sở Khoa học và Công nghệ", "Bí thư Đảng ủy xã {x}", "Chủ tịch UBND xã {x}",
)  # fmt: skip
RSS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
)


def scaled_portals(feeds: int, entries: int, seed: int = 2026) -> list[Portal]:
    """`feeds` generated portals (one feed each) of `entries` entries; same seed, same bytes."""
    rng = random.Random(seed)  # noqa: S311 - sample text wants reproducibility, not secrecy
    return [_portal(index, entries, rng) for index in range(feeds)]


@contextmanager
def serve_scaled_portals(feeds: int, entries: int, host: str = "127.0.0.1") -> Iterator[SamplePortals]:
    """Serve `scaled_portals(feeds, entries)` on loopback, one port per feed."""
    with serve_portals(scaled_portals(feeds, entries), host) as running:
        yield running


def _locality(province: str) -> str:
    """'tỉnh Sơn La', 'thành phố Huế', 'Thành phố Hồ Chí Minh' - how a sentence names the unit."""
    if province.startswith("Thành phố"):
        return province
    return f"thành phố {province}" if province in CITIES else f"tỉnh {province}"


def _portal(index: int, entries: int, rng: random.Random) -> Portal:
    province = PROVINCES[index % len(PROVINCES)]
    portal_id = f"cong-{index:04d}"
    origin = f"https://{portal_id}.gov.vn"
    name = f"Tin tức - Cổng thông tin điện tử số {index + 1} {_locality(province)}"
    items = "".join(_item(origin, index, number, province, rng) for number in range(entries))
    channel = f"<title>{escape(name)}</title>\n<link>{origin}/</link>\n<language>vi</language>\n"
    feed = (RSS_HEAD + channel + items + "</channel>\n</rss>\n").encode()
    return Portal(
        id=portal_id,
        origin=origin,
        files={FEED_PATH: feed, "/robots.txt": b"User-agent: *\nDisallow: /admin/\n"},
        modified=LATEST,
        sources=(_source(portal_id, name, province),),
    )


def _item(origin: str, portal: int, number: int, province: str, rng: random.Random) -> str:
    topic, title, lead = TOPICS[rng.randrange(len(TOPICS))]
    slots = {
        "p": province,
        "P": _locality(province),
        "x": rng.choice(COMMUNES),
        "n": f"{rng.randint(12, 4800):,}".replace(",", "."),  # Vietnamese thousands separator
        "m": str(rng.randint(6, 11)),
        "d": str(rng.randint(1, 28)),
        "r": f"{rng.randint(40, 99)},{rng.randint(0, 9)}",  # decimal comma
    }
    slots["o"] = rng.choice(OFFICIALS).format(**slots)
    published = LATEST - timedelta(minutes=97 * number + 13 * portal)
    lead_text = escape(lead.format(**slots))
    body = "".join(f"<p>{escape(text.format(**slots))}</p>" for text in rng.sample(PARAGRAPHS, 4))
    link = f"{origin}/tin-tuc/bai-viet-{portal:04d}-{number:05d}.html"
    return (
        f"<item>\n<title>{escape(title.format(**slots))}</title>\n<link>{link}</link>\n"
        f'<guid isPermaLink="true">{link}</guid>\n<category>{topic}</category>\n'
        f"<pubDate>{format_datetime(published)}</pubDate>\n<description>{lead_text}</description>\n"
        f"<content:encoded><![CDATA[<p><strong>{lead_text}</strong></p>{body}]]></content:encoded>\n</item>\n"
    )


def _source(portal_id: str, name: str, province: str) -> dict[str, object]:
    return {
        "id": f"{portal_id}-tin-tuc",
        "name": name,
        "agency": f"UBND {_locality(province)}",
        "level": "province",
        "kind": "feed",
        "content_type": "article",
        "path": FEED_PATH,
        "schedule": {"every": "15m"},
        "topics": ["Tin địa phương"],
        "priority": 50,
    }
