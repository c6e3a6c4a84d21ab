"""Framing cues (tui/core/framing): each kind on small texts, the data files, the report shape, and that
no text makes the framing code raise. The labelled set is scored in test_framing_set.py."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.article import load_article_file
from tui.core.framing import ArticleFraming, cue_json, describe, has_cues, lexicon
from tui.core.framing.context import turn_after
from tui.core.framing.hedges import dropped, hedges_in, passage_hedges
from tui.core.framing.speakers import classify, mismatch, resolve, with_alias
from tui.core.framing.voices import source_speaker
from tui.core.lexicon import find_attribution
from tui.core.links import find_links
from tui.core.match import match_quote
from tui.core.models import FramingCue, Source
from tui.core.quotes import find_quotes


def attribution(sentence: str, quoted: str):
    start = sentence.index(quoted)
    return find_attribution(
        sentence, start, start + len(quoted), (0, len(sentence)), [(start, start + len(quoted))]
    )


# ------------------------------------------------------------------------------------------ attribution


@pytest.mark.parametrize(
    ("sentence", "quoted", "verb", "tone", "speaker"),
    [
        (
            "The minister confided that “we never had the money”.",
            "we never had the money",
            "confided",
            "loaded",
            "The minister",
        ),
        ("“We never had the money,” she said.", "We never had the money", "said", "neutral", "she"),
        (
            "“We never had the money”, said Councillor Ruth Abbey.",
            "We never had the money",
            "said",
            "neutral",
            "Councillor Ruth Abbey",
        ),
        (
            "According to the report, “costs doubled”.",
            "costs doubled",
            "According to",
            "neutral",
            "the report",
        ),
        (
            "Petra Lind, the operations director, admitted: “It was a mistake.”",
            "It was a mistake.",
            "admitted",
            "loaded",
            "Petra Lind",
        ),
        (
            "Bell, who represents Northgate, insisted the plan was “gold-plated”.",
            "gold-plated",
            "insisted",
            "loaded",
            "Bell",
        ),
        (
            "The board pointed out that “nothing was signed”.",
            "nothing was signed",
            "pointed out",
            "loaded",
            "The board",
        ),
        (
            "Drivers were told of it “by text message”, the union said.",
            "by text message",
            "said",
            "neutral",
            "the union",
        ),
    ],
)
def test_attribution_verb_and_speaker_in_english(sentence, quoted, verb, tone, speaker) -> None:
    att = attribution(sentence, quoted)
    assert att is not None and att.verb is not None
    assert (att.verb.text, att.verb.tone, att.speaker) == (verb, tone, speaker)


@pytest.mark.parametrize(
    ("sentence", "quoted", "verb", "tone"),
    [
        (
            "Die Ministerin räumte ein: „Wir hatten das Geld nie.“",
            "Wir hatten das Geld nie.",
            "räumte ein",
            "loaded",
        ),
        ("„Wir hatten das Geld nie“, sagte die Ministerin.", "Wir hatten das Geld nie", "sagte", "neutral"),
        (
            "« Nous n'avions pas l'argent », a confié la ministre.",
            "Nous n'avions pas l'argent",
            "a confié",
            "loaded",
        ),
        ("Selon le maire, « tout va bien ».", "tout va bien", "Selon", "neutral"),
        ("«У нас не было денег», — признала министр.", "У нас не было денег", "признала", "loaded"),
        ("«У нас не было денег», — сказал министр.", "У нас не было денег", "сказал", "neutral"),
        ("”Meillä ei ollut rahaa”, ministeri myönsi.", "Meillä ei ollut rahaa", "myönsi", "loaded"),
        ("”Meillä ei ollut rahaa”, ministeri sanoi.", "Meillä ei ollut rahaa", "sanoi", "neutral"),
    ],
)
def test_attribution_verbs_in_other_languages(sentence, quoted, verb, tone) -> None:
    att = attribution(sentence, quoted)
    assert att is not None and att.verb is not None
    assert (att.verb.text, att.verb.tone) == (verb, tone)


def test_japanese_verbs_are_found_after_the_closing_bracket(tmp_path) -> None:
    att = attribution("市長は「お金はなかった」と認めた。", "お金はなかった")
    assert att is not None and att.verb is not None
    assert (att.verb.text, att.verb.tone) == ("と認めた", "loaded")
    assert attribution("市長は「お金はなかった」と述べた。", "お金はなかった").verb.tone == "neutral"
    path = tmp_path / "ja.md"
    path.write_text(
        "# 市長\n\n市長は[記者会見で](https://x.example/a)「お金はなかった」と認めた。\n", encoding="utf-8"
    )
    article = load_article_file(str(path))
    links = find_links(article)
    framing = ArticleFraming(article, links, find_quotes(article, links))
    assert [(c.text, c.tone) for c in framing.claim_cues(links[0])] == [("と認めた", "loaded")]


def test_nouns_and_compounds_are_not_verbs() -> None:
    assert attribution("Her claims about the “so-called experts” were not new.", "so-called experts") is None
    assert attribution("The report’s warning about “managed decline” stood.", "managed decline") is None
    assert attribution("Drivers were told of the plan “by text”.", "by text") is None


# ------------------------------------------------------------------------------------------ speakers


TRANSCRIPT = (
    "Morning Call with Priya Nair. With me is the transport minister, Daniel Okoro.\n\n"
    "PRIYA NAIR: Some would call it a fresh start for the network.\n\n"
    "DANIEL OKORO: The depot has been losing money for a decade.\n\n"
    "It is a practical decision.\n\n"
    "Q: Is it true that the buses are old?\n\n"
    "A: Yes, the buses are old."
)


def _who(text: str, words: str):
    start = text.index(words)
    return source_speaker(text, start, start + len(words))


def test_source_speaker_from_transcript_labels() -> None:
    assert _who(TRANSCRIPT, "a fresh start for the network").text == "PRIYA NAIR"
    assert _who(TRANSCRIPT, "losing money for a decade").surname == "okoro"
    assert (
        _who(TRANSCRIPT, "It is a practical decision").surname == "okoro"
    )  # an unlabelled line continues the turn
    assert _who(TRANSCRIPT, "the buses are old?").kind == "interviewer"


def test_source_speaker_from_quotation_and_reported_speech() -> None:
    text = (
        "Councillor Marcus Bell led the opposition. “We are being asked to sign a blank cheque,” he told "
        "the meeting.\n\nDrivers heard of it by text message, union representative Colm Farrelly said."
    )
    assert _who(text, "sign a blank cheque").surname == "bell"
    assert _who(text, "by text message").surname == "farrelly"
    assert _who("The council met on Tuesday and approved the plan.", "approved the plan") is None


def test_mismatch_is_said_only_when_certain() -> None:
    okoro, nair = classify("Daniel Okoro"), classify("NAIR")
    assert mismatch(okoro, nair) and not mismatch(okoro, classify("OKORO"))
    assert mismatch(okoro, classify("Q"))  # the interviewer's words credited to the guest
    assert mismatch(classify("the report"), classify("a resident named Joe Marsh"))  # a quoted third person
    assert not mismatch(classify("the minister"), nair)  # a role tied to no name: not compared
    assert not mismatch(None, nair)
    table = {"minister": frozenset({"okoro"})}
    assert not mismatch(with_alias(classify("the minister"), table), classify("OKORO"))
    assert mismatch(with_alias(classify("the minister"), table), nair)


def test_pronouns_resolve_to_the_person_named_before() -> None:
    text = "Mayor Elena Reyes spoke first. Coastal Public Radio asked her about the bridge. She said so."
    assert resolve(text, "She", text.index("She said")).surname == "reyes"
    assert resolve(text, "they", len(text)) is None


# ------------------------------------------------------------------------------------------ hedges, context


def test_hedges_before_numbers_only_and_not_the_month() -> None:
    text = "They talked about the bridge in May. About 4,000 homes may be affected, up to a third of them."
    assert [h.text for h in hedges_in(text, 0, len(text))] == ["About", "may", "up to"]


def test_hedge_dropped_when_the_article_lacks_its_group() -> None:
    source = "Officials estimate that about 4,000 homes were flooded, although some may have been empty."
    start = source.index("4,000 homes were flooded")
    found = passage_hedges(source, start, start + len("4,000 homes were flooded"), (0, len(source)))
    assert [h.text for h in found] == ["estimate", "about"]  # "may" is in another clause
    assert [h.text for h in dropped(found, "The report found “4,000 homes were flooded”.")] == [
        "estimate",
        "about",
    ]
    assert dropped(found, "Officials estimate that around “4,000 homes were flooded”.") == []


def test_context_rest_of_sentence_next_sentence_and_limits() -> None:
    text = (
        "The ferries can carry everyone, unless the weather turns. Fine.\n\n"
        "We will open in May. But the money is not there.\n\nDone."
    )
    rest = turn_after(text, 4, text.index(", unless"))
    assert rest is not None and (rest.relation, rest.text) == ("condition", "unless the weather turns.")
    nxt = turn_after(text, text.index("We will"), text.index(" in May"))
    assert nxt is not None and (nxt.relation, nxt.text) == ("contrast", "But the money is not there.")
    assert (
        turn_after(text, text.index("But the"), text.index(" is not")) is None
    )  # the next paragraph is not context
    labelled = "REYES: We will open in May.\n\nACHEBE: But the money is not there."
    assert turn_after(labelled, 7, labelled.index(" in May")) is None  # nor is another speaker's turn


# ------------------------------------------------------------------------------------------ the whole article


ARTICLE = """# Test

