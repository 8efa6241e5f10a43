"""Turn views and workflows into SVG drawings, written directly as text (no plotting library).

The org chart (组织网络图), the workflow flow charts (one per A4 page), the
member-profile chart and the results charts. Each drawing depends only on its
inputs, so the same data always gives the same bytes.
"""
