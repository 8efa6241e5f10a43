"""branchbook: turn a 基层党组织's data folder into a handbook website and the print sets of 一册五盒.

The stages, each a subpackage that turns one thing into the next (the
pipeline, `generator.pipeline`, runs them in this order):

* `load`      — the project folder → parsed sources (YAML with line/column, tables with cell locations);
* `validate`  — parsed sources → a validated `models.Project`, or every located mistake at once;
* `compute`   — the project → plain data: audience views, profiles, schedules, results, notices;
* `diagrams`  — views and workflows → SVG drawings;
* `render`    — views → the site's Markdown pages, built into HTML by `site`;
* `pdf`       — print contexts → the handbook, five-box and notice PDFs.

`models` describes the data formats users edit; `docs/domain.md` the rules the code implements.
"""
