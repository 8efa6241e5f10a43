"""`branchbook init` makes a new organization: its own names, the standard library, nothing of the sample."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.errors import ProblemsFound
from generator.models.organization import PLACEHOLDER_PHONE, SUMMARY_PLACEHOLDER, kind_from_short_name
from generator.new_organization import suggested_short_name, without_sample_keys
from tests.support import REPO, link_problems

NEW_ORGANIZATION = ("--name", "中共青石镇委员会", "--short-name", "青石镇党委", "--kind", "党委",
                    "--year", "2026", "--as-of", "2026-12-31")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("name", "short_name", "kind"), [
    ("中共青石镇委员会", "青石镇党委", "党委"),
    ("中共云溪新区工作委员会", "云溪新区党工委", "党工委"),
    ("中共市教育局机关委员会", "市教育局机关党委", "机关党委"),
    ("中共青石村总支部委员会", "青石村党总支", "党总支"),
    ("青石镇", "青石镇", "党委"),       # not of the form 中共…委员会: kept as written
])
def test_short_name_and_kind_are_suggested_from_the_full_name(name, short_name, kind):
    assert suggested_short_name(name) == short_name
    assert kind_from_short_name(suggested_short_name(name)) == kind


def test_the_sample_only_facts_are_cut_from_scheme_texts_with_comments_kept():
    text = (REPO / "content" / "schemes" / "points.yml").read_text(encoding="utf-8")
    cut = without_sample_keys(text)
    assert "participants" in yaml.safe_load(text) and "participants" not in yaml.safe_load(cut)
    kept = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert all(line in cut for line in kept)
    tiered = yaml.safe_load(without_sample_keys((REPO / "content" / "schemes" / "tiered.yml").read_text(encoding="utf-8")))
    assert "published" not in tiered["notice"] and tiered["notice"]["working_days"] == 5


@pytest.mark.allow_warnings(r"\[organization\.placeholder\]")   # what init leaves to fill in
def test_init_writes_the_organization_and_the_library_without_sample_data(tmp_path):
    target = tmp_path / "青石镇"
    result = run("init", str(target), *NEW_ORGANIZATION)
    assert result.exit_code == 0, result.output
    assert "new branch" in result.output
    organization = yaml.safe_load((target / "content" / "organization.yml").read_text(encoding="utf-8"))
    assert (organization["name"], organization["short_name"], organization["kind"]) == ("中共青石镇委员会", "青石镇党委", "党委")
    assert organization["as_of"] == dt.date(2026, 12, 31)
    for part in ("chapters", "workflows", "schemes", "calendar"):
        assert sorted(p.name for p in (target / "content" / part).iterdir()) == \
            sorted(p.name for p in (REPO / "content" / part).iterdir())
    for scheme in (target / "content" / "schemes").glob("*.yml"):
        data = yaml.safe_load(scheme.read_text(encoding="utf-8"))
        assert "published" not in (data.get("notice") or {}) and "branches" not in (data.get("participants") or {})
        assert (target / "scores" / scheme.stem).is_dir() and not any((target / "scores" / scheme.stem).iterdir())
    assert sorted(p.name for p in (target / "branches").glob("*.yml")) == []   # the example is in branches/示例/
    assert list((target / "branches" / "示例").glob("*.yml"))
    with pytest.raises(ProblemsFound) as found:
        pipeline.load_project(target)
    assert [problem.code for problem in found.value.problems] == ["project.no-branches"]
    assert "new branch" in found.value.problems[0].message


MEMBERS = [
    ("林青山", "男", dt.date(1972, 4, 8), "汉族", "本科", dt.date(1998, 6, 30), dt.date(1999, 6, 30), "正式"),
    ("周晓岚", "女", dt.date(1985, 11, 2), "畲族", "大专", dt.date(2010, 7, 1), dt.date(2011, 7, 1), "正式"),
    ("郑远航", "男", dt.date(1993, 1, 19), "汉族", "研究生", dt.date(2019, 5, 4), dt.date(2020, 5, 4), "正式"),
]


def _fill_roster(path) -> None:
    """What a secretary does in Excel: overwrite the three example rows with the branch's members."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    columns = {title: headers.index(title) + 1 for title in
               ("姓名", "性别", "出生日期", "民族", "学历", "入党日期", "转正日期", "党员类别", "备注")}
    for row, member in enumerate(MEMBERS, start=2):
        for title, value in zip(columns, (*member, None)):
            sheet.cell(row=row, column=columns[title], value=value)
    book.save(path)


