"""The bundled sample articles: their archives, their truth files, and what `sourcecheck check` makes of them.

Two layers:
- consistency (warcio, pypdf, lxml, markdown-it only): each `<name>.warc.gz` is exactly what
  build_samples.py makes from the manifest, holds every web link of the article, and the truth file is true
  of the sources (a "verbatim" quote really is in its source, an "altered" one really differs, a fabricated
  one is nowhere, a `qualifier_cut` flag is expected exactly where the source goes on with "but ..."), so
  the pipeline test below compares the pipeline with facts, not with wishes;
- end to end: `sourcecheck check sample_articles/<name>.<md|html> --offline --format json` (contract.md)
  against the truth file: every link's kind and fetch status, every quote's attribution, match class,
  flags and found_in_link.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pypdf
import pytest
from markdown_it import MarkdownIt
from warcio.archiveiterator import ArchiveIterator

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_articles"
NAMES = sorted(p.parent.name for p in (SAMPLES / "sources").glob("*/manifest.json"))
QUALIFIERS = ("but", "unless", "if", "except", "although", "though", "only if", "provided")
# an omission (ellipsis) or an editor's insertion ([brackets]) splits a quote into pieces found in order
ELLIPSIS = re.compile(r"\s*(?:…|\.\s?\.\s?\.|\[[^\]]*\])\s*")


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_samples", SAMPLES / "build_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


def fold(text: str) -> str:
    """Typography folded the way contract.md defines "verbatim" (quotes, dashes, whitespace, case)."""
    text = text.translate(
        str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})
    )
    return " ".join(text.split()).lower()


def words(text: str) -> list[str]:
    return re.findall(r"[\w$']+", fold(text))


@functools.cache
def truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.truth.json").read_text(encoding="utf-8"))


@functools.cache
def manifest(name: str) -> dict:
    return builder.load_manifest(name)


@functools.cache
def warc_records(name: str) -> dict[str, tuple[int, dict[str, str], bytes, str]]:
    """url -> (status, http headers, body, WARC-Date) for every response record of the sample's archive."""
    records = {}
    with open(SAMPLES / f"{name}.warc.gz", "rb") as fh:
        for record in ArchiveIterator(fh):
            assert record.rec_type == "response"
            assert record.rec_headers.protocol == "WARC/1.0"
            url = record.rec_headers.get_header("WARC-Target-URI")
            status = int(record.http_headers.get_statuscode())
            headers = dict(record.http_headers.headers)
            records[url] = (status, headers, record.content_stream().read(), record.rec_headers["WARC-Date"])
    return records


def md_links(name: str) -> list[tuple[str, str]]:
    """(anchor text, href) of every link of the Markdown article, in reading order."""
    src = (SAMPLES / f"{name}.md").read_text(encoding="utf-8")
    found = []
    for token in MarkdownIt("commonmark").parse(src):
        children = token.children or []
        for i, child in enumerate(children):
            if child.type == "link_open":
                text = []
                for inner in children[i + 1 :]:
                    if inner.type == "link_close":
                        break
                    text.append(inner.content)
                found.append(("".join(text), child.attrs["href"]))
    return found


def html_article(name: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((SAMPLES / f"{name}.html").read_bytes())


@functools.cache
def source_text(name: str, url: str) -> str:
    """A plain rendering of one archived source (following a recorded redirect), for checking the truth."""
    status, headers, body, _ = warc_records(name)[url]
    if status in (301, 302, 303, 307, 308):
        return source_text(name, headers["Location"])
    if headers["Content-Type"].startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)
    tree = lxml.html.fromstring(body)
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    blocks = tree.xpath("//p | //h1 | //h2 | //h3 | //li | //div[not(.//p | .//div | .//li)]")
    return "\n".join(block.text_content() for block in blocks)


def locate(quote: str, text: str) -> int | None:
    """End offset (in folded text) of the quote's pieces found in order, or None."""
    hay = fold(text)
    pos = 0
    for piece in ELLIPSIS.split(fold(quote)):
        piece = piece.strip()
        if not piece:
            continue
        at = hay.find(piece, pos)
        if at < 0:
            return None
        pos = at + len(piece)
    return pos


