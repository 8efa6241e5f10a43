"""Describe the column headings of the tables users fill in: rosters and score tables.

One home for what the readers (`generator.validate.project`) and the writers
(`generator.template_sheet`, `generator.new_branch`) of these tables must agree
on: the key columns of a score table, the columns any table may carry for the
people who keep it (序号, 备注), the mark of a roster's example rows, and how a
score table heads an item's column — its name, or 「name（id）」 where the name
alone does not say which item it is.
"""

from __future__ import annotations

import re
import unicodedata

from generator.models.schemes import Scheme, SchemeItem

BRANCH_COLUMN = "支部编号"
BRANCH_NAME_COLUMN = "支部名称"
MEMBER_COLUMN = "姓名"
# Columns that tables commonly carry for people, not for the generator: read past without a message.
IGNORED_COLUMNS = ("序号", "备注")
# A roster's member whose name starts with this is one of the example rows `branchbook new branch` writes.
EXAMPLE_MARK = "示例"


def score_key_columns(scheme: Scheme) -> list[str]:
    """The columns a score table must have before its item columns: 支部编号 (and 姓名 for a member scheme)."""
    return [BRANCH_COLUMN] + ([MEMBER_COLUMN] if scheme.subject == "member" else [])


def score_fixed_columns(scheme: Scheme) -> tuple[str, ...]:
    """Every header of a score table that is not an item: the key columns, 支部名称, 序号 and 备注."""
    return (*score_key_columns(scheme), BRANCH_NAME_COLUMN, *IGNORED_COLUMNS)


def header_key(text: str) -> str:
    """A header as it is compared with item ids and names.

    NFKC turns full-width letters, digits, parentheses and spaces (typed with a Chinese input
    method) into their ASCII forms; spaces next to a parenthesis go, other runs of spaces become one.
    """
    text = re.sub(r"\s*([()])\s*", r"\1", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())


def items_by_name(scheme: Scheme) -> dict[str, list[SchemeItem]]:
    """Header key of an item's name → the items of that name."""
    names: dict[str, list[SchemeItem]] = {}
    for item in scheme.items:
        names.setdefault(header_key(item.name), []).append(item)
    return names


def name_alone(scheme: Scheme, item: SchemeItem, names: dict[str, list[SchemeItem]]) -> bool:
    """Whether the item's name alone names it: no other item has that name or that id, and no fixed column."""
    key = header_key(item.name)
    return (bool(key) and len(names[key]) == 1
            and key not in {header_key(other.id) for other in scheme.items if other is not item}
            and key not in {header_key(column) for column in score_fixed_columns(scheme)})


def item_headers(scheme: Scheme) -> dict[str, str]:
    """Item id → the header an entry sheet gives its column: the name, or 「name（id）」 where the name is ambiguous."""
    names = items_by_name(scheme)
    return {item.id: item.name if name_alone(scheme, item, names) else f"{item.name}（{item.id}）"
            for item in scheme.items}
