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

- no query of a domain term is cut into several pieces. The browser's cut (`browser_pieces`, a
  port of Material's `segment`) takes the longest index token at the query's start and goes on
  at its end only where another index token starts there: 入党志愿书 became 入党 + 志愿, because
  志愿 is a token of 志愿服务 elsewhere. Material then searches 入党** 志愿*, reports both pieces
  as missing (a struck-through 「缺少」 under the snippet) and highlights nothing. So a token
  that would start such a later piece is joined to the word after it wherever it stands alone
  (志愿 + 服务 → 志愿服务, still found by a search for 志愿), or to the word before it at the
  end of a run (转正 + 申请 → 转正申请), until every domain term stays one piece; a search for
  the other word alone (服务, 申请) no longer finds those places.

The separator splits at U+200B, white space and punctuation only; the text shown in results is
unchanged (U+200B is invisible).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

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
_TAG = re.compile(r"<[^>]*>")
_JOIN_ROUNDS = 3     # joining a word can make a new token that cuts another term; a few rounds settle it


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
        self.joined: set[str] = set()   # words joined to a neighbour wherever they stand alone (module docstring)
        self._cuts: dict[str, list[str]] = {}

    def tokens(self, text: str) -> set[str]:
        """The index tokens the browser makes of segmented `text`."""
        return index_tokens(text, self._separator)

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
        if run not in self._cuts:
            self._cuts[run] = list(self._tokenizer.cut(run))
        for word in self._cuts[run]:
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
        tokens = self._join(tokens)
        return attached + (_ZWSP if after_text and tokens else "") + _ZWSP.join(tokens)

    def _join(self, tokens: list[str]) -> list[str]:
        """`tokens` with each joined word attached to the word after it, or, last in its run, before it."""
        result: list[str] = []
        for token in tokens:
            if result and result[-1] in self.joined:
                result[-1] += token
            else:
                result.append(token)
        if len(result) > 1 and result[-1] in self.joined:
            result[-2:] = [result[-2] + result[-1]]
        return result


def index_tokens(text: str, separator: re.Pattern[str]) -> set[str]:
    """The tokens the browser indexes of `text`: between tags and separators, lower case as Lunr keeps them."""
    return {token.lower() for part in _TAG.split(text) for token in separator.split(part) if token}


def browser_pieces(query: str, tokens: Collection[str]) -> list[str]:
    """The pieces Material's search cuts a run of Chinese `query` into, given the index's `tokens`.

    A port of `segment` in Material's search worker (integrations/search/query/segment): the longest
    token starting at each position that ends before the query's last character, then the pieces of
    longest matches with least overlap; no such token at the start leaves the query whole.
    """
    cuts = [0] * len(query)
    for i in range(len(query)):
        for j in range(i + 1, len(query)):
            if query[i:j] in tokens:
                cuts[i] = j - i
    pieces: dict[str, None] = {}
    stack = [0]
    while stack:
        p = stack.pop()
        for q in range(1, cuts[p]):
            if cuts[p + q] > cuts[p] - q:
                pieces[query[p:p + q]] = None
                stack.append(p + q)
        q = p + cuts[p]
        if q < len(query) - 1 and cuts[q]:
            stack.append(q)
        pieces[query[p:q]] = None
    return [query] if "" in pieces else list(pieces)


def _later_pieces(terms: Iterable[str], tokens: Collection[str]) -> set[str]:
    """Index tokens that start a second or later browser piece of one of `terms`."""
    found: set[str] = set()
    for term in terms:
        pieces = browser_pieces(term, tokens)
        found.update(piece for piece in pieces[1:] if piece in tokens)
    return found


def segment_index(index: dict, terms: Iterable[str] = ()) -> dict:
    """The search index with every title and text segmented again (see the module docstring)."""
    terms = sorted({*DOMAIN_TERMS, *terms})
    fields = [(doc, field, doc[field]) for doc in index.get("docs") or [] for field in ("title", "text")
              if isinstance(doc.get(field), str)]
    segmenter = Segmenter(terms, (index.get("config") or {}).get("separator", r"\s"))
    for _ in range(_JOIN_ROUNDS):
        segmented = [segmenter.segment(value) for _, _, value in fields]
        tokens = set().union(*(segmenter.tokens(text) for text in segmented))
        later = _later_pieces(terms, tokens) - segmenter.joined
        if not later:
            break
        segmenter.joined |= later
    for (doc, field, _), text in zip(fields, segmented):
        doc[field] = text
    return index
