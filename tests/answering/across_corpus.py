"""A small corpus of plain-text plans for the cross-document answerers, built with the fake embedder.

Each plan is written like the real ones (header block, "Căn cứ" line citing a decree with its
date, a targets section); places, numbers, dates and figures differ per plan, and one plan writes
the decree's date differently, so agreement can be checked.
"""

from __future__ import annotations

from pathlib import Path

from bot.answering.engine import AnswerService
from bot.indexing.build import build_index
from bot.retrieval.hybrid import Retriever
from bot.snapshot.store import load_snapshot
from tests.fakes import FakeEmbedder

# (file, unit, place, number, date line, decree date written, family target, office target)
PLANS = (
    ("an-binh.txt", "PHƯỜNG", "An Bình", "12/KH-UBND", "ngày 05 tháng 3 năm 2024", "07/12/2023", "95%", "80%"),
    ("tan-hoa.txt", "XÃ", "Tân Hòa", "30/KH-UBND", "ngày 20 tháng 6 năm 2025", "07/12/2023", "90%", "70%"),
    ("phu-my.txt", "XÃ", "Phú Mỹ", "7/KH-UBND", "ngày 02 tháng 01 năm 2023", "17/12/2023", "85%", "60%"),
)
TEMPLATE = """ỦY BAN NHÂN DÂN
{unit} {upper}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {number}        {place}, {date}
KẾ HOẠCH
Thực hiện Phong trào xây dựng đời sống văn hóa {unit_lower} {place}
Căn cứ Nghị định số 86/2023/NĐ-CP ngày {decree} của Chính phủ quy định về danh hiệu Gia đình văn hóa;
Ủy ban nhân dân {unit_lower} {place} ban hành kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao đời sống văn hóa của nhân dân trên địa bàn.
II. CHỈ TIÊU
1. Phấn đấu {family} hộ gia đình đạt danh hiệu Gia đình văn hóa.
2. Phấn đấu {office} cơ quan, đơn vị đạt chuẩn văn hóa.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội
- Chủ trì tham mưu triển khai kế hoạch; tổng hợp báo cáo kết quả bình xét gia đình văn hóa.
"""


def write_plans(folder: Path, plans: tuple[tuple[str, ...], ...] = PLANS) -> Path:
    """The plans as .txt files in ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, unit, place, number, date, decree, family, office in plans:
        text = TEMPLATE.format(
            unit=unit,
            upper=place.upper(),
            unit_lower=unit.lower(),
            place=place,
            number=number,
            date=date,
            decree=decree,
            family=family,
            office=office,
        )
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build_service(tmp: Path, plans: tuple[tuple[str, ...], ...] = PLANS) -> AnswerService:
    """An answer service over ``plans``, indexed with the fake embedder under ``tmp``."""
    documents, index = write_plans(tmp / "documents", plans), tmp / "index"
    embedder = FakeEmbedder()
    build_index(documents, index, embedder)
    return AnswerService(Retriever(load_snapshot(index), embedder))


def many_plans(count: int) -> tuple[tuple[str, ...], ...]:
    """``count`` plans of distinct places ("Xã 1"...), all alike but for their place and number."""
    names = ["Bình", "Hòa", "Phú", "Tân", "Thịnh", "Hưng", "Long", "Lộc", "Phước", "Thành", "Đông", "Tây"]
    return tuple(
        (
            f"p{i:02d}.txt",
            "XÃ",
            f"{names[i % len(names)]} {names[(i // len(names) + 3) % len(names)]}",
            f"{i + 1}/KH-UBND",
            f"ngày 0{1 + i % 9} tháng 3 năm 2024",
            "07/12/2023",
            "95%",
            "80%",
        )
        for i in range(count)
    )
