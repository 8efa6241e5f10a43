"""The sample is not the user: none of its names is wired into the program, its templates or its theme."""

from __future__ import annotations

from tests.support import REPO


def sample_names(project) -> set[str]:
    organization = project.organization
    names = {organization.name, organization.short_name}
    for branch in project.branches:
        names |= {branch.name, branch.short_name}
        names |= {person.name for person in branch.committee.members}
    return names


def test_no_name_of_the_sample_appears_in_code_templates_or_theme(sample_project):
    names = sample_names(sample_project)
    assert len(names) > 20
    found = []
    for folder in ("generator", "theme"):
        for path in sorted((REPO / folder).rglob("*")):
            if not path.is_file() or path.suffix not in (".py", ".j2", ".css", ".html", ".js") or "_sample" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(REPO)}: {name}" for name in names if name in text]
    assert found == []
