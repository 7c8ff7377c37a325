"""The seed plans in documents/: expected outline and metadata, verified by reading each plan.

The outlines are written out literally: a change in the parser that moves any section shows here.
"""

# ruff: noqa: E501  (section paths are written out literally, as long as the documents make them)

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.ingest import parse_file
from bot.ingest.chunking import chunk_document
from bot.ingest.cleanup import clean_lines
from bot.ingest.readers import read_lines
from bot.models import COL_LEAD, KIND_PREAMBLE, KIND_RECIPIENTS, KIND_SIGNATURE, KIND_TABLE, ParsedDocument
from bot.text.normalize import match_form

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "documents"
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"
# Seed numbers used by the shared question sets ("000_<hash>.txt") → file names here.
SEED_FILES = {
    "000": "kinh-mon_78-KH-UBND_2025.txt",
    "001": "cao-loc_KH-BCD_2024.md",
    "002": "le-chan_CTr-DU_2026.txt",
    "003": "cam-xuyen_KH-tong-ket-20-nam_2021.txt",
    "004": "son-la_KH-VPUB_2026.md",
}

EXPECTED_OUTLINES: dict[str, list[str]] = {
    "cam-xuyen_KH-tong-ket-20-nam_2021.txt": [
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích",
        "I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu",
        "II. NỘI DUNG",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào > 1.1",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào > 1.2",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào > 1.3",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào > 1.4",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào > 1.5",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào > 1.6",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào > 1.7",
        "II. NỘI DUNG > 1. Đánh giá công tác chỉ đạo triển khai thực hiện Phong trào > 1.8",
        "II. NỘI DUNG > 2. Đánh giá Kết quả 20 năm thực hiện phong trào “Toàn dân đoàn kết xây dựng đời sống văn hoá” theo 5 nội dung, 7 phong trào",
        "II. NỘI DUNG > 2. Đánh giá Kết quả 20 năm thực hiện phong trào “Toàn dân đoàn kết xây dựng đời sống văn hoá” theo 5 nội dung, 7 phong trào > 2.1. Kết quả thực hiện 5 nội dung của phong trào",
        "II. NỘI DUNG > 2. Đánh giá Kết quả 20 năm thực hiện phong trào “Toàn dân đoàn kết xây dựng đời sống văn hoá” theo 5 nội dung, 7 phong trào > 2.2. Kết quả thực hiện 7 phong trào",
        "II. NỘI DUNG > 2. Đánh giá Kết quả 20 năm thực hiện phong trào “Toàn dân đoàn kết xây dựng đời sống văn hoá” theo 5 nội dung, 7 phong trào > 2.3",
        "II. NỘI DUNG > 2. Đánh giá Kết quả 20 năm thực hiện phong trào “Toàn dân đoàn kết xây dựng đời sống văn hoá” theo 5 nội dung, 7 phong trào > 2.4",
        "II. NỘI DUNG > 3. Đánh giá những tồn tại, hạn chế",
        "II. NỘI DUNG > 3. Đánh giá những tồn tại, hạn chế > 3.1",
        "II. NỘI DUNG > 3. Đánh giá những tồn tại, hạn chế > 3.2",
        "II. NỘI DUNG > 3. Đánh giá những tồn tại, hạn chế > 3.3",
        "II. NỘI DUNG > 3. Đánh giá những tồn tại, hạn chế > 3.4",
        "II. NỘI DUNG > 4. Bài học kinh nghiệm",
        "II. NỘI DUNG > 4. Bài học kinh nghiệm > 4.1",
        "II. NỘI DUNG > 4. Bài học kinh nghiệm > 4.2",
        "II. NỘI DUNG > 4. Bài học kinh nghiệm > 4.3",
        "II. NỘI DUNG > 4. Bài học kinh nghiệm > 4.4",
        "II. NỘI DUNG > 4. Bài học kinh nghiệm > 4.5",
        "III. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO GIAI ĐOẠN 2021-2025",
        "III. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO GIAI ĐOẠN 2021-2025 > 1",
        "III. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO GIAI ĐOẠN 2021-2025 > 2",
        "III. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO GIAI ĐOẠN 2021-2025 > 3",
        "III. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO GIAI ĐOẠN 2021-2025 > 4",
        "III. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO GIAI ĐOẠN 2021-2025 > 5",
        "III. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO GIAI ĐOẠN 2021-2025 > 6",
        "III. ĐỊNH HƯỚNG, MỤC TIÊU THỰC HIỆN PHONG TRÀO GIAI ĐOẠN 2021-2025 > 7",
        "IV. THI ĐUA KHEN THƯỞNG",
        "V. THỜI GIAN TỔNG KẾT",
        "V. THỜI GIAN TỔNG KẾT > 1. Hội nghị Tổng kết cấp xã",
        "V. THỜI GIAN TỔNG KẾT > 2. Hội nghị Tổng kết cấp huyện",
        "VI. KINH PHÍ",
        "VII. TỔ CHỨC THỰC HIỆN",
        "VII. TỔ CHỨC THỰC HIỆN > 1. Phòng Văn hóa -Thông tin",
        "VII. TỔ CHỨC THỰC HIỆN > 2. Đề nghị Ủy ban Mặt trận tổ quốc huyện",
        "VII. TỔ CHỨC THỰC HIỆN > 3. Trung tâm Văn hóa - Truyền Thông",
        "VII. TỔ CHỨC THỰC HIỆN > 4. Các ban, ngành thành viên Ban chỉ đạo",
        "VII. TỔ CHỨC THỰC HIỆN > 5. Ban Chỉ đạo phong trào các xã, thị trấn",
        "Nơi nhận",
        "Phần ký",
    ],
    "cao-loc_KH-BCD_2024.md": [
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích",
        "I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu",
        "II. CÁC CHỈ TIÊU PHẤN ĐẤU TRONG NĂM 2024",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM > 1",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM > 2",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM > 3",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM > 4",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM > 5",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM > 6",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM > 7",
        "III. CÁC NHIỆM VỤ TRỌNG TÂM > 8",
        "IV. KINH PHÍ THỰC HIỆN",
        "IV. KINH PHÍ THỰC HIỆN > 1",
        "IV. KINH PHÍ THỰC HIỆN > 2",
        "V. TỔ CHỨC THỰC HIỆN",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.1. Trưởng Ban chỉ đạo",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.2. Công chức Văn hóa xã hội",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thị trấn",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.4. Chủ tịch Hội Cựu chiến binh",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.5. Chủ tịch Hội Nông dân",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.6. Chủ tịch Hội Liên hiệp Phụ nữ",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.7. Bí thư Đoàn thanh niên",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.8. Trưởng Công an",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.9. Công chức Tài chính - Kế toán",
        "V. TỔ CHỨC THỰC HIỆN > 1. Phân công các thành viên Ban chỉ đạo > 1.10. Khối trưởng các khối phố trên địa bàn",
        "V. TỔ CHỨC THỰC HIỆN > 2. Phân công các thành viên khác",
        "Nơi nhận",
        "Phần ký",
    ],
    "kinh-mon_78-KH-UBND_2025.txt": [
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích",
        "I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu",
        "II. MỤC TIÊU",
        "II. MỤC TIÊU > 1. Mục tiêu chung",
        "II. MỤC TIÊU > 2. Mục tiêu cụ thể đến năm 2026",
        "III. NỘI DUNG",
        "III. NỘI DUNG > 1. Xây dựng môi trường văn hóa lành mạnh",
        "III. NỘI DUNG > 2. Tiếp tục đẩy mạnh phong trào xây dựng gia đình văn hóa; Tổ dân phố văn hóa.",
        "III. NỘI DUNG > 3. Thực hiện Cuộc vận động “Toàn dân đoàn kết xây dựng đô thị văn minh” trong giai đoạn mới",
        "III. NỘI DUNG > 4. Xây dựng cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa",
        "III. NỘI DUNG > 5. Lồng ghép thực hiện các cuộc vận động, phong trào hiện có gắn với thực hiện các nhiệm vụ, kinh tế, xã hội và chuyên môn nghiệp vụ",
        "IV. GIẢI PHÁP THỰC HIỆN",
        "IV. GIẢI PHÁP THỰC HIỆN > 1. Giải pháp về lãnh đạo, chỉ đạo",
        "IV. GIẢI PHÁP THỰC HIỆN > 1. Giải pháp về lãnh đạo, chỉ đạo > 1.1. Nâng cao hiệu lực, hiệu quả lãnh đạo, chỉ đạo, giám sát thực hiện",
        "IV. GIẢI PHÁP THỰC HIỆN > 1. Giải pháp về lãnh đạo, chỉ đạo > 1.2. Nâng cao hiệu quả hoạt động của các cơ quan, đơn vị thực hiện Phong trào",
        "IV. GIẢI PHÁP THỰC HIỆN > 2. Giải pháp về huy động nguồn lực",
        "IV. GIẢI PHÁP THỰC HIỆN > 3. Giải pháp về nghiệp vụ",
        "V. KINH PHÍ THỰC HIỆN",
        "VI. TỔ CHỨC THỰC HIỆN",
        "VI. TỔ CHỨC THỰC HIỆN > 1. Phòng Văn hoá - Xã hội",
        "VI. TỔ CHỨC THỰC HIỆN > 2. Phòng Kinh tế, Hạ tầng và Đô thị",
        "VI. TỔ CHỨC THỰC HIỆN > 3. Trung tâm Văn hoá, Thể thao và Truyền thông",
        "VI. TỔ CHỨC THỰC HIỆN > 4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam phường",
        "Nơi nhận",
        "Phần ký",
    ],
    "le-chan_CTr-DU_2026.txt": [
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích",
        "I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu",
        "II. MỤC TIÊU",
        "II. MỤC TIÊU > 1. Mục tiêu chung",
        "II. MỤC TIÊU > 2. Mục tiêu cụ thể",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU > 1. Nâng cao nhận thức, đẩy mạnh tuyên truyền về phát triển văn hóa",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU > 2. Xây dựng môi trường văn hóa và đời sống văn hóa cơ sở",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU > 3. Bảo tồn và phát huy giá trị văn hóa truyền thống",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU > 4. Xây dựng con người và phát triển nguồn nhân lực văn hóa",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU > 5. Đẩy mạnh chuyển đổi số và nâng cao hiệu quả quản lý văn hóa",
        "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU > 6. Xây dựng Đảng và hệ thống chính trị gắn với phát triển văn hóa",
        "IV. TỔ CHỨC THỰC HIỆN",
        "IV. TỔ CHỨC THỰC HIỆN > 1. Ban Thường vụ Đảng uỷ phường",
        "IV. TỔ CHỨC THỰC HIỆN > 2. Ủy ban nhân dân phường",
        "IV. TỔ CHỨC THỰC HIỆN > 3. Ủy ban Mặt trận Tổ quốc và các tổ chức chính trị - xã hội phường",
        "IV. TỔ CHỨC THỰC HIỆN > 4. Phòng Văn hóa - Xã hội",
        "IV. TỔ CHỨC THỰC HIỆN > 5. Trung tâm Dịch vụ sự nghiệp công",
        "IV. TỔ CHỨC THỰC HIỆN > 6. Các đảng bộ, chi bộ cơ sở, chi bộ trực thuộc Đảng ủy phường",
        "IV. TỔ CHỨC THỰC HIỆN > 7. Văn phòng Đảng ủy",
        "V. CHẾ ĐỘ KIỂM TRA, ĐÁNH GIÁ",
        "Phần ký",
        "Nơi nhận",
        "PHỤ LỤC",
    ],
    "son-la_KH-VPUB_2026.md": [
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "I. MỤC ĐÍCH, YÊU CẦU > 1. Mục đích",
        "I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu",
        "II. NỘI DUNG, THỜI GIAN THỰC HIỆN",
        "II. NỘI DUNG, THỜI GIAN THỰC HIỆN > 1. Phổ biến, quán triệt các văn bản pháp luật và văn bản chỉ đạo của cấp trên về phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”",
        "II. NỘI DUNG, THỜI GIAN THỰC HIỆN > 2. Đăng ký danh hiệu “Cơ quan đạt chuẩn văn hóa” và thực hiện các tiêu chí về cơ quan đạt chuẩn văn hóa theo quy định",
        "II. NỘI DUNG, THỜI GIAN THỰC HIỆN > 3. Tổng hợp báo cáo kết quả thực hiện Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” và đăng ký danh hiệu văn hóa năm 2026",
        "III. TỔ CHỨC THỰC HIỆN",
        "III. TỔ CHỨC THỰC HIỆN > 1. Các phòng, ban, đơn vị",
        "III. TỔ CHỨC THỰC HIỆN > 2. Trung tâm thông tin",
        "III. TỔ CHỨC THỰC HIỆN > 3. Phòng Tổ chức - Hành chính - Quản trị",
        "Nơi nhận",
        "Phần ký",
    ],
}

