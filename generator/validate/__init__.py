"""Turn parsed sources into a validated `Project`, or into every located Chinese `Problem` at once.

Each file is checked against its pydantic model (`messages` turns pydantic's
errors into Chinese, located by the source marks); the checks that need more
than one file — ids, rosters, score tables, workflows' step graphs, schemes,
calendars, chapter texts — follow. `project.validate_project` is the entry and
raises `ProblemsFound` once with everything found.
"""
