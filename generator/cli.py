"""Turn command-line words into pipeline calls, and pipeline failures into Chinese messages and exit codes.

Exit codes: 0 success; 1 problems in the user's files or environment (or
another build holding the project folder); 2 wrong command-line usage;
130 interrupted with Ctrl+C. A traceback means a bug of ours.

Everything click itself prints is Chinese: the help layout comes from the
`Chinese*` classes below, and `usage_message` is the one place that turns
click's usage errors into Chinese sentences. Parameter types that can reject a
value (`IntRange`, `Path`) are subclassed so that the reason names the value.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from generator.errors import ProblemsFound, UserError
from generator.models.organization import KNOWN_KINDS, kind_from_short_name, scheduler_address_problem

CONTEXT = {"help_option_names": ["-h", "--help"]}
INTERRUPTED_BUILD = "已中断，上次生成的网站保持不变。"
INTERRUPTED = "已中断。"
EXIT_INTERRUPTED = 130


def _pipeline():
    """The pipeline, imported when a command needs it (it loads WeasyPrint and MkDocs, which takes a while)."""
    from generator import pipeline

    return pipeline


# ---- Chinese click ----------------------------------------------------------

_SECTIONS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数", "Arguments": "参数"}


class ChineseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_SECTIONS.get(heading, heading)}：\n")


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


class ChineseIntRange(click.IntRange):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"「{value}」不是 {self.min} 到 {self.max} 之间的整数。", param, ctx)

    def _describe_range(self) -> str:
        return f"范围：{self.min}–{self.max}"


class ChinesePath(click.Path):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            path = Path(value)
            if path.is_dir() and not self.dir_okay:
                reason = f"「{value}」是一个文件夹，这里应为文件。"
            elif path.exists() and not self.file_okay:
                reason = f"「{value}」是一个文件，这里应为文件夹。"
            elif not path.exists():
                reason = f"「{value}」不存在。"
            else:
                reason = f"无法使用「{value}」。"
            self.fail(reason, param, ctx)


class ChineseOption(click.Option):
    def get_help_record(self, ctx: click.Context):
        if self.hidden:
            return None
        extra = self.get_help_extra(ctx)
        items = []
        if isinstance(self.show_default, str):
            items.append(f"默认：{self.show_default}")
        elif "default" in extra:
            items.append(f"默认：{extra['default']}")
        if "range" in extra:
            items.append(extra["range"])
        if "required" in extra:
            items.append("必填")
        help_text = self.help or ""
        if items:
            help_text = f"{help_text}  [{'；'.join(items)}]" if help_text else f"[{'；'.join(items)}]"
        return self.get_help_spec(ctx), help_text


class _ChineseHelp(click.Command):
    """Chinese help layout for a command or group: formatter, options placeholder, the help option's text."""

    context_class: type[click.Context] = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本说明并退出。"
        return option


class ChineseCommand(_ChineseHelp, click.Command):
    pass


def _hint(param: click.Parameter | None, ctx: click.Context | None) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return " / ".join(param.opts)


_GENERIC_USAGE = (
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$"), "多余的参数：{0}。"),
    (re.compile(r"^Missing command\.?$"), "缺少命令。"),
    (re.compile(r"^No such command '?(.*?)'?\.$"), "没有「{0}」这个命令。"),
)


