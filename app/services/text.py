"""Vietnamese text folding for search (DOMAIN.md §3; STYLE.md, pitfalls).

Folding happens once in Python, into a stored column, so SQLite and PostgreSQL compare the same
strings: SQLite FTS5 never folds `đ`, and PostgreSQL's unaccent() is not IMMUTABLE.
"""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9.]+")
_EDGE_DOTS = re.compile(r"(?:^|(?<=\s))\.+|\.+(?=\s|$)")


def fold(text: str) -> str:
    """Lower case, without diacritics, `đ`→`d`, words separated by single spaces.

    NFKC first: full-width letters (`ｄａｎｇ`, as Asian input methods type them), ligatures and
    other compatibility forms become the plain letters they stand for, rather than vanishing
    with the other non-letters. Dots inside a word survive so that procedure codes like
    `1.001234` stay one word.
    """
    compatible = unicodedata.normalize("NFKC", text)
    lowered = compatible.lower().replace("đ", "d").replace("ð", "d")
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NOT_WORD.sub(" ", stripped)
    return " ".join(_EDGE_DOTS.sub(" ", words).split())


def words(text: str) -> list[str]:
    """The distinct folded words of a query, in order."""
    return list(dict.fromkeys(fold(text).split()))