# (number, date, place, locality, signer, implements, recipients)
EXPECTED_META = {
    "kinh-mon_78-KH-UBND_2025.txt": (
        "78/KH-UBND",
        "29/09/2025",
        "Kinh Môn",
        "phường Kinh Môn",
        "Hoàng Công Tình",
        1,
        6,
    ),
    "cao-loc_KH-BCD_2024.md": (
        "/KH-BCĐ",
        "tháng 3 năm 2024",
        "TT Cao Lộc",
        "thị trấn Cao Lộc",
        "Lê Thanh Hải",
        1,
        7,
    ),
    "le-chan_CTr-DU_2026.txt": ("10-CTr/ĐU", "08/4/2026", None, "phường Lê Chân", "Đặng Đông Anh", 1, 8),
    "cam-xuyen_KH-tong-ket-20-nam_2021.txt": (None, None, None, "huyện Cẩm Xuyên", "Phạm Văn Thắng", 1, 5),
    "son-la_KH-VPUB_2026.md": (
        "/KH-VPUB",
        "tháng 02 năm 2026",
        "Sơn La",
        "Văn phòng UBND tỉnh Sơn La",
        "Trần Bình Minh",
        1,
        5,
    ),
}


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParsedDocument]:
    return {name: parse_file(DOCUMENTS / name) for name in EXPECTED_OUTLINES}


