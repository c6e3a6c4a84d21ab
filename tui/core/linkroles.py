"""Which links are citations and which are the page's own furniture (boilerplate).

A link is a *citation* unless the page's structure or wording says otherwise. Boilerplate, in the
languages whose press sourcecheck reads:
- navigation, share and sign-in links (by their place in the page, their address or their words);
- a byline ("By Jane Doe | Politics"), a taxonomy line ("Region: Europe / USA", "Theme: Intelligence",
  "Tags:", "Rubrique :", "Thema:"), or a paragraph of nothing but links (a menu, a tag list);
- a prompt: a newsletter or "click here" sign-up, "follow us on Instagram", a donation or app prompt;
- an author's biography ("Jane Doe is a senior fellow at …": a paragraph about the byline's author, not
  a body sentence that quotes a director or a reporter), a "Related" / "Read more" list or link,
  a comments link, a link to the page's own notes ("[12]" -> #cite_note-12).
A prose citation whose words happen to look like furniture ("in a post on its website") stays one, and
so does a quotation's credit: a block quote's `<footer>`/`<cite>`/dash line of nothing but a link
("— [UN resolution 64/292](…)"), an embedded post's own address ("View on Mastodon", "Posted by … on
[date]"), however much they look like a menu or a byline. The accounts and hashtags in them are furniture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .attribution import linkkinds
from .attribution.blocks import is_credit_line
from .models import Anchor, Article, Paragraph, QuoteBlock

_SHARE_URL = re.compile(
    r"(twitter\.com|x\.com)/(intent|share|home\?status)"
    r"|facebook\.com/(sharer|share\.php|dialog/(share|feed))"
    r"|linkedin\.com/(sharearticle|sharing|cws/share|shareArticle)"
    r"|reddit\.com/submit|pinterest\.[a-z.]+/pin/create|api\.whatsapp\.com/send|wa\.me/\?text"
    r"|news\.ycombinator\.com/submitlink|t\.me/share|tumblr\.com/(share|widgets/share)"
    r"|getpocket\.com/(save|edit)|bsky\.app/intent|mastodon\.[a-z.]+/share|threads\.net/intent",
    re.IGNORECASE,
)
_NETWORK = (
    r"facebook|twitter|x|linkedin|bluesky|mastodon|threads|instagram|telegram|youtube|tiktok|whatsapp|"
    r"reddit|pinterest|vk|rss|e-?mail|flipboard"
)
# the anchor IS a share button: "Share", "Tweet this", "Share on Facebook", "Facebook", "Email"
_SHARE_TEXT = re.compile(
    rf"^(?:(?:share|tweet|toot|post|e-?mail|print|copy(?: the)? link|pin(?: it)?|save|{_NETWORK})"
    rf"(?: (?:this|it)(?: (?:article|story|page|post))?| (?:on|to|via) (?:{_NETWORK}))?|"
    r"(?:partager|teilen|jaa|dela|compartir|condividi|поделиться)(?: \w+)?)$",
    re.IGNORECASE,
)
_ACCOUNT_TEXT = re.compile(
    r"^(click here to )?(subscribe|sign[ -]?in|log[ -]?in|sign[ -]?up|register|join|unsubscribe|"
    r"get (the|our) newsletter|my account)\b|\bsubscribe\b|\bnewsletter\b.*\b(sign|subscribe|join)|"
    r"\b(sign|subscribe|join)\b.*\bnewsletter\b|^(s'abonner|abonnez-vous|abonnieren|tilaa|prenumerera|"
    r"suscríbete|abbonati|подписаться)\b",
    re.IGNORECASE,
)
# a sentence that asks the reader to do something for the publication: its links are the prompt's
_PROMPT_SENTENCE = re.compile(
    r"\b(?:(?:our|weekly|daily|free|the) newsletters?|subscribe|sign up|sign-up|"
    r"register (?:now|here|today|for)|donate|support (?:us|our)|"
    r"follow (?:us|him|her|them|me)|like us|join us|download (?:our|the) app|our app|our podcast|"
    r"(?:telegram|whatsapp|signal) channel|click here|tap here|"
    r"abonnez-vous|inscrivez-vous|cliquez ici|suivez-(?:nous|le|la)|lettre d'information|"
    r"folgen sie|hier klicken|melden sie sich|newsletter abonnieren|"
    r"seuraa meitä|tilaa uutiskirje|klikkaa tästä|följ oss|prenumerera|klicka här|"
    r"síguenos|suscríbete|haga clic aquí|haz clic aquí|seguici|clicca qui|iscriviti|"
    r"подписывайтесь|подпишитесь|нажмите здесь|читайте нас)\b",
    re.IGNORECASE,
)
_GENERIC_ANCHOR = re.compile(
    rf"^(?:click here|tap here|here|this link|link|more|read more|ici|cliquez ici|hier|tästä|här|aquí|"
    rf"qui|здесь|{_NETWORK})$",
    re.IGNORECASE,
)
_TAXONOMY_LABEL = re.compile(
    r"(?:regions?|themes?|topics?|tags?|sections?|categor(?:y|ies)|subjects?|keywords?|countr(?:y|ies)|"
    r"series|filed under|posted in|more on|rubriques?|thèmes?|régions?|mots-clés|thema|themen|"
    r"schlagwörter|schlagworte|kategorien?|ressort|aihe(?:et)?|avainsanat|tema|temas|etiquetas|ämnen?|"
    r"taggar|argomenti|regione|тема|темы|теги|рубрика|регион)\s*:",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"\s*(?:related(?: articles?| stories| content| coverage)?|read more|read also|also read|see also|"
    r"more on this|more from|recommended|you may also like|further reading|lire aussi|à lire aussi|"
    r"voir aussi|lesen sie auch|mehr zum thema|auch interessant|lue myös|läs också|läs mer|"
    r"читайте также|leia também|lee también|leggi anche|関連記事)\b\s*[:»›>|–—-]?",
    re.IGNORECASE,
)
_COMMENTS = re.compile(
    r"^(?:\d+\s+)?(?:comments?|kommentare?|commentaires?|kommentit|kommentarer|comentarios|commenti|"
    r"комментари\w*)(?:\s*\(\d+\))?$|^(?:leave|post|add|write|view|show|read) (?:a |the |all )?"
    r"(?:comments?|reply|replies)$|^reply$|^join the (?:conversation|discussion)$",
    re.IGNORECASE,
)
_COMMENTS_HREF = re.compile(r"#(?:comments?|respond|disqus_thread|reply)\b|/comments?/?$", re.IGNORECASE)
_TAXONOMY_HREF = re.compile(
    r"/(?:tags?|topics?|category|categories|section|sections|regions?|themes?|subjects?|keywords?|"
    r"rubrique|thema|schlagwort|aihe|tema|hashtag)/",
    re.IGNORECASE,
)
_BYLINE_PARAGRAPH = re.compile(
    r"^((?:[A-Z][\w ]{0,24}[.:|·—–-] *)?(By|BY|Written by|Words by|Posted by|Reporting by|"
    r"Additional reporting by|(?:Medically )?[Rr]eviewed by|Edited by|Fact[- ]checked by|Par|Von|"
    r"Follow (?:him|her|them|us|me) (?:on|at)) "
    r"[A-Z@][\w.'’\-]*( [A-Z][\w.'’\-]*)*\b"
    r"|(?:Photo|Photograph|Image|Picture|Illustration|Video)s? (?:by|courtesy of) \S"
    r"|(Filed under|Tags?|Topics?|Categories|Category|Posted in|More on|Photos?|Images?|Credits?)\s*:)"
)
# An author's biography: "Jane Doe is a senior fellow at …", "About the author: …". The name's capitals
# are read case-sensitively (the rest is not), so "The bridge was …" or "Funding is …" is no name; the
# role word comes before any quotation mark ("“Anna Berg is right,” the director told …" is a quote).
_UPPER = "".join(c for c in map(chr, range(0xC0, 0x530)) if c.isupper())  # Latin, Greek, Cyrillic capitals
_NAME_WORD = rf"(?-i:[A-Z{_UPPER}][\w'’.\-]+)"
_BIO = re.compile(
    rf"^[\s*_#>—–-]*(?:about the author\b\W*)?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}),?\s+"
    r"(?P<verb>is|was|has been|writes|covers|reports|est|ist|on|är|er|es|è|é)\b"
    r"[^.“”„\"«»「」『‘]{0,120}?\b(?:journalist\w*|writer|reporter|editor|"
    r"correspondent|fellow|professor|analyst|researcher|director|author|columnist|contributor|"
    r"founder|lecturer|economist|historian|scientist|lawyer|consultant|advis[eo]r|chercheu\w+|"
    r"professeu\w+|rédact\w+|journaliste|korrespondent\w*|redakteur\w*|autor\w*|toimittaja|tutkija|"
    r"skribent|periodista|giornalista|журналист\w*|корреспондент\w*)",
    re.IGNORECASE,
)
# "About the author: Jane Doe writes about cities for …": the heading says it, no role word needed
_ABOUT_AUTHOR = re.compile(r"^[\s*_#>—–-]*about the author\b", re.IGNORECASE)
# a name's first word that is a determiner or pronoun, not a person's name ("The City Council is …")
_NOT_A_NAME = frozenset(
    ("the", "a", "an", "this", "that", "these", "those", "its", "it", "our", "their", "his", "her", "my",
     "your", "le", "la", "les", "un", "une", "der", "die", "das", "ein", "eine", "el", "los", "las", "il",
     "lo", "gli", "de", "het", "een", "den", "det")
)  # fmt: skip
_QUOTE_MARKS = re.compile(r"[“”„«»「」『』\"]|‘[^’]{2,}’")
# a byline's names: "By Jane Doe", "Written by Jane Doe and Tom Reyes", "Par Jean Morel", "Von …"
_BYLINE_NAMES = re.compile(
    r"[\s*_#>—–-]*(?:(?:[Ww]ritten |[Ww]ords |[Rr]eporting )?[Bb]y|BY|Par|Von|Por|Di|Door|Av|Af|Autor:)\s+"
    rf"((?:@|[A-Z{_UPPER}])[\w.'’\-]*(?:\s+(?:[A-Z{_UPPER}][\w.'’\-]*|and|und|et|y|&|de|van|von|der|da|di)){{0,8}})"
)
_LOWER_WORD = re.compile(r"\b[a-z][a-z’']{2,}\b")
_BYLINE_WORD_LIST = (
    "and for with the staff writer reporter correspondent editor contributor contributing senior "
    "updated published posted filed under from via photos photo illustration words reviewed edited "
    "him her them follow email mail twitter"
)
_BYLINE_WORDS = frozenset(_BYLINE_WORD_LIST.split())
# In-page notes: Wikipedia's "[12]" (#cite_note-12) and its "^" / "a" backlinks, Markdown footnotes
# ("1" -> #fn:1, "↩" -> #fnref:1). They point at the page's own reference list, not at a source.
_NOTE_TEXT = re.compile(r"^(\[[^\[\]]{1,16}\]|\d{1,4}|[a-z]{1,2}|[\^↑↩*†‡§¶]+)$", re.IGNORECASE)
_NOTE_ID = re.compile(
    r"^#(cite[_-]?(note|ref)|fn|footnote|endnote|note|ref|citation|reference|bib)", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[\s|·•/,;:\-–—&+>»()\[\]]|\band\b", re.IGNORECASE)


def anchor_role(
    anchor: Anchor, anchor_text: str, kind: str, url: str | None, sentence: str, at: int | None = None
) -> str:
    """ "citation" or "boilerplate" from the link alone and the sentence it sits in (`at`: where the anchor
    starts in `sentence`, found by searching it when not given). The sentence-wide tests run once per
    sentence (`_prompt`): pass the same `sentence` object for every link of one sentence."""
    if anchor.region != "body":
        return "boilerplate"
    text = " ".join(anchor_text.split())
    if kind == "fragment" and in_page_note(anchor.href, text):
        return "boilerplate"
    if _SHARE_URL.search(anchor.href) or _ACCOUNT_TEXT.search(text):
        return "boilerplate"
    if _SHARE_TEXT.match(text) and not linkkinds.is_post(url):
        return "boilerplate"
    if _COMMENTS.match(text) or _COMMENTS_HREF.search(anchor.href) or _RELATED.match(text):
        return "boilerplate"
    if url and _TAXONOMY_HREF.search(url) and len(text.split()) <= 4:
        return "boilerplate"
    prompt, words = _prompt(sentence)
    if prompt and (_GENERIC_ANCHOR.match(text) or words <= 16 or linkkinds.is_profile(url, text)):
        return "boilerplate"
    at = max(0, sentence.find(anchor_text)) if at is None else at
    before = sentence[max(0, at - 24) : at]
    if re.search(
        r"(?:related|read more|see also|also read|lire aussi|lesen sie auch)\s*[:»›]?\s*$", before, re.I
    ):
        return "boilerplate"  # "(Related: [the earlier story])" inside a sentence
    return "citation"


@lru_cache(maxsize=64)
def _prompt(sentence: str) -> tuple[bool, int]:
    """(the sentence asks the reader to do something for the publication, its number of words); cached:
    a sentence holding thousands of links is searched once, not once per link."""
    return bool(_PROMPT_SENTENCE.search(sentence)), len(sentence.split())


def in_page_note(href: str, anchor_text: str) -> bool:
    """A link to the page's own notes ("[12]" -> #cite_note-12, "^" -> #cite_ref-12), which is not
    a source to fetch; a bare "#" (a link whose target was stripped) is not one."""
    href = href.strip()
    if len(href) < 2 or not href.startswith("#"):
        return False
    return bool(_NOTE_TEXT.match(" ".join(anchor_text.split())) or _NOTE_ID.match(href))


def chrome_paragraph(
    article: Article,
    para: Paragraph,
    anchors: list[Anchor],
    authors: Callable[[], frozenset[str]] | None = None,
) -> str | None:
    """Why a paragraph's links are chrome: "links" when it is nothing but links and separators (a
    menu, a tag list), "taxonomy" ("Region: Europe / USA"), "byline" ("By Jane Doe | Politics"),
    "bio" (an author's biography), "related" (a "Read more:" list); None when it is prose. `authors`
    gives the byline's surnames (`byline_surnames`, computed once per article by the caller)."""
    pieces = []
    pos = para.start
    for a in anchors:
        pieces.append(article.text[pos : a.start])
        pos = max(pos, a.end)
    pieces.append(article.text[pos : para.end])
    outside = "".join(pieces)
    rest = _SEPARATORS.sub("", outside).strip(".!?")
    if not rest:
        return "links"
    text = article.text[para.start : para.end]
    if not anchors:
        return None
    label = _TAXONOMY_LABEL.match(text.lstrip("—–-*_ "))
    if label and not _SEPARATORS.sub("", outside.replace(label.group(0), "", 1)).strip(".!?"):
        return "taxonomy"
    if _RELATED.match(text) and len(text) < 300:
        return "related"
    if len(text) < 600 and _is_bio(article, para, text, authors):
        return "bio"
    if len(text) > 400 or not _BYLINE_PARAGRAPH.match(text.lstrip("—–-*_ ")):
        return None
    # "By Friday, the [council](…) had voted." starts like a byline too, but a byline's own words
    # (outside its links) are names, dates and job titles, not lower-case prose.
    prose_words = [w for w in _LOWER_WORD.findall(outside) if w not in _BYLINE_WORDS]
    byline = len(prose_words) < 2 and not text.rstrip("*_ ").endswith(("!", "?"))
    return "byline" if byline else None


def _is_bio(
    article: Article, para: Paragraph, text: str, authors: Callable[[], frozenset[str]] | None
) -> bool:
    """A paragraph about the article's author: "About the author: …", or "Jane Doe is a … fellow/reporter
    …" whose subject is a byline author (any surname of `authors()`). With no byline to compare, a person's
    full name, a paragraph with no quotation in it, among the article's first or last three paragraphs."""
    if _ABOUT_AUTHOR.match(text):
        return True
    m = _BIO.match(text)
    if not m:
        return False
    name = [w.strip(".'’").lower() for w in m.group("name").split()]
    if name[0] in _NOT_A_NAME:
        return False
    surnames = authors() if authors is not None else byline_surnames(article)
    if surnames:
        return any(w in surnames for w in name)
    paras = article.paragraphs
    edge = len(paras) <= 6 or para.start <= paras[2].start or para.start >= paras[-3].start
    return len(name) >= 2 and edge and not _QUOTE_MARKS.search(text)


_NAME_SPLIT = re.compile(
    r"\s*(?:&|,|\band\b|\bund\b|\bet\b|\by\b|\be\b|\boch\b|\bja\b|\bi\b|\ben\b)\s*", re.IGNORECASE
)
_PARTICLES = frozenset(
    ("de", "da", "di", "del", "der", "den", "van", "von", "la", "le", "du", "dos", "ter", "ten", "af")
)  # fmt: skip


def byline_surnames(article: Article) -> frozenset[str]:
    """The lower-cased surnames of the article's byline authors: names on links in the page's byline
    region, and "By Jane Doe" / "Par Jean Morel" lines whose other words are not prose. Empty when the
    article shows no byline."""
    names: list[str] = []
    for a in article.anchors:
        if a.region == "byline":
            names.append(article.text[a.start : a.end])
    text = article.text
    for para in article.paragraphs:
        if para.end - para.start > 160 or para.block_quote:
            continue
        m = _BYLINE_NAMES.match(text, para.start, para.end)
        if not m:
            continue
        rest = text[para.start : m.start(1)] + text[m.end(1) : para.end]
        if len([w for w in _LOWER_WORD.findall(rest) if w not in _BYLINE_WORDS]) < 2:
            names.extend(_NAME_SPLIT.split(m.group(1)))
    out = set()
    for name in names:
        words = [w.strip(".'’@") for w in name.split()]
        words = [w for w in words if w]
        if not 1 <= len(words) <= 4 or not words[-1][:1].isupper():
            continue
        if all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
            out.add(words[-1].lower())
    return frozenset(out)


def credits_a_quotation(article: Article, pi: int) -> bool:
    """Paragraph `pi` is a block quote's credit: its `<footer>`, its figure's `<figcaption>` or an embed's
    frame (`Paragraph.credit`), or a dash line ("— [Resolution 64/292](…)") closing a block quote or
    right after one. Its links name the quotation's source (attribution/blocks.py reads them so)."""
    paras = article.paragraphs
    para = paras[pi]
    if para.credit:
        return True
    if not is_credit_line(article.text, para.start, para.end):
        return False
    if para.block is not None:  # the last paragraph of a block quote of more than one
        last = pi + 1 >= len(paras) or paras[pi + 1].block != para.block
        return last and pi > 0 and paras[pi - 1].block == para.block
    return pi > 0 and paras[pi - 1].block_quote


def credit_role(
    article: Article, pi: int, chrome: str | None, url: str | None, anchor_text: str, block: QuoteBlock | None
) -> str | None:
    """The role a link in paragraph `pi` takes as a quotation's credit, else None: "citation" for an
    embedded post's own address (`block.permalink`, whatever the anchor says) and for a document linked in
    a credit line that looks like a menu or a byline only because it holds nothing else; "boilerplate" for
    a social account or a profile page in a credit line or an embedded post (the handle, a mention: the
    platform's furniture, never the quotation's source)."""
    if block is not None and block.permalink and linkkinds.same_post(url, block.permalink):
        return "citation"
    if linkkinds.is_profile(url, anchor_text):
        embedded = block is not None and block.embed is not None
        return "boilerplate" if embedded or credits_a_quotation(article, pi) else None
    if chrome not in ("links", "byline"):
        return None
    return "citation" if credits_a_quotation(article, pi) else None
