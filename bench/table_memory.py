"""Memory that reading one large roster or score table takes, per MB of the table as CSV.

    python bench/table_memory.py [CHECKOUT]

Writes FICTIONAL tables into a temporary folder: a roster of 38,000 members (13 columns, as
`bench/make_org.py` writes them; about 5.6 MB as CSV, just under the 500,000-cell limit of one table),
a points table of 160,000 rows (3 columns, 3.4 MB) and the roster again as an XLSX workbook. Each is
read by `generator.load.tables.read_table` of CHECKOUT (default: this repository) in a fresh process.
Printed per table: the peak of memory Python allocated while reading (tracemalloc), what the table
keeps afterwards, and (in a second process, without tracemalloc) the growth of the process's peak RSS,
each in MB and in MB per MB of CSV.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "安邦宁远明辉晓雯国栋海燕春生秋实志刚建华玉兰桂英思源嘉禾子墨若溪泽宇欣怡文博俊杰"
ROSTER_HEADER = ["姓名", "性别", "出生日期", "民族", "学历", "入党日期", "转正日期", "党员类别", "所在党小组", "工作岗位",
                 "公民身份号码", "联系电话", "家庭住址"]
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

MEASURE = """
import re, sys, tracemalloc
from pathlib import Path
sys.path.insert(0, sys.argv[1])


def peak_rss():  # VmHWM: this process's peak RSS in kB (ru_maxrss would keep the parent's across exec)
    return int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))


from generator.load.tables import read_table
path, csv_mb, traced = Path(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "traced"
mb = 1024 * 1024
before = peak_rss()
if traced:
    tracemalloc.start()
table, problems = read_table(path, path.name)
rows = sum(1 for row in table.rows)
if traced:
    kept, peak = tracemalloc.get_traced_memory()
    print(f"{path.name}: {rows:,} rows, {len(problems)} problems; traced peak {peak / mb:.1f} MB "
          f"({peak / mb / csv_mb:.1f} per MB of CSV), kept {kept / mb:.1f} MB ({kept / mb / csv_mb:.1f})", end="")
else:
    rss = (peak_rss() - before) / 1024
    print(f"; peak RSS growth {rss:.0f} MB ({rss / csv_mb:.1f} per MB of CSV)")
"""


def _name(index: int) -> str:
    return f"{SURNAMES[index % 31]}{GIVEN[index // 31 % 40]}{GIVEN[index // 1240 % 40]}{index % 7}"


def _roster_rows(count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        born = f"19{60 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        body = f"{330100 + i // 10_000}{born.replace('-', '')}{i % 1000:03d}"
        number = body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]
        rows.append([_name(i), "男女"[i % 2], born, "汉族", "本科", f"20{10 + i % 15}-07-01", f"20{11 + i % 15}-07-01",
                     "正式", f"第{'一二三'[i % 3]}党小组", "社区专职工作者", number, f"138{i:08d}", f"人民路{i % 500}号"])
    return rows


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> float:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path.stat().st_size / (1024 * 1024)


def main() -> None:
    checkout = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]).resolve()
    with tempfile.TemporaryDirectory() as folder:
        roster = _roster_rows(38_000)
        roster_mb = _csv(Path(folder) / "roster.csv", ROSTER_HEADER, roster)
        points = [[f"b{i // 30:04d}", _name(i), f"{i % 21 / 2:g}"] for i in range(160_000)]
        points_mb = _csv(Path(folder) / "points.csv", ["支部编号", "姓名", "D1"], points)
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("名册")
        for row in [ROSTER_HEADER, *roster]:
            sheet.append(row)
        book.save(Path(folder) / "roster.xlsx")
        for name, csv_mb in (("roster.csv", roster_mb), ("points.csv", points_mb), ("roster.xlsx", roster_mb)):
            for mode in ("traced", "rss"):
                subprocess.run([sys.executable, "-c", MEASURE, str(checkout), str(Path(folder) / name), str(csv_mb), mode],
                               check=True)


if __name__ == "__main__":
    main()
