"""An audit's worth of articles on a local server: shared, dead, slow, failing and refusing sources, and
articles that cannot be read at all. Used by the audit tests, the HTML report test and bench/audit.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.conftest import LocalServer

SOURCE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1>
<p>The council met on Tuesday evening to debate the future of the old harbour bridge, which has carried
traffic across the estuary since 1931 and now needs urgent repairs.</p>
<p>"We will not close the bridge before the new crossing is ready," said councillor Maria Okafor, who chairs
the transport committee. "The town depends on it every single day."</p>
<p>Engineers told the meeting that repairs would cost 14 million pounds over three years, and that the
deck could carry lorries again by the spring if work began at once.</p>
<p>Residents said they wanted a clear timetable, but the council made no promise about dates.</p>
</article></body></html>"""

ARTICLE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1>
<p>Councillor Maria Okafor told <a href="{own}">the Echo</a> that "we will not close the bridge before the
new crossing is ready."</p>
<p>Engineers, according to <a href="{shared}">the inspection report</a>, put the cost at
"{cost} million pounds over three years".</p>
<p>A <a href="{dead}">second report</a> has since vanished from the council's site.</p>
<p>The <a href="{slow}">harbour office</a> admitted the deck "could carry lorries again by the spring".</p>
<p>The <a href="{failing}">council's own page</a> was down when we looked.</p>
<p>The <a href="{refused}">old bridge trust{extra}</a> no longer answers.</p>
</article></body></html>"""

ALTERED_QUOTE = "18 million pounds over three years"  # every third article misquotes the cost
HOSTILE_TEXT = " <script>document.title='PWNED'</script> <img src=\"{pixel}\">"


@dataclass
class AuditWorld:
    """`n` article URLs on `server`; `unreadable` ones fail as articles (404, an image)."""

    server: LocalServer
    n: int = 30
    slow_delay: float = 0.3
    articles: list[str] = field(default_factory=list)
    unreadable: set[int] = field(default_factory=lambda: {13, 21})
    hostile: int = 3  # a link's text in this article carries markup and a pixel URL

    def build(self) -> AuditWorld:
        s = self.server
        shared = s.route("/s/shared", SOURCE.format(title="Inspection report"))
        s.route("/s/failing", b"oops", status=500)
        refused = "http://127.0.0.1:9/gone"  # the discard port: nothing listens there
        for i in range(self.n):
            own = s.route(f"/s/own-{i}", SOURCE.format(title=f"Estuary Echo {i}"))
            slow = s.route(f"/s/slow-{i}", SOURCE.format(title=f"Harbour office {i}"), delay=self.slow_delay)
            extra = HOSTILE_TEXT.format(pixel=s.url("/pixel.png")) if i == self.hostile else ""
            page = ARTICLE.format(
                title=f"Article {i}: the harbour bridge",
                extra=_html_text(extra),
                own=own,
                shared=shared,
                cost=18 if i % 3 == 0 else 14,
                dead=s.url(f"/s/dead-{i}"),
                slow=slow,
                failing=s.url("/s/failing"),
                refused=refused,
            )
            if i in self.unreadable:
                path = f"/a/{i}.html"
                if i % 2:  # an image where an article should be
                    s.route(path, b"\x89PNG\r\n\x1a\n" + bytes(200), headers={"Content-Type": "image/png"})
                # else: never registered, so the server answers 404
                self.articles.append(s.url(path))
            else:
                self.articles.append(s.route(f"/a/{i}.html", page))
        return self

    def article_hits(self) -> dict[str, int]:
        return {p: n for p, n in self.server.hits.items() if p.startswith("/a/")}


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
