"""Vocabulary of the evaluation set: agencies, people, provinces, and government-news templates.

Templates are paragraphs of alternative sentences with `{fields}`; an event fills the fields. Two events
of one template with the same sentence choices differ only in their facts: the hardest negatives.
"""

from __future__ import annotations

# (agency, short title prefix, host, role, person)
MINISTRIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("Bộ Công Thương", "Bộ Công Thương", "moit.gov.vn", "Bộ trưởng", "Nguyễn Hồng Diên"),
    ("Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", "moet.gov.vn", "Thứ trưởng", "Phạm Ngọc Thưởng"),
    ("Bộ Nông nghiệp và Môi trường", "Bộ NN&MT", "mae.gov.vn", "Bộ trưởng", "Đỗ Đức Duy"),
    ("Bộ Tài chính", "Bộ Tài chính", "mof.gov.vn", "Thứ trưởng", "Nguyễn Đức Chi"),
    ("Bộ Tài nguyên và Môi trường", "Bộ TN&MT", "monre.gov.vn", "Thứ trưởng", "Lê Công Thành"),
    ("Bộ Xây dựng", "Bộ Xây dựng", "moc.gov.vn", "Thứ trưởng", "Nguyễn Văn Sinh"),
    ("Bộ Y tế", "Bộ Y tế", "moh.gov.vn", "Thứ trưởng", "Trần Văn Thuấn"),
)
PEOPLE: tuple[str, ...] = (
    "Hoàng Thị Thu Hà",
    "Lê Minh Ngân",
    "Nguyễn Quốc Trị",
    "Nguyễn Thị Thanh Thủy",
    "Phạm Văn Hòa",
    "Trần Quý Kiên",
    "Trần Thanh Hóa",
    "Võ Tuấn Nhân",
)
PROVINCES: tuple[tuple[str, str], ...] = (
    ("An Giang", "angiang.gov.vn"),
    ("Cà Mau", "camau.gov.vn"),
    ("Đắk Lắk", "daklak.gov.vn"),
    ("Điện Biên", "dienbien.gov.vn"),
    ("Gia Lai", "gialai.gov.vn"),
    ("Hà Tĩnh", "hatinh.gov.vn"),
    ("Khánh Hòa", "khanhhoa.gov.vn"),
    ("Lâm Đồng", "lamdong.gov.vn"),
    ("Lào Cai", "laocai.gov.vn"),
    ("Nghệ An", "nghean.gov.vn"),
    ("Ninh Bình", "ninhbinh.gov.vn"),
    ("Quảng Ngãi", "quangngai.gov.vn"),
    ("Quảng Ninh", "quangninh.gov.vn"),
    ("Quảng Trị", "quangtri.gov.vn"),
    ("Sơn La", "sonla.gov.vn"),
    ("Thanh Hóa", "thanhhoa.gov.vn"),
    ("Tuyên Quang", "tuyenquang.gov.vn"),
    ("Vĩnh Long", "vinhlong.gov.vn"),
)
TOPICS: tuple[str, ...] = (
    "chuyển đổi số trong quản lý đất đai",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "quản lý chất thải rắn sinh hoạt",
    "giải ngân vốn đầu tư công",
    "cải cách thủ tục hành chính",
    "bảo đảm an toàn thực phẩm",
    "phát triển nhà ở xã hội",
    "khai thác khoáng sản trái phép",
)
COMMODITIES: tuple[str, ...] = ("lúa tẻ thường", "cà phê nhân", "hồ tiêu", "thịt lợn hơi", "cao su")