def continues_with_qualifier(text: str, end: int) -> bool:
    """Does the source go on with a qualifier, in the same sentence or at the start of the next one?"""
    rest = fold(text)[end:]
    rest = re.sub(r"^[\s,;:.!?\"'()\-]+", "", rest)
    return any(re.match(rf"{q}\b", rest) for q in QUALIFIERS)


# -- consistency: passes without the pipeline --------------------------------------------------------


def test_there_are_at_least_three_samples():
    assert len(NAMES) >= 3
    for name in NAMES:
        for ext in (".md", ".html", ".truth.json", ".warc.gz"):
            assert (SAMPLES / f"{name}{ext}").is_file(), f"{name}{ext} is missing"


@pytest.mark.parametrize("name", NAMES)
def test_archive_is_exactly_what_the_build_script_makes(name):
    committed = (SAMPLES / f"{name}.warc.gz").read_bytes()
    assert builder.warc_bytes(name) == committed, "run: python sample_articles/build_samples.py " + name
    for entry in manifest(name)["sources"]:
        if entry.get("pdf_from"):
            assert (
                builder.source_body(name, entry) == (SAMPLES / "sources" / name / entry["file"]).read_bytes()
            )


@pytest.mark.parametrize("name", NAMES)
def test_archive_records_follow_the_manifest(name):
    records = warc_records(name)
    entries = manifest(name)["sources"]
    assert list(records) == [e["url"] for e in entries]
    assert gzip.decompress((SAMPLES / f"{name}.warc.gz").read_bytes()).startswith(b"WARC/1.0\r\n")
    for entry in entries:
        status, headers, body, date = records[entry["url"]]
        assert status == entry["status"]
        assert date == entry.get("date", manifest(name)["date"])
        assert headers["Content-Type"] == entry["content_type"]
        assert int(headers["Content-Length"]) == len(body)
        if entry["content_type"].startswith("text/"):
            assert "charset=" in entry["content_type"]
            body.decode("utf-8")  # the declared charset is the real one
        if 300 <= status < 400:
            assert headers["Location"] in records, "a redirect must lead to another recorded URL"
            assert records[headers["Location"]][0] == 200
        elif entry.get("pdf_from"):
            assert body.startswith(b"%PDF-")
        else:
            assert body == (SAMPLES / "sources" / name / entry["file"]).read_bytes()
            assert b"<nav" in body and b"<footer" in body, "a source page needs its site's chrome"
            if status == 200:
                main = " ".join(lxml.html.fromstring(body).xpath("//main")[0].text_content().split())
                assert len(main.split()) >= 300, f"{entry['file']}: too little text for realistic matching"
    statuses = [e["status"] for e in entries]
    assert 404 in statuses, "each sample has one dead link, recorded as a 404"


@pytest.mark.parametrize("name", NAMES)
def test_every_web_link_of_the_article_is_archived(name):
    links = md_links(name)
    records = warc_records(name)
    web = [href for _, href in links if href.startswith(("http://", "https://"))]
    assert web and all(url in records for url in web), set(web) - set(records)
    targets = {h["Location"] for s, h, _, _ in records.values() if "Location" in h}
    assert set(records) <= set(web) | targets, "every archived page is cited (or is a redirect's target)"


@pytest.mark.parametrize("name", NAMES)
def test_article_shape(name):
    links = md_links(name)
    kinds = [link["target_kind"] for link in truth(name)["links"]]
    assert [a for a, _ in links] == [link["anchor"] for link in truth(name)["links"]]
    for (_, href), link in zip(links, truth(name)["links"], strict=True):
        if link["target_kind"] == "web":
            assert href == link["url"]
        else:
            assert link["target_kind"] == {"#": "fragment"}.get(href, href.split(":")[0])
    assert 10 <= len(links) <= 25
    assert kinds.count("fragment") >= 2
    assert [link.get("error_contains") for link in truth(name)["links"]].count("404") == 1
    body = (SAMPLES / f"{name}.md").read_text(encoding="utf-8")
    prose = re.sub(r"\]\([^)]*\)", "]", body)
    assert 700 <= len(prose.split()) <= 1400


