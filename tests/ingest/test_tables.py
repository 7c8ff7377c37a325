"""TAB-separated appendix tables."""

from __future__ import annotations

from bot.ingest.tables import canonical_column, parse_table
from bot.models import COL_COORDINATING, COL_LEAD, COL_NUMBER, COL_OUTPUT, COL_TASK, COL_TIME

HEADER = "TT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian thực hiện\tKết quả/sản phẩm"
ROWS = [
    HEADER,
    "I. Nhóm nhiệm vụ: Tuyên truyền\t\t\t\t\t",
    "1\tTổ chức hội nghị\tĐảng ủy phường\tUBND, MTTQ\tQuý II/2026\tHội nghị",
    "2\tTuyên truyền\tUBND phường\tTrung tâm\tThường xuyên\tTin, bài",
    HEADER,
    "2. Nhóm nhiệm vụ: Chuyển đổi số\t\t\t\t\t",
    "1\tSố hóa dữ liệu\tPhòng Văn hóa - Xã hội\tVăn phòng\t2026-2028\tCơ sở dữ liệu",
]


def test_header_variants_map_to_canonical_columns() -> None:
    assert canonical_column("STT") == COL_NUMBER
    assert canonical_column("Nội dung công việc") == COL_TASK
    assert canonical_column("Cơ quan chủ trì") == COL_LEAD
    assert canonical_column("Cơ quan phối hợp") == COL_COORDINATING
    assert canonical_column("Thời hạn hoàn thành") == COL_TIME
    assert canonical_column("Kết quả / sản phẩm") == COL_OUTPUT
    assert canonical_column("Ghi chú") is None


def test_rows_groups_and_repeated_headers() -> None:
    rows = parse_table(ROWS)
    assert len(rows) == 3
    assert [r.group for r in rows] == [
        "I. Nhóm nhiệm vụ: Tuyên truyền",
        "I. Nhóm nhiệm vụ: Tuyên truyền",
        "2. Nhóm nhiệm vụ: Chuyển đổi số",
    ]
    first = rows[0]
    assert first.get(COL_NUMBER) == "1"
    assert first.get(COL_LEAD) == "Đảng ủy phường"
    assert first.get(COL_COORDINATING) == "UBND, MTTQ"
    assert first.get(COL_TIME) == "Quý II/2026"
    assert first.line == ROWS[2]


def test_table_without_header_uses_default_order() -> None:
    (row,) = parse_table(["3\tViệc A\tĐơn vị B\tĐơn vị C\tHàng năm\tBáo cáo"])
    assert (row.get(COL_TASK), row.get(COL_LEAD), row.get(COL_OUTPUT)) == ("Việc A", "Đơn vị B", "Báo cáo")