# template name -> (title, paragraphs); each paragraph is a tuple of alternative sentences.
TEMPLATES: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "bao_cao_tuan": (
        "Báo cáo tuần {week}: tình hình {topic} tại tỉnh {province}",
        (
            (
                "Trong tuần {week} (từ ngày {d}/{m} đến ngày {d2}/{m}), Sở Nông nghiệp và Môi trường tỉnh "
                "{province} đã tổng hợp tình hình {topic} trên địa bàn toàn tỉnh.",
                "Sở Nông nghiệp và Môi trường tỉnh {province} vừa có báo cáo tuần {week}, từ ngày {d}/{m} "
                "đến ngày {d2}/{m}, về {topic}.",
            ),
            (
                "Trong tuần, toàn tỉnh đã tiếp nhận {n1} hồ sơ, giải quyết đúng hạn {n2} hồ sơ, đạt tỷ lệ "
                "{p1}%; số hồ sơ quá hạn là {n3}, chủ yếu do phải xác minh nguồn gốc đất.",
                "Các đơn vị đã tiếp nhận {n1} hồ sơ và giải quyết {n2} hồ sơ, tỷ lệ đúng hạn đạt {p1}%, còn "
                "{n3} hồ sơ quá hạn.",
            ),
            (
                "Lũy kế từ đầu năm, kinh phí đã giải ngân là {money} tỷ đồng, bằng {p2}% kế hoạch vốn được "
                "giao; nhiều công trình trọng điểm được đẩy nhanh tiến độ.",
                "Tổng kinh phí giải ngân từ đầu năm đạt {money} tỷ đồng, tương đương {p2}% kế hoạch.",
            ),
            (
                "Trong tuần tới, Sở tiếp tục phối hợp với các xã, phường rà soát hồ sơ tồn đọng, kiên quyết "
                "xử lý các trường hợp chậm trễ, gây phiền hà cho người dân và doanh nghiệp.",
                "Sở đề nghị các địa phương tập trung xử lý dứt điểm hồ sơ tồn đọng trong tuần tới, không để "
                "phát sinh hồ sơ quá hạn mới.",
            ),
            (
                "Đồng thời, các đơn vị được yêu cầu cập nhật đầy đủ dữ liệu lên hệ thống thông tin giải "
                "quyết "
                "thủ tục hành chính của tỉnh, bảo đảm công khai, minh bạch, thuận tiện cho việc tra cứu.",
            ),
        ),
    ),
    "gia_ca": (
        "Giá {commodity} tại {province} ngày {d}/{m} {trend}",
        (
            (
                "Theo ghi nhận của Sở Công Thương tỉnh {province}, ngày {d}/{m}, giá {commodity} tại các "
                "điểm thu mua trên địa bàn {trend}, dao động quanh mức {price} đồng/kg.",
                "Ngày {d}/{m}, giá {commodity} tại tỉnh {province} {trend}, phổ biến ở mức {price} đồng/kg.",
            ),
            (
                "So với tuần trước, giá bình quân tăng {n1} đồng/kg; lượng hàng về các đại lý đạt khoảng "
                "{n2} tấn mỗi ngày, đáp ứng nhu cầu của các nhà máy chế biến.",
                "Lượng hàng về các đại lý khoảng {n2} tấn/ngày, giá bình quân cao hơn tuần trước {n1} "
                "đồng/kg.",
            ),
            (
                "Nguyên nhân chủ yếu là nhu cầu xuất khẩu tăng, trong khi nguồn cung trong nước giảm do thời "
                "tiết bất lợi ở một số vùng sản xuất trọng điểm.",
            ),
            (
                "Sở Công Thương khuyến cáo người dân và doanh nghiệp theo dõi sát diễn biến thị trường, "
                "không "
                "găm hàng, đẩy giá; đồng thời tăng cường kiểm tra, xử lý các hành vi gian lận thương mại.",
            ),
        ),
    ),
    "hoi_nghi": (
        "{role} {person} chủ trì hội nghị về {topic} tháng {m}/{y}",
        (
            (
                "Sáng {d}/{m}, tại {place}, {role} {agency} {person} đã chủ trì hội nghị giao ban định kỳ "
                "tháng {m} về {topic}.",
                "Ngày {d}/{m}/{y}, {agency} tổ chức hội nghị giao ban tháng {m} về {topic} dưới sự chủ trì "
                "của {role} {person}, tại {place}.",
            ),
            (
                "Báo cáo tại hội nghị, đại diện đơn vị chủ trì cho biết trong tháng {m}, toàn ngành đã hoàn "
                "thành {n1} nhiệm vụ, đạt {p1}% kế hoạch; còn {n2} nhiệm vụ đang triển khai.",
                "Theo báo cáo, trong tháng {m} các đơn vị đã hoàn thành {n1} nhiệm vụ, bằng {p1}% kế hoạch, "
                "{n2} nhiệm vụ chuyển sang tháng sau.",
            ),
            (
                "Kinh phí thực hiện lũy kế đạt {money} tỷ đồng; một số địa phương như {province} đã có cách "
                "làm sáng tạo, được cơ sở đánh giá cao.",
            ),
            (
                "Phát biểu chỉ đạo, {role} {person} đề nghị các đơn vị tập trung tháo gỡ vướng mắc về "
                "cơ chế, "
                "chính sách, đẩy nhanh tiến độ, không để nhiệm vụ nào bị chậm mà không có lý do chính đáng.",
                "Kết luận hội nghị, {role} {person} yêu cầu các đơn vị rà soát từng nhiệm vụ, làm rõ trách "
                "nhiệm của người đứng đầu đối với các việc chậm tiến độ.",
            ),
            (
                "{role} cũng lưu ý việc phối hợp chặt chẽ với các bộ, ngành, địa phương, kịp thời báo cáo "
                "Chính phủ, Thủ tướng Chính phủ những vấn đề vượt thẩm quyền.",
            ),
            (
                "Hội nghị giao ban tháng tiếp theo dự kiến được tổ chức vào đầu tháng tới, với nội dung "
                "trọng "
                "tâm là đánh giá kết quả thực hiện các kết luận tại hội nghị này.",
            ),
        ),
    ),
    "kiem_tra": (
        "Đoàn công tác {agency} kiểm tra {topic} tại {province}",
        (
            (
                "Ngày {d}/{m}, Đoàn công tác của {agency} do {role} {person} làm trưởng đoàn đã kiểm tra "
                "công tác {topic} tại tỉnh {province}.",
                "Trong hai ngày {d} và {d2}/{m}, {role} {person} dẫn đầu đoàn công tác của {agency} làm việc "
                "với tỉnh {province} về {topic}.",
            ),
            (
                "Tiếp và làm việc với đoàn có Phó Chủ tịch UBND tỉnh {province} {local} cùng lãnh đạo "
                "các sở, "
                "ngành liên quan.",
            ),
            (
                "Báo cáo với đoàn, lãnh đạo tỉnh cho biết thời gian qua, tỉnh đã ban hành {n1} văn bản "
                "chỉ đạo, "
                "tổ chức {n2} cuộc kiểm tra, phát hiện và xử lý {n3} trường hợp vi phạm với tổng số "
                "tiền phạt "
                "{money} triệu đồng.",
            ),
            (
                "Đoàn đã trực tiếp kiểm tra thực tế tại một số điểm trên địa bàn, ghi nhận những chuyển biến "
                "tích cực nhưng cũng chỉ ra không ít tồn tại, hạn chế cần sớm khắc phục.",
            ),
            (
                "Phát biểu kết luận, {role} {person} đề nghị tỉnh {province} tiếp tục rà soát, hoàn "
                "thiện quy "
                "hoạch, tăng cường kiểm tra, giám sát và xử lý nghiêm các vi phạm.",
                "Kết thúc buổi làm việc, {role} {person} ghi nhận nỗ lực của tỉnh {province} và đề nghị tỉnh "
                "sớm hoàn thành các nhiệm vụ còn chậm.",
            ),
            (
                "{agency} sẽ phối hợp chặt chẽ với địa phương, kịp thời hướng dẫn, tháo gỡ khó khăn để các "
                "nhiệm vụ được triển khai đúng tiến độ đề ra.",
            ),
        ),
    ),
    "thoi_tiet": (
        "Dự báo thời tiết ngày {d}/{m}: {province} có mưa to, nhiệt độ cao nhất {t1} độ C",
        (
            (
                "Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, ngày {d}/{m}, khu vực tỉnh {province} có "
                "mưa rào và dông, cục bộ có mưa to với lượng mưa phổ biến {n1}-{n2} mm.",
                "Trung tâm Dự báo khí tượng thủy văn quốc gia cho biết, trong ngày {d}/{m}, tỉnh {province} "
                "có mưa vừa, mưa to, lượng mưa phổ biến từ {n1} đến {n2} mm.",
            ),
            (
                "Nhiệt độ thấp nhất từ {t2} đến {t3} độ C, nhiệt độ cao nhất từ {t4} đến {t1} độ C; gió nhẹ, "
                "trong cơn dông có khả năng xảy ra lốc, sét và gió giật mạnh.",
            ),
            (
                "Cơ quan khí tượng cảnh báo nguy cơ lũ quét, sạt lở đất ở vùng núi và ngập úng cục bộ tại "
                "vùng trũng, thấp; mưa lớn có thể ảnh hưởng đến sản xuất nông nghiệp.",
            ),
            (
                "Ban Chỉ huy phòng thủ dân sự tỉnh {province} đề nghị các địa phương theo dõi chặt chẽ diễn "
                "biến thời tiết, chủ động sơ tán người dân khỏi khu vực nguy hiểm.",
                "Tỉnh {province} yêu cầu các xã, phường bố trí lực lượng trực ban, sẵn sàng ứng phó khi có "
                "tình huống xấu xảy ra.",
            ),
        ),
    ),
    "trien_khai": (
        "UBND tỉnh {province} triển khai kế hoạch {topic} năm {y}",
        (
            (
                "UBND tỉnh {province} vừa ban hành Kế hoạch số {n1}/KH-UBND ngày {d}/{m}/{y} triển khai "
                "{topic} trên địa bàn tỉnh năm {y}.",
                "Ngày {d}/{m}/{y}, UBND tỉnh {province} ban hành Kế hoạch số {n1}/KH-UBND về {topic} "
                "năm {y}.",
            ),
            (
                "Kế hoạch đặt mục tiêu đến hết năm {y}, {p1}% hồ sơ được tiếp nhận và giải quyết trực tuyến; "
                "100% cơ quan nhà nước cấp tỉnh kết nối, chia sẻ dữ liệu qua nền tảng tích hợp của tỉnh.",
            ),
            (
                "Tổng kinh phí thực hiện dự kiến {money} tỷ đồng từ nguồn ngân sách tỉnh và các nguồn "
                "vốn hợp "
                "pháp khác.",
            ),
            (
                "Chủ tịch UBND tỉnh {local} giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, "
                "ngành, "
                "UBND các xã, phường tổ chức thực hiện, định kỳ báo cáo kết quả trước ngày 15 hằng tháng.",
                "UBND tỉnh giao Sở Khoa học và Công nghệ là cơ quan thường trực, theo dõi, đôn đốc việc thực "
                "hiện và tổng hợp báo cáo Chủ tịch UBND tỉnh {local}.",
            ),
            (
                "Các cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch UBND tỉnh về kết quả thực hiện các "
                "nhiệm "
                "vụ được giao; kịp thời đề xuất điều chỉnh, bổ sung khi cần thiết.",
            ),
        ),
    ),
}
