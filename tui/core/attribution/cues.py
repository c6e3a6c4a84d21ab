"""The words around a quotation that say who speaks and where the words were said, in the languages
whose conventions marks.py reads. Patterns, not a grammar: each is matched next to a quotation (the
attribution phrase "…,” she said" sits within a clause of the closing mark), never across a sentence.

Sources of the lists: the reporting verbs and attribution formulas of news style guides (AP, Reuters'
"said" rule, Le Monde's and Die Zeit's house usage), taken as the verbs a wire copy actually prints.
"""

from __future__ import annotations

import re

# Reporting verbs, past and present. Multi-word verbs first so the alternation prefers them.
_VERBS = {
    "en": "put it|went on|pointed out|points out|said|says|say|told|tells|added|adds|wrote|writes|"
    "asked|asks|replied|replies|explained|explains|argued|argues|insisted|insists|noted|notes|"
    "stated|states|warned|warns|claimed|claims|declared|declares|continued|continues|recalled|"
    "recalls|posted|posts|tweeted|tweets|announced|announces|admitted|admits|acknowledged|"
    "conceded|concedes|suggested|suggests|concluded|remarked|responded|responds|urged|urges|"
    "countered|repeated|repeats|reported|reports|quipped|joked|complained|observed|emphasised|"
    "emphasized|stressed|stresses|confirmed|confirms|denied|denies|promised|promises|testified|"
    "shouted|agreed|maintained|maintains|cautioned|vowed|boasted|recounted|calls|called|"
    "was blunter|was blunt|put it this way",
    "de": "fügte hinzu|sagte|sagt|sagten|fragt|fragte|erklärte|erklärt|betonte|betont|schrieb|"
    "schreibt|meinte|meint|ergänzte|ergänzt|warnte|warnt|kritisierte|berichtete|berichtet|"
    "versprach|forderte|so",
    "fr": "a déclaré|a ajouté|a expliqué|a affirmé|a estimé|a souligné|a écrit|a précisé|a lancé|"
    "a confié|a assuré|a indiqué|a dit|a-t-il dit|a-t-elle dit|ajoute-t-il|ajoute-t-elle|"
    "explique-t-il|explique-t-elle|dit-il|dit-elle|estime-t-il|estime-t-elle|déclare|ajoute|"
    "explique|affirme|estime|souligne|écrit|précise|lance|confie|assure|indique|poursuit|"
    "raconte|martèle|insiste|prévient|reconnaît|regrette|demande|s'interroge|dit",
    "es": "dijo|dice|pregunta|preguntó|afirmó|afirma|señaló|señala|explicó|explica|aseguró|asegura|"
    "añadió|añade|declaró|declara|escribió|indicó|agregó|sostuvo|advirtió",
    "it": "ha detto|ha dichiarato|chiede|ha chiesto|ha spiegato|ha aggiunto|ha affermato|"
    "ha sottolineato|ha scritto|dice|dichiara|spiega|aggiunge|afferma|sottolinea|scrive",
    "pt": "disse|diz|afirmou|declarou|explicou|acrescentou|escreveu",
    "nl": "voegde toe|zei|zegt|vraagt|vroeg|aldus|schreef|schrijft|verklaarde|benadrukte",
    "sv": "sade|säger|frågar|frågade|skriver|skrev|berättar|berättade|tillägger|förklarar|menar|sa",
    "fi": "sanoi|sanoo|kertoi|kertoo|totesi|toteaa|kirjoitti|kirjoittaa|lisäsi|lisää|muistuttaa|"
    "painotti|arvioi|arvioi",
    "da": "sagde|siger|skriver|skrev|fortæller|tilføjer|sier|forteller",
    "ru": "спрашивает|спросил|спросила|сказал|сказала|сказали|заявил|заявила|заявили|отметил|отметила|"
    "добавил|добавила|пишет|написал|написала|говорит|сообщил|сообщила|подчеркнул|подчеркнула|"
    "пояснил|пояснила",
    "pl": "powiedział|powiedziała|mówi|stwierdził|stwierdziła|dodał|dodała|dodaje|napisał|napisała|"
    "pyta|zapytał|zapytała|twierdzi|podkreśla|przyznaje|zauważa",
}
VERB = "|".join(v for verbs in _VERBS.values() for v in verbs.split("|"))
# Japanese and Chinese attach the verb to the quotation: 「…」と述べた, 他说：“…”
# 「…」と述べた / と反発している: a と right after the closing bracket quotes, whatever the verb
CJK_VERB_AFTER = re.compile(
    r"^\s*と(?:いう|言|述|話|語|説明|強調|指摘|明か|書|投稿|発表|コメント|答|訴|反発|批判|主張|記|し)?"
)
CJK_VERB_BEFORE = re.compile(r"(?:说|表示|指出|称|写道|強調|述べ)[:：]?\s*$")

