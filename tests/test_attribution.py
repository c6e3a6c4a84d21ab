"""Attribution read as a fact-checker reads it: which link a quote comes from, and the word saying why."""

from __future__ import annotations

import re

import pytest

from tui.core.article import article_from_bytes
from tui.core.attribution import linkkinds
from tui.core.links import find_links
from tui.core.quotes import find_quotes


def credited(md: str) -> list[tuple[str, str | None, str | None]]:
    """(quote, anchor text of its link, attribution) for a Markdown article."""
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    links = find_links(article)
    return [
        (q.text, links[q.link_index].anchor_text if q.link_index is not None else None, q.attribution)
        for q in find_quotes(article, links)
    ]


def test_same_sentence_skips_a_profile_link_on_the_speakers_name() -> None:
    md = (
        "“We will appeal,” said [Jane Roe](https://x.com/janeroe), whose union published "
        "[a statement](https://union.example/statements/appeal) on Monday.\n\n"
        "“Not today,” said [Ola Berg](https://news.example/authors/ola-berg)."
    )
    assert credited(md) == [
        ("We will appeal,", "a statement", "same_sentence"),
        ("Not today,", None, None),  # Ola Berg's words: the statement is the union's
    ]


def test_a_link_inside_the_quote_never_takes_it() -> None:
    md = "Earlier that day the minister spoke.\n\nShe said “the [report](https://r.example/a) is wrong”."
    assert credited(md) == [("the report is wrong", None, None)]


def test_words_said_to_the_writer_stay_unattributed() -> None:
    md = (
        "The court's [ruling](https://court.example/r/12) was published on Friday.\n\n"
        "“We will appeal,” she told this newspaper, adding that the [ruling](https://court.example/r/12) "
        "was flawed. “It is not over,” she said in an interview.\n\n"
        "“No comment,” he said when I [reached him by phone](https://radio.example/call-transcript)."
    )
    assert credited(md) == [
        ("We will appeal,", None, "said_to_writer"),
        ("It is not over,", None, "said_to_writer"),
        ("No comment,", "reached him by phone", "same_sentence"),  # a link on those very words
    ]


def test_a_source_named_in_prose_and_linked_elsewhere_takes_the_quote() -> None:
    md = (
        "The [Larkmoor Ledger](https://ledger.example.com/2025/bridge) first reported the cracks.\n\n"
        "The council met on Tuesday and voted again.\n\n"
        "“We are done with this bridge,” the mayor said, according to the Ledger.\n\n"
        "Selon [Le Quotidien d’Orlem](https://quotidien.example.fr/pont), le maire a parlé.\n\n"
        "Il a ajouté « plus jamais » selon Le Quotidien."
    )
    assert credited(md) == [
        ("We are done with this bridge,", "Larkmoor Ledger", "named_source"),
        ("plus jamais", "Le Quotidien d’Orlem", "named_source"),
    ]


def test_next_sentence_that_presents_the_source() -> None:
    md = (
        "The council [approved](https://council.example/minutes/3) the plan. “It is a disgrace,” said "
        "Kim Lee. She made the remarks in [a video](https://video.example/kimlee/991) posted on Sunday."
    )
    assert credited(md) == [("It is a disgrace,", "a video", "next_sentence")]


def test_a_named_speaker_does_not_inherit_a_link_about_someone_else() -> None:
    md = (
        "Ana Ruiz told [the Ledger](https://ledger.example.com/ruiz) that prices would rise. "
        "“We disagree,” said Lee Park, the opposition leader.\n\n"
        "Ana Ruiz went further. “They will rise again,” Ruiz said."
    )
    assert credited(md) == [
        ("We disagree,", None, None),
        ("They will rise again,", "the Ledger", "previous_paragraph"),
    ]


def test_an_interrupted_quotation_is_one_quotation_with_one_source() -> None:
    md = (
        "“The deck is sound,” Brandt said in a [radio interview](https://radio.example/a), "
        "“but the ramps are not.”"
    )
    article = article_from_bytes(md.encode(), content_type="text/markdown", location="t.md", base_url=None)
    quotes = find_quotes(article, find_links(article))
    assert [q.text for q in quotes] == ["The deck is sound,", "but the ramps are not."]
    assert len({q.quotation for q in quotes}) == 1 and {q.link_index for q in quotes} == {0}
    speaker = quotes[0].speaker
    assert speaker is not None and article.text[speaker.start : speaker.end] == "Brandt"
    assert quotes[0].cue is not None and article.text[quotes[0].cue.start : quotes[0].cue.end] == "said"