def usage_message(error: click.UsageError) -> str:
    """The Chinese sentence for one of click's usage errors."""
    if isinstance(error, click.NoSuchOption):
        message = f"没有「{error.option_name}」这个选项。"
        if error.possibilities:
            message += f"是否指{'、'.join(f'「{name}」' for name in sorted(error.possibilities))}？"
        return message
    if isinstance(error, click.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else "parameter")
        what = {"argument": "参数", "option": "选项"}.get(kind, "参数")
        hint = _hint(error.param, error.ctx)
        return f"缺少{what} {hint}。" if hint else f"缺少{what}。"
    if isinstance(error, click.BadParameter):
        hint = error.param_hint if isinstance(error.param_hint, str) else _hint(error.param, error.ctx)
        reason = error.message if _has_chinese(error.message) else "格式不对。"
        return f"{hint} 的值无效：{reason}" if hint else f"值无效：{reason}"
    if isinstance(error, click.BadOptionUsage):
        if "does not take" in error.message:
            return f"选项 {error.option_name} 后面不能带值。"
        return f"选项 {error.option_name} 后面需要一个值。"
    for pattern, template in _GENERIC_USAGE:
        found = pattern.match(error.message)
        if found:
            return template.format(*found.groups())
    return error.message if _has_chinese(error.message) else f"命令行用法有误（{error.message}）。"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _show_usage_error(error: click.UsageError) -> None:
    ctx = error.ctx
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            click.echo(f"请运行「{ctx.command_path} --help」查看说明。", err=True)
        click.echo(err=True)
    click.echo(f"错误：{usage_message(error)}", err=True)


class ChineseGroup(_ChineseHelp, click.Group):
    command_class = ChineseCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from generator.validate.messages import did_you_mean

            close = did_you_mean(name, self.list_commands(ctx))
            raise click.UsageError(f"没有「{name}」这个命令。" + (f"是否指「{close}」？" if close else ""), ctx)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help())
            sys.exit(error.exit_code)
        except click.UsageError as error:
            _show_usage_error(error)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"错误：{error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except (click.Abort, KeyboardInterrupt, EOFError):
            click.echo(INTERRUPTED, err=True)
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(result if isinstance(result, int) else 0)


# ---- Commands ---------------------------------------------------------------

def chinese_option(*decls, **attrs):
    return click.option(*decls, cls=ChineseOption, **attrs)


PROJECT_HELP = "组织文件夹（含 content/、branches/、scores/ 和 mkdocs.yml）；也可写在命令名前面。"


def project_option(function):
    return chinese_option("--project", "-p", "project", type=ChinesePath(file_okay=False, path_type=Path),
                          default=None, show_default="当前文件夹", metavar="文件夹", help=PROJECT_HELP,
                          is_eager=True)(function)  # eager: read before --help, which lists its schemes


def _project(value: Path | None) -> Path:
    """The --project given after the command, else the one given before it, else the current folder."""
    if value is None:
        value = click.get_current_context().find_root().params.get("project")
    return (value or Path(".")).resolve()


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


@click.group(cls=ChineseGroup, context_settings=CONTEXT)
@project_option
@click.version_option(package_name="branchbook", message="branchbook %(version)s", help="显示版本号并退出。")
def main(project: Path | None) -> None:
    """党支部标准化手册：把组织的数据文件生成为可检索的手册网站和各支部的《党支部工作手册》PDF。"""
    _show_warnings_as_notes()


