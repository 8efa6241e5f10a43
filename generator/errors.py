"""Turn problems found in the user's files into located, sortable, Chinese messages.

Every stage that reads user input reports what is wrong as a `Problem` instead of
raising at the first mistake; the pipeline collects them all and raises
`ProblemsFound` once, so the user sees every mistake in one run. `UserError` is
for a single thing the user must fix that is not inside their files (a missing
font, a folder that already exists). Anything else that escapes is our bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and inside it a line and column, or a sheet cell.

    Lines and columns count from 1. For a spreadsheet, `sheet` is set and
    `line`/`col` are the cell's row and column.
    """

    path: str
    line: int | None = None
    col: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            from openpyxl.utils import get_column_letter  # imported here: openpyxl costs a noticeable start-up time

            cell = f"{get_column_letter(self.col)}{self.line}" if self.col else f"{self.line or 1}"
            return f"{self.path}[{self.sheet}]!{cell}"
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.col is not None:
                text += f":{self.col}"
        return text

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.sheet or "", self.line or 0, self.col or 0)


@dataclass(frozen=True)
class Problem:
    """One mistake in the user's input, with a stable machine-readable code."""

    location: Location
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: 错误: {self.message} [{self.code}]"

    @property
    def sort_key(self) -> tuple:
        return (*self.location.sort_key, self.code, self.message)


@dataclass
class ProblemsFound(Exception):
    """Raised once, after a stage has collected every problem it could find."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = sorted(set(self.problems), key=lambda p: p.sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(problem) for problem in self.problems]
        files = {problem.location.path for problem in self.problems}
        lines.append(f"共 {len(self.problems)} 处错误，涉及 {len(files)} 个文件；未生成任何输出。")
        return "\n".join(lines)


class UserError(Exception):
    """A single problem outside the user's data files, explained in Chinese."""
