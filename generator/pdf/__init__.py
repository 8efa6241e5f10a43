"""Turn print contexts into PDFs with WeasyPrint: each branch's handbook and five-box set, results and notices.

`context` turns the project into each branch's plain print context;
`print_sets` runs one job per branch on an executor (`executors`: worker processes,
or a Dask cluster), `layers` lays out repeated form pages once; `handbook`, `boxes`,
`results` and `notice` lay out their documents through `typeset` (one Jinja
environment, the theme's CSS, reproducible dates and /ID, only theme files and
data: URIs fetched). The typographic choices are in docs/domain.md (Print conventions).
"""
