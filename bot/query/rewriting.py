"""Query understanding learned from the indexed corpus: diacritics, typos, acronyms, English terms.

Citizens type "ai phu trach tuyen truyen o kinh mon", "trường hoc ở Cao Lôc", "ưng dụng CNTT",
"TDĐKXDĐSVH" or English. Before retrieval a question is rewritten into the corpus' own Vietnamese:

* **diacritic restoration**: every syllable typed without accents (or with accents the corpus never
  uses, i.e. a typo) is replaced by the most likely accented syllable, chosen by a Viterbi search over
  syllable bigram statistics of the indexed plans themselves (interpolated with unigrams);
* **typo tolerance**: a syllable unknown to the corpus is matched against syllables one edit away
  (symmetric-delete index), and a run of letters that is two known syllables glued together is split;
* **acronyms learned from the documents** ("(“TDDKXĐĐSVH”)", "(sau đây gọi tắt là Ban Chỉ đạo)")
  add their long form;
* **English**: a small bilingual term map adds the Vietnamese words of the campaign's key terms.

The raw question is always kept: callers get both forms (:class:`AnalysedQuery`).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.query.lexicon import ENGLISH_TERMS, QUESTION_LEXICON
from bot.text.normalize import fold, match_form, tokens

# Interpolation of bigram and unigram probabilities; the floor keeps unseen words possible.
_LAMBDA = 0.75
_FLOOR = 1e-7
_EDIT_PENALTY = 0.05
_MIN_EDIT_LENGTH = 4
# In a question typed with diacritics, a syllable typed without any is usually meant as written
# ("do ai ký" is "do", not "đô"): its accented look-alikes are weighted down this much.
_TYPED_PLAIN_PENALTY = 0.02
# Share of a question's syllables carrying diacritics from which it counts as typed with them.
_ACCENTED_SHARE = 0.5
# How much the question phrases below count, relative to one occurrence in a plan.
_LEXICON_WEIGHT = 3

_ENGLISH_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(ENGLISH_TERMS, key=len, reverse=True)) + r")\b"
)
_ENGLISH_WORDS = frozenset(
    "what who which when where how is are was were the of in on for to an does do did by with about and or "
    "from that this it its be as at any there their whose whom".split()
)
# "(“TDDKXĐĐSVH”)" after a phrase, or "(sau đây gọi tắt là X)".
_ACRONYM = re.compile(r"\(\s*[“\"]?([A-ZĐ][A-ZĐ&\-]{2,})[”\"]?\s*\)")
_ALIAS = re.compile(r"\(\s*[Ss]au đây gọi tắt là\s+([^)]{2,60})\)")


@dataclass(frozen=True)
class AnalysedQuery:
    """A question as typed (``raw``) and rewritten into the corpus' Vietnamese (``text``)."""

    raw: str
    text: str  # restored diacritics, corrected typos, learned acronyms and English terms added
    restored: bool  # diacritics were added or typos corrected
    english: bool


def is_english(text: str) -> bool:
    """True when at least a quarter of the words are English function words (and there are 3+)."""
    words = re.findall(r"[a-z']+", text.lower())
    return len(words) >= 3 and sum(w in _ENGLISH_WORDS for w in words) / len(words) >= 0.25


def english_terms(text: str) -> list[str]:
    """Vietnamese renderings of the key English terms found in ``text``."""
    return [ENGLISH_TERMS[m.group(1)] for m in _ENGLISH_PATTERN.finditer(text.lower())]


def typed_with_diacritics(syllables: Sequence[str]) -> bool:
    """Were these syllables typed with diacritics? At least half of the words carry one."""
    words = [s for s in syllables if _is_syllable(s)]
    return bool(words) and sum(fold(w) != w for w in words) / len(words) >= _ACCENTED_SHARE


