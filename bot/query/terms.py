"""The terms of questions and passages, and how much each weighs as evidence.

Both sides go through :func:`folded_terms`: folded syllables without function words, the pieces of
chained tokens ("2478/qđ-ttg" → "2478", "qđ", "ttg"), and bigrams of adjacent content words. A
question's terms carry IDF weights (:class:`QueryTerms`) computed by the answer service.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from bot.query.rewriting import typed_with_diacritics
from bot.text.normalize import expand_abbreviations, fold, replace_abbreviations, token_parts, tokens

# Question words, particles and function words (folded): they carry no evidence. Informal chat
# particles ("z", "ad", "ko") and comparison/question framing ("so sánh", "cái gì") included.
ENGLISH_STOPWORDS = frozenset(
    """what who which when where how is are was were the of in on for to an does do did by with about and or
    from that this it its be as at any there their whose whom please tell me""".split()
)
STOPWORDS = (
    frozenset(
        """ai gi nao bao nhieu the khong ko k hok vay z a ad ak ah oi nhe nha ha la co cua o tai trong cho ve
        voi va thi duoc cac nhung mot nhu khi nay do hay hoac phai lam sao chu u nhi minh toi ban hoi xin cam
        on cai roi chua day kia lo so sanh biet muon""".split()
    )
    | ENGLISH_STOPWORDS
)
# The same words with their accents (questions are restored before their terms are weighed), and a
# few whose unaccented letters collide with content words ("đâu"/"đầu", "lấy"/"lây", "từ"/"tư").
STOPWORDS_ACCENTED = frozenset(
    """ai gì nào bao nhiêu thế không vậy à ạ ơi nhé nha hả là có của ở tại trong cho về với và thì được các
    những một như khi này đó hay hoặc phải làm sao chứ ư nhỉ mình tôi bạn hỏi xin cảm ơn cái rồi chưa đây kia
    lo so sánh biết muốn đâu lấy từ""".split()
)


@dataclass(frozen=True)
class QueryTerms:
    """The content terms of a question (folded syllables and bigrams) with their IDF weights."""

    weights: dict[str, float]

    @property
    def total(self) -> float:
        """Sum of all weights (0 for a question with no content term)."""
        return sum(self.weights.values())

    def overlap(self, text_terms: set[str]) -> float:
        """Weight of the question terms present in ``text_terms``."""
        return sum(w for t, w in self.weights.items() if t in text_terms)


def folded_terms(text: str, *, replace: bool = False) -> list[str]:
    """Folded syllables of ``text`` without stopwords, the parts of chained tokens, then the bigrams
    of adjacent content words.

    Abbreviations get their full form beside them (documents: both spellings match), or instead of
    them with ``replace`` (questions: a concept typed as "BCĐ" must weigh once, as "Ban Chỉ đạo").
    """
    base = tokens(replace_abbreviations(text) if replace else expand_abbreviations(text))
    accented = typed_with_diacritics(base)
    kept = [None if not t or is_stopword(t, accented=accented) else fold(t) for t in base]
    content = [t for t in kept if t]
    parts = [fold(p) for t in base for p in token_parts(t)]
    # bigrams of words that stand side by side: "kế hoạch của Sơn La" pairs no "hoach_son"
    bigrams = [f"{a}_{b}" for a, b in pairwise(kept) if a and b]
    return content + [p for p in parts if p not in STOPWORDS] + bigrams


def is_stopword(token: str, *, accented: bool = False) -> bool:
    """A question or function word: accented tokens are judged with their accents ("đâu" is one,
    "đầu" is not), unaccented ones by their letters, unless the text they stand in carries
    diacritics (``accented``): there "ban" is "Ban" (a committee), not "bạn"."""
    if token in STOPWORDS_ACCENTED or token in ENGLISH_STOPWORDS:
        return True
    return not accented and token == fold(token) and token in STOPWORDS