PRONOUN = (
    r"he|she|they|it|we|I|er|sie|es|il|elle|ils|elles|él|ella|ellos|lui|lei|hän|han|hon|hun|"
    r"он|она|они|ona|on"
)
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽА-ЯЁΑ-Ω"
_NAME_WORD = rf"[{_UPPER}][\w'’.\-]*"
_PARTICLE = r"(?:de|da|van|von|der|den|del|di|du|la|le|al|bin|ibn|af|zu|ten|ter|dos|das)"
NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,3}}"
# "the mayor", "a spokeswoman for the council", "her deputy", "officials"
ROLE = (
    r"(?i:the|a|an|his|her|their|its|our|le|la|les|l'|l’|des|un|une|der|die|das|den|dem|ein|eine|el|los|las|"
    r"una|uno|lo|gli|il|i|de|het|een|det|en|ett)\s*(?<=\s|'|’)(?:[\w\-]+\s+){0,2}?[\w\-]+"
)

# a noun phrase without an article (Finnish, Russian, Polish: "kaupunginjohtaja sanoi")
BARE = (
    r"(?!(?:and|or|but|that|which|who|then|to|had|has|have|was|were|is|are|und|et|y|e|och|ja|og|en|и)\b)"
    r"[^\W\d_][\w\-'’]*(?:\s+[^\W\d_][\w\-'’]*)?"
)
# After the closing mark: "…,” said Ada Lindqvist | she said | the mayor said | Brandt repeated
AFTER_VERB_FIRST = re.compile(
    rf"^\s*[,.!?;—–-]?\s*(?P<verb>{VERB})\s+(?P<speaker>{NAME}|{PRONOUN}|{ROLE}|{BARE})\b"
)
AFTER_SPEAKER_FIRST = re.compile(
    rf"^\s*[,.!?;—–-]?\s*\b(?P<speaker>{NAME}|{PRONOUN}|{ROLE}|{BARE})(?:,[^,“”\"«»]{{1,60}},)?\s+"
    rf"(?:(?:also|then|later|once|had|has|have|would|will|\w+ly)\s+)?(?P<verb>{VERB})\b",
)
# Before the opening mark: "Mayor Ines Calloway told the Ledger that the vote was “…"
BEFORE = re.compile(
    rf"\b(?P<speaker>{NAME}|{PRONOUN}|{ROLE})(?:,[^,“”\"«»]{{1,60}},)?\s+(?:(?:also|then|later|\w+ly)\s+)?"
    rf"(?P<verb>{VERB})\b[^“”\"«»「」]{{0,120}}$"
)
BEFORE_COLON = re.compile(rf"(?:^|[\s,(])(?P<speaker>{NAME}|{ROLE})[^.!?:“”\"«»]{{0,60}}:\s*$")

