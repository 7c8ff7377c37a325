"""Vietnamese text normalisation shared by indexing and queries.

Pure functions, no heavy imports. Three forms of a text exist:

* the *display* form (:func:`clean`): the document's own spelling, Unicode NFC, tidy spaces;
* the *match* form (:func:`match_form`): one tone-mark placement, lower case, single spaces;
  everything is compared in this form, so "hoá" = "hóa" and "Uỷ" = "ủy";
* the *folded* form (:func:`fold`): the match form without any diacritic (đ → d), for queries
  typed without accents.

Every matching rule change must bump :data:`NORMALIZER_VERSION`, which index manifests store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

NORMALIZER_VERSION = "vi-2"

# --- clean -------------------------------------------------------------------------------------

# Spaces other than the plain one (NBSP, thin, ideographic, ...) and zero-width characters.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_RUN = re.compile(r" {2,}")
_TRAILING_SPACES = re.compile(r" +$", re.MULTILINE)


# A UTF-16 surrogate on its own is no character: JSON ("\\ud800") and bytes a terminal could not
# decode (Python's surrogateescape) can still put one in a str, which then cannot be encoded.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def lone_surrogate(text: str) -> int | None:
    """The index of the first lone surrogate in ``text`` (not a character, cannot be encoded), else ``None``."""
    found = _SURROGATE.search(text)
    return found.start() if found else None


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (the replacement character)."""
    return _SURROGATE.sub("\ufffd", text)


def clean(text: str) -> str:
    """Return the display form of ``text``.

    Unicode NFC; odd spaces become a plain space; zero-width and control characters are removed
    (``\\n`` and ``\\t`` are kept, ``\\r`` becomes ``\\n``); runs of spaces collapse to one; trailing
    spaces of every line are removed. Case and tone-mark placement are left as written.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _ODD_SPACES.sub(" ", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACE_RUN.sub(" ", text)
    return _TRAILING_SPACES.sub("", text)


# --- tone marks --------------------------------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (combining forms)
_QUALITY_VOWELS = set("ăâêôơư")  # vowels carrying a shape mark: they take the tone first
_VOWELS = set("aăâeêioôơuưy")
_WORD = re.compile(r"[^\W\d_]+")


def _split_tone(char: str) -> tuple[str, str]:
    """Split one NFC character into (base character in NFC, tone mark or "")."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = "".join(c for c in decomposed if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return base, tone


def _tone_position(bases: str) -> int | None:
    """Index of the vowel that carries the tone in the toneless lower-case syllable ``bases``.

    Modern placement: a shape-marked vowel takes it (the last one: "ươ" → ơ); otherwise the last
    vowel of the cluster when a final consonant follows ("hoàn", "toán"); otherwise the middle one
    of three vowels ("ngoài") and the first of two ("hóa", "thúy", "khỏe", "mái"). "qu" and "gi"
    before a vowel are onsets, so their u/i never carry the tone ("quý", "giá").
    Returns ``None`` when the word is not a plausible Vietnamese syllable.
    """
    start = 2 if bases[:2] in ("qu", "gi") and len(bases) > 2 and bases[2] in _VOWELS else 0
    first = next((i for i in range(start, len(bases)) if bases[i] in _VOWELS), None)
    if first is None:
        return None
    end = first
    while end < len(bases) and bases[end] in _VOWELS:
        end += 1
    if any(c in _VOWELS for c in bases[end:]):
        return None  # two vowel groups: not one syllable
    cluster = range(first, end)
    marked = [i for i in cluster if bases[i] in _QUALITY_VOWELS]
    if marked:
        return marked[-1]
    size = end - first
    if end < len(bases):  # closed syllable
        return end - 1
    if size >= 3:
        return first + 1
    return first


def _unify_word(word: str) -> str:
    """Move the tone mark of one word to its modern position (case kept)."""
    pairs = [_split_tone(c) for c in word]
    toned = [i for i, (_, tone) in enumerate(pairs) if tone]
    if len(toned) != 1:
        return word
    bases = "".join(b for b, _ in pairs).lower()
    if len(bases) != len(word):
        return word
    target = _tone_position(bases)
    current = toned[0]
    if target is None or target == current:
        return word
    tone = pairs[current][1]
    chars = [b for b, _ in pairs]
    chars[target] = unicodedata.normalize("NFC", chars[target] + tone)
    return "".join(chars)


def unify_tone_marks(text: str) -> str:
    """Return ``text`` with one tone-mark placement: hoá → hóa, uỷ → ủy, khoẻ → khỏe.

    Syllables whose placement is fixed ("hoàn", "quyền", "thuyết") are unchanged; case is kept.
    """
    text = unicodedata.normalize("NFC", text)
    return _WORD.sub(lambda m: _unify_word(m.group(0)), text)


