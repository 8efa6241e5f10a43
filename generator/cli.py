"""Turn command-line words into pipeline calls, and pipeline failures into Chinese messages and exit codes.

Exit codes: 0 success; 1 problems in the user's files or environment; 2 wrong
command-line usage (click's own). A traceback means a bug of ours.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from generator import pipeline
from generator.errors import ProblemsFound, UserError

CONTEXT = {"help_option_names": ["-h", "--help"]}
SAMPLE_PARTS = ("content", "branches", "scores", "theme", "mkdocs.yml")

project_option = click.option(
    "--project", "-p", "project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="组织文件夹 (含 content/、branches/、scores/ 和 mkdocs.yml)。")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _run(action):
    try:
        return action()
    except ProblemsFound as found:
        _fail(found.report())
    except UserError as error:
        _fail(f"错误: {error}")


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="branchbook", message="branchbook %(version)s")
def main() -> None:
    """党支部标准化手册: 把组织的数据文件生成为可检索的手册网站和各支部的《党支部工作手册》PDF。"""


@main.command()
@project_option
@click.option("--no-pdf", is_flag=True, help="只生成网站, 不生成 PDF (保留上次生成的 PDF)。")
@click.option("--workers", type=click.IntRange(1, 8), default=2, show_default=True, help="并行生成 PDF 的进程数。")
def build(project: Path, no_pdf: bool, workers: int) -> None:
    """校验全部数据并生成网站 (site/) 和各支部 PDF (site/pdf/)。"""
    result = _run(lambda: pipeline.build(project.resolve(), with_pdf=not no_pdf, workers=workers))
    for warning in result.warnings:
        click.echo(f"提示: {warning}", err=True)
    click.echo(f"已生成网站 {result.pages} 个页面、PDF {result.pdfs} 份: {result.site_dir / 'index.html'}")


@main.command()
@project_option
def check(project: Path) -> None:
    """只校验数据, 列出全部错误, 不写入任何文件。"""
    loaded = _run(lambda: pipeline.load_project(project.resolve()))
    members = sum(len(branch.members) for branch in loaded.branches)
    click.echo(f"校验通过: {len(loaded.branches)} 个党支部, {members} 名党员, "
               f"{len(loaded.chapters)} 个章节, {len(loaded.scores)} 张分数表。")


@main.command()
@project_option
@click.option("--port", type=int, default=8000, show_default=True, help="预览端口。")
def serve(project: Path, port: int) -> None:
    """本地预览网站; 修改 content/、branches/、scores/ 或 theme/ 后自动刷新。"""
    from generator.site import serve_site

    root = project.resolve()

    def rebuild():
        docs_dir = root / pipeline.STAGING / "serve-docs"
        shutil.rmtree(docs_dir, ignore_errors=True)
        nav = pipeline.render_docs(pipeline.load_project(root), docs_dir)
        return docs_dir, nav

    watch = [root / name for name in ("content", "branches", "scores", "theme")]
    _run(lambda: serve_site(root, rebuild, watch, port=port))


@main.command()
@project_option
@click.argument("scheme")
@click.argument("period")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="录入表保存位置 (默认为当前文件夹中的「方案编号-考核期.xlsx」)。")
def template(project: Path, scheme: str, period: str, output: Path | None) -> None:
    """生成方案 SCHEME 在考核期 PERIOD (如 2026Q3、2026) 的 Excel 分数录入表。"""
    from generator.template_sheet import build_template

    loaded = _run(lambda: pipeline.load_project(project.resolve()))
    name, content = _run(lambda: build_template(loaded, scheme, period, pipeline.build_date()))
    target = output or Path(name)
    if target.exists():
        _fail(f"错误: 文件 {target} 已存在; 请换一个位置 (--output) 或先移走它。")
    target.write_bytes(content)
    click.echo(f"已生成录入表 {target}。填写后放入 {project / 'scores' / scheme}/ (文件名可保持不变), "
               f"再运行 branchbook check。")


def sample_root() -> Path:
    """The sample organization: inside the installed package, or the source checkout."""
    packaged = Path(__file__).parent / "_sample"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
def init(directory: Path) -> None:
    """以示例组织为模板新建一个组织文件夹 DIRECTORY。"""
    if directory.exists() and any(directory.iterdir()):
        _fail(f"错误: 文件夹 {directory} 已存在且不为空; 请指定一个新的文件夹。")
    source = sample_root()
    directory.mkdir(parents=True, exist_ok=True)
    for part in SAMPLE_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, directory / part)
        else:
            shutil.copy2(source / part, directory / part)
    click.echo(f"已新建组织文件夹 {directory}。修改其中的 content/ 和 branches/ 后运行: "
               f"branchbook build --project {directory}")