@pytest.mark.parametrize("name", sorted(EXPECTED_OUTLINES))
def test_outline(parsed: dict[str, ParsedDocument], name: str) -> None:
    assert [" > ".join(s.path) for s in parsed[name].sections] == EXPECTED_OUTLINES[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_META))
def test_metadata(parsed: dict[str, ParsedDocument], name: str) -> None:
    meta = parsed[name].meta
    number, date, place, locality, signer, implements, recipients = EXPECTED_META[name]
    assert (meta.number, meta.date, meta.place, meta.locality, meta.signer) == (
        number,
        date,
        place,
        locality,
        signer,
    )
    assert len(meta.implements) == implements
    assert len(meta.recipients) == recipients
    assert meta.title.startswith(meta.doc_type)
    assert len(meta.content_hash) == 64


def test_metadata_details(parsed: dict[str, ParsedDocument]) -> None:
    kinh_mon = parsed["kinh-mon_78-KH-UBND_2025.txt"].meta
    assert kinh_mon.issuer == "Uỷ ban nhân dân phường Kinh Môn"
    assert kinh_mon.title == (
        "Kế hoạch Triển khai thực hiện phong trào “Toàn dân đoàn kết xây dựng đời sống văn hoá” phường Kinh Môn"
    )
    assert kinh_mon.implements[0].startswith("Kế hoạch số 41/KH-UBND ngày 13 tháng 02 năm 2023 của Uỷ ban")
    assert kinh_mon.signer_title == "TM. UỶ BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    le_chan = parsed["le-chan_CTr-DU_2026.txt"].meta
    assert le_chan.doc_type == "Chương trình hành động"
    assert le_chan.issuer == "Ban Thường vụ Đảng ủy phường Lê Chân"
    assert le_chan.implements == (
        "Chương trình hành động số 18-CTr/TU ngày 12/3/2026 của Thành ủy Hải Phòng về thực hiện "
        "Nghị quyết 80-NQ/TW của Bộ Chính trị về phát triển văn hóa Việt Nam",
    )
    son_la = parsed["son-la_KH-VPUB_2026.md"].meta
    assert son_la.implements[0].startswith("Quyết định số 530/QĐ-UBND ngày 14/02/2026")
    assert son_la.recipients[0] == "Sở Văn hóa, TT&DL (b/c);"
    cam_xuyen = parsed["cam-xuyen_KH-tong-ket-20-nam_2021.txt"].meta
    assert cam_xuyen.issuer == "Ủy ban nhân dân huyện Cẩm Xuyên"


