"""Chinese text uses full-width punctuation (GB/T 15834-2011 《标点符号用法》) wherever the product writes it.

Scanned: the visible text of every built page and SVG of the small fixture organization, the text of
every PDF (pdftotext), the output of the command line (every command's ``--help``, ``check``, ``build``,
``init``, ``new branch``, ``template``, usage errors and a broken input) and the files ``init`` and
``new branch`` write, the exact outputs of the broken-input corpus, and, without a build, the library
under ``content/``, the sample's branch files and the Chinese part of README.md.

The rule: no half-width ``, : ; ( ) ? !`` next to a Chinese character or full-width mark, no space
between two Chinese characters (a YAML folded line leaves one: 「非公有制企业、 学校」) and no space
after or before a full-width ，、；：。？！. ASCII stays where it is code or data: code spans and
blocks, paths, URLs, option names, numbers (「2026-05-19」「10:30」「1, 2, 2, 4」). `ALLOWED` lists
the only places where a half-width mark next to Chinese is required.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.pdf.print_sets import PROGRESS_LABEL
from tests.support import REPO, copy_small, pdf_text, walk

# Chinese characters and the full-width marks that sit among them (「」《》，。… “” —).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d"
HALF = ",:;()?!"
FULL_STOPS = "，、；：。？！"

RULES = (
    ("half-width mark next to Chinese", re.compile(rf"[{CJK}][ \t]*[{HALF}]|[{HALF}][ \t]*[{CJK}]")),
    ("space between Chinese characters", re.compile(rf"[{CJK}] [{CJK}]")),
    # (a space before the 「[code]」 of a message or click's 「[默认：…]」 is the layout, not the text)
    ("space next to a full-width mark", re.compile(rf"[{FULL_STOPS}] +[^\s\[]| +[{FULL_STOPS}]")),
)

# The only half-width marks next to Chinese that the product must write, each with why.
ALLOWED = (
    # The machine-readable line format `path:line[:col]: 错误: message [code]` (README「错误提示」),
    # and the 提示 lines printed the same way; the message after the prefix is checked.
    re.compile(r"^(?:\S+: )?(?:错误|提示): ", re.MULTILINE),
    # What the user typed or must type, quoted: YAML such as 「键: 值」「branches: [支部编号, …]」, ASCII such as
    # 「:」「#DIV/0!」「!!python/object」.
    re.compile(r"(?<=「)(?:键: 值|[A-Za-z_][\w.-]*: [^」\n]*|[\x21-\x7e][\x20-\x7e]*)(?=」)"),
    # A command line in a sentence: its words are separated by spaces (branchbook template 方案编号 考核期).
    re.compile(r"branchbook(?: [^\s，。；：（）「」,:;()?!]+)+"),
    # Intervals written as in mathematics: [60,70)、(50,60].
    re.compile(r"[\[(]\d+(?:\.\d+)?, ?\d+(?:\.\d+)?[\])]"),
)


def offences(text: str, rules: Iterable[str] = ("half-width mark next to Chinese", "space between Chinese characters",
                                                "space next to a full-width mark")) -> Iterator[str]:
    """Each place in `text` that breaks one of `rules`, as a short snippet with the rule's name."""
    for allowed in ALLOWED:
        text = allowed.sub(lambda m: "\0" * len(m.group()), text)
    for name, pattern in RULES:
        if name not in rules:
            continue
        for line in text.splitlines():
            for found in pattern.finditer(line):
                start, end = max(0, found.start() - 12), found.end() + 12
                yield f"{name}: …{line[start:end].replace(chr(0), '')}…"


def report(found: dict[str, list[str]]) -> str:
    lines = [f"{source}: {snippet}" for source, snippets in sorted(found.items()) for snippet in snippets]
    return f"{len(lines)} places break the full-width punctuation rule:\n" + "\n".join(lines[:300])