# Where the words were said: a source named in prose. Group "source" is the name.
_SOURCE = rf"(?:(?:the|der|die|das|le|la|les|el|il|o|a)\s+)?{NAME}"
NAMED_SOURCE = (
    re.compile(
        rf"\b(?i:according to|as reported by|reported by|citing|cited by|told|in an interview with|"
        rf"speaking to|speaking with|in a statement to|in comments to|laut|gegenüber|selon|d'après|"
        rf"a déclaré à|a confié à|según|de acuerdo con|secondo|segundo|volgens|enligt|ifølge|"
        rf"по словам|по данным|как сообщает|как пишет|według)\s+(?P<source>{_SOURCE})"
    ),
    re.compile(
        rf"\b(?P<source>{_SOURCE})(?:'s|’s)?\s+(?:reported|reports|wrote|writes|published|revealed|found|"
        rf"quoted|quotes|cites|cited|berichtete|berichtet|schrieb|zitiert|zitierte|zufolge|rapporte|"
        rf"a rapporté|cite|citait|informó|cita|riporta|citerar|citerade|siteeraa|siteerasi|цитирует|"
        rf"writes|schreibt|écrit|escribe|scrive|skriver|kirjoittaa|schrijft|pisze|podaje|informuje|donosi|"
        rf"сообщает|сообщил|пишет)\b"
    ),
    re.compile(rf"(?P<source>{NAME})\s+mukaan"),  # Finnish, genitive: Ledgerin mukaan
    re.compile(r"(?P<source>[^、。「」\s]{2,20})(?:によると|によれば|の報道|が報じた)"),  # Japanese
)

# A link presented as a report ("the Gazette reported", "according to the Ledger", "según El Diario"):
# it covers the people quoted after it in its paragraph. "Told the Ledger" is one person's words.
REPORTED_BY = (
    re.compile(
        rf"\b(?i:according to|as reported by|reported by|citing|laut|selon|d'après|según|de acuerdo con|"
        rf"secondo|segundo|volgens|enligt|ifølge|по данным|как сообщает|как пишет|według)\s+"
        rf"(?P<source>{_SOURCE})"
    ),
    NAMED_SOURCE[1],
    NAMED_SOURCE[2],
    NAMED_SOURCE[3],
)

# Words said to the writer: no link is their source unless the link sits on these words.
SAID_TO_WRITER = re.compile(
    r"\b(?:told|said to|speaking to|talking to|spoke to|spoke with|explained to|wrote to)\s+"
    r"(?:this|our)\s+(?:newspaper|paper|site|website|publication|outlet|magazine|reporter|"
    r"correspondent|writer|author|programme|program|podcast|newsroom)\b"
    r"|\b(?:told|said to|speaking to|talking to|spoke to|explained to|wrote to)\s+"
    r"(?:me|us|reporters|journalists)\b"
    r"|\b(?:in|during) an? (?:interview|phone call|phone interview|telephone interview|conversation)\b"
    r"(?! with (?!me\b|us\b|this\b))"
    r"|\bwhen (?:I|we) (?:reached|called|spoke|asked|met|visited|rang)\b|\b(?:I|we) (?:asked|spoke)\b"
    r"|\basked by (?:this|me|us|reporters)\b"
    r"|\b(?:sagte|sagt|erklärte)\s+(?:der|dieser|unserer)\s+(?:Zeitung|Redaktion)\b"
    r"|\bgegenüber\s+(?:unserer|dieser|der)\s+(?:Zeitung|Redaktion)\b|\buns gegenüber\b"
    r"|\bim Gespräch mit (?:uns|unserer|dieser)\b"
    r"|\b(?:à notre|à ce|à cette)\s+(?:journal|rédaction|quotidien|média|magazine)\b"
    r"|\b(?:nous|m['’]) ?a (?:dit|déclaré|confié|expliqué|raconté)\b"
    r"|\binterrogée? par (?:nos soins|nous|notre)\b"
    r"|\ba (?:este|esta) (?:diario|periódico|medio|redacción)\b|\ba questo (?:giornale|quotidiano)\b"
    r"|\bsäger till (?:oss|tidningen)\b|\b(?:kertoo|kertoi|sanoo|sanoi) (?:meille|lehdelle)\b"
    r"|\b(?:рассказал|рассказала|сообщил|сообщила|заявил|заявила)\s+(?:нам|корреспонденту|нашему)\b"
    r"|\btill oss\b|\bför oss\b|\bmeille\b|\bнам\b"
    r"|本紙|取材に対し|取材に応じ|本报|接受本报|对本报|向本报|本台",
    re.IGNORECASE,
)
