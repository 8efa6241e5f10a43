"""Turn a look at this machine into clear Chinese advice: fonts and libraries the program needs.

PDFs need a CJK font (Debian `fonts-noto-cjk`); without HarfBuzz subsetting
(`libharfbuzz-subset0`) WeasyPrint falls back to fontTools and is about six
times slower. Missing fonts stop a PDF build; missing HarfBuzz only warns.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
from dataclasses import dataclass

REQUIRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


@dataclass(frozen=True)
class EnvironmentReport:
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def installed_families() -> set[str]:
    if shutil.which("fc-list") is None:
        return set()
    output = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in output.splitlines() for name in line.split(",")}


def has_harfbuzz_subset() -> bool:
    for name in ("libharfbuzz-subset.so.0", ctypes.util.find_library("harfbuzz-subset")):
        if not name:
            continue
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def check_environment(for_pdf: bool) -> EnvironmentReport:
    """What is missing on this machine for a build with or without PDFs."""
    errors: list[str] = []
    warnings: list[str] = []
    missing = [family for family in REQUIRED_FAMILIES if family not in installed_families()]
    if missing:
        message = (f"未找到中文字体 {'、'.join(missing)}；生成的 PDF 会缺字或无法显示中文。"
                   "请安装字体包：apt-get install fonts-noto-cjk")
        (errors if for_pdf else warnings).append(message)
    if for_pdf and not has_harfbuzz_subset():
        warnings.append("未安装 HarfBuzz 字体子集化库，生成 PDF 将慢约 6 倍。"
                        "请安装：apt-get install libharfbuzz-subset0")
    return EnvironmentReport(tuple(errors), tuple(warnings))