def scan(sources: Iterable[tuple[str, str]], rules: tuple[str, ...] | None = None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for source, text in sources:
        snippets = list(offences(text) if rules is None else offences(text, rules))
        if snippets:
            found.setdefault(source, []).extend(snippets)
    return found


# ---- the visible text of a page ---------------------------------------------------

_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins", "mark", "q", "s",
           "small", "span", "strong", "sub", "sup", "time", "u", "wbr"}
_HIDDEN = {"script", "style", "template", "code", "pre", "kbd", "samp", "noscript"}
# Attributes a reader sees (as a tooltip, in place of an image, in an empty field); aria-label is spoken,
# not shown, and MkDocs Material writes its own there («上一页: 首页»).
_SHOWN_ATTRIBUTES = ("title", "alt", "placeholder")


class _VisibleText(HTMLParser):
    """Text a reader sees, one line per block (paragraph, cell, heading, SVG text …), whitespace collapsed;
    code, scripts and styles left out; titles, alt texts and placeholders as lines of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._hidden: list[str] = []

    def _break(self) -> None:
        text = re.sub(r"[ \t\n\r\f]+", " ", "".join(self._current)).strip()
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self._hidden.append(tag)
        if tag not in _INLINE:
            self._break()
        for name, value in attrs:
            if name in _SHOWN_ATTRIBUTES and value and not self._hidden:
                self.blocks.append(re.sub(r"[ \t\n\r\f]+", " ", value).strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self._hidden.pop()

    def handle_endtag(self, tag):
        if tag not in _INLINE:
            self._break()
        if tag in _HIDDEN and tag in self._hidden:
            while self._hidden.pop() != tag:
                pass

    def handle_data(self, data):
        if not self._hidden:
            self._current.append(data)

    def close(self):
        super().close()
        self._break()


def visible_text(markup: str) -> str:
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.blocks)


# ---- the built fixture ------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_small(tmp_path_factory.mktemp("punctuation") / "org")
    pipeline.build(root, with_pdf=True, workers=1, show_progress=False)
    return root


def test_the_page_text_is_what_a_reader_sees():
    markup = ("<html><head><title>标题，算</title><style>p:after{content:'中, 文'}</style></head><body>"
              "<p>第一段<strong>加粗</strong>的文字,\n接着</p><p>第二段 <code>a, 中</code></p>"
              "<td>党员</td><td>数</td><img alt='图, 说明'><script>var s = '中, 文';</script></body></html>")
    assert visible_text(markup).splitlines() == ["标题，算", "第一段加粗的文字, 接着", "第二段", "党员", "数", "图, 说明"]


def test_the_rule_finds_half_width_marks_and_stray_spaces_and_allows_the_error_prefix():
    assert [snippet.split(": …")[0] for snippet in offences("注: 名次相同的并列; 见 (附表)")] == [
        "half-width mark next to Chinese"] * 4
    assert list(offences("非公有制企业、 学校")) and list(offences("审定， 2026年")) and list(offences("党员 数"))
    clean = ("branches/hongguang.yml:6:10: 错误: 「成立时间」（founded）应为有效日期（如 2026-03-15），实际为「1998-13-01」"
             " [value.bad-date]\n提示: 名册中的「籍贯」列不是名册的字段，已忽略\n应写作「键: 值」；时间 10:30，"
             "比例 1:2，日期 2026-05-19，名次 1, 2, 2, 4，共 2 处，运行 branchbook --project 文件夹 build")
    assert list(offences(clean)) == []


def _pages(site: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site.parent).as_posix(), visible_text(path.read_text(encoding="utf-8"))
    for path in sorted(site.rglob("*.svg")):
        yield path.relative_to(site.parent).as_posix(), visible_text(path.read_text(encoding="utf-8"))


def test_built_pages_use_full_width_punctuation(built):
    pages = list(_pages(built / "site"))
    assert len(pages) > 40 and any("党支部" in text for _, text in pages)
    found = scan(pages)
    assert not found, report(found)


def test_pdf_text_uses_full_width_punctuation(built):
    pdfs = sorted(built.glob("print/**/*.pdf")) + sorted(built.glob("site/**/*.pdf"))
    assert len(pdfs) >= 4
    with ThreadPoolExecutor(max_workers=len(pdfs)) as pool:       # pdftotext takes ~20 s for a handbook
        texts = list(pool.map(pdf_text, pdfs))
    # pdftotext lays out columns and justified lines with spaces of its own: only the marks are checked.
    found = scan(((path.relative_to(built).as_posix(), text) for path, text in zip(pdfs, texts, strict=True)),
                 rules=("half-width mark next to Chinese",))
    assert not found, report(found)


# ---- the command line ---------------------------------------------------------------

def _invoke(*args: str) -> str:
    return CliRunner().invoke(main, list(args), prog_name="branchbook", terminal_width=200).output


@pytest.mark.allow_warnings  # the notes (提示) are part of what is scanned
def test_command_line_output_uses_full_width_punctuation(tmp_path, monkeypatch):
    root = copy_small(tmp_path / "org")
    outputs = [(f"branchbook {' '.join(path)} --help".replace("  ", " "), _invoke(*path, "--help", "--project", str(root))
                if path and path[-1] == "template" else _invoke(*path, "--help")) for path, _ in walk(main)]
    outputs += [
        ("branchbook check", _invoke("check", "--project", str(root))),
        ("branchbook template", _invoke("--project", str(root), "template")),
        ("progress label", PROGRESS_LABEL),
        ("branchbook build --workers 9", _invoke("build", "--workers", "9")),
        ("branchbook biuld", _invoke("biuld")),
        ("branchbook template tiered", _invoke("template", "tiered")),
    ]
    monkeypatch.chdir(tmp_path)
    outputs += [
        ("branchbook template tiered 2026Q2", _invoke("--project", str(root), "template", "tiered", "2026Q2")),
        ("branchbook template tiered 2026Q2 (again)", _invoke("--project", str(root), "template", "tiered", "2026Q2")),
        ("branchbook new branch", _invoke("--project", str(root), "new", "branch", "songlin", "--name",
                                          "中共松林村支部委员会", "--type", "农村")),
        ("branchbook init", _invoke("init", str(tmp_path / "新组织"), "--name", "中共青石镇委员会")),
        ("branchbook init (again)", _invoke("init", str(tmp_path / "新组织"), "--name", "中共青石镇委员会")),
        ("branchbook build --no-pdf", _invoke("--project", str(root), "build", "--no-pdf")),
    ]
    # The files they write for the user to fill in: the new branch file, the new organization's library.
    new_branch = root / "branches" / "songlin.yml"
    outputs += [(f"new branch: {name}", text) for name, text in library_texts(root)
                if name.startswith("branches/songlin") and text.strip()]
    outputs += [(f"init: {name}", text) for name, text in library_texts(tmp_path / "新组织") if text.strip()]
    assert new_branch.is_file() and len(outputs) > 40
    # A broken input: several kinds of mistakes in one run.
    branch = root / "branches" / "hongguang.yml"
    text = branch.read_text(encoding="utf-8")
    text = text.replace("founded: ", "founded: 1998-13-01\nfoundd: ", 1).replace("type: ", "tpye: ", 1)
    branch.write_text(text, encoding="utf-8")
    scores = next((root / "scores" / "tiered").glob("*.csv"))
    lines = scores.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = re.sub(r",[\d.]+", ",缺", lines[1], count=1)
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = _invoke("check", "--project", str(root))
    assert "错误: " in broken and "共 " in broken
    outputs.append(("branchbook check (broken input)", broken))

    assert [name for name, text in outputs if not text.strip()] == []
    found = scan(outputs)
    assert not found, report(found)


def test_the_broken_input_corpus_outputs_use_full_width_punctuation():
    """The exact outputs of tests/bad_input (asserted there), scanned here without running them."""
    sources = [("tests/bad_input/expected.txt", (REPO / "tests/bad_input/expected.txt").read_text(encoding="utf-8"))]
    for path in sorted((REPO / "tests/bad_input/corpus").glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            sources.append((f"{path.relative_to(REPO)}: {case['what']}", case["expected"]))
    found = scan(sources)
    assert not found, report(found)


# ---- the library and the sample, without a build ------------------------------------------

def _strings(node) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


# Markdown and template syntax inside a text, each with what stands in for it when the prose is checked: a
# variable becomes a Chinese name (it is filled with one), code an ASCII word, a tag a line break.
_SYNTAX = (
    (re.compile(r"```.*?```", re.DOTALL), "\n"),
    (re.compile(r"\{\{.*?\}\}"), "党委"),
    (re.compile(r"\{%.*?%\}|\{#.*?#\}"), ""),
    (re.compile(r"`[^`\n]*`"), "code"),
    (re.compile(r"\]\([^)\s]*\)"), "]"),
    (re.compile(r"<[^>\n]*>"), "\n"),
    (re.compile(r"https?://[^\s)）」，。；]+"), "URL"),
)


def _prose(markdown: str) -> str:
    """Markdown's prose: code, template tags, link targets, HTML tags and URLs replaced."""
    for pattern, stand_in in _SYNTAX:
        markdown = pattern.sub(stand_in, markdown)
    return markdown


