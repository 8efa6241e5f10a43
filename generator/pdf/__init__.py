"""Turn print contexts into PDFs with WeasyPrint: each branch's handbook and five-box set, results and notices.

`context` turns the project into each branch's plain print context;
`print_sets` runs one job per branch on an executor (`executors`: worker processes,
or a Dask cluster), `layers` lays out repeated form pages once; `handbook`, `boxes`,
`results` and `notice` lay out their documents through `typeset` (one Jinja
environment, the theme's CSS, reproducible dates and /ID, only theme files and
data: URIs fetched). The typographic choices are in docs/domain.md (Print conventions).

Modules:
  context.py        a validated project → each branch's plain, picklable print context
  context_types.py  the print context's TypedDicts
  forms.py          a branch's year schedule and roster → the blank record forms of its handbook
  outline.py        a print context → the handbook's parts and sections, in print order
  print_sets.py     print jobs (one per branch) → each branch's 手册.pdf and 五盒.pdf, all or none written
  executors.py      where print tasks run: this process, worker processes, or a Dask cluster
  replay.py         the handbook's shared pages drawn once per worker, replayed in every branch's PDF
  layers.py         the pages a form repeats from copy to copy, laid out once and reused
  typeset.py        contexts → laid-out WeasyPrint documents (Jinja HTML, the theme's CSS)
  handbook.py       a print context → the PDF bytes of the 《党支部工作手册》
  boxes.py          a print context → the PDF bytes of the five-box set (labels, inventories, handover)
  labels.py         a box's spine texts and size → label type sizes; labels → A4 sheets
  results.py        internal results → the handbook's 考核情况 and one results PDF per scheme and period
  notice.py         公示 notices → A4 PDFs after GB/T 9704
  fetch.py          which resources WeasyPrint may read: the print theme and data: URIs only
  templates/        the Jinja templates of the printed documents
"""
