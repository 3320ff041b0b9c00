"""Name search through the full-text indexes ``company_names_fulltext`` and
``person_names_fulltext`` (cypher/schema/009_other_names_fulltext.cypher, over the name and the
other names: other_names, aliases, previous_names, weak_aliases; Lucene's ``cjk`` analyzer:
Chinese, Japanese and Korean text as overlapping character bigrams, other text as lower-cased
words).

:func:`fulltext_query` turns what the caller typed into a Lucene query: each run of two or more
Chinese characters as a phrase of bigrams (so any substring of a Chinese name is found), each
Latin word as a word, the last one as a word start. The statements keep
``toLower(name) CONTAINS toLower($name)`` on the hits (for any one of the names), so every
answer has a name containing the needle;
Latin needles match where a word of the name starts ("hold" finds "Alpha Holdings", "olding"
does not). A needle the index cannot narrow (one Chinese character, only stop words or
punctuation) gets ``None``, and the caller scans every name as before.
"""

from __future__ import annotations

import re

CJK = "\u2e80-\u2fff\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = rf"[^\W{CJK}]+"
_PIECE = re.compile(rf"[{CJK}]+|\d+(?:[.,]\d+)+|{_WORD}(?:[.'’]{_WORD})*")
"""Chinese runs and words as Lucene's standard tokenizer splits them (UAX #29: "o'brien",
"u.s", "3.5" and "1,000" are single words)."""
_CJK_RUN = re.compile(rf"^[{CJK}]+$")
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with"})
"""Lucene's English stop words, which the ``cjk`` analyzer leaves out of the index."""
_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def fulltext_query(needle: str) -> str | None:
    """A Lucene query whose hits include every name containing ``needle`` whose Latin words
    start where the needle's do, or None when the index cannot narrow the search (scan)."""
    pieces = _PIECE.findall(needle.lower())
    clauses = []
    for k, piece in enumerate(pieces):
        if _CJK_RUN.match(piece):
            if len(piece) >= 2:  # overlapping bigrams, in order: a phrase
                clauses.append(f'+"{_escape(piece)}"')
        elif piece not in STOP_WORDS:  # a word; the last one may be cut short
            clauses.append(f"+{_escape(piece)}" + ("*" if k == len(pieces) - 1 else ""))
    return " ".join(clauses) or None