_COMMENTED_OUT = re.compile(r"^\s*(?:- )?[A-Za-z_][\w-]*:(?: |$)")


def _comments(text: str) -> str:
    """The comments of a YAML file; of a commented-out line of data (「#   - name: 示例」), its own comment only."""
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            comment = line.split("#", 1)[1]
            if _COMMENTED_OUT.match(comment):
                comment = comment.split(" # ", 1)[1] if " # " in comment else ""
            found.append(comment)
    return "\n".join(found)


def library_texts(root: Path) -> Iterator[tuple[str, str]]:
    """Every text of the library and the branch files as a reader sees it: YAML values and comments,
    chapter front matter and prose."""
    for path in sorted([*root.glob("content/**/*.yml"), *root.glob("branches/*.yml")]):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(root).as_posix()
        for value in _strings(yaml.safe_load(source)):
            yield name, _prose(value)
        yield f"{name} (comments)", _comments(source)
    for path in sorted(root.glob("content/chapters/*.md")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(root).as_posix()
        _, front, body = source.split("---", 2)
        for value in _strings(yaml.safe_load(front)):
            yield name, _prose(value)
        yield name, _prose(body)


def test_the_library_and_the_sample_branches_use_full_width_punctuation():
    texts = list(library_texts(REPO))
    assert len(texts) > 100
    found = scan(texts)
    assert not found, report(found)


def test_the_small_fixture_uses_full_width_punctuation():
    found = scan(library_texts(REPO / "tests" / "fixtures" / "small"))
    assert not found, report(found)


def test_the_readme_chinese_part_uses_full_width_punctuation():
    chinese = (REPO / "README.md").read_text(encoding="utf-8").split("\n# Developer guide", 1)[0]
    prose = _prose(chinese)
    # Table rows: the cell borders are Markdown, not punctuation.
    found = scan([("README.md", prose.replace("|", "\n"))])
    assert not found, report(found)


def test_the_makefile_messages_use_full_width_punctuation():
    """The messages of `make` installing system packages, as the shell prints them ($missing starts with a space)."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    messages = [message.replace("$${missing# }", "fonts-noto-cjk").replace("$$missing", " fonts-noto-cjk")
                for message in re.findall(r'echo "([^"]*[\u4e00-\u9fff][^"]*)"', makefile)]
    assert len(messages) >= 3
    found = scan(("Makefile", message) for message in messages)
    assert not found, report(found)
