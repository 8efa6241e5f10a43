"""Decide which folder each output goes to and who may read it; write the index page of the internal print sets.

`OUTPUTS` is the one place that says which folder is for whom:

- `site/` (public): the website, its search index, the public data exports and
  the 公示 notice PDFs; this is what may be copied to a web server;
- `print/` (internal): every branch's 《党支部工作手册》 and 五盒 PDFs, which
  carry rosters and applicants' names, and the organization department's
  results PDFs `print/考核结果/<scheme>-<period>.pdf` (members' points, the
  secretaries' pay-back), with a plain index page `print/index.html`; for the
  organization department, never for a web server.

The pipeline builds each output with the views of its audience and nothing on
the public site links into `print/`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict
from urllib.parse import quote

import jinja2

from generator.models import Project
from generator.models.common import Audience
from generator.periods import chinese_date
from generator.pdf.print_sets import BOXES_FILE, HANDBOOK_FILE


@dataclass(frozen=True)
class Output:
    folder: str            # in the project folder
    audience: Audience


SITE = Output("site", "public")
PRINT = Output("print", "internal")
OUTPUTS = (SITE, PRINT)

NOTICE_PDFS = "pdf/notices"     # inside SITE: the 公示 PDFs are public
PRINT_INDEX = "index.html"      # inside PRINT

_INDEX = jinja2.Environment(autoescape=True, keep_trailing_newline=True, trim_blocks=True,
                            lstrip_blocks=True).from_string("""\
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<title>{{ organization }}一册五盒打印文件（内部资料）</title>
<style>
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 60em; margin: 2em auto;
       padding: 0 1em; line-height: 1.7; color: #222; }
.warning { border: 2px solid #b3261e; background: #fdecea; padding: 0.8em 1.2em; }
table { border-collapse: collapse; margin-top: 1em; }
th, td { border: 1px solid #999; padding: 0.3em 0.8em; text-align: left; }
th { background: #f2f2f2; }
</style>
</head>
<body>
<h1>{{ organization }}一册五盒打印文件</h1>
<p class="warning"><strong>内部资料，含党员个人信息。</strong>这些 PDF 载有党员花名册、发展党员情况等个人信息，\
只供党支部和上级党组织打印存档使用。请勿把 print 文件夹放到网站或任何网络服务器上，不得转发或在互联网上传播。\
对外发布的网站只有 site 文件夹。</p>
<p>{{ year }} 年度，共 {{ branches | length }} 个党支部，生成日期：{{ generated_on }}。每个支部两份 PDF：\
《党支部工作手册》（A4，双面打印，左侧装订）和资料盒标签、卷内目录和交接清单（标签按实际尺寸排版，\
打印时请选择「实际大小」，不要缩放）。</p>
<table>
<thead><tr><th>党支部</th><th>单位类别</th><th>党支部工作手册</th><th>资料盒标签和目录</th></tr></thead>
<tbody>
{% for b in branches %}
<tr><td>{{ b.name }}</td><td>{{ b.type }}</td>\
<td><a href="{{ b.handbook }}">{{ handbook_file }}</a></td><td><a href="{{ b.boxes }}">{{ boxes_file }}</a></td></tr>
{% endfor %}
</tbody>
</table>
{% if results %}
<h2>考核结果（组织部门内部存档）</h2>
<p>每个考核方案每个考核期一份 PDF（A4）：各支部的总分、名次、台阶、系数和处理提示，台阶考核另附书记考核收入返还表，\
党员积分附每名党员的积分、档次和优先名单。只供组织部门内部掌握，不下发、不公开。</p>
<table>
<thead><tr><th>考核方案</th><th>考核期</th><th>PDF</th></tr></thead>
<tbody>
{% for r in results %}
<tr><td>{{ r.scheme }}</td><td>{{ r.label }}</td><td><a href="{{ r.href }}">{{ r.file }}</a></td></tr>
{% endfor %}
</tbody>
</table>
{% endif %}
</body>
</html>
""")


class PrintedResults(TypedDict):
    """A results PDF as the print index lists it."""

    scheme: str     # the scheme's name
    label: str      # the period's
    path: str       # relative to print/


def write_print_index(project: Project, branch_ids: list[str], generated_on: dt.date, print_dir: Path,
                      results: Sequence[PrintedResults] = ()) -> Path:
    """Write print/index.html listing each printed branch with links to its two PDFs, then the results PDFs.

    `results` has one entry per results PDF: scheme (name), label (period) and path (relative to print/).
    """
    by_id = {branch.id: branch for branch in project.branches}
    branches = [{"name": by_id[branch_id].short_name, "type": by_id[branch_id].type,
                 "handbook": f"{quote(branch_id)}/{quote(HANDBOOK_FILE)}",
                 "boxes": f"{quote(branch_id)}/{quote(BOXES_FILE)}"}
                for branch_id in sorted(branch_ids)]
    html = _INDEX.render(organization=project.organization.short_name, year=project.organization.year,
                         generated_on=chinese_date(generated_on), branches=branches,
                         handbook_file=HANDBOOK_FILE, boxes_file=BOXES_FILE,
                         results=[{**entry, "file": Path(entry["path"]).name,
                                   "href": "/".join(quote(part) for part in Path(entry["path"]).parts)}
                                  for entry in results])
    target = print_dir / PRINT_INDEX
    target.write_text(html, encoding="utf-8")
    return target