# --- match and fold ----------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")


def match_form(text: str) -> str:
    """The form everything is compared in: clean, one tone placement, lower case, single spaces."""
    return _WHITESPACE.sub(" ", unify_tone_marks(clean(text)).lower()).strip()


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """:func:`match_form` without any diacritic and with đ → d: "Đời sống" → "doi song"."""
    return _strip_marks(match_form(text))


# --- tokens ------------------------------------------------------------------------------------

# A run of letters/digits, possibly chained by . / - , (dates, document numbers, decimals), with an
# optional percent sign (also "100 %").
_TOKEN = re.compile(r"[^\W_]+(?:[./,\-][^\W_]+)*(?: ?%)?")
_CHAIN = re.compile(r"[./,\-]")


def tokens(text: str) -> list[str]:
    """Syllable tokens of :func:`match_form`.

    Chains holding a digit stay one token ("15/6/2026", "2021-2025", "97%", "18/2020/nq-hđnd");
    chains of plain words split into their syllables ("tin/bài" → "tin", "bài").
    """
    out: list[str] = []
    for match in _TOKEN.finditer(match_form(text)):
        token = match.group(0).replace(" ", "")
        if any(c.isdigit() for c in token):
            out.append(token)
        else:
            out.extend(part for part in _CHAIN.split(token.rstrip("%")) if part)
    return out


def token_parts(token: str) -> list[str]:
    """Pieces of a chained token that are worth matching on their own (two characters or more).

    "2478/qđ-ttg" → ["2478", "qđ", "ttg"]; "covid-19" → ["covid", "19"]; a plain token → [].
    Users type "QĐ 2478" or "covid" for what the plans write as one chained token.
    """
    if not _CHAIN.search(token):
        return []
    return [part for part in _CHAIN.split(token.rstrip("%")) if len(part) >= 2]


# --- abbreviations -----------------------------------------------------------------------------

ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {
        "UBND": "Ủy ban nhân dân",
        "HĐND": "Hội đồng nhân dân",
        "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
        "MTTQ": "Mặt trận Tổ quốc",
        "BCĐ": "Ban Chỉ đạo",
        "BCH": "Ban Chấp hành",
        "VHXH": "Văn hóa - Xã hội",
        "VH-XH": "Văn hóa - Xã hội",
        "CT-XH": "chính trị - xã hội",
        "TDĐKXDĐSVH": "Toàn dân đoàn kết xây dựng đời sống văn hóa",
        "TDDKXĐĐSVH": "Toàn dân đoàn kết xây dựng đời sống văn hóa",
        "GĐVH": "gia đình văn hóa",
        "TDP": "tổ dân phố",
        "KDC": "khu dân cư",
        "VH": "văn hóa",
        "TT&DL": "Thể thao và Du lịch",
        "VHTT&DL": "Văn hóa, Thể thao và Du lịch",
        "CNTT": "công nghệ thông tin",
        "TTg": "Thủ tướng Chính phủ",
        "KH": "kế hoạch",
        "CTr": "chương trình",
        "QĐ": "quyết định",
        "NQ": "nghị quyết",
        "VPĐU": "Văn phòng Đảng ủy",
        "TTĐU": "Thường trực Đảng ủy",
        "ĐU": "Đảng ủy",
        "VP": "Văn phòng",
        "NVH": "nhà văn hóa",
        "KN": "kinh nghiệm",
        "GP": "giải pháp",
        "CQ": "cơ quan",
        "ĐV": "đơn vị",
        "KP": "kinh phí",
        "HN": "hội nghị",
        "NV": "nhiệm vụ",
        "BTV": "Ban Thường vụ",
        "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
        "HLHPN": "Hội Liên hiệp Phụ nữ",
        "HLHTN": "Hội Liên hiệp Thanh niên",
        "CCB": "Cựu chiến binh",
        "ĐTN": "Đoàn Thanh niên",
        "TDTT": "thể dục thể thao",
        "NTM": "nông thôn mới",
        "KT-XH": "kinh tế - xã hội",
        "ANTT": "an ninh trật tự",
        "XHH": "xã hội hóa",
        "CCVC": "công chức, viên chức",
        "PT": "phong trào",
        "PL": "phụ lục",
        "TW": "Trung ương",
        "TT": "thị trấn",
        "TP": "thành phố",
        "TX": "thị xã",
        "P.": "phường",
        "X.": "xã",
        "H.": "huyện",
        "T.": "tỉnh",
    }
)

