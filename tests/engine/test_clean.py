"""clean_article on the real seeds and on small synthetic texts.

What is checked: the date prefix, markup and junk leave the text; titles,
subtitles, headings and captions are told apart; the typography is kept as
written; passages are well-formed offsets into the cleaned text.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from index import Article, Corpus
from index.ingest.clean import clean_article
from index.ingest.formats import RawDocument
from index.model import PASSAGE_KINDS

SHORTS = ["000", "001", "002", "003", "004"]


def _clean(text: str, rel: str = "synthetic.txt") -> Article:
    return clean_article(RawDocument(rel.rsplit(".", 1)[0], rel, text))


def _texts(article: Article, kind: str) -> list[str]:
    return [article.passage_text(p) for p in article.passages if p.kind == kind]


def _assert_well_formed(article: Article) -> None:
    text = article.text
    passages = article.passages
    assert passages, "an article has at least one passage"
    assert [p.n for p in passages] == list(range(len(passages)))
    previous_end = 0
    for p in passages:
        assert p.kind in PASSAGE_KINDS
        assert previous_end <= p.start < p.end <= len(text), p
        piece = text[p.start : p.end]
        assert piece == piece.strip(), f"passage {p.n} has surrounding whitespace: {piece!r}"
        # Between passages there is nothing but whitespace: no text is outside a passage.
        assert text[previous_end : p.start].strip() == "", p
        previous_end = p.end
    assert text[previous_end:].strip() == ""


# -- passages ------------------------------------------------------------------------------


@pytest.mark.parametrize("short", SHORTS)
def test_seed_passages_are_well_formed(cleaned: dict[str, Article], short: str) -> None:
    _assert_well_formed(cleaned[short])


@pytest.mark.parametrize("short", SHORTS)
def test_indexed_article_equals_cleaned_article(
    cleaned: dict[str, Article], corpus: Corpus, short: str
) -> None:
    """The catalog gives back exactly what the cleaner made (text, offsets, kinds, langs),
    with the mentions the entity pass found added."""
    assert dataclasses.replace(corpus.article(short), mentions=()) == cleaned[short]


# -- date prefix -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "date", "lead"),
    [
        ("000", "2024-06", "Quelques heures avant son arrivée prévue ce mardi (18.06)"),
        ("002", "2023-09", "C’est la première rencontre des deux dirigeants"),
    ],
)
def test_date_prefix_becomes_the_date(
    cleaned: dict[str, Article], short: str, date: str, lead: str
) -> None:
    article = cleaned[short]
    assert article.date == date
    assert article.text.startswith(lead)
    assert not article.text.lower().startswith("date")
    assert date not in article.text


@pytest.mark.parametrize("short", ["001", "003", "004"])
def test_no_date_without_a_prefix(cleaned: dict[str, Article], short: str) -> None:
    assert cleaned[short].date == ""


# -- markup, junk, contents ---------------------------------------------------------------


@pytest.mark.parametrize("short", SHORTS)
def test_html_markup_leaves_the_text(cleaned: dict[str, Article], short: str) -> None:
    text = cleaned[short].text
    for fragment in ("<p>", "</p>", "<strong>", "</strong>", "</", "<"):
        assert fragment not in text


def test_caption_credits_lose_their_strong_markup(cleaned: dict[str, Article]) -> None:
    captions = _texts(cleaned["001"], "caption")
    spanish = next(c for c in captions if c.startswith("El presidente de Rusia"))
    assert spanish.endswith("SPUTNIK/ GAVRIIL GRIGOROV via REUTERS")


@pytest.mark.parametrize("short", SHORTS)
def test_junk_lines_are_dropped(cleaned: dict[str, Article], short: str) -> None:
    text = cleaned[short].text
    for junk in ("*.*.*.", "%%%", "$$$$", "....", "----"):
        assert junk not in text
    for passage in cleaned[short].passages:
        assert re.search(r"[^\W\d_]", cleaned[short].passage_text(passage))


def test_source_footer_is_dropped(cleaned: dict[str, Article]) -> None:
    article = cleaned["003"]
    assert not article.text.rstrip().endswith("Source")
    assert "Source" not in [article.passage_text(p) for p in article.passages]
    last = article.passage_text(article.passages[-1])
    assert last.startswith("En amont de sa visite en Corée du Nord")


TOC_ITEMS = [
    "La Russie se rapproche de la Corée du nord tout en gardant un œil sur l'Ukraine",
    'Poser les bases de relations bilatérales "à long terme"',
    "Les États-Unis observent les mouvements de Poutine avec inquiétude",
]


def test_table_of_contents_is_dropped(cleaned: dict[str, Article]) -> None:
    article = cleaned["001"]
    for item in TOC_ITEMS:
        assert article.text.count(item) == 1, item
    assert _texts(article, "heading") == TOC_ITEMS
    assert not re.search(r"(?m)^\s*\d\. ", article.text)


# -- titles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "title"),
    [
        ("001", "Poutine rencontre Kim Jong-un à la recherche de nouveaux armements"),
        (
            "003",
            "Poutine – Kim Jong-un : la Russie et la Corée du Nord vont signer des "
            "“documents importants”",
        ),
    ],
)
def test_title_line(cleaned: dict[str, Article], short: str, title: str) -> None:
    article = cleaned[short]
    assert article.title == title
    first = article.passages[0]
    assert (first.n, first.kind, article.passage_text(first)) == (0, "title", title)
    assert _texts(article, "title") == [title]


@pytest.mark.parametrize("short", ["000", "002", "004"])
def test_title_from_the_lead(cleaned: dict[str, Article], short: str) -> None:
    article = cleaned[short]
    assert _texts(article, "title") == []
    title = article.title
    assert title.strip() and len(title) <= 81
    lead = article.passage_text(article.passages[0])
    words = title.removesuffix("…").rstrip(".")
    assert len(words.split()) >= 3
    assert lead.startswith(words)
    # The title stops at a word boundary, not in the middle of a word.
    assert len(words) == len(lead) or not lead[len(words)].isalnum()


# -- kinds and languages -----------------------------------------------------------------------


def test_subtitle(cleaned: dict[str, Article]) -> None:
    article = cleaned["001"]
    assert _texts(article, "subtitle") == [
        "C'est la première fois en 24 ans que le dirigeant russe se rend en Corée du nord"
    ]
    assert article.passages[1].kind == "subtitle"


@pytest.mark.parametrize(
    ("short", "headings"),
    [
        (
            "000",
            ["Livraisons d’armes et de munitions à la Russie", "Le cercle des pays autoritaires"],
        ),
        ("003", ["“Frères d’armes”", "Surveiller de près"]),
        ("002", []),
        ("004", []),
    ],
)
def test_headings(cleaned: dict[str, Article], short: str, headings: list[str]) -> None:
    assert _texts(cleaned[short], "heading") == headings


# Each Spanish caption of 001 (by its start) and the start of its French twin.
CAPTION_PAIRS = [
    (
        "El presidente de Rusia, Vladimir Putin",
        "Le président russe Vladimir Poutine et le dirigeant",
    ),
    ("El líder norcoreano Kim Jong Un (d)", "Le dirigeant nord-coréen Kim Jong Un (à droite)"),
    (
        "Pie de foto: El líder de Corea del Norte",
        "Le dirigeant nord-coréen Kim Jong Un serre la main",
    ),
    ("El presidente ruso Vladimir Putin aterrizó", "Le président russe Vladimir Poutine a atterri"),
    (
        "En esta foto de archivo tomada el 30 de junio",
        "Sur cette photo d'archives prise le 30 juin",
    ),
]


def test_captions_and_their_languages(cleaned: dict[str, Article]) -> None:
    article = cleaned["001"]
    captions = [p for p in article.passages if p.kind == "caption"]
    assert len(captions) == 2 * len(CAPTION_PAIRS)
    by_start = {article.passage_text(p): p for p in captions}
    for spanish_start, french_start in CAPTION_PAIRS:
        spanish = next(p for t, p in by_start.items() if t.startswith(spanish_start))
        french = next(p for t, p in by_start.items() if t.startswith(french_start))
        assert spanish.lang == "es", spanish_start
        assert french.lang == "fr", french_start
        assert french.n == spanish.n + 1, "the French twin follows its Spanish caption"


@pytest.mark.parametrize("short", SHORTS)
def test_paragraphs_are_french(cleaned: dict[str, Article], short: str) -> None:
    article = cleaned[short]
    paragraphs = [p for p in article.passages if p.kind == "paragraph"]
    assert len(paragraphs) >= 5
    assert {p.lang for p in paragraphs} == {"fr"}
    assert article.lang == "fr"


@pytest.mark.parametrize("short", ["002", "004"])
def test_articles_without_structure_are_all_paragraphs(
    cleaned: dict[str, Article], short: str
) -> None:
    assert {p.kind for p in cleaned[short].passages} == {"paragraph"}


# -- typography -----------------------------------------------------------------------------


@pytest.mark.parametrize("short", SHORTS)
def test_text_lines_are_kept_verbatim(seeds, cleaned: dict[str, Article], short: str) -> None:
    """Every line of running text of the seed is in the cleaned text as written."""
    text = cleaned[short].text
    kept = 0
    for line in seeds.text(short).split("\n"):
        line = re.sub(r"[ \t]+", " ", line).strip()
        line = re.sub(r"^date \d{4}-\d{2} ", "", line)
        junk = not re.search(r"[^\W\d_]{3}", line)
        if junk or len(line) < 40 or "<" in line or re.match(r"\d\. ", line):
            continue
        assert line in text
        kept += 1
    assert kept >= 8


@pytest.mark.parametrize(
    ("short", "written"),
    [
        ("000", "Livraisons d’armes"),  # curly apostrophe
        ("000", "l'Onu"),  # straight apostrophe
        ("000", 'du "ferme soutien"'),  # straight quotes
        ("002", "« Kim Jong-un a invité avec courtoisie Poutine"),  # guillemets
        ("002", "C’est la première rencontre"),
        ("003", "des “documents importants”"),  # curly quotes
        ("001", "el 19 de junio de 2024\u00a0 - AFP/GAVRIIL GRIGOROV"),  # non-breaking space
    ],
)
def test_typography_is_kept(cleaned: dict[str, Article], short: str, written: str) -> None:
    assert written in cleaned[short].text


# -- synthetic texts -------------------------------------------------------------------------


def test_markdown_title_and_sections() -> None:
    article = _clean(
        "# Le sommet de Pyongyang\n\n"
        "Vladimir Poutine est arrivé en Corée du Nord pour une visite de deux jours.\n\n"
        "## Les enjeux militaires\n\n"
        "Les deux pays veulent signer un accord de partenariat stratégique global.\n",
        "sommet.md",
    )
    _assert_well_formed(article)
    assert article.title == "Le sommet de Pyongyang"
    assert [(p.kind, article.passage_text(p)) for p in article.passages] == [
        ("title", "Le sommet de Pyongyang"),
        (
            "paragraph",
            "Vladimir Poutine est arrivé en Corée du Nord pour une visite de deux jours.",
        ),
        ("heading", "Les enjeux militaires"),
        ("paragraph", "Les deux pays veulent signer un accord de partenariat stratégique global."),
    ]
    assert "#" not in article.text


WRAPPED = "Le gouvernement a jugé le prix excessif et la population a protesté dans les rues."
OCR_LAYOUTS = {
    # the hyphenated word inside the second paragraph
    "later-paragraph": (
        "La vie chère\n\nUn premier paragraphe court, sur une seule ligne.\n\n"
        "Le gouvernement a jugé le prix ex¬\ncessif et la population a\n"
        "protesté dans les rues.\n"
    ),
    # the hyphenated word on the first line after the title
    "first-paragraph": (
        "La vie chère\n\nLe gouvernement a jugé le prix ex¬\ncessif et la population a\n"
        "protesté dans les rues.\n\nUn second paragraphe court, sur une seule ligne.\n"
    ),
    # no title line at all: the scan starts with the wrapped paragraph
    "no-title": (
        "Le gouvernement a jugé le prix ex¬\ncessif et la population a\n"
        "protesté dans les rues.\n\nUn second paragraphe court, sur une seule ligne.\n"
    ),
}


@pytest.mark.parametrize("layout", list(OCR_LAYOUTS))
def test_ocr_hard_wrapped_lines_are_joined(layout: str) -> None:
    article = _clean(OCR_LAYOUTS[layout], "scan.txt")
    _assert_well_formed(article)
    assert "¬" not in article.text
    assert "excessif" in article.text
    assert WRAPPED in _texts(article, "paragraph")


def test_long_single_line_is_split_at_sentence_ends() -> None:
    sentences = [
        f"Phrase {i} du communiqué, qui rappelle les sanctions et la guerre en Ukraine."
        for i in range(70)
    ]
    line = " ".join(sentences)
    assert len(line) >= 5000
    article = _clean(line, "long.txt")
    _assert_well_formed(article)
    texts = [article.passage_text(p) for p in article.passages]
    assert len(texts) >= 4
    assert {p.kind for p in article.passages} == {"paragraph"}
    assert all(len(t) <= 1500 for t in texts)
    assert all(t.endswith("Ukraine.") for t in texts), "cut at sentence ends only"
    assert " ".join(texts) == line, "no word lost or added"


def test_rich_like_markup_is_kept_literally() -> None:
    text = (
        "Le [bold]gras[/] reste tel quel, comme [red]ceci[/red] et [link=x]cela[/].\n\n"
        "Un second paragraphe, pour la forme, avec un crochet [ seul."
    )
    article = _clean(text, "crochets.txt")
    _assert_well_formed(article)
    assert "[bold]gras[/]" in article.text
    assert "[red]ceci[/red]" in article.text
    assert "[link=x]cela[/]" in article.text
    assert "crochet [ seul." in article.text


# -- boilerplate, abbreviations, OCR sentence ends, line joins (real pages) ---------------

PAGE = (
    "Un titre d'article\n\n"
    "Les joueurs sont partis, selon les dirigeants de Liverpool. Lire aussi : Une première "
    "académie de football au Cameroun Connaissez-vous la femme qui veut développer le foot ? "
    "Elle parle. A ne pas manquer sur le site : Cinq entreprises ont été citées dans le "
    "dossier.\n\n"
    "Par Jeanne Martin\n\n"
    "Partager sur Facebook\n"
)


def test_link_teasers_bylines_and_share_lines_are_boilerplate() -> None:
    article = _clean(PAGE)
    _assert_well_formed(article)
    assert _texts(article, "boilerplate") == [
        "Lire aussi : Une première académie de football au Cameroun",
        "A ne pas manquer sur le site :",
        "Par Jeanne Martin",
        "Partager sur Facebook",
    ]
    paragraphs = " ".join(_texts(article, "paragraph"))
    # the article's own sentences around them stay its text, none lost
    assert "Connaissez-vous la femme qui veut développer le foot ? Elle parle." in paragraphs
    assert "Cinq entreprises ont été citées dans le dossier." in paragraphs
    assert "Lire aussi" not in paragraphs and "Partager" not in paragraphs
    assert article.title == "Un titre d'article"


def test_boilerplate_is_never_searched_named_or_related(tmp_path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "page.txt").write_text(PAGE.replace("Cameroun", "Ouagadougou"), encoding="utf-8")
    corpus = Corpus(folder, tmp_path / "index")
    corpus.update()
    (summary,) = corpus.articles()
    article = corpus.article(summary.id)
    teaser = next(p for p in article.passages if p.kind == "boilerplate")
    assert corpus.search("Ouagadougou").total == 0
    assert corpus.search("femme").total == 1
    assert article.mentions, "the model named something in the article's own text"
    assert not any(m.start < teaser.end and m.end > teaser.start for m in article.mentions)
    assert corpus.related(article.id, teaser.n).results == ()
    corpus.close()


def test_a_literal_line_break_from_an_export_is_a_line_break() -> None:
    article = _clean(
        "Titre\n\nCet article a été revu le 10 février par la rédaction.\\n\\nLe texte suit."
    )
    assert _texts(article, "boilerplate") == [
        "Cet article a été revu le 10 février par la rédaction."
    ]
    assert _texts(article, "paragraph") == ["Le texte suit."]


def test_no_passage_or_title_ends_at_an_abbreviation() -> None:
    sentence = "Le ministre a reçu hier les délégués des cantons voisins pour une longue séance. "
    text = sentence * 9 + "Devant cette observation, le président a prié M. Thiers de parler. " * 4
    article = _clean(text)
    for passage in _texts(article, "paragraph"):
        assert not re.search(r"\bM\.$", passage), passage
    wrapped = _clean("FRANCE\n\nLe voyage de M.\nThiers à Lyon est annoncé pour demain.")
    assert _texts(wrapped, "paragraph") == [
        "Le voyage de M. Thiers à Lyon est annoncé pour demain."
    ]
    lead = _clean(
        "DÉPÊCHES Washington, 11 octobre.— M. Bayard, démocrate, a été élu président du Sénat."
    )
    assert not lead.title.rstrip("…").endswith(("M", "M."))


def test_ocr_sentences_with_no_space_after_the_full_stop_are_cut() -> None:
    sentence = "Les pertes sont au-dessus de tout calcul possible dans la ville et la campagne.Les "
    article = _clean(sentence * 40)
    paragraphs = _texts(article, "paragraph")
    assert len(paragraphs) > 1
    assert all(len(p) <= 1500 for p in paragraphs)
    assert "".join(p.replace(" ", "") for p in paragraphs) == (sentence * 40).replace(" ", "")


def test_a_letter_spaced_title_is_one_word() -> None:
    article = _clean("D A N E M A R C K\n\nLe roi a quitté Copenhague hier pour un long voyage.")
    assert article.title == "DANEMARCK"


def test_a_line_ending_with_a_hyphen_keeps_it_unless_it_splits_a_word() -> None:
    ranks = {"intérieur": 10, "oubliez-les": 500}
    text = "Le voyage à l'inté-\nrieur du pays, en Seine-et-\nMarne ; oubliez-\nles bien."
    article = clean_article(RawDocument("x", "x.txt", text), rank=ranks.get)
    assert "l'intérieur du pays, en Seine-et-Marne ; oubliez-les bien." in article.text
    # a name and a hyphen at a line's end, a capital after it: a route, two lines
    stage = _clean(
        "Résultats de la course.\nNeuvième étape, Alcudia-\nAlcudia (39,5 km) : 1. Olano."
    )
    assert "Alcudia-Alcudia" not in stage.text


@pytest.mark.parametrize(
    ("line", "boilerplate"),
    [
        ("Par Jeanne Martin", True),
        ("Un reportage d'Alassane Dia", True),
        ("© AFP", True),
        ("Crédit photo : AFP", True),
        ("PARTAGER", True),
        ("Lire aussi :", True),
        ("Par exemple", False),  # a name after `Par` has its capital
        ("Une photo de famille.", False),
        ("Le président a lu le texte : il le signera demain.", False),
    ],
)
def test_a_line_of_the_page_is_told_from_a_line_of_the_article(
    line: str, boilerplate: bool
) -> None:
    from index.ingest.boilerplate import is_boilerplate_line

    assert is_boilerplate_line(line) is boilerplate


def test_boilerplate_is_not_what_only_one_article_says(tmp_path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE, encoding="utf-8")
    (folder / "b.txt").write_text(
        "Un autre titre\n\nLes joueurs sont partis hier soir.\n", encoding="utf-8"
    )
    corpus = Corpus(folder, tmp_path / "index")
    corpus.update()
    comparison = corpus.compare("a", "b")
    article = corpus.article("a")
    kinds = {p.n: p.kind for p in article.passages}
    assert comparison.unpaired_a
    assert all(kinds[n] != "boilerplate" for n in comparison.unpaired_a)
    corpus.close()


def test_a_hyphen_at_a_line_s_end_is_looked_for_in_its_last_characters() -> None:
    """`inté-` / `rieur` as before; in a run of letters of any length only its end is
    read: an encoded attachment's wrapped lines (48 kB of letters, 800 lines) took 23 s
    to join when each join searched the whole paragraph again."""
    from index.ingest.clean import _hyphen_end

    found = _hyphen_end("la réunion inté-")
    assert found is not None and found.group(1) == "inté"
    assert _hyphen_end("la réunion intérieure") is None
    assert _hyphen_end("Seine-et-") is not None
    long_run = _hyphen_end("x" * 10_000 + "-")
    assert long_run is not None and 0 < len(long_run.group(1)) <= 64
    blob = ("dUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2" + "\n") * 800
    article = clean_article(RawDocument("blob", "blob.txt", blob))
    assert "".join(article.text.split()) == "".join(blob.split())
