"""Two small plans whose units are written differently, indexed through the real build (fake embedder).

Plan "an-binh" writes "UBND phường" and "Phòng Văn hóa - Thông tin", plan "tan-hoa" writes "Ủy ban nhân
dân phường" and "Phòng VH-TT". Their deadlines take the written forms the deadlines page orders (two,
a quarter without its year, read as no date), and one task line begins with "=" (what a spreadsheet
would run as a formula).
"""

from __future__ import annotations

from pathlib import Path

from bot.indexing.build import build_index
from tests.fakes import FakeEmbedder

HEADER = """ỦY BAN NHÂN DÂN
PHƯỜNG {upper}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {number}        {place}, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Thực hiện Phong trào xây dựng đời sống văn hóa phường {place} năm 2026
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao đời sống văn hóa của nhân dân trên địa bàn.
"""
AN_BINH = """II. CHỈ TIÊU
1. Phấn đấu 95% hộ gia đình đạt danh hiệu Gia đình văn hóa.
2. Phấn đấu 80% tổ dân phố có nhà văn hóa đạt chuẩn.
III. TỔ CHỨC THỰC HIỆN
1. UBND phường
- Chủ trì chỉ đạo triển khai kế hoạch trên địa bàn phường.
- Tổ chức tổng kết phong trào trong Quý IV/2026.
- Tổ chức sơ kết phong trào trong Quý II.
2. Phòng Văn hóa - Thông tin
- Tham mưu UBND phường xây dựng kế hoạch tuyên truyền hằng năm.
- Phối hợp với Công an phường bảo đảm an ninh trật tự tại các lễ hội.
- =HYPERLINK("http://example.invalid") gửi báo cáo kết quả trước ngày 30/6/2026.
"""
TAN_HOA = """II. CHỈ TIÊU
1. Phấn đấu 90% hộ gia đình đạt danh hiệu Gia đình văn hóa.
III. TỔ CHỨC THỰC HIỆN
1. Ủy ban nhân dân phường
- Chủ trì kiểm tra việc thực hiện phong trào thường xuyên.
2. Phòng VH-TT
- Chủ trì tổ chức Liên hoan văn nghệ quần chúng trong tháng 7/2026.
- Phối hợp với Đoàn Thanh niên tổ chức các hoạt động thể thao.
- Tổ chức kiểm tra các khu dân cư trong Quý III.
"""
PLANS = {
    "an-binh.txt": HEADER.format(upper="AN BÌNH", place="An Bình", number="12/KH-UBND") + AN_BINH,
    "tan-hoa.txt": HEADER.format(upper="TÂN HÒA", place="Tân Hòa", number="30/KH-UBND") + TAN_HOA,
}


def build_who_index(root: Path, embedder: FakeEmbedder) -> Path:
    """The two plans written under ``root/documents`` and indexed into ``root/index``; the index."""
    documents, index = root / "documents", root / "index"
    documents.mkdir(parents=True, exist_ok=True)
    for name, text in PLANS.items():
        (documents / name).write_text(text, encoding="utf-8")
    build_index(documents, index, embedder)
    return index
