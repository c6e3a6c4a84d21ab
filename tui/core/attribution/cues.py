"""The words around a quotation that say who speaks and where the words were said, in the languages
whose conventions marks.py reads: names, pronouns and role phrases, the sources prose names ("the Ledger
reported", "according to"), words said to the writer. Patterns, not a grammar: each is matched next to a
quotation, never across a sentence. Reporting verbs are not here: they are the shared lexicon's
(`tui/core/lexicon/data/reporting_verbs.tsv`), read by `tui.core.lexicon.find_attribution`.

Sources of the lists: the attribution formulas of news style guides (AP, Reuters' "said" rule, Le Monde's
and Die Zeit's house usage), taken as wire copy actually prints them.
"""

from __future__ import annotations

import re

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

# Before the opening mark, no verb: "Mayor Ines Calloway, in a statement: “…"
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

# The record of a meeting or a hearing, which holds the words of everyone who spoke there.
RECORD = re.compile(
    r"\b(?:minutes|transcripts?|hearing|meeting|debate|proceedings|press release|news release|"
    r"Protokoll\w*|Sitzung|Anhörung|procès-verbal|compte rendu|séance|acta|sesión|verbale|seduta|notulen|"
    r"vergadering|pöytäkirj\w*|стенограмм\w*|заседани\w*)\b|議事録|会議録",
    re.IGNORECASE,
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
