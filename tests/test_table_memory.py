"""Reading a large roster or score table takes memory in proportion to the file, with a small factor.

Measured with tracemalloc (what Python allocates, deterministic), not with time or the process's size.
"""

from __future__ import annotations

import tracemalloc

import openpyxl

from generator.load.tables import read_table

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "安邦宁远明辉晓雯国栋海燕春生秋实志刚建华玉兰桂英思源嘉禾子墨若溪泽宇欣怡文博俊杰"


def _name(index: int) -> str:
    return f"{SURNAMES[index % 31]}{GIVEN[index // 31 % 40]}{GIVEN[index // 1240 % 40]}{index % 7}"


def _peak_while(read) -> tuple[object, int, int]:
    """What `read()` returns, the peak of traced memory while it ran, and what it left allocated."""
    tracemalloc.start()
    try:
        result = read()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak, current


def test_a_large_csv_score_table_is_read_in_memory_proportional_to_its_size(tmp_path):
    # Narrow rows of short values are the hardest case: one Python object per cell weighs most against the
    # few bytes the cell takes in the file.
    path = tmp_path / "points.csv"
    lines = ["支部编号,姓名,D1"] + [f"b{i // 30:04d},{_name(i)},{i % 21 / 2}" for i in range(20_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    size = path.stat().st_size

    (table, problems), peak, kept = _peak_while(lambda: read_table(path, "points.csv"))

    assert problems == [] and len(table.rows) == 20_000
    assert peak < 16 * size, f"reading took {peak / size:.1f} times the file's size"
    assert kept < 12 * size, f"the table keeps {kept / size:.1f} times the file's size"


def test_rows_and_cells_are_made_on_demand_and_not_kept(tmp_path):
    path = tmp_path / "roster.csv"
    lines = ["姓名,性别,党员类别"] + [f"{_name(i)},{'男女'[i % 2]},正式" for i in range(20_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table, problems = read_table(path, "roster.csv")

    def walk() -> int:
        return sum(1 for row in table.rows if row.value("姓名") and row.locate("党员类别").col == 3
                   and row.cells["性别"].value in "男女")

    count, peak, kept = _peak_while(walk)
    assert problems == [] and count == 20_000
    assert kept < 10_000 and peak < 100_000  # bytes: one row's objects at a time, nothing left behind


def test_a_large_xlsx_roster_is_read_without_a_cell_object_per_cell(tmp_path):
    path = tmp_path / "roster.xlsx"
    rows = [["姓名", "性别", "出生日期", "民族", "学历", "党员类别", "联系电话", "家庭住址"]] + [
        [_name(i), "男女"[i % 2], f"19{60 + i % 40}-0{1 + i % 9}-1{i % 10}", "汉族", "本科", "正式", f"138{i:08d}",
         f"人民路{i % 500}号"] for i in range(2_000)]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("名册")
    for row in rows:
        sheet.append(row)
    book.save(path)
    csv_size = sum(len(",".join(row).encode()) + 1 for row in rows)

    (table, problems), peak, _ = _peak_while(lambda: read_table(path, "roster.xlsx"))

    assert problems == [] and len(table.rows) == 2_000
    assert peak < 25 * csv_size, f"reading took {peak / csv_size:.1f} times the size of the same table as CSV"