@pytest.mark.parametrize("name", NAMES)
def test_html_version_has_the_same_links_and_quotes(name):
    page = html_article(name)
    assert page.xpath("//header//nav") and page.xpath("//footer") and page.xpath("//article")
    assert page.xpath("//*[contains(@class, 'byline')]") and page.xpath("//*[contains(@class, 'share')]//a")
    assert page.xpath("//link[@rel='canonical']/@href")
    assert page.xpath("//article//h1")[0].text_content() == truth(name)["title"]
    body_links = [
        (a.text_content(), a.get("href"))
        for a in page.xpath("//*[contains(@class,'byline')]//a | //*[contains(@class,'article-body')]//a")
    ]
    assert body_links == md_links(name)
    text = fold(page.xpath("//*[contains(@class,'article-body')]")[0].text_content())
    for quote in truth(name)["quotes"]:
        assert fold(quote["text"]) in text


@pytest.mark.parametrize("name", NAMES)
def test_truth_file_is_true_of_the_sources(name):
    """Checks every quote of the truth file against the archived sources with a plain reference search."""
    article = (SAMPLES / f"{name}.md").read_text(encoding="utf-8")
    the_truth = truth(name)
    every_source = [source_text(name, url) for url in warc_records(name) if warc_records(name)[url][0] == 200]
    anchors = {link["anchor"]: link for link in the_truth["links"]}
    for quote in the_truth["quotes"]:
        text = quote["text"]
        where = f"{name}: {text[:50]!r}"
        if quote.get("block"):
            assert f"\n> {text}\n" in article, where
        else:
            assert f"“{text}”" in article or f'"{text}"' in article, where
        assert quote["match"] in ("verbatim", "altered", "not_found"), where
        anchor = quote.get("found_in_link_anchor") or quote["link_anchor"]
        if quote["match"] == "not_found":
            assert all(locate(text, src) is None for src in every_source), where
            shingles = {" ".join(w) for w in zip(*(words(text)[i:] for i in range(4)), strict=False)}
            for src in every_source:
                folded = " ".join(words(src))
                assert not [s for s in shingles if s in folded], f"{where} shares 4 words with a source"
            continue
        assert anchor is not None and anchors[anchor]["target_kind"] == "web", where
        src = source_text(name, anchors[anchor]["url"])
        if quote.get("found_in_link_anchor"):
            own = anchors[quote["link_anchor"]]
            if own["target_kind"] == "web":
                assert locate(text, source_text(name, own["url"])) is None, where
            holders = {s for s in every_source if locate(text, s) is not None}
            assert holders == {src}, f"{where}: found_in_link must be unambiguous"
        if quote["match"] == "verbatim":
            end = locate(text, src)
            assert end is not None, f"{where} is not verbatim in its source"
            if len(words(text)) <= 3:
                continue  # scare quotes: no claim about what follows
            expect_cut = "qualifier_cut" in quote["flags"]
            assert continues_with_qualifier(src, end) == expect_cut, (
                f"{where}: qualifier_cut should be {not expect_cut}"
            )
        else:
            assert locate(text, src) is None, f"{where} is marked altered but is verbatim"
            original = quote["source_text"]
            assert locate(original, src) is not None, f"{where}: its source_text is not in the source"
            changed = set(words(original)) ^ set(words(text))
            assert 1 <= len(changed) <= 3, f"{where}: {changed}"
            if "negation" in quote["flags"]:
                assert any(w in {"not", "no", "never"} or w.endswith("n't") for w in changed), where
            if "number" in quote["flags"]:
                assert any(re.search(r"\d", w) for w in changed), where


@pytest.mark.parametrize("name", NAMES)
def test_samples_cover_every_kind_of_quote(name):
    quotes = truth(name)["quotes"]
    assert {q["match"] for q in quotes} == {"verbatim", "altered", "not_found"}
    flags = {f for q in quotes for f in q["flags"]}
    assert {"negation", "number", "qualifier_cut"} <= flags
    assert any(q["match"] == "altered" and not q["flags"] for q in quotes), "a swapped adjective"
    assert any(q.get("found_in_link_anchor") for q in quotes)
    assert any(q.get("block") for q in quotes)
    assert any("‘" in q["text"] or "'" in q["text"] for q in quotes), "a nested single quote"
    assert any(len(q["text"].split()) <= 3 and q["match"] == "verbatim" for q in quotes), "a scare quote"
    assert any("…" in q["text"] or "..." in q["text"] for q in quotes), "an ellipsis"
    kinds = {
        link["target_kind"] for link in truth(name)["links"] if link.get("content_type") == "application/pdf"
    }
    assert kinds == {"web"}, "a think-tank PDF"


