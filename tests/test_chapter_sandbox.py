"""Chapter Jinja runs in a sandbox with a fixed set of variables; its mistakes are located problems from `check`."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.render.chapters import CHAPTER_VARIABLES, render_chapter_body
from generator import pipeline
from tests.support import copy_small

FRONT_MATTER = "---\ntitle: 测试章节\npart: 管理制度\norder: 9\n---\n"   # the body starts on line 6
CHAPTER = "content/chapters/ceshi.md"


@pytest.fixture
def project(tmp_path):
    return copy_small(tmp_path / "org")


def write_chapter(root, body: str) -> None:
    (root / CHAPTER).write_text(FRONT_MATTER + body, encoding="utf-8")


def check(root):
    return CliRunner().invoke(main, ["check", "--project", str(root)], catch_exceptions=False)


@pytest.mark.parametrize("payload", [
    "cycler.__init__.__globals__.os.popen('touch {marker}').read()",
    "joiner.__init__.__globals__.os.system('touch {marker}')",
    "lipsum.__globals__.os.popen('touch {marker}').read()",
    "namespace.__init__.__globals__.os.popen('touch {marker}').read()",
    "self.__init__.__globals__.__builtins__.__import__('os').popen('touch {marker}').read()",
    "branch_name.__class__.__mro__[1].__subclasses__()",
])
def test_code_in_a_chapter_is_a_located_problem_and_never_runs(project, tmp_path, payload):
    marker = tmp_path / "ran"
    write_chapter(project, "第一行。\n\n{{ " + payload.format(marker=marker) + " }}\n")
    result = check(project)
    assert result.exit_code == 1
    assert f"{CHAPTER}:8: 错误: " in result.output
    assert "[chapter.unsafe]" in result.output or "[chapter.undefined]" in result.output
    built = CliRunner().invoke(main, ["build", "--no-pdf", "--project", str(project)], catch_exceptions=False)
    assert built.exit_code == 1 and "Traceback" not in built.output
    assert not marker.exists()
    assert not (project / "site").exists()


def test_an_undefined_variable_is_a_located_problem_that_lists_the_variables(project):
    write_chapter(project, "第一行。\n{% if true %}\n{{ branch }}的书记\n{% endif %}\n")
    result = check(project)
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if line.startswith(f"{CHAPTER}:8: 错误: "))
    assert "「branch」未定义" in line and line.endswith("[chapter.undefined]")
    for name in CHAPTER_VARIABLES:
        assert name in line


def test_a_syntax_mistake_a_failing_expression_and_an_include_are_located(project):
    write_chapter(project, "第一行。\n{{ branch_name }\n")
    assert f"{CHAPTER}:7: 错误: 模板语法错误：" in check(project).output
    write_chapter(project, "第一行。\n\n\n{{ 1 // 0 }}\n")
    result = check(project)
    assert result.exit_code == 1
    assert f"{CHAPTER}:9: 错误: 章节模板中的计算无法完成（如除以零或对文字做算术）" in result.output
    write_chapter(project, "第一行。\n{% include 'content/organization.yml' %}\n")
    assert f"{CHAPTER}:7: 错误: 章节中不能引用其他模板" in check(project).output


@pytest.mark.parametrize("code, message", [
    ("{{ 'x' * 100000000 }}", "重复生成的文字或列表不能超过 10000 个"),
    ("{{ 10 ** 100000000 }}", "乘方的指数不能超过 64"),
    ("{{ 'x' | center(1000000000) }}", "模板语法错误：不能使用过滤器「center」"),
    ("{{ branch_name }\n", "模板语法错误：此处不应出现「}」"),
])
def test_a_chapter_cannot_exhaust_memory_and_every_message_is_chinese(project, code, message):
    write_chapter(project, f"第一行。\n{code}\n")
    result = check(project)
    assert result.exit_code == 1
    assert f"{CHAPTER}:7: 错误: " in result.output and message in result.output
    told = result.output.split("错误: ", 1)[1].split(" [chapter.")[0].split("章节中可用的变量有")[0].split("可用的过滤器有")[0]
    told = re.sub(r"「[^」]*」", "", told)   # the user's own words may be English
    assert not re.search(r"[A-Za-z]{4,}", told), told


def test_the_allowed_variables_fill_in_on_the_site(project):
    write_chapter(project, "{{ branch_name }}向{{ organization_short_name }}（{{ organization_name }}）报告。\n")
    assert check(project).exit_code == 0
    pages = pipeline.site_pages(pipeline.load_project(project))
    assert "本支部向云溪新区党工委（中共云溪新区工作委员会）报告。" in pages.files["chapters/ceshi.md"]


def test_the_sandbox_keeps_plain_jinja(sample_project):
    assert render_chapter_body("{% for c in branch_name %}[{{ c }}]{% endfor %}{{ branch_name|length }}",
                               "本支部", sample_project.organization) == "[本][支][部]3"