def test_le_chan_appendix_rows(parsed: dict[str, ParsedDocument]) -> None:
    # The appendix lists six groups of three tasks: 18 data rows (headers and group rows excluded).
    (table,) = [s for s in parsed["le-chan_CTr-DU_2026.txt"].sections if s.kind == KIND_TABLE]
    assert table.path == ("PHỤ LỤC",)
    assert len(table.rows) == 18
    leads = [row.get(COL_LEAD) for row in table.rows]
    assert leads[:3] == ["Đảng ủy phường", "UBND phường", "Các chi bộ"]
    assert leads[8] == "Trung tâm Dịch vụ sự nghiệp công"
    assert leads[11] == "Công an phường"
    assert table.rows[11].group == "4. Nhóm nhiệm vụ: Xây dựng con người và môi trường văn hóa"
    assert (
        table.rows[11].line
        == "3\tPhòng, chống tệ nạn xã hội\tCông an phường\tThường xuyên\tThường xuyên\tBáo cáo, số liệu"
    )


@pytest.mark.parametrize("name", sorted(EXPECTED_OUTLINES))
def test_special_sections(parsed: dict[str, ParsedDocument], name: str) -> None:
    kinds = [s.kind for s in parsed[name].sections]
    assert kinds[0] == KIND_PREAMBLE
    assert kinds.count(KIND_RECIPIENTS) == 1
    assert kinds.count(KIND_SIGNATURE) == 1