# Short or ambiguous forms: expanded only when written exactly so (case-sensitive).
_CASE_SENSITIVE = frozenset(
    {
        "VH",
        "KH",
        "CTr",
        "TTg",
        "TDP",
        "KDC",
        "QĐ",
        "NQ",
        "ĐU",
        "VP",
        "NVH",
        "KN",
        "GP",
        "CQ",
        "ĐV",
        "KP",
        "HN",
        "NV",
        "BTV",
        "CCB",
        "PT",
        "PL",
        "TW",
        "XHH",
    }
)
# Expanded only before a capitalised place name ("TT Cao Lộc", "P. Lê Chân").
_BEFORE_PLACE = frozenset({"TT", "TP", "TX", "P.", "X.", "H.", "T."})
# Capitalised words after "TT" that are not place names ("TT Đảng ủy" = Thường trực Đảng ủy).
_NOT_PLACES = frozenset({"đảng", "hđnd", "ubnd", "hđnd,", "mttq", "ban", "văn", "trung"})

_LEFT = r"(?<![\w/\-&.])"
_RIGHT = r"(?![\w/\-&])"


def _key_pattern(key: str) -> str:
    """Regex source for ``key``: spaces allowed around "-" and "&" ("CT - XH")."""
    parts = [re.escape(c) if c not in "-&" else rf"\s*{re.escape(c)}\s*" for c in key]
    return "".join(parts)


def _fold_chars(text: str) -> str:
    """Fold ``text`` character by character (length kept, so offsets stay valid)."""
    return "".join((_strip_marks(c).lower() or c)[:1] if c.strip() else c for c in text)


_INSENSITIVE = {
    _fold_chars(k): v for k, v in ABBREVIATIONS.items() if k not in _CASE_SENSITIVE and k not in _BEFORE_PLACE
}
_INSENSITIVE_KEYS = sorted(_INSENSITIVE, key=len, reverse=True)
_INSENSITIVE_RE = re.compile(f"{_LEFT}({'|'.join(_key_pattern(k) for k in _INSENSITIVE_KEYS)}){_RIGHT}")
_SENSITIVE_KEYS = sorted(_CASE_SENSITIVE, key=len, reverse=True)
_SENSITIVE_RE = re.compile(_LEFT + "(" + "|".join(re.escape(k) for k in _SENSITIVE_KEYS) + ")" + _RIGHT)
_PLACE_RE = re.compile(r"(?<![\w/\-&.])(TT|TP|TX|[PXHT]\.)\.?\s*(?=([A-ZĐÀ-Ỹ][^\W\d_]*))")


def _expansions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, full form) of every abbreviation in ``text``."""
    found: list[tuple[int, int, str]] = []
    folded = _fold_chars(text)
    for m in _INSENSITIVE_RE.finditer(folded):
        key = re.sub(r"\s+", "", m.group(1))
        found.append((m.start(1), m.end(1), _INSENSITIVE[key]))
    for m in _SENSITIVE_RE.finditer(text):
        found.append((m.start(1), m.end(1), ABBREVIATIONS[m.group(1)]))
    for m in _PLACE_RE.finditer(text):
        following = m.group(2)
        if following.isupper() or following.lower() in _NOT_PLACES:
            continue
        found.append((m.start(1), m.end(1), ABBREVIATIONS[m.group(1)]))
    found.sort()
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def expand_abbreviations(text: str) -> str:
    """Append the full form after every abbreviation: "UBND phường" → "UBND Ủy ban nhân dân phường".

    Whole tokens only (never inside "78/KH-UBND"); short ambiguous forms (VH, KH, CTr...) only as
    written; "TT", "P.", "X.", "H.", "T." only before a capitalised place name ("TT Cao Lộc").
    """
    text = unicodedata.normalize("NFC", text)
    pieces: list[str] = []
    last = 0
    for _start, end, full in _expansions(text):
        pieces.append(text[last:end])
        pieces.append(f" {full}")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def replace_abbreviations(text: str) -> str:
    """Replace every abbreviation by its full form: "Trưởng BCĐ TT Cao Lộc" → "Trưởng Ban Chỉ đạo thị trấn Cao Lộc".

    Same recognition rules as :func:`expand_abbreviations`; used where each concept must count once
    (weighing a question's terms), while documents keep both forms for matching.
    """
    text = unicodedata.normalize("NFC", text)
    pieces: list[str] = []
    last = 0
    for start, end, full in _expansions(text):
        pieces.append(text[last:start])
        pieces.append(full)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
