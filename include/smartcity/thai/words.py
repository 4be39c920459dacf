"""Thai words a search engine can match, for text that runs Thai words together.

CKAN's Solr schema splits text on whitespace only, and Thai writes a phrase without spaces: in
the title ``ข่าวและบทความทางการเกี่ยวกับเมืองอัจฉริยะ`` Solr sees one token, so a search for
``ข่าว`` or ``เมืองอัจฉริยะ`` does not find it. ``search_words`` cuts such a phrase into its
words (PyThaiNLP's dictionary-based ``newmm`` segmenter) so that they can be published
space-separated, where the schema's whitespace tokenizer finds each of them.
"""

from __future__ import annotations

import re
from functools import lru_cache

_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e]")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords  # ~0.1 s; only when Thai text is segmented

    return frozenset(thai_stopwords())


@lru_cache(maxsize=8)
def _dictionary(extra_words: frozenset[str]):  # -> pythainlp.tokenize.Trie (imported lazily)
    from pythainlp.corpus.common import thai_words
    from pythainlp.tokenize import Trie

    return Trie(set(thai_words()) | extra_words)


def search_words(text: str, extra_words: tuple[str, ...] = ()) -> list[str]:
    """The distinct Thai words of ``text`` worth searching for, in order of first appearance.

    ``extra_words``: words to keep whole beside PyThaiNLP's dictionary (a catalogue's own
    keywords such as ``เมืองอัจฉริยะ``; without it newmm may cut ``โครงการเมืองอัจฉริยะ`` into
    ``โครง`` + ``การเมือง``). Function words (PyThaiNLP's Thai stop-word list: ``และ``, ``ที่``,
    ``เกี่ยวกับ``...), tokens of one character and tokens with no Thai letter (Latin words,
    digits, punctuation: the schema already splits those) are left out. Deterministic for a
    given PyThaiNLP version.
    """
    from pythainlp.tokenize import word_tokenize

    stop = _stopwords()
    seen: dict[str, None] = {}
    words = word_tokenize(text, custom_dict=_dictionary(frozenset(extra_words)), engine="newmm",
                          keep_whitespace=False)
    for token in words:
        token = token.strip()
        if len(token) > 1 and _THAI_LETTER.search(token) and token not in stop:
            seen.setdefault(token, None)
    return list(seen)
