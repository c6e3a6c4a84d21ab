"""What a link's address says about it, for attribution: a profile page (a person's social account,
an author or staff page, a biography) is never where a quotation comes from; an embedded post's own
address (a status, a post, a reel) is.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

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


def is_profile(url: str | None, anchor_text: str) -> bool:
    """A page about a person or an account rather than a document: a social account (not one of its
    posts), an author/staff/biography page, a Wikipedia article titled like the anchor (a name link).
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
    if host.endswith("wikipedia.org") and len(segments) == 2 and segments[0] == "wiki":
        title = segments[1].replace("_", " ").lower()
        return title == " ".join(anchor_text.split()).lower()
    return len(segments) <= 3 and any(s.lower() in _PROFILE_SEGMENTS for s in segments[:-1] or segments[:1])