def _output_texts(root):
    """Every text the build wrote, PDFs and spreadsheets included, by path."""
    import zipfile

    from tests.support import pdf_text

    for folder in ("site", "print"):
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file():
                continue
            if path.suffix == ".pdf":
                yield path, pdf_text(path)
            elif path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as archive:
                    yield path, "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                                        if name.endswith(".xml"))
            elif path.suffix in (".html", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".css"):
                yield path, path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.allow_warnings(r"\[organization\.placeholder\]")
def test_a_new_organization_from_init_to_a_build_with_nothing_of_the_sample(tmp_path, sample_project):
    root = tmp_path / "青石镇"
    assert run("init", str(root), *NEW_ORGANIZATION).exit_code == 0
    added = run("--project", str(root), "new", "branch", "qingshan", "--name", "中共青石村支部委员会",
                "--short-name", "青石村党支部", "--type", "农村")
    assert added.exit_code == 0, added.output
    _fill_roster(root / "branches" / "qingshan-members.xlsx")
    branch = root / "branches" / "qingshan.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("示例党员甲", "林青山"), encoding="utf-8")
    before = run("--project", str(root), "check")
    assert before.exit_code == 0 and "组织概况还是新建时的占位文字" in before.output and "办公电话还是占位的" in before.output
    organization = root / "content" / "organization.yml"
    text = organization.read_text(encoding="utf-8")
    organization.write_text(text.replace(SUMMARY_PLACEHOLDER, "").replace(PLACEHOLDER_PHONE, "0571-86012345"),
                            encoding="utf-8")

    checked = run("--project", str(root), "check")
    assert checked.exit_code == 0, checked.output
    assert "提示" not in checked.output          # no example rows left, no ignored column
    project = pipeline.load_project(root)
    assert [len(b.members) for b in project.branches] == [3]
    built = run("--project", str(root), "build", "--workers", "1")
    assert built.exit_code == 0, built.output
    assert (root / "print" / "qingshan" / "手册.pdf").is_file()
    checked_links, broken, outside = link_problems(root / "site")
    assert checked_links > 100 and broken == [] and outside == []

    sample = {project_name for project_name in _sample_names(sample_project)} | {"云溪", "党工委"}
    # 「党工委」 as one of the kinds an organization may be (数据格式说明) is a word, not the sample's name.
    found = sorted({f"{path.relative_to(root)}: {name}" for path, text in _output_texts(root)
                    for name in sample if name in text.replace("「党工委」", "")})
    assert found == []
    handbook = next(text for path, text in _output_texts(root) if path.name == "手册.pdf")
    assert "青石镇党委" in handbook and "林青山" in handbook
    assert "<title>首页 - 青石镇党委党支部标准化手册</title>" in (root / "site" / "index.html").read_text(encoding="utf-8")


def _sample_names(project) -> set[str]:
    """The sample's organization, branches and people: none may reach another organization's outputs."""
    organization = project.organization
    names = {organization.name, organization.short_name}
    for branch in project.branches:
        names |= {branch.name, branch.short_name, *(person.name for person in branch.committee.members),
                  *(member.name for member in branch.members), *(applicant.name for applicant in branch.applicants)}
    return names


def test_the_library_init_writes_names_nothing_of_the_sample(tmp_path, sample_project):
    root = tmp_path / "org"
    assert run("init", str(root), *NEW_ORGANIZATION).exit_code == 0
    names = _sample_names(sample_project) | {"云溪", "党工委"} | {f"[{b.id}" for b in sample_project.branches} \
        | {f" {b.id}," for b in sample_project.branches}
    found = [f"{path.relative_to(root)}: {name}" for path in sorted(root.rglob("*"))
             if path.is_file() and path.suffix in (".yml", ".md") and "theme" not in path.parts
             for name in names if name in path.read_text(encoding="utf-8").replace("「党工委」", "")]
    assert found == []
