"""Every organization-specific word of the library texts comes from content/organization.yml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.models import Organization
from generator.render.chapters import TEXT_VARIABLES
from tests.support import copy_small

SAMPLE_NAME, SAMPLE_SHORT = "中共云溪新区工作委员会", "云溪新区党工委"
NAME, SHORT = "中共青石镇委员会", "青石镇党委"
WORKFLOW = "content/workflows/dangke.yml"
SCHEME = "content/schemes/tiered.yml"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(root: Path):
    return CliRunner().invoke(main, ["check", "--project", str(root)], catch_exceptions=False)


def problem_lines(output: str, code: str) -> list[str]:
    return [line for line in output.splitlines() if line.endswith(f"[{code}]")]


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_small(tmp_path / "org")


def rename_organization(root: Path) -> None:
    """The small fixture as 中共青石镇委员会, with no kind and no site name (both from the defaults)."""
    organization = root / "content" / "organization.yml"
    text = organization.read_text(encoding="utf-8")
    text = re.sub(r"^(kind|site_name): .*\n", "", text, flags=re.MULTILINE)
    organization.write_text(text.replace(SAMPLE_NAME, NAME).replace(SAMPLE_SHORT, SHORT), encoding="utf-8")
    for branch in (root / "branches").glob("*.yml"):
        replace_in(branch, f"parent: {SAMPLE_NAME}", f"parent: {NAME}")


def test_an_other_organization_gets_its_own_words_and_site_title(project):
    rename_organization(project)
    replace_in(project / WORKFLOW, "name: 确定党课主题和主讲人", "name: 确定党课主题，报{{ 上级党组织简称 }}（{{ 组织类别 }}）备案")
    pipeline.build(project, with_pdf=False, workers=1, show_progress=False)
    site = project / "site"
    scheme = (site / "results" / "tiered" / "index.html").read_text(encoding="utf-8")
    assert f"{SHORT}组织部" in scheme
    workflow = (site / "workflows" / "dangke.html").read_text(encoding="utf-8")
    assert f"确定党课主题，报{SHORT}（党委）备案" in workflow
    title = f"{SHORT}党支部标准化手册"
    assert re.search(f"<title>[^<]+ - {title}</title>", workflow)
    assert f">{title}<" in workflow.replace("\n", "").replace(" ", "")   # the header
    for page in site.rglob("*.html"):
        if page.parent.name == "reference":   # the data-format page explains the kinds and the variables
            continue
        text = page.read_text(encoding="utf-8")
        assert "党工委" not in text and "{{" not in text and "{%" not in text, page


def test_site_name_and_kind_from_organization_yml_win(project):
    data = {"name": NAME, "short_name": "青石镇党工委", "year": 2026, "as_of": "2026-12-31", "summary": "概况",
            "office": {"phone": "0571-86001234"}}
    organization = Organization.model_validate(data)
    assert (organization.kind, organization.site_title) == ("党工委", "青石镇党工委党支部标准化手册")
    assert Organization.model_validate({**data, "short_name": "市直机关党委"}).kind == "机关党委"
    assert Organization.model_validate({**data, "short_name": "青石镇机关"}).kind == "党委"
    assert Organization.model_validate({**data, "kind": "党总支", "site_name": "青石手册"}).kind == "党总支"
    assert Organization.model_validate({**data, "site_name": "青石手册"}).site_title == "青石手册"
    replace_in(project / "content/organization.yml", "site_name: 云溪新区党支部标准化手册",
               'site_name: "青石 <b>&</b> 手册"')
    pipeline.build(project, with_pdf=False, workers=1, show_progress=False)
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "青石 &lt;b&gt;&amp;&lt;/b&gt; 手册</title>" in html and "<b>&</b>" not in html


def test_an_undefined_variable_in_a_yaml_text_is_a_located_problem(project):
    replace_in(project / SCHEME, 'department: "{{ 上级党组织简称 }}宣传部"', 'department: "{{ 上级党组织简 }}宣传部"')
    replace_in(project / "content/checklist.yml", "报{{ 上级党组织简称 }}备案", "报{{ 上级党组织简称 }备案")
    result = check(project)
    assert result.exit_code == 1
    undefined = problem_lines(result.output, "wording.undefined")
    line = next(n for n, text in enumerate((project / SCHEME).read_text(encoding="utf-8").splitlines(), 1)
                if "上级党组织简 }}" in text)
    assert len(undefined) == 1 and undefined[0].startswith(f"{SCHEME}:{line}:")
    assert "变量「上级党组织简」未定义（是否指「上级党组织简称」？）；" in undefined[0]
    for variable in TEXT_VARIABLES:
        assert variable.name in undefined[0] and variable.alias in undefined[0]
    syntax = problem_lines(result.output, "wording.template")
    assert len(syntax) == 1 and syntax[0].startswith("content/checklist.yml:") and "模板语法错误" in syntax[0]
    assert "Traceback" not in result.output


def test_a_value_starting_with_braces_is_told_to_be_quoted(project):
    replace_in(project / SCHEME, 'department: "{{ 上级党组织简称 }}宣传部"', "department: {{ 上级党组织简称 }}宣传部")
    result = check(project)
    assert result.exit_code == 1
    told = problem_lines(result.output, "yaml.unquoted-template")
    assert len(told) == 1 and told[0].startswith(f"{SCHEME}:")
    assert '请给整个值加上引号，写作：department: "{{ 上级党组织简称 }}宣传部"' in told[0]


def test_a_branch_under_another_organization_is_an_error_with_the_fix(project):
    replace_in(project / "branches/qingshan.yml", f"parent: {SAMPLE_NAME}", "parent: 中共石门乡委员会")
    replace_in(project / "branches/hongguang.yml", f"parent: {SAMPLE_NAME}", "parent: 中共红光社区总支部委员会")
    result = check(project)
    assert result.exit_code == 1
    wrong = problem_lines(result.output, "branch.other-parent")
    assert len(wrong) == 1 and wrong[0].startswith("branches/qingshan.yml:5:")
    assert f"「中共石门乡委员会」与 content/organization.yml 中的党组织全称「{SAMPLE_NAME}」不一致" in wrong[0]
    assert f"请改为「{SAMPLE_NAME}」" in wrong[0]
    replace_in(project / "branches/qingshan.yml", "parent: 中共石门乡委员会", f"parent: {SAMPLE_SHORT}")
    assert check(project).exit_code == 0