class _NoteHandler(logging.Handler):
    """Our stages' warnings (already Chinese) as 「提示：…」 lines on stderr, each once per command (the same theme
    warning comes from every branch's print set); information lines as they are."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno < logging.WARNING:
            click.echo(message, err=True)
        elif message not in self.shown:
            self.shown.add(message)
            click.echo(f"提示：{message}", err=True)


# The branchbook logger (generator.logs) and the package's module loggers.
_LOGGERS = ("branchbook", "generator")


def _show_warnings_as_notes(verbose: bool = False) -> None:
    """Print warnings as notes; with `verbose` also the information lines (each stage's time, what was reused)."""
    level = logging.INFO if verbose else logging.WARNING
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        handler = next((h for h in logger.handlers if isinstance(h, _NoteHandler)), None)
        if handler is None:
            handler = _NoteHandler()
            logger.addHandler(handler)
        handler.shown.clear()              # a new command (tests run several in one process)
        handler.setLevel(level)
        logger.setLevel(level)
        logger.propagate = False


@main.command()
@project_option
@chinese_option("--no-pdf", is_flag=True, help="只生成网站，不生成 PDF（保留上次生成的打印文件和公示 PDF）。")
@chinese_option("--workers", type=ChineseIntRange(1, 8), default=2, show_default=True, metavar="整数",
                help="并行生成 PDF 的进程数。")
@chinese_option("--force", is_flag=True,
                help="全部重新生成，不沿用上次生成的文件（平时只重新生成输入有改动的部分）。")
@chinese_option("--verbose", "-v", is_flag=True, help="显示各步骤所用的时间和沿用了哪些上次生成的文件。")
@chinese_option("--scheduler", metavar="地址", default=None, callback=lambda ctx, param, value: _scheduler(value),
                help="把各支部的打印文件交给 Dask 集群生成：调度器的地址，如 tcp://192.168.1.10:8786"
                     "（需先安装 branchbook[cluster]）；写 local 表示只用本机，"
                     "不用 content/organization.yml 中 build.scheduler 的设置。")
def build(project: Path | None, no_pdf: bool, workers: int, force: bool, verbose: bool,
          scheduler: str | None) -> None:
    """校验全部数据并生成网站（site/）和各支部的打印文件（print/）。"""
    root = _project(project)
    _show_warnings_as_notes(verbose)
    try:
        result = _run(lambda: _pipeline().build(root, with_pdf=not no_pdf, workers=workers, force=force,
                                                scheduler=scheduler))
    except KeyboardInterrupt:
        _interrupted(INTERRUPTED_BUILD)
    for warning in result.warnings:
        click.echo(f"提示: {warning}", err=True)
    reused = f"（其中 {result.reused_pdfs} 份没有改动，沿用上次生成的）" if result.reused_pdfs else ""
    click.echo(f"已生成网站 {result.pages} 个页面、PDF {result.pdfs} 份{reused}：{result.site_dir / 'index.html'}")
    if result.print_dir is not None:
        click.echo(f"各支部打印文件（内部资料，含个人信息，不要放到网站上）：{result.print_dir / 'index.html'}")
    else:
        click.echo("本次未生成 PDF（各支部打印文件和公示 PDF 保留上次生成的）；要生成它们，请运行「branchbook build」（不加 --no-pdf）。")


def _scheduler(value: str | None) -> str | None:
    if value is not None and (problem := scheduler_address_problem(value)):
        raise click.BadParameter(f"{problem}。")
    return value


def _interrupted(message: str) -> None:
    click.echo(file=sys.stderr)
    click.echo(message, err=True)
    sys.exit(EXIT_INTERRUPTED)


@main.command()
@project_option
def check(project: Path | None) -> None:
    """只校验数据，列出全部错误，不写入任何文件。"""
    from generator.loading import load_project   # not the pipeline: check needs none of the renderers

    loaded = _run(lambda: load_project(_project(project)))
    members = sum(len(branch.members) for branch in loaded.branches)
    click.echo(f"校验通过：{len(loaded.branches)} 个党支部，{members} 名党员，"
               f"{len(loaded.chapters)} 个章节，{len(loaded.scores)} 张分数表。")


@main.command()
@project_option
@chinese_option("--port", type=ChineseIntRange(1, 65535), default=8000, show_default=True, metavar="端口号",
                help="预览端口。")
def serve(project: Path | None, port: int) -> None:
    """本地预览网站；修改 content/、branches/、scores/ 或 theme/ 后自动刷新。"""
    from generator.publish import project_lock
    from generator.site import serve_site

    pipeline = _pipeline()
    root = _project(project)
    docs_dir = Path(tempfile.mkdtemp(prefix="branchbook-preview-docs-"))

    def rebuild():
        # Under the project lock: the preview does not read the project while a build is writing into it.
        with project_lock(root):
            project_data = pipeline.load_project(root)
        shutil.rmtree(docs_dir, ignore_errors=True)
        nav = pipeline.render_docs(project_data, docs_dir, notice_pdfs=frozenset())   # the preview prints no PDFs
        return docs_dir, nav, project_data.organization.site_title

    watch = [root / name for name in ("content", "branches", "scores", "theme")]
    try:
        _run(lambda: serve_site(root, rebuild, watch, port=port))
    finally:
        shutil.rmtree(docs_dir, ignore_errors=True)


def _scheme_ids(root: Path) -> list[tuple[str, str]]:
    """(id, name) of each scheme file of the organization at `root`, read leniently for help text only."""
    import yaml

    found = []
    for path in sorted((root / "content" / "schemes").glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found.append((data["id"], str(data.get("name") or "")))
    return found


class TemplateCommand(ChineseCommand):
    """`template`, whose help ends with the scheme ids of the organization folder it is run for."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        root = (ctx.params.get("project") or ctx.find_root().params.get("project") or Path(".")).resolve()
        ids = _scheme_ids(root)
        if ids:
            with formatter.section("本组织的方案"):
                formatter.write_dl(ids)
        else:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text("在组织文件夹中运行（或加 --project），这里会列出本组织的方案编号。")


@main.command(cls=TemplateCommand)
@project_option
@click.argument("scheme", required=False)
@click.argument("period", required=False)
@chinese_option("--output", "-o", type=ChinesePath(dir_okay=False, path_type=Path), default=None, metavar="文件",
                help="录入表保存位置（默认为当前文件夹中的「方案编号-考核期.xlsx」）。")
def template(project: Path | None, scheme: str | None, period: str | None, output: Path | None) -> None:
    """生成方案 SCHEME 在考核期 PERIOD（如 2026Q3、2026）的 Excel 分数录入表，表头为指标名称。

    方案编号由各组织在 content/schemes/ 中自定；不带参数运行「branchbook template」列出本组织的全部方案编号和考核期的写法。
    """
    from generator.template_sheet import build_template, scheme_list

    ctx = click.get_current_context()
    if scheme is not None and period is None:
        raise click.MissingParameter(ctx=ctx, param=next(p for p in ctx.command.params if p.name == "period"))
    pipeline = _pipeline()
    root = _project(project)
    loaded = _run(lambda: pipeline.load_project(root))
    if scheme is None:
        click.echo(scheme_list(loaded))
        return
    assert period is not None       # a scheme without a period was a usage error above
    name, content = _run(lambda: build_template(loaded, scheme, period, pipeline.build_date()))
    target = output or Path(name)
    if target.exists():
        _fail(f"错误: 文件 {target} 已存在；请换一个位置（--output）或先移走它。")
    target.write_bytes(content)
    shown = project or click.get_current_context().find_root().params.get("project") or Path(".")
    click.echo(f"已生成录入表 {target}。填写后放入 {shown / 'scores' / scheme}/（文件名可保持不变），"
               f"再运行 branchbook check。")


@main.group(cls=ChineseGroup)
def new() -> None:
    """在组织文件夹中新建内容（如一个党支部）。"""


@new.command("branch")
@project_option
@click.argument("branch_id", metavar="ID")
@chinese_option("--name", metavar="全称", default=None,
                help="党组织全称，如「中共青石村支部委员会」（不填时写入示例名称，之后在支部文件中修改）。")
@chinese_option("--short-name", metavar="简称", default=None, help="简称，如「青石村党支部」（不填时按全称推定）。")
@chinese_option("--type", "branch_type", metavar="单位类别", default=None,
                help="单位类别，如「农村」「城市社区」「学校」「国有企业」（不填为「其他」）。")
def new_branch(project: Path | None, branch_id: str, name: str | None, short_name: str | None,
               branch_type: str | None) -> None:
    """新建支部编号为 ID 的党支部：写出带填写说明的支部文件 branches/ID.yml 和 Excel 党员名册 branches/ID-members.xlsx。

    支部编号只用小写英文字母、数字和连字符，如 qingshi。
    """
    from generator.new_branch import write_new_branch

    root = _project(project)
    written = _run(lambda: write_new_branch(root, branch_id, name=name, short_name=short_name,
                                            branch_type=branch_type))
    branch_file, roster_file = (path.relative_to(root).as_posix() for path in written)
    click.echo(f"已新建党支部「{branch_id}」：\n"
               f"  {branch_file}（支部文件，每一项都有说明）\n"
               f"  {roster_file}（党员名册，有 3 行示例）\n"
               f"下一步：\n"
               f"  1. 在 Excel 或 WPS 中打开名册，把示例行换成本支部党员（至少 3 名正式党员）；\n"
               f"  2. 修改支部文件中的支部信息和支委成员（支委的姓名须与名册中的一致）；\n"
               f"  3. 运行 branchbook check 检查，无误后运行 branchbook build 生成网站和手册。")


def sample_root() -> Path:
    """The sample organization: inside the installed package, or the source checkout."""
    packaged = Path(__file__).parent / "_sample"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent


class ChineseDate(click.ParamType):
    name = "日期"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"「{value}」不是「年-月-日」格式的日期，如 2027-12-31。", param, ctx)


def _ask(value, text: str, default=None, kind=str):
    """An option's value, asked for in the terminal when it was not given; `default` when not a terminal."""
    if value is not None:
        return value
    if not sys.stdin.isatty():
        return default
    try:
        return click.prompt(text, default=default, type=kind, prompt_suffix="：", show_default=default is not None)
    except click.Abort:
        _interrupted(INTERRUPTED)


@main.command()
@click.argument("directory", type=ChinesePath(path_type=Path), metavar="文件夹")
@chinese_option("--name", metavar="全称", help="党组织全称，如「中共青石镇委员会」；不填时在终端中询问。")
@chinese_option("--short-name", metavar="简称", help="简称，如「青石镇党委」；不填时按全称推定。")
@chinese_option("--kind", metavar="类别", help=f"组织类别（{'、'.join(KNOWN_KINDS)}等）；不填时按简称推定。")
@chinese_option("--year", type=ChineseIntRange(2000, 2100), metavar="年度", help="手册年度；不填为今年。")
@chinese_option("--as-of", type=ChineseDate(), metavar="日期", help="统计截止日期（计算年龄、党龄的基准）；不填为年度的 12 月 31 日。")
@chinese_option("--sample", is_flag=True, help="复制完整的示例组织（虚构的 13 个支部、分数和公示），用于演示和试用。")
def init(directory: Path, name: str | None, short_name: str | None, kind: str | None, year: int | None,
         as_of: dt.date | None, sample: bool) -> None:
    """新建一个组织文件夹：本单位的组织信息和标准化文本库（章节、流程、清单、考核方案），不含示例数据。"""
    from generator import new_organization

    source = sample_root()
    if sample:
        _run(lambda: new_organization.copy_sample(source, directory))
        click.echo(f"已复制示例组织到 {directory}。生成网站和手册：branchbook --project {directory} build")
        return
    name = (_ask(name, "党组织全称（如「中共青石镇委员会」）") or "").strip()
    if not name:
        _fail("错误：请用 --name 给出党组织全称，如 branchbook init 青石镇 --name 中共青石镇委员会；"
              "在终端中运行时也可以不加选项，按提示逐项输入。")
    short_name = (_ask(short_name, "简称", new_organization.suggested_short_name(name)) or "").strip()
    kind = (_ask(kind, "组织类别", kind_from_short_name(short_name)) or "").strip()
    year = _ask(year, "手册年度", dt.date.today().year, ChineseIntRange(2000, 2100))
    as_of = _ask(as_of, "统计截止日期", dt.date(year, 12, 31), ChineseDate())
    details = new_organization.OrganizationDetails(name, short_name, kind, year, as_of)
    notes = _run(lambda: new_organization.create_organization(source, directory, details))
    for note in notes:
        click.echo(f"提示：{note}", err=True)
    click.echo(f"已新建组织文件夹 {directory}：{name}（{short_name}），{year} 年度。\n"
               f"下一步：\n"
               f"  1. 新建支部：branchbook --project {directory} new branch 支部编号（如 qingshan）\n"
               f"  2. 在 branches/ 中填写支部文件和党员名册（Excel），把 content/organization.yml 的概况和联系方式改为本单位的\n"
               f"  3. 生成网站和手册：branchbook --project {directory} build")