@pytest.mark.parametrize("name", NAMES)
def test_pdf_sources_have_a_text_layer(name):
    for entry in manifest(name)["sources"]:
        if entry["content_type"] != "application/pdf":
            continue
        reader = pypdf.PdfReader(io.BytesIO(warc_records(name)[entry["url"]][2]))
        assert len(reader.pages) >= 2
        assert all(len(page.extract_text().split()) > 50 for page in reader.pages)
        assert len(" ".join(page.extract_text() for page in reader.pages).split()) >= 300
        assert reader.metadata.title


# -- end to end: needs the pipeline (tui.cli) ---------------------------------------------------------


@pytest.fixture(scope="module")
def run_check(tmp_path_factory):
    if importlib.util.find_spec("tui.cli") is None:
        pytest.skip("tui/cli.py does not exist yet")
    cache: dict[str, dict] = {}

    def run(path: Path) -> dict:
        if str(path) not in cache:
            env = dict(os.environ, SOURCECHECK_DATA_DIR=str(tmp_path_factory.mktemp("check-data")))
            proc = subprocess.run(
                [sys.executable, "-m", "tui.cli", "check", str(path), "--offline", "--format", "json"],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
                cwd=REPO,
            )
            assert proc.returncode == 0, proc.stderr[-2000:]
            cache[str(path)] = json.loads(proc.stdout)
        return cache[str(path)]

    return run


def _pair_links(
    report_links: list[dict], truth_links: list[dict], ext: str, problems: list[str]
) -> dict[str, int]:
    """Match the truth's links to the report's, in order, by anchor text; returns anchor -> report index.

    The HTML pages also carry chrome (navigation, share buttons, tags): such extra links are allowed there,
    but they must never be fetched.
    """
    paired: dict[str, int] = {}
    j = 0

    def same(link: dict, k: int) -> bool:
        return k < len(truth_links) and fold(link["anchor_text"]) == fold(truth_links[k]["anchor"])

    for link in report_links:
        optional = j < len(truth_links) and truth_links[j].get("role") == "boilerplate"
        if optional and not same(link, j) and same(link, j + 1):
            j += 1  # an optional byline link the report left out
        if same(link, j):
            paired[truth_links[j]["anchor"]] = link["index"]
            j += 1
        elif ext == "md":
            problems.append(f"unexpected link {link['anchor_text']!r} -> {link['url']}")
        elif link["fetch"]["status"] != "skipped":
            problems.append(f"page chrome link {link['anchor_text']!r} ({link['url']}) was fetched")
    for missing in truth_links[j:]:
        if missing.get("role") != "boilerplate":
            problems.append(f"link {missing['anchor']!r} is not in the report")
    return paired


def _check_link(link: dict, expected: dict, problems: list[str]) -> None:
    where = f"link {expected['anchor']!r}"
    fetch = link["fetch"]
    if link["target_kind"] != expected["target_kind"]:
        problems.append(f"{where}: target_kind {link['target_kind']} != {expected['target_kind']}")
    if fetch["status"] != expected["fetch_status"]:
        problems.append(
            f"{where}: fetch status {fetch['status']} != {expected['fetch_status']} ({fetch['error']})"
        )
    if expected.get("url") and link["url"] != expected["url"]:
        problems.append(f"{where}: url {link['url']} != {expected['url']}")
    if expected.get("final_url") and fetch["final_url"] != expected["final_url"]:
        problems.append(f"{where}: final_url {fetch['final_url']} != {expected['final_url']}")
    if expected.get("content_type") and not (fetch["content_type"] or "").startswith(
        expected["content_type"]
    ):
        problems.append(f"{where}: content_type {fetch['content_type']}")
    if (
        expected.get("error_contains")
        and expected["error_contains"].lower() not in (fetch["error"] or "").lower()
    ):
        problems.append(f"{where}: error {fetch['error']!r} lacks {expected['error_contains']!r}")
    if (
        expected["target_kind"] == "web"
        and expected["fetch_status"] != "skipped"
        and not fetch["from_archive"]
    ):
        problems.append(f"{where}: offline, yet not from the archive")
    if expected["fetch_status"] == "ok" and not fetch["text_chars"]:
        problems.append(f"{where}: fetched but no readable text")


