"""Turn parsed sources into a validated `Project`, or into every located Chinese `Problem` at once.

Each file is checked against its pydantic model (`messages` turns pydantic's
errors into Chinese, located by the source marks); the checks that need more
than one file — ids, rosters, score tables, workflows' step graphs, schemes,
calendars, chapter texts — follow. `project.validate_project` is the entry and
raises `ProblemsFound` once with everything found.

Modules:
  project.py    parsed sources → a validated `Project`, or `ProblemsFound` (the entry of this stage)
  messages.py   pydantic errors → located Chinese problems; "did you mean" suggestions
  workflows.py  a field-valid workflow → the problems of its step graph
  schemes.py    schemes, score sheets and calendar years → the problems that span files
  wording.py    the organization variables in the content texts → the organization's words
  chapters.py   each chapter's Jinja → located problems, by rendering it once in the sandbox
"""