def test_numbered_references_to_a_reference_list() -> None:
    md = (
        "The audit called the scheme “poorly targeted” [1] and the minister said it was "
        "“under review”.[2]\n\n"
        "## References\n\n"
        "[1] Orlem Audit Office, [Annual audit 2024](https://audit.example/2024).\n\n"
        "[2] https://gov.example/statements/review"
    )
    assert credited(md) == [
        ("poorly targeted", "Annual audit 2024", "footnote"),
        ("under review", "https://gov.example/statements/review", "footnote"),
    ]


def test_a_block_quote_closed_by_a_credit_line_with_a_handle_is_an_embedded_post() -> None:
    md = (
        "The mayor replied online.\n\n"
        "> The bridge stays open. Full stop. #Larkmoor [@larkmoorcouncil](https://x.com/larkmoorcouncil)\n>\n"
        "> — Ines Calloway (@inescalloway) [March 3, 2025](https://x.com/inescalloway/status/1897000000000000001)\n\n"
        "Her office did not say more."
    )
    got = credited(md)
    assert got == [
        (
            "The bridge stays open. Full stop. #Larkmoor @larkmoorcouncil",
            "March 3, 2025",
            "embed",
        )
    ]


@pytest.mark.parametrize(
    "url, anchor, expected",
    [
        ("https://x.com/janeroe", "Jane Roe", True),
        ("https://x.com/janeroe/status/123456", "Jane Roe", False),
        ("https://www.instagram.com/janeroe/", "her Instagram", True),
        ("https://news.example/authors/ola-berg", "Ola Berg", True),
        ("https://en.wikipedia.org/wiki/Ola_Berg", "Ola Berg", True),
        ("https://en.wikipedia.org/wiki/Bridge", "the bridge's history", False),
        ("https://mastodon.example/@ola", "Ola", True),
        ("https://council.example/", "the council", False),
        ("https://union.example/statements/appeal", "Jane Roe", False),
    ],
)
def test_profile_pages(url: str, anchor: str, expected: bool) -> None:
    assert linkkinds.is_profile(url, anchor) is expected


def _credited_as(body: str, content_type: str) -> list[tuple[str, str | None, str | None]]:
    article = article_from_bytes(body.encode(), content_type=content_type, location="t", base_url=None)
    links = find_links(article)
    return [
        (q.text, links[q.link_index].url if q.link_index is not None else None, q.attribution)
        for q in find_quotes(article, links)
    ]


_REF_URLS = ("https://gov.example/speech/44", "https://audit.example/r/9", "https://mayor.example/blog/1")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


@pytest.mark.parametrize("label", ["[{n}]", "{n}.", "{n})", "^{n}", "{n}:", "{s}"])
@pytest.mark.parametrize("entry", ["[{title}]({url})", "{title}, {url}", "{title} (p. 2), [{url}]({url})"])
@pytest.mark.parametrize("form", ["markdown", "html", "text"])
def test_a_reference_list_one_entry_per_line_resolves_every_entry(label: str, entry: str, form: str) -> None:
    """Entries on consecutive lines are one paragraph once Markdown joins its soft breaks (or <br>
    separates them): every entry is read, whatever the line break became."""
    titles = ("Minister's speech", "Audit office report, vol. 2", "Mayor's blog 3")
    lines = [
        label.format(n=n, s=str(n).translate(_SUPERSCRIPTS)) + " " + entry.format(title=t, url=u)
        for n, (t, u) in enumerate(zip(titles, _REF_URLS, strict=True), start=1)
    ]
    prose = (
        "The minister called it “a solved problem” [1]. The auditor said it was “far from solved” [2]. "
        "The mayor said “we are fine” [3]."
    )
    if form == "markdown":  # "1." and "1)" make an ordered list, the others one paragraph
        body, ctype = prose + "\n\n## References\n\n" + "\n".join(lines) + "\n", "text/markdown"
    elif form == "html":
        tagged = [_MD_LINK.sub(r'<a href="\2">\1</a>', ln) for ln in lines]
        tagged = [re.sub(r'(?<![">])(https://[\w./]+)', r'<a href="\1">\1</a>', ln) for ln in tagged]
        body = f"<html><body><article><p>{prose}</p><h2>References</h2><p>{'<br>'.join(tagged)}</p>"
        body, ctype = body + "</article></body></html>", "text/html"
    else:  # a pasted text: a link is its title, then the bare URL
        plain = [_MD_LINK.sub(lambda m: m[2] if m[1] == m[2] else f"{m[1]} {m[2]}", ln) for ln in lines]
        body, ctype = prose + "\n\nReferences\n\n" + "\n".join(plain) + "\n", "text/plain"
    assert _credited_as(body, ctype) == [
        ("a solved problem", _REF_URLS[0], "footnote"),
        ("far from solved", _REF_URLS[1], "footnote"),
        ("we are fine", _REF_URLS[2], "footnote"),
    ]