def _check_quote(found: dict, expected: dict, paired: dict[str, int], problems: list[str]) -> None:
    where = f"quote {expected['text'][:60]!r}"
    if found["match"] != expected["match"]:
        problems.append(
            f"{where}: {found['match']} (similarity {found['similarity']}) != {expected['match']}"
        )
        return
    missing = set(expected["flags"]) - set(found["flags"])
    if missing:
        problems.append(f"{where}: flags {found['flags']} lack {sorted(missing)}")
    if found["match"] == "verbatim" and {"negation", "number"} & set(found["flags"]):
        problems.append(
            f"{where}: a verbatim quote cannot have changed a number or a negation: {found['flags']}"
        )
    if (
        found["match"] == "verbatim"
        and len(expected["text"].split()) > 3
        and "qualifier_cut" in found["flags"]
        and "qualifier_cut" not in expected["flags"]
    ):
        problems.append(f"{where}: flagged qualifier_cut, but the source does not go on with a qualifier")
    expected_other = paired.get(expected.get("found_in_link_anchor") or "")
    if found.get("found_in_link") != expected_other:
        problems.append(f"{where}: found_in_link {found.get('found_in_link')} != {expected_other}")
    if found["match"] == "not_found":
        return
    if not found["source_text"] or found["source_start"] is None or found["source_end"] is None:
        problems.append(f"{where}: found, but without source_text/offsets")
        return
    if found["source_end"] - found["source_start"] < len(found["source_text"].strip()) * 0.5:
        problems.append(f"{where}: source offsets do not span the source_text")
    got = words(found["source_text"])
    if found["match"] == "verbatim":
        pieces = [words(p) for p in ELLIPSIS.split(expected["text"]) if words(p)]
        if " ".join(w for p in pieces for w in p) not in " ".join(got) and not _in_order(pieces, got):
            problems.append(f"{where}: source_text {found['source_text']!r} is not the quoted passage")
    else:
        for word in set(words(expected["source_text"])) - set(words(expected["text"])):
            if word not in got:
                problems.append(f"{where}: source_text {found['source_text']!r} lacks the source's {word!r}")
        if not any(op != 0 for op, _ in found["diff"]):
            problems.append(f"{where}: altered, but the diff shows no change")


def _in_order(pieces: list[list[str]], got: list[str]) -> bool:
    joined, pos = " ".join(got), 0
    for piece in pieces:
        at = joined.find(" ".join(piece), pos)
        if at < 0:
            return False
        pos = at + len(" ".join(piece))
    return True


@pytest.mark.parametrize("ext", ["md", "html"])
@pytest.mark.parametrize("name", NAMES)
def test_check_report_matches_truth(name, ext, run_check):
    report = run_check(SAMPLES / f"{name}.{ext}")
    the_truth = truth(name)
    problems: list[str] = []
    if fold(report["article"]["title"] or "") != fold(the_truth["title"]):
        problems.append(f"title {report['article']['title']!r}")
    links = report["links"]
    assert [link["index"] for link in links] == list(range(len(links)))
    paired = _pair_links(links, the_truth["links"], ext, problems)
    archived = warc_records(name)
    for link in links:
        if link["fetch"]["status"] != "skipped" and link["url"] not in archived:
            problems.append(f"fetched link {link['url']} has no record in {name}.warc.gz")
    for expected in the_truth["links"]:
        if expected["anchor"] in paired:
            _check_link(links[paired[expected["anchor"]]], expected, problems)

    reported = [(link["index"], q) for link in links for q in link["quotes"]]
    reported += [(None, q) for q in report["unattributed_quotes"]]
    if len(reported) != len(the_truth["quotes"]):
        problems.append(f"{len(reported)} quotes reported, {len(the_truth['quotes'])} in the article")
    for expected in the_truth["quotes"]:
        hits = [(i, q) for i, q in reported if fold(q["text"]) == fold(expected["text"])]
        if not hits:
            problems.append(f"quote {expected['text'][:60]!r} is not in the report")
            continue
        index, found = hits[0]
        want = paired.get(expected["link_anchor"]) if expected["link_anchor"] else None
        if index != want:
            problems.append(f"quote {expected['text'][:60]!r} attributed to link {index}, not {want}")
        elif index is not None:
            _check_quote(found, expected, paired, problems)
    assert not problems, f"{name}.{ext}:\n  " + "\n  ".join(problems)
