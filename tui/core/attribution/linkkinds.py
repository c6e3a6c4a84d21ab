"""What a link's address says about it, for attribution: a profile page (a person's social account,
an author or staff page, a biography, an encyclopedia's page on the person) is never where a quotation
comes from; an embedded post's own address (a status, a post, a reel) is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

_SOCIAL = {
    "twitter.com": "x", "x.com": "x", "mobile.twitter.com": "x", "instagram.com": "instagram",
    "facebook.com": "facebook", "m.facebook.com": "facebook", "fb.com": "facebook",
    "linkedin.com": "linkedin",
    "bsky.app": "bluesky", "threads.net": "threads", "threads.com": "threads", "tiktok.com": "tiktok",
    "youtube.com": "youtube", "t.me": "telegram", "telegram.me": "telegram", "vk.com": "vk",
    "github.com": "github", "medium.com": "medium",
}  # fmt: skip
# A path segment that names a page about a person, not a document
_PROFILE_SEGMENTS = frozenset(
    [
        "author",
        "authors",
        "people",
        "person",
        "staff",
        "profile",
        "profiles",
        "contributor",
        "contributors",
        "team",
        "bio",
        "bios",
        "about",
        "user",
        "users",
        "members",
        "member",
        "experts",
        "expert",
        "journalists",
        "journalist",
        "writers",
        "writer",
        "byline",
    ]
)
_POST = re.compile(
    r"/status(?:es)?/\d|/post/|/posts/|/p/[\w-]+|/reel/|/tv/|/video/\d|/videos/|/permalink|story\.php|"
    r"/@[\w.]+/\d{6,}|/notes/|/statuses/|/\d{10,}(?:/|$)",
    re.IGNORECASE,
)

# Encyclopedias and reference works whose pages are about a person, a place or a thing: linked on a name,
# never the source of that person's words (the page's title is in its last path segment or `title=`)
_ENCYCLOPEDIA = (
    "wikipedia.org", "wikiwand.com", "britannica.com", "wikidata.org", "dbpedia.org", "encyclopedia.com",
    "ballotpedia.org", "munzinger.de", "baike.baidu.com", "namu.wiki", "larousse.fr", "treccani.it",
    "snl.no", "ne.se", "imdb.com",
)  # fmt: skip
_ENTITY_ID = re.compile(r"^(?:Q\d+|nm\d+)$")  # a Wikidata item, an IMDb name
_PARENTHESES = re.compile(r"[(（][^()（）]*[)）]")
_NAME_TOKEN = re.compile(r"[^\W_]+")
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
# Common English short forms that do not share the full name's first letter (a hand-made list)
_SHORT_FORMS = {
    "bill": "william", "will": "william", "bob": "robert", "rob": "robert", "dick": "richard",
    "rick": "richard", "ted": "edward", "ned": "edward", "jack": "john", "peggy": "margaret",
    "meg": "margaret", "betty": "elizabeth", "liz": "elizabeth", "beth": "elizabeth", "hank": "henry",
    "chuck": "charles", "sally": "sarah", "polly": "mary", "molly": "mary", "sasha": "alexander",
}  # fmt: skip


def _name_tokens(text: str) -> list[str]:
    """Case- and accent-folded words of a name or a page title ("Jos%C3%A9_Garc%C3%ADa_(politician)" ->
    ["jose", "garcia"]): what is in parentheses (a disambiguator) goes, "Reed, Tom" reads "Tom Reed",
    generational suffixes go."""
    text = _PARENTHESES.sub(" ", unquote(text).replace("_", " "))
    if text.count(",") == 1:
        surname, given = text.split(",")
        text = f"{given} {surname}"
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = _NAME_TOKEN.findall(plain.casefold())
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return words


def _same_given_name(short: str, full: str) -> bool:
    """ "Tom" for "Thomas", "T" for "Thomas", "Bill" for "William" (a short form or an initial)."""
    return short == full or _SHORT_FORMS.get(short) == full or (short[:1] == full[:1] and short.isalpha())


def names_the_person(anchor_text: str, title: str) -> bool:
    """The page title `title` names the person the anchor names: the same last name (family name), each
    other word of the anchor a word of the title, in order, or its short form or initial; the title may
    hold more (a middle name, a fuller form, a disambiguator in parentheses, another language's
    edition): "Tom Reed" names "Tom_Reed_(politician)", "Thomas_Reed", "Thomas_Brackett_Reed",
    "Reed,_Tom", not "Thomas_Reed_Bridge" nor "Reed_v._Tom"."""
    a, t = _name_tokens(anchor_text), _name_tokens(title)
    if not a or not t or len(a) > 5 or len(t) > 6:
        return False
    if a[-1] != t[-1]:
        return False
    k = 0
    for word in a[:-1]:
        while k < len(t) - 1 and not _same_given_name(word, t[k]):
            k += 1
        if k >= len(t) - 1:
            return False
        k += 1
    return True


def _looks_like_a_name(anchor_text: str) -> bool:
    """Two to five words, each capitalised where its script has case ("Maria Gomez", "Том Рид")."""
    words = anchor_text.split()
    return 2 <= len(words) <= 5 and all(not w[:1].islower() for w in words)


def host_of(url: str | None) -> str:
    """The lower-case host without "www." ("" when there is none)."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def platform(url: str | None) -> str | None:
    """The social platform a URL belongs to ("x", "instagram", "mastodon" for a /@user/123 path ...)."""
    host = host_of(url)
    if host in _SOCIAL:
        return _SOCIAL[host]
    if url and re.search(r"//[^/]+/@[\w.]+", url):
        return "mastodon"
    return None


