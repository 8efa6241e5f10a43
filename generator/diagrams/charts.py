"""Turn a branch's aggregate profile into a small SVG chart of its member structure.

matplotlib draws it with the CJK font; text stays text in the SVG (fonttype
none) so it is crisp, small and searchable. The hash salt and the empty
metadata date make the output byte-stable.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (backend must be chosen first)

RED = "#b71c1c"
PANELS = (("age_bands", "年龄结构"), ("education", "学历结构"), ("party_age", "党龄结构 (正式党员)"))

plt.rcParams.update({
    "font.family": ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"],
    "svg.fonttype": "none",
    "svg.hashsalt": "branchbook",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
})


def draw_profile_chart(profile: dict) -> str:
    """SVG text with one horizontal bar panel per structure (age, education, 党龄)."""
    figure, axes = plt.subplots(1, len(PANELS), figsize=(10, 2.8))
    for axis, (key, title) in zip(axes, PANELS):
        labels = list(profile[key])[::-1]
        values = [profile[key][label] for label in labels]
        bars = axis.barh(labels, values, color=RED, height=0.6)
        axis.bar_label(bars, padding=3, fontsize=9)
        axis.set_title(title, fontsize=11, loc="left")
        axis.set_xlim(0, max(values + [1]) * 1.25)
        axis.xaxis.set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return buffer.getvalue()