The minister [confided to the Courier](https://courier.example/a) that the depot "has been losing money
for a decade". A [misleading report](https://courier.example/b) called the plan "asset stripping".
"""

SOURCE_A = (
    "OKORO: The depot has been losing money for a decade, but the land is valuable.\n\nNAIR: Thank you."
)


def _framing(tmp_path):
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    article = load_article_file(str(path))
    links = find_links(article)
    quotes = find_quotes(article, links)
    return article, links, quotes, ArticleFraming(article, links, quotes)


def test_article_and_source_cues_together(tmp_path) -> None:
    article, links, quotes, framing = _framing(tmp_path)
    claim = [cue_json(c) for c in framing.claim_cues(links[0])]
    assert claim == [
        {
            "cue": "attribution_verb",
            "text": "confided",
            "article_start": claim[0]["article_start"],
            "article_end": claim[0]["article_end"],
            "tone": "loaded",
        }
    ]
    assert article.text[claim[0]["article_start"] : claim[0]["article_end"]] == "confided"
    assert [c["cue"] for c in map(cue_json, framing.claim_cues(links[1]))] == [
        "attribution_verb",
        "evaluative_wording",
    ]
    source = Source(
        url="https://courier.example/a", final_url=None, title=None, text=SOURCE_A, page_text=SOURCE_A
    )
    quote = quotes[0]
    cues = [cue_json(c) for c in framing.match_cues(quote, match_quote(quote.text, source), source)]
    kinds = {c["cue"]: c for c in cues}
    assert kinds["speaker"] == {
        "cue": "speaker",
        "article_speaker": "The minister",
        "source_speaker": "OKORO",
        "mismatch": False,
    }
    assert kinds["context"] == {"cue": "context", "text": "but the land is valuable.", "relation": "contrast"}
    scare = framing.quote_cues(quotes[1])
    assert [cue_json(c) for c in scare if c.cue == "scare_quote"] == [
        {"cue": "scare_quote", "text": "asset stripping", "in_source": None}
    ]
    unread = framing.match_cues(quotes[1], match_quote(quotes[1].text, source), source)
    assert [c.in_source for c in unread if c.cue == "scare_quote"] == [False]


def test_item_shapes_are_exactly_the_documented_keys() -> None:
    shapes = {
        "attribution_verb": {"cue", "text", "article_start", "article_end", "tone"},
        "evaluative_wording": {"cue", "text", "article_start", "article_end"},
        "scare_quote": {"cue", "text", "in_source"},
        "speaker": {"cue", "article_speaker", "source_speaker", "mismatch"},
        "hedge_dropped": {"cue", "text"},
        "context": {"cue", "text", "relation"},
    }
    for kind, keys in shapes.items():
        item = cue_json(FramingCue(kind, "x"))  # type: ignore[arg-type]
        assert set(item) == keys
        assert describe(item)


def test_has_cues_ignores_what_needs_no_look() -> None:
    calm = [
        FramingCue("attribution_verb", "said", 0, 4, tone="neutral"),
        FramingCue("speaker", mismatch=False),
    ]
    assert not has_cues(calm)
    assert has_cues([*calm, FramingCue("hedge_dropped", "may")])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.sampled_from(list("ab C,.:“”\"'‘’«»—\n Q:REYES said unless may about 4 ")), max_size=300
    )
)
def test_no_text_makes_framing_raise(tmp_path, text) -> None:
    path = tmp_path / "fuzz.md"
    path.write_text("[link](https://x.example/) " + text + ' "quoted words" ' + text, encoding="utf-8")
    article = load_article_file(str(path))
    links = find_links(article)
    quotes = find_quotes(article, links)
    framing = ArticleFraming(article, links, quotes)
    source = Source(
        url="https://x.example/",
        final_url=None,
        title=None,
        text=text + " quoted words " + text,
        page_text=text,
    )
    for link in links:
        framing._claim_cues(link)
        framing._outcome_cues(link, source, (), quotes)
    for quote in quotes:
        framing._quote_cues(quote)
        framing._match_cues(quote, match_quote(quote.text, source), source)


def test_word_lists_state_source_and_licence() -> None:
    lists = {
        "tui.core.framing": ["context_markers.tsv", "evaluative.tsv", "hedges.tsv"],
        "tui.core.lexicon": ["reporting_verbs.tsv", "speakers.tsv"],
    }
    for package, expected in lists.items():
        data = resources.files(package).joinpath("data")
        names = sorted(p.name for p in data.iterdir() if p.name.endswith(".tsv"))
        assert names == expected
        for name in names:
            header = data.joinpath(name).read_text(encoding="utf-8").split("\n\n")[0]
            assert "Source:" in header and "Licence" in header, name
    assert lexicon.evaluative_words() and lexicon.hedges() and lexicon.turns()


def test_cues_reach_the_text_report_and_the_markdown_export(tmp_path) -> None:
    from conftest import REPO
    from framing_scoring import load_cases, run_case

    from tui.core.export import export_markdown
    from tui.core.report import render_text

    case = next(
        c for c in load_cases(REPO / "tests" / "fixtures" / "framing_set") if c.name == "01-depot-oped"
    )
    report = run_case(case, tmp_path)
    text = render_text(report)
    assert "framing: verb “confided” (loaded)" in text
    assert "SPEAKER MISMATCH: article credits Okoro, source has NAIR" in text
    assert "verb “told” (neutral)" not in text  # the text report shows only cues worth a look
    markdown = export_markdown(report, [])
    assert "Framing:" in markdown
    assert "- hedge dropped: source says “up to”" in markdown
    assert "- verb “told” (neutral)" in markdown  # the export shows every cue
