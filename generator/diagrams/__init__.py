"""Turn views and workflows into SVG drawings, written directly as text (no plotting library).

The org chart (组织网络图), the workflow flow charts (one per A4 page), the
member-profile chart and the results charts. Each drawing depends only on its
inputs, so the same data always gives the same bytes.

Modules:
  text_fit.py         a text and a font size → its estimated width; a text and a width → wrapped lines
  workflow_layout.py  a workflow → the geometry of its flow chart: rows, stage bands, pages, side edges
  workflow.py         a workflow and its layout → flow-chart SVGs, one per A4 page
  orgchart.py         a branch's public structure (committee, 党小组) → the 组织网络图 SVG
  profile_chart.py    a branch's aggregate profile → its member-structure chart; the SVG helpers charts share
  results_charts.py   assessment results → score-across-periods and band-distribution charts
"""
