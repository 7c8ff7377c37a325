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

# Everyday question phrases: the plans never ask questions, so their statistics alone would restore
# "ai" as "ái" or "bao nhieu" as "bảo hiệu". General Vietnamese, not tied to any plan.
QUESTION_LEXICON = """
ai phụ trách. ai chủ trì. ai là người. ai ký. ai thực hiện. ai lo. đơn vị nào chủ trì. cơ quan nào.
những nơi nào. nơi nào. ở đâu. khi nào. lúc nào. bao giờ. bao lâu một lần. bao nhiêu. bao nhiêu phần trăm.
mấy phần trăm. tỷ lệ bao nhiêu. là gì. làm gì. để làm gì. cái gì. những gì. gì vậy. như thế nào. thế nào.
ra sao. tại sao. vì sao. có không. có phải không. có đúng không. được không. lấy từ nguồn nào. từ đâu.
nguồn nào. theo văn bản nào. căn cứ vào đâu. ký ngày nào. chức vụ gì. gửi tới đâu. gửi cho ai.
còn ở. thì sao. vậy. nhé. ạ. cho hỏi. xin hỏi. mình muốn biết. so sánh. khác nhau.
"""

# Key terms of the plans, English → Vietnamese (lower case; longest phrases are matched first).
ENGLISH_TERMS: dict[str, str] = {
    "people's committee": "ủy ban nhân dân",
    "peoples committee": "ủy ban nhân dân",
    "people's council": "hội đồng nhân dân",
    "fatherland front": "mặt trận tổ quốc",
    "youth union": "đoàn thanh niên",
    "women's union": "hội liên hiệp phụ nữ",
    "women's association": "hội liên hiệp phụ nữ",
    "farmers' association": "hội nông dân",
    "farmers association": "hội nông dân",
    "farmers' union": "hội nông dân",
    "veterans' association": "hội cựu chiến binh",
    "veterans association": "hội cựu chiến binh",
    "steering committee": "ban chỉ đạo",
    "culture and society": "văn hóa - xã hội",
    "cultural family": "gia đình văn hóa",
    "cultural families": "gia đình văn hóa",
    "cultural standard": "đạt chuẩn văn hóa",
    "residential group": "tổ dân phố",
    "residential area": "khu dân cư",
    "summary conference": "hội nghị tổng kết",
    "review conference": "hội nghị tổng kết",
    "20-year review": "tổng kết 20 năm",
    "content areas": "nội dung",
    "action program": "chương trình hành động",
    "action programme": "chương trình hành động",
    "implementation": "tổ chức thực hiện",
    "responsible": "phụ trách chịu trách nhiệm",
    "in charge": "phụ trách chủ trì",
    "lead": "chủ trì",
    "leads": "chủ trì",
    "coordinate": "phối hợp",
    "coordinates": "phối hợp",
    "coordinating": "phối hợp",
    "advise": "tham mưu",
    "target": "chỉ tiêu mục tiêu",
    "targets": "chỉ tiêu mục tiêu",
    "goal": "mục tiêu",
    "goals": "mục tiêu",
    "objective": "mục tiêu",
    "objectives": "mục tiêu",
    "purpose": "mục đích",
    "requirement": "yêu cầu",
    "requirements": "yêu cầu",
    "deadline": "thời hạn thời gian trước ngày",
    "when": "thời gian",
    "funding": "kinh phí nguồn",
    "budget": "kinh phí ngân sách",
    "cost": "kinh phí",
    "recipients": "nơi nhận",
    "sent to": "nơi nhận gửi",
    "signed": "ký",
    "signer": "người ký",
    "movement": "phong trào",
    "campaign": "phong trào cuộc vận động",
    "propaganda": "tuyên truyền",
    "communication": "tuyên truyền truyền thông",
    "broadcast": "truyền thanh",
    "radio": "truyền thanh",
    "school": "trường học",
    "schools": "trường học",
    "police": "công an",
    "grassroots": "cơ sở",
    "township": "thị trấn",
    "town": "thị trấn",
    "ward": "phường",
    "commune": "xã",
    "district": "huyện",
    "province": "tỉnh",
    "office": "văn phòng",
    "plan": "kế hoạch",
    "culture": "văn hóa",
    "cultural": "văn hóa",
    "sports": "thể thao",
    "family": "gia đình",
    "families": "gia đình",
    "village": "thôn khu dân cư",
    "reward": "khen thưởng",
    "rewards": "khen thưởng",
    "emulation": "thi đua",
    "poverty": "xóa đói giảm nghèo",
    "environment": "môi trường",
    "education": "giáo dục",
    "law": "pháp luật",
    "festival": "lễ hội",
    "heritage": "di tích di sản",
    "digital": "chuyển đổi số",
    "social evils": "tệ nạn xã hội",
    "drugs": "ma túy",
    "tasks": "nhiệm vụ",
    "task": "nhiệm vụ",
    "duties": "nhiệm vụ",
    "report": "báo cáo",
    "decision": "quyết định",
    "resolution": "nghị quyết",
    "exercise": "tập luyện thể dục thể thao",
    "physical training": "tập luyện thể dục thể thao",
    "regularly": "thường xuyên",
    "regular": "thường xuyên",
    "share": "tỷ lệ",
    "rate": "tỷ lệ",
    "percentage": "tỷ lệ phần trăm",
    "people": "người dân",
    "residents": "người dân",
    "households": "hộ gia đình",
    "household": "hộ gia đình",
    "cultural house": "nhà văn hóa",
    "cultural houses": "nhà văn hóa",
    "community house": "nhà văn hóa",
    "sports ground": "khu thể thao",
    "relics": "di tích",
    "historical relics": "di tích lịch sử",
    "historical sites": "di tích lịch sử",
    "tourism": "du lịch",
    "preservation": "bảo tồn",
    "preserve": "bảo tồn",
    "appendix": "phụ lục",
    "output": "kết quả sản phẩm",
    "outputs": "kết quả sản phẩm",
    "rolled out": "triển khai",
    "roll out": "triển khai",
    "deploy": "triển khai",
    "annually": "hàng năm hằng năm",
    "every year": "hàng năm hằng năm",
    "each year": "hàng năm hằng năm",
    "quarter": "quý",
    "youth": "thanh niên",
    "women": "phụ nữ",
    "elderly": "người cao tuổi",
    "veterans": "cựu chiến binh",
    "farmers": "nông dân",
    "security": "an ninh trật tự",
    "domestic violence": "bạo lực gia đình",
    "wedding": "việc cưới",
    "weddings": "việc cưới",
    "funeral": "việc tang",
    "funerals": "việc tang",
    "civilized lifestyle": "nếp sống văn minh",
    "civilised lifestyle": "nếp sống văn minh",
    "new rural": "nông thôn mới",
    "civilized urban": "đô thị văn minh",
    "commendation": "khen thưởng",
    "award": "khen thưởng",
    "awards": "khen thưởng",
    "certificate of merit": "giấy khen",
    "inspection": "kiểm tra",
    "supervision": "giám sát",
    "training": "tập huấn bồi dưỡng",
    "officials": "cán bộ",
    "cadres": "cán bộ",
    "civil servants": "công chức",
    "civil servant": "công chức",
    "library": "thư viện",
    "reading": "đọc sách",
    "lifelong learning": "học tập suốt đời",
    "gratitude": "đền ơn đáp nghĩa",
    "information center": "trung tâm thông tin",
    "information centre": "trung tâm thông tin",
    "public service center": "trung tâm dịch vụ sự nghiệp công",
    "website": "trang thông tin điện tử",
    "portal": "cổng thông tin điện tử",
    "loudspeaker": "truyền thanh",
    "members": "thành viên",
    "member": "thành viên",
    "head": "trưởng",
    "chairman": "chủ tịch",
    "chairwoman": "chủ tịch",
    "secretary": "bí thư",
    "party committee": "đảng ủy",
    "standing committee": "ban thường vụ",
    "lessons": "bài học kinh nghiệm",
    "lessons learned": "bài học kinh nghiệm",
    "limitations": "tồn tại hạn chế",
    "weaknesses": "tồn tại hạn chế",
    "purposes": "mục đích",
    "solutions": "giải pháp",
    "solution": "giải pháp",
    "morality": "đạo đức",
    "ethics": "đạo đức",
    "lifestyle": "lối sống",
    "tradition": "truyền thống",
    "traditional": "truyền thống",
}
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
