"""An HTML page's own publication date is read in one pass per kind of element, with the same answer as the
XPath queries it replaced (one per meta name and attribute, which grew faster than the page)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.article.dates import _META_NAMES, _walk, html_published, iso_date
from tui.core.htmltext import parse_html

_LOWER = "translate(@{0},'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"


def _by_xpath(root) -> str | None:
    """The reference: the XPath queries, in the same order of preference."""
    import json

    for name in _META_NAMES:
        for attr in ("property", "name", "itemprop"):
            for value in root.xpath(f"//meta[{_LOWER.format(attr)}='{name}']/@content"):
                if iso_date(str(value)):
                    return iso_date(str(value))
        if name == "article:published_time":
            for script in root.xpath("//script[translate(@type,'LDJSON','ldjson')='application/ld+json']"):
                try:
                    data = json.loads(script.text or "")
                except ValueError:
                    continue
                for item in _walk(data):
                    value = item.get("datePublished")
                    if isinstance(value, str) and iso_date(value):
                        return iso_date(value)
    for value in root.xpath("//*[@itemprop='datePublished']/@datetime | //time[@datetime]/@datetime"):
        if iso_date(str(value)):
            return iso_date(str(value))
    return None


_VALUES = ["2024-01-02", "2024-13-40", "junk", "2023-05-06T07:08:09+02:00", "", "2022-02-02T10:00Z"]
_NAMES = [*_META_NAMES, "other", "DATE", "Article:Published_Time", "dc.DATE"]
_PIECE = st.one_of(
    st.builds(
        lambda attr, name, value, has: f'<meta {attr}="{name}"' + (f' content="{value}">' if has else ">"),
        st.sampled_from(["property", "name", "itemprop", "PROPERTY"]),
        st.sampled_from(_NAMES),
        st.sampled_from(_VALUES),
        st.booleans(),
    ),
    st.builds(lambda value: f'<time datetime="{value}">t</time>', st.sampled_from(_VALUES)),
    st.builds(
        lambda prop, value: f'<span itemprop="{prop}" datetime="{value}">s</span>',
        st.sampled_from(["datePublished", "x"]),
        st.sampled_from(_VALUES),
    ),
    st.builds(
        lambda kind, value: (
            f'<script type="{kind}">{{"@type": "Article", "datePublished": "{value}"}}</script>'
        ),
        st.sampled_from(["application/ld+json", "APPLICATION/LD+JSON", "text/javascript"]),
        st.sampled_from(_VALUES),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=8), st.integers(min_value=0, max_value=8))
def test_html_published_answers_as_the_xpath_queries_did(pieces: list[str], split: int) -> None:
    html = f"<html><head>{''.join(pieces[:split])}</head><body>{''.join(pieces[split:])}</body></html>"
    root = parse_html(html)
    assert html_published(root) == _by_xpath(root)
