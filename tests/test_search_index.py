"""The search index keeps the words readers search for whole, also as the browser cuts a query (no Chromium)."""

from __future__ import annotations

import re

from generator.search_index import DOMAIN_TERMS, Segmenter, browser_pieces, index_tokens, segment_index

SEPARATOR = r"(?:\u200b[\u3400-\u9fff]\u200b|[\s\u200b\u3000\-、。，．？！；：（）「」『』《》〈〉【】“”‘’…—·,;:!?()\[\]\"])+"


def _index(*texts: str) -> dict:
    return {"config": {"separator": SEPARATOR},
            "docs": [{"location": f"p{number}.html", "title": "标题", "text": text} for number, text in enumerate(texts)]}


def _tokens(index: dict) -> set[str]:
    return set().union(*(index_tokens(doc["text"], re.compile(SEPARATOR)) for doc in index["docs"]))


def test_browser_cuts_a_query_where_index_tokens_start():
    # As Material's segment(): the longest token at the start that ends before the last character,
    # then on from its end where another token starts; no token at the start keeps the query whole.
    assert browser_pieces("入党志愿书", {"入党", "志愿"}) == ["入党", "志愿"]
    assert browser_pieces("入党志愿书", {"入党", "志愿书"}) == ["入党"]
    assert browser_pieces("公示期", {"公示"}) == ["公示"]
    assert browser_pieces("三会一课", {"三会一课", "一课"}) == ["三会一课"]


def test_a_word_that_would_cut_a_domain_term_is_joined_to_its_neighbour():
    texts = ("确定入党积极分子。", "发展对象填写入党志愿书。", "党员每年参加志愿服务不少于 6 次。", "本人提出转正申请、党小组提出意见。")
    words = Segmenter((), SEPARATOR)   # jieba's words alone: 志愿 (of 志愿服务) cuts 入党志愿书 in the browser
    plain = set().union(*(words.tokens(words.segment(text)) for text in texts))
    assert browser_pieces("入党志愿书", plain) == ["入党", "志愿"]
    index = segment_index(_index(*texts))
    tokens = _tokens(index)
    assert {"志愿服务", "转正申请"} <= tokens and not {"志愿", "申请"} & tokens
    for term in ("入党志愿书", "入党申请书"):
        assert len(browser_pieces(term, tokens)) == 1, (term, browser_pieces(term, tokens))
    # The shown text is unchanged but for the invisible U+200B.
    assert [doc["text"].replace("\u200b", "") for doc in index["docs"]] == list(texts)


def test_no_domain_term_is_cut_into_pieces_by_the_standard_library_texts():
    texts = ["积极分子经过一年以上培养，支委会研究确定发展对象，发展对象填写入党志愿书。",
             "召开民主生活会和组织生活会，开展民主评议党员，参加志愿服务。"]
    tokens = _tokens(segment_index(_index(*texts)))
    assert [term for term in DOMAIN_TERMS if len(browser_pieces(term, tokens)) > 1] == []
    assert "支委会" in DOMAIN_TERMS and "支委会" in tokens
