"""The language of an article, as far as its quotation marks care.

Which way a guillemet points depends on the language: « opens and » closes in French, Russian, Italian or
Spanish; » opens and « closes in German, Danish or Czech; Swedish and Finnish use » (and ”, ’) at both
ends. The loader takes the document's own word for it (`<html lang>`, `Content-Language`, a Markdown
front matter `lang:`); when there is none, `guess_language` guesses from the text: the writing system
for scripts that have one language each here (kana, hangul, Thai ...), else the most frequent function
words of the languages whose quotation conventions differ.
"""

from __future__ import annotations

import re

# Function words frequent in running text and rare in the other languages listed. Enough to tell apart
# the conventions, not a general language identifier.
_STOPWORDS = {
    "en": "the and of to that is was for with said have this from were are would has which",
    "de": "der die und das ist nicht mit den sich auch ein eine dass sagte wir wurde für auf",
    "fr": "le la les des est une dans que pour pas qui sur nous avec sont été selon aux",
    "es": "el los las del que una por para con según fue está pero como dijo más sus",
    "it": "il della che non sono per una gli nel alla anche è ha detto come questo sul",
    "pt": "não uma para com que dos das foi mais pelo segundo disse também são seu",
    "nl": "het een van dat niet zijn voor met ook wordt werd zei volgens naar heeft",
    "sv": "och att det som inte för med har till är var den ett säger enligt också",
    "fi": "ja on ei että se oli mukaan myös hän ovat kun tai sanoi joka mutta",
    "da": "og at det ikke er for med har til var den som siger ifølge også af",
    "nb": "og ikke det er som for med har til var den på sier ifølge også av",
    "pl": "nie się jest że na do to jak ale według oraz przez był jego",
    "cs": "se na je že ale jsou byl podle jako také který není bylo jeho",
    "hu": "a az és hogy nem egy is van meg szerint volt már mint csak",
}
_WORD = re.compile(r"[^\W\d_]+")
_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),  # hiragana, katakana
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),  # han without kana
    ("uk", re.compile(r"[іїєґІЇЄҐ]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
)
_SAMPLE = 20_000  # characters looked at
_WORD_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}


def primary(language: str | None) -> str | None:
    """`"de-CH"` -> `"de-ch"` kept whole when the region matters to quotation marks, else `"de"`;
    None for an empty or unusable tag."""
    if not language:
        return None
    tag = language.strip().lower().replace("_", "-").split(",")[0].strip()
    if not tag or not tag[0].isalpha():
        return None
    if tag.startswith(("de-ch", "de-li")):
        return tag[:5]
    return tag.split("-")[0] or None


def guess_language(text: str) -> str | None:
    """A guess at the text's language (ISO 639-1 code), or None when the sample is too thin.

    Scripts first (a few kana make a Japanese text), then function-word counts over the first
    20,000 characters; a guess needs at least 3 function words and a clear lead.
    """
    sample = text[:_SAMPLE]
    letters = sum(1 for c in sample if c.isalpha()) or 1
    for lang, pattern in _SCRIPTS:
        hits = len(pattern.findall(sample))
        # Cyrillic letters in a Ukrainian text are mostly shared with Russian: a few і/ї/є decide it
        if hits and (lang == "uk" or hits >= 0.05 * letters or (lang == "ja" and hits >= 3)):
            if lang == "uk" and not _SCRIPTS[5][1].search(sample):
                continue
            return lang
    counts = dict.fromkeys(_WORD_SETS, 0)
    for m in _WORD.finditer(sample.lower()):
        w = m.group()
        for lang, words in _WORD_SETS.items():
            if w in words:
                counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, n1), (_, n2) = ranked[0], ranked[1]
    if n1 < 3 or n1 < 1.2 * n2:
        return None
    return best