@pytest.mark.parametrize("name", sorted(EXPECTED_OUTLINES))
def test_chunk_lines_are_document_lines(parsed: dict[str, ParsedDocument], name: str) -> None:
    path = DOCUMENTS / name
    cleaned = "\n".join(line.text for line in clean_lines(read_lines(path, path.read_bytes())))
    for chunk in chunk_document(parsed[name]):
        if chunk.kind != KIND_SIGNATURE:  # the signature block may be split by the recipients list
            assert chunk.text in cleaned
        for line in chunk.text.split("\n"):
            assert line in cleaned


def _evidence() -> list[tuple[str, list[str]]]:
    """(evidence string, seed file names it may come from) for every question with a document."""
    if not DEV_SET.exists():
        pytest.skip("../shared/eval/dev.jsonl is not available")
    pairs: list[tuple[str, list[str]]] = []
    for raw in DEV_SET.read_text(encoding="utf-8").splitlines():
        record = json.loads(raw) if raw.strip() else {}
        docs = record.get("doc")
        if not docs:
            continue
        names = [SEED_FILES[d[:3]] for d in (docs if isinstance(docs, list) else [docs])]
        evidence = record.get("evidence") or []
        pairs += [(text, names) for text in (evidence if isinstance(evidence, list) else [evidence])]
    return pairs


def test_dev_evidence_is_verbatim_in_some_chunk(parsed: dict[str, ParsedDocument]) -> None:
    chunks = {name: [match_form(c.text) for c in chunk_document(doc)] for name, doc in parsed.items()}
    missing = []
    for text, names in _evidence():
        # Evidence copied from the raw Markdown may keep emphasis markers the display form drops.
        wanted = match_form(text.replace("*", ""))
        if not any(wanted in chunk for name in names for chunk in chunks[name]):
            missing.append((names, text))
    assert not missing
