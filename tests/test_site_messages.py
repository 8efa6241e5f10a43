"""MkDocs' own log messages reach the user in Chinese, naming the user's file, never in English."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.site import mkdocs_message_in_chinese
from tests.support import copy_small


@pytest.mark.parametrize("english, chinese", [
    ("Doc file 'chapters/sanhui-yike.md' contains a link 'missing.md', but the target 'chapters/missing.md' "
     "is not found among documentation files.",
     "content/chapters/sanhui-yike.md：链接「missing.md」指向的页面或文件不存在（网站中没有 chapters/missing.md）"),
    ("Doc file 'branches/qingshan.md' contains a link '../index.md#x', but the doc 'index.md' does not contain "
     "an anchor '#x'", "branches/qingshan.yml：链接「../index.md#x」指向的页面中没有「#x」这一节"),
    ("Doc file 'index.md' contains an absolute link '/a.html', it was left as is.",
     "网站页面 index.md：绝对链接「/a.html」在网站中无法打开，请改为相对链接"),
    ("Config value 'theme': Unrecognised theme name: 'materal'.",
     "mkdocs.yml 中的设置「theme」有误，请对照示例组织的 mkdocs.yml 检查"),
    ("Something new that MkDocs says", "MkDocs 报告了一个问题，请检查 mkdocs.yml 和 theme/site/ 中修改过的文件"),
])
def test_mkdocs_messages_are_translated(english, chinese):
    assert mkdocs_message_in_chinese(english) == chinese


@pytest.mark.allow_warnings("missing.md")   # the note this test is about
def test_a_broken_link_in_a_chapter_is_a_chinese_note_at_build(tmp_path):
    root = copy_small(tmp_path / "org")
    chapter = root / "content" / "chapters" / "sanhui-yike.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n见[其他](missing.md)。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--no-pdf", "--project", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "提示：content/chapters/sanhui-yike.md：链接「missing.md」指向的页面或文件不存在" in result.output
    assert not re.search(r"Doc file|documentation files|MkDocs:", result.output)