def _is_syllable(token: str) -> bool:
    return token.isalpha()


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class QueryRewriter:
    """Rewrites questions using statistics of a corpus of texts (the indexed chunks)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        for text in texts:
            self._count(text)
        for _ in range(_LEXICON_WEIGHT):
            for phrase in QUESTION_LEXICON.split("."):
                self._count(phrase)
        self.total = max(sum(self.unigrams.values()), 1)
        self.by_fold: dict[str, list[str]] = defaultdict(list)
        for syllable, _ in self.unigrams.most_common():
            self.by_fold[fold(syllable)].append(syllable)
        self._near: dict[str, set[str]] = defaultdict(set)
        for folded in self.by_fold:
            if len(folded) >= _MIN_EDIT_LENGTH:
                self._near[folded].add(folded)
                for variant in _deletes(folded):
                    self._near[variant].add(folded)
        self.acronyms = _learn_acronyms(texts)

    def _count(self, text: str) -> None:
        syllables = [t for t in tokens(text) if _is_syllable(t)]
        self.unigrams.update(syllables)
        self.bigrams.update(pairwise(syllables))

    # --- probabilities ---------------------------------------------------------------------------

    def _probability(self, previous: str | None, word: str) -> float:
        unigram = max(self.unigrams.get(word, 0), 0.5) / self.total
        if previous is None or previous not in self.unigrams:
            return max(unigram, _FLOOR)
        bigram = self.bigrams.get((previous, word), 0) / self.unigrams[previous]
        return max(_LAMBDA * bigram + (1 - _LAMBDA) * unigram, _FLOOR)

    def candidates(self, token: str, *, accented_question: bool = False) -> list[tuple[str, float]]:
        """Accented syllables the typed ``token`` may stand for, each with a prior weight.

        A syllable the corpus knows, typed with its accents, stands for itself only. A syllable
        typed without accents (or with accents the corpus never uses) may be any known syllable with
        the same letters; an unknown one may be a known syllable one edit away (weighted down), and
        is always allowed to stay as typed (it may be a word the plans do not use). In a question
        typed with diacritics (``accented_question``), a known syllable typed without them is most
        likely meant as written: its accented look-alikes stay possible but weigh far less.
        """
        if not _is_syllable(token):
            return [(token, 1.0)]
        folded = fold(token)
        if token in self.unigrams and token != folded:
            return [(token, 1.0)]
        plain_known = accented_question and token == folded and token in self.unigrams
        options = [
            (s, _TYPED_PLAIN_PENALTY if plain_known and s != token else 1.0) for s in self.by_fold.get(folded, [])
        ]
        if not options and len(folded) >= _MIN_EDIT_LENGTH:
            near = set()
            for key in {folded} | _deletes(folded):
                near |= self._near.get(key, set())
            options = [(s, _EDIT_PENALTY) for f in sorted(near) for s in self.by_fold[f]]
        if token not in {s for s, _ in options}:
            # kept as typed: as likely as a word seen once (it may be a word the plans never use)
            options.append((token, 1.0))
        return options

    # --- rewriting -------------------------------------------------------------------------------

    def split_glued(self, token: str) -> list[str]:
        """``["truyen", "thong"]`` for "truyenthong" when both halves are known and seen together."""
        folded = fold(token)
        if not _is_syllable(token) or folded in self.by_fold or len(folded) < 5:
            return [token]
        best: tuple[int, list[str]] | None = None
        for cut in range(2, len(folded) - 1):
            left, right = folded[:cut], folded[cut:]
            if left in self.by_fold and right in self.by_fold:
                seen = sum(self.bigrams.get((a, b), 0) for a in self.by_fold[left][:3] for b in self.by_fold[right][:3])
                if seen and (best is None or seen > best[0]):
                    best = (seen, [left, right])
        return best[1] if best else [token]

    def restore(self, text: str) -> str:
        """The most likely accented form of ``text`` (lower case, match form), by Viterbi search."""
        typed = [part for token in tokens(text) for part in self.split_glued(token)]
        if not typed:
            return ""
        accented = typed_with_diacritics(typed)
        # beam: last word → (log probability, words so far)
        beam: dict[str | None, tuple[float, list[str]]] = {None: (0.0, [])}
        for token in typed:
            options = self.candidates(token, accented_question=accented)
            step: dict[str | None, tuple[float, list[str]]] = {}
            for previous, (score, words) in beam.items():
                for word, prior in options:
                    if not _is_syllable(word):
                        value = score
                    else:
                        value = score + math.log(self._probability(previous, word) * prior)
                    key = word if _is_syllable(word) else previous
                    if key not in step or value > step[key][0]:
                        step[key] = (value, [*words, word])
            beam = dict(sorted(step.items(), key=lambda item: item[1][0], reverse=True)[:12])
        return " ".join(max(beam.values(), key=lambda item: item[0])[1])

    def analyse(self, question: str) -> AnalysedQuery:
        """Rewrite ``question``; the result's ``text`` is what retrieval should match."""
        english = is_english(question)
        restored = question if english else self.restore(question)
        changed = not english and restored != " ".join(tokens(question))
        extra = [long for short, long in self.acronyms.items() if short in question]
        if english:
            extra.extend(english_terms(question))
        text = " ".join([restored if changed else question, *extra])
        return AnalysedQuery(raw=question, text=text, restored=changed, english=english)


def _learn_acronyms(texts: Sequence[str]) -> dict[str, str]:
    """Acronyms and aliases defined in the documents: short form → long form."""
    learned: dict[str, str] = {}
    for text in texts:
        for match in _ACRONYM.finditer(text):
            short = match.group(1)
            initials = [c for c in fold(short).replace("-", "").replace("&", "")]
            words = re.findall(r"[^\W\d_]+", text[: match.start()])[-len(initials) - 3 :]
            for start in range(len(words)):
                candidate = words[start : start + len(initials)]
                if len(candidate) == len(initials) and all(
                    fold(w)[0] == i for w, i in zip(candidate, initials, strict=True)
                ):
                    learned.setdefault(short, " ".join(candidate))
                    break
        for match in _ALIAS.finditer(text):
            alias = match.group(1).strip().rstrip(".,;")
            # the long form: the words just before the parenthesis (the name being abbreviated)
            before = re.findall(r"\S+", text[: match.start()])[-12:]
            learned.setdefault(alias, " ".join(before))
    return {k: v for k, v in learned.items() if match_form(k) != match_form(v)}