def is_post(url: str | None) -> bool:
    """A URL that points at one post (a status, a post, a reel), not an account."""
    if not url:
        return False
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return bool(_POST.search(path))


def post_key(url: str) -> str:
    """A page's address without query, fragment, a trailing slash, "www." and twitter/x differences."""
    try:
        p = urlsplit(url)
    except ValueError:
        return url
    host = (p.hostname or "").lower().removeprefix("www.").removeprefix("mobile.")
    host = {"twitter.com": "x.com"}.get(host, host)
    return host + p.path.rstrip("/").lower()


def same_post(a: str | None, b: str | None) -> bool:
    """Two addresses of the same page (see `post_key`)."""
    return bool(a and b) and post_key(a) == post_key(b)  # type: ignore[arg-type]


@lru_cache(maxsize=4096)
def is_profile(url: str | None, anchor_text: str) -> bool:
    """A page about a person or an account rather than a document: a social account (not one of its
    posts), an author/staff/biography page, an encyclopedia's page whose title names what the anchor
    names (`names_the_person`), or a page whose address is the person's name linked on that name
    ("https://news.example/topic/maria-gomez" on "Maria Gomez").
    A site's front page is not one: "says [the council](https://council.example/)" may well lead there."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    segments = [unquote(s) for s in parts.path.split("/") if s]
    host = host_of(url)
    if is_post(url):
        return False
    if host in _SOCIAL or (segments and segments[0].startswith("@") and len(segments) == 1):
        return len(segments) <= 2
    if any(host == h or host.endswith("." + h) for h in _ENCYCLOPEDIA):
        title = (parse_qs(parts.query).get("title") or [segments[-1] if segments else ""])[0]
        if _ENTITY_ID.match(title):
            return _looks_like_a_name(anchor_text)
        return bool(title) and names_the_person(anchor_text, title)
    if len(segments) <= 3 and any(s.lower() in _PROFILE_SEGMENTS for s in segments[:-1] or segments[:1]):
        return True
    return (
        0 < len(segments) <= 3
        and not any(c.isdigit() for c in parts.path)
        and _looks_like_a_name(anchor_text)
        and names_the_person(anchor_text, segments[-1].replace("-", " "))
    )
