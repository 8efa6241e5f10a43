"""Turn a field-valid workflow into the problems of its step graph, each located in its YAML file.

Pydantic has already checked every field; what is left needs the whole
workflow: duplicate ids, steps pointing at stages or steps that do not exist,
actors outside the vocabulary, stages out of order, sub-steps (`part_of`) of
a step that does not exist, of a sub-step or away from their main step, steps
no path reaches and loops with no way out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.errors import Problem
from generator.load.yaml_source import YamlDocument
from generator.models.content import ACTORS, Stage, Step, Workflow
from generator.validate.messages import did_you_mean, suggestion

# Workflow ids, stage ids and actors are short words: suggest one a little further off than a field name.
CLOSE_ENOUGH = 0.5


def _hint(word: str, choices: Iterable[str], list_all: bool = False) -> str:
    """A suggestion for a mistyped id or actor; with `list_all`, the whole list when nothing is close."""
    options = sorted(choices) if not list_all else list(choices)
    return suggestion(word, options, CLOSE_ENOUGH) or (f"；可选：{'、'.join(options)}" if list_all else "")


def _duplicates(workflow: Workflow, doc: YamlDocument) -> list[Problem]:
    problems = []
    sections: tuple[tuple[str, Sequence[Stage | Step], str, str], ...] = (
        ("stages", workflow.stages, "阶段", "workflow.duplicate-stage"),
        ("steps", workflow.steps, "步骤", "workflow.duplicate-step"))
    for key, items, what, code in sections:
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in first:
                problems.append(Problem(doc.locate((key, index, "id")), code,
                                        f"{what}编号「{item.id}」重复，第 {first[item.id] + 1} 个{what}已使用"))
            first.setdefault(item.id, index)
    return problems


def _stage_problems(workflow: Workflow, doc: YamlDocument) -> list[Problem]:
    order = {stage.id: index for index, stage in reversed(list(enumerate(workflow.stages)))}
    names = {stage.id: stage.name for stage in workflow.stages}
    problems, latest = [], 0
    for index, step in enumerate(workflow.steps):
        at = doc.locate(("steps", index, "stage"))
        if step.stage not in order:
            problems.append(Problem(at, "workflow.unknown-stage",
                                    f"步骤「{step.id}」的所属阶段「{step.stage}」未在「阶段」（stages）中定义"
                                    f"{_hint(step.stage, order)}"))
        elif order[step.stage] < latest:
            problems.append(Problem(at, "workflow.stage-order",
                                    f"步骤「{step.id}」属于阶段「{names[step.stage]}」，却排在后面阶段的步骤之后；"
                                    "同一阶段的步骤应连续排列，并与「阶段」列表的顺序一致"))
        else:
            latest = order[step.stage]
    used = {step.stage for step in workflow.steps}
    for index, stage in enumerate(workflow.stages):
        if stage.id not in used:
            problems.append(Problem(doc.locate(("stages", index, "id")), "workflow.empty-stage",
                                    f"阶段「{stage.id}」（{stage.name}）没有任何步骤"))
    return problems


def _actor_problems(workflow: Workflow, doc: YamlDocument) -> list[Problem]:
    return [Problem(doc.locate(("steps", index, "actor")), "workflow.unknown-actor",
                    f"步骤「{step.id}」的责任主体「{step.actor}」不在责任主体列表中{_hint(step.actor, ACTORS, True)}")
            for index, step in enumerate(workflow.steps) if step.actor not in ACTORS]


def _reference_problems(workflow: Workflow, doc: YamlDocument) -> list[Problem]:
    ids = [step.id for step in workflow.steps]
    problems = []

    def check(target: str | None, path: tuple, what: str) -> None:
        if target is not None and target not in ids:
            problems.append(Problem(doc.locate(path), "workflow.unknown-step",
                                    f"{what}「{target}」不是本流程的步骤编号{_hint(target, ids)}"))

    for index, step in enumerate(workflow.steps):
        if step.next is not None and step.choices is not None:
            problems.append(Problem(doc.locate(("steps", index, "choices"), True), "workflow.next-and-choices",
                                    f"步骤「{step.id}」的「下一步」（next）和「判断分支」（choices）只能填一个"))
        for position, target in enumerate(step.next or []):
            check(target, ("steps", index, "next", position), f"步骤「{step.id}」的下一步")
        for position, choice in enumerate(step.choices or []):
            check(choice.to, ("steps", index, "choices", position, "to"),
                  f"步骤「{step.id}」的分支「{choice.label}」转到的步骤")
        if step.time is not None and step.time.after == step.id:
            problems.append(Problem(doc.locate(("steps", index, "time", "after")), "workflow.time-self",
                                    f"步骤「{step.id}」的时限不能从本步骤起算"))
        elif step.time is not None:
            check(step.time.after, ("steps", index, "time", "after"), f"步骤「{step.id}」时限的起算步骤")
    return problems


def _substep_problems(workflow: Workflow, doc: YamlDocument) -> list[Problem]:
    """A sub-step belongs to a main step of the same stage and is listed next to it (only its siblings between)."""
    ids = [step.id for step in workflow.steps]
    by_id = {step.id: step for step in reversed(workflow.steps)}
    problems = []
    for index, step in enumerate(workflow.steps):
        if step.part_of is None:
            continue
        at, main = doc.locate(("steps", index, "part_of")), by_id.get(step.part_of)
        if step.part_of == step.id:
            problems.append(Problem(at, "workflow.substep-self", f"步骤「{step.id}」不能是自己的子步骤"))
        elif main is None:
            problems.append(Problem(at, "workflow.unknown-step",
                                    f"步骤「{step.id}」的所属步骤（part_of）「{step.part_of}」不是本流程的步骤编号"
                                    f"{_hint(step.part_of, ids)}"))
        elif main.part_of is not None:
            problems.append(Problem(at, "workflow.nested-substep",
                                    f"步骤「{step.id}」所属的「{main.id}」（{main.name}）本身是「{main.part_of}」的子步骤；"
                                    "子步骤不能再分子步骤，请把 part_of 改为主步骤的编号"))
        elif main.stage != step.stage:
            problems.append(Problem(at, "workflow.substep-stage",
                                    f"子步骤「{step.id}」与所属步骤「{main.id}」（{main.name}）不在同一阶段"))
        else:
            start, end = sorted((index, ids.index(main.id)))
            between = workflow.steps[start + 1:end]
            if any(other.part_of != main.id for other in between):
                problems.append(Problem(at, "workflow.substep-apart",
                                        f"子步骤「{step.id}」应紧挨所属步骤「{main.id}」（{main.name}）排列，"
                                        "中间只能有它的其他子步骤"))
    return problems


def _reached(starts: Iterable[str], edges: dict[str, list[str]]) -> set[str]:
    seen, todo = set(), list(starts)
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(edges.get(current, []))
    return seen


def _resolved(target: str | None, known: list[str]) -> str | None:
    """A dangling target read as the step it most likely meant, so one typo is reported once."""
    if target is None or target in known:
        return target
    return did_you_mean(target, known, CLOSE_ENOUGH)


def _graph_problems(workflow: Workflow, doc: YamlDocument) -> list[Problem]:
    ids = [step.id for step in workflow.steps]
    if len(set(ids)) < len(ids):
        return []  # with two steps of one id the graph is ambiguous; the duplicate is reported instead
    successors = workflow.successors()
    forward = {step: [t for t in map(lambda t: _resolved(t, ids), targets) if t] for step, targets in successors.items()}
    backward: dict[str, list[str]] = {}
    for step, targets in forward.items():
        for target in targets:
            backward.setdefault(target, []).append(step)
    reachable = _reached([ids[0]], forward)
    ends = [step for step, targets in successors.items() if not targets or None in targets]
    trapped = [step for step in workflow.steps if step.id in reachable - _reached(ends, backward)]
    problems = [Problem(doc.locate(("steps", index, "id")), "workflow.unreachable",
                        f"步骤「{step.id}」（{step.name}）从第一个步骤出发无法到达；"
                        "请检查前面步骤的「下一步」（next）或「判断分支」（choices）")
                for index, step in enumerate(workflow.steps) if step.id not in reachable]
    if trapped:
        names = "、".join(f"「{step.id}」" for step in trapped)
        problems.append(Problem(doc.locate(("steps", ids.index(trapped[-1].id), "id")), "workflow.no-end",
                                f"步骤{names}形成了没有出口的循环，走不到流程结束；"
                                "请让其中的判断分支通往后续步骤或结束"))
    return problems


def workflow_problems(workflow: Workflow, doc: YamlDocument) -> list[Problem]:
    """Every problem of the workflow's structure, located at the offending value."""
    return (_duplicates(workflow, doc) + _stage_problems(workflow, doc) + _actor_problems(workflow, doc)
            + _reference_problems(workflow, doc) + _substep_problems(workflow, doc) + _graph_problems(workflow, doc))
