"""Chinese word segmentation of the site's search index, shaped for how Material's search reads it.

Material's search plugin writes the index with the Chinese text cut into words by jieba (U+200B
between the words) and the browser indexes every run between separators as one token. The browser
does not segment a query with jieba: it splits each run of Chinese characters in the query greedily
into tokens that already exist in the index, never letting a token end at the query's last
character, and searches each piece as a prefix (`piece*`). When no token of the index is a proper
prefix of the query, the query stays whole and is searched as `query*`. Two consequences:

- a single-character token in the index (党, 一, 会, 的 …) turns a two-character query into a search
  for that one character: 党费 became 党*, which ranks every 党… page alike;
- a query cut into several pieces is reported by Material as missing its first pieces (it compares
  the pieces with a wildcard still attached) and gets an empty or partial `?h=` highlight.

So the index is segmented again here, after Material has written it:

- with a jieba tokenizer of its own (the process-wide one is left alone, so builds in one process
  do not influence each other) that knows the domain's terms in `DOMAIN_TERMS`, so 三会一课,
  主题党日, 组织生活会 stay one word. Only words jieba would cut apart and whose later part nobody
  searches for alone belong there: a token is found by its start only, so 入党积极分子 or a whole
  title such as 支部党员大会 as one token would hide 积极分子 and 党员大会 from the search;
- no token is a single Chinese character: a one-character word is joined to the word before it
  (党小组 + 会 → 党小组会, 2026 + 年), or at the start of a run to the word after it. Every longer
  word keeps its own start, so a search for it still finds it as a prefix. A character alone
  between separators (（二）, 14 名) gets U+200B on both sides, which the separator in mkdocs.yml
  consumes as a whole (`\u200b[\u3400-\u9fff]\u200b`), so it is no token at all.

The separator splits at U+200B, white space and punctuation only; the text shown in results is
unchanged (U+200B is invisible).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words of Party branch work that jieba's dictionary cuts into pieces or that readers search for.
DOMAIN_TERMS = (
    "三会一课", "主题党日", "组织生活会", "民主生活会", "民主评议党员", "谈心谈话", "党员大会",
    "支委会", "党小组会", "党小组", "党课", "入党申请书", "入党志愿书",
    "积极分子", "发展对象", "预备党员", "正式党员", "预备期", "转正", "公示期", "组织关系转接", "组织关系",
    "党费", "换届", "换届选举", "一册五盒", "资料盒", "卷内目录", "党务公开", "政治审查",
    "集中培训", "入党介绍人", "流动红旗", "花名册",
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ZWSP = "\u200b"


class Segmenter:
    """Cuts Chinese text into the index's tokens (see the module docstring)."""

    def __init__(self, terms: Iterable[str], separator: str) -> None:
        import jieba

        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        for term in sorted({*DOMAIN_TERMS, *terms}):
            self._tokenizer.add_word(term)
        try:
            self._separator = re.compile(separator)
        except re.error:
            self._separator = re.compile(r"\s")

    def segment(self, text: str) -> str:
        """`text` with U+200B between its tokens (any U+200B it had are dropped first)."""
        text = text.replace(_ZWSP, "")
        out: list[str] = []
        position = 0
        for run in _HAN.finditer(text):
            start, end = run.span()
            out.append(text[position:start])
            out.append(self._segment_run(run.group(), start > 0 and not self._is_boundary(text[start - 1])))
            if end < len(text) and not self._is_boundary(text[end]):
                out.append(_ZWSP)
            position = end
        out.append(text[position:])
        return "".join(out)

    def _is_boundary(self, char: str) -> bool:
        """Whether a token ends at `char`: a separator, or the edge of an HTML tag (the browser splits there)."""
        return char in "<>" or bool(self._separator.fullmatch(char))

    def _segment_run(self, run: str, after_text: bool) -> str:
        """One run of Chinese characters; `after_text` when a non-separator character comes right before it."""
        attached = ""  # one-character words at the start of the run, joined to the text before it
        pending = ""  # or, after a separator, waiting for the next word
        tokens: list[str] = []
        for word in self._tokenizer.cut(run):
            if len(word) > 1:
                tokens.append(pending + word)
                pending = ""
            elif tokens:
                tokens[-1] += word
            elif after_text:
                attached += word
            else:
                pending += word
        if pending and len(pending) == 1 and not tokens:
            # A lone character between separators: U+200B on both sides, which the separator swallows whole.
            return _ZWSP + pending + _ZWSP
        if pending:  # the run has no longer word: it stays one token
            tokens.append(pending)
        return attached + (_ZWSP if after_text and tokens else "") + _ZWSP.join(tokens)


def segment_index(index: dict, terms: Iterable[str] = ()) -> dict:
    """The search index with every title and text segmented again (see the module docstring)."""
    docs = index.get("docs") or []
    segmenter = Segmenter(terms, (index.get("config") or {}).get("separator", r"\s"))
    for doc in docs:
        for field in ("title", "text"):
            value = doc.get(field)
            if isinstance(value, str):
                doc[field] = segmenter.segment(value)
    return index
