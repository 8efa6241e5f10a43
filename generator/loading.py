"""The first stage of the pipeline, 读取与校验: a project folder read and validated into a `Project`.

It lives apart from `generator.pipeline` (which re-exports it) so that `check`
can load and validate without importing the renderers, WeasyPrint, pandas and
MkDocs, which take most of a second to import.
"""

from __future__ import annotations

from pathlib import Path

from generator.load.project import load_sources
from generator.models import Project
from generator.validate.project import validate_project


def load_project(root: Path) -> Project:
    """Load and validate; raises ProblemsFound with every mistake in the inputs."""
    return validate_project(load_sources(root))