def test_reference_entries_joined_on_one_line_split_only_at_the_next_number() -> None:
    """Soft breaks become spaces: an entry is cut at the next entry's number in the same style, never at
    a number inside an entry ("vol. 2.", "[2] pages") before the entry holds its link."""
    md = (
        "The minister called it “a solved problem” [1]. The auditor said it was “far from solved” [2].\n\n"
        "## Notes\n\n"
        "[1] Speech of 2 May, vol. 2. [2] pages in [the transcript](https://gov.example/speech/44)\n"
        "[2] Audit office, https://audit.example/r/9\n"
    )
    assert _credited_as(md, "text/markdown") == [
        ("a solved problem", _REF_URLS[0], "footnote"),
        ("far from solved", _REF_URLS[1], "footnote"),
    ]


@pytest.mark.parametrize(
    "url, anchor",
    [
        ("https://en.wikipedia.org/wiki/Tom_Reed_(politician)", "Tom Reed"),
        ("https://de.wikipedia.org/wiki/Tom_Reed_(Politiker)", "Tom Reed"),
        ("https://en.wikipedia.org/wiki/Thomas_Reed", "Tom Reed"),
        ("https://en.m.wikipedia.org/wiki/Thomas_Brackett_Reed", "Tom Reed"),
        ("https://en.wikipedia.org/wiki/Reed", "Reed"),
        ("https://fr.wikipedia.org/wiki/Jos%C3%A9_Garc%C3%ADa_(homme_politique)", "José Garcia"),
        ("https://ja.wikipedia.org/wiki/トム・リード_(政治家)", "トム・リード"),
        ("https://ru.wikipedia.org/wiki/Рид,_Том", "Том Рид"),
        ("https://en.wikipedia.org/w/index.php?title=Ann_Lee_(activist)", "Ann Lee"),
        ("https://www.britannica.com/biography/William-Reed", "Bill Reed"),
        ("https://www.wikiwand.com/en/articles/Martin_Luther_King_Jr.", "Martin Luther King"),
        ("https://www.wikidata.org/wiki/Q4115189", "Tom Reed"),
        ("https://news.example/topic/maria-gomez", "Maria Gomez"),
        ("https://portunion.example/jo-park", "Jo Park"),
    ],
)
def test_a_person_page_linked_on_the_name_is_a_profile(url: str, anchor: str) -> None:
    """Recognised by the name's words in the page's title: a disambiguator, another language's edition,
    a fuller form of the name, "Surname, Given" order."""
    assert linkkinds.is_profile(url, anchor)


@pytest.mark.parametrize(
    "url, anchor",
    [
        ("https://en.wikipedia.org/wiki/Thomas_Reed_Bridge", "Tom Reed"),
        ("https://en.wikipedia.org/wiki/Harbour_Act_2024", "Tom Reed"),
        ("https://en.wikipedia.org/wiki/Tom_Reed", "the port's 2024 report"),
        ("https://en.wikipedia.org/wiki/Harbour_Act", "the Harbour Act"),
        ("https://www.wikidata.org/wiki/Q4115189", "the ferry timetable"),
        ("https://news.example/2025/06/maria-gomez", "Maria Gomez"),
        ("https://news.example/maria-gomez-interview", "Maria Gomez"),
        ("https://city.example/the-council", "the council"),
        ("https://union.example/statements/appeal", "Jo Park"),
    ],
)
def test_a_document_is_not_a_person_page(url: str, anchor: str) -> None:
    assert not linkkinds.is_profile(url, anchor)


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Tom_Reed_(politician)",
        "https://de.wikipedia.org/wiki/Tom_Reed_(Politiker)",
        "https://en.wikipedia.org/wiki/Thomas_Reed",
        "https://www.britannica.com/biography/Thomas-Reed",
    ],
)
def test_an_encyclopedia_page_on_the_speakers_name_never_takes_the_quote(url: str) -> None:
    md = (
        "The council met on Monday.\n\n"
        f"“Fares will rise,” said [Tom Reed]({url}), the harbour councillor.\n\n"
        f"“It is a disgrace,” said [Tom Reed]({url}) in [a statement](https://port.example/statements/7)."
    )
    assert credited(md) == [
        ("Fares will rise,", None, None),
        ("It is a disgrace,", "a statement", "same_sentence"),
    ]
