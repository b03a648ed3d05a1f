"""What keeps the reader quick and small on thousands of articles: the ids-only search of
the list filter, one bounded cache of articles for every thread, the candidate search of
related passages, rows of the list drawn once, the first screen listing a first page,
and the garbage collector's thresholds."""

from __future__ import annotations

import gc
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from index import (
    ArticleSummary,
    Corpus,
    IngestReport,
    QueryError,
    ReaderState,
    StorageError,
    UserData,
)
from index import corpus as corpus_module
from index.crossref.related import COMMON_FLOOR, KEEP_RAREST, rare_enough
from tests.conftest import Indexed
from tests.reader.support import (
    IDS,
    SIZE,
    Ready,
    flat,
    press,
    reader,
    screen_text,
    settle,
    shown_id,
)
from tui.app import GC_THRESHOLDS, IDLE_SECONDS, PresseApp, settle_memory
from tui.engine_worker import EntitiesLoaded
from tui.reader.article_list import ROW_HEIGHT, ArticleList
from tui.reader.listing import first_by_title, listed, title_key
from tui.reader.related_pane import RelatedPane


@pytest.fixture(name="own")
def own_corpus(indexed: Indexed) -> Iterator[Corpus]:
    """A corpus object of this test's own over the session's index: its caches start empty."""
    corpus = Corpus(indexed.root, indexed.index_dir)
    yield corpus
    corpus.close()


# -- search_ids ------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["veto", "Corée OR Russie", 'title:Kim AND NOT "Conseil"'])
def test_search_ids_lists_every_match_in_the_order_of_search(own: Corpus, query: str) -> None:
    result = own.search(query, limit=100)
    assert result.total > 0
    assert own.search_ids(query) == [hit.id for hit in result.results]


def test_search_ids_reads_entity_names_and_refuses_what_search_refuses(own: Corpus) -> None:
    assert own.search_ids('entity:"Kim Jong-un"') == own.search_ids('entity:"Kim Jong Un"')
    assert own.search_ids('entity:"Kim Jong Un"')
    assert own.search_ids("zzzzqqqq") == []
    for bad in ('"veto', "nope:veto", "", "(veto"):
        with pytest.raises(QueryError):
            own.search_ids(bad)


# -- the articles read last --------------------------------------------------------------
def test_recent_articles_are_shared_by_threads_and_renewed_on_a_commit(own: Corpus) -> None:
    doc = own.articles()[0].id
    first = own.recent_article(doc)
    from_thread: list[object] = []
    thread = threading.Thread(target=lambda: from_thread.append(own.recent_article(doc)))
    thread.start()
    thread.join()
    assert from_thread == [first] and from_thread[0] is first  # one cache, not one a thread
    own.refresh()  # what a commit does: the articles may have changed
    assert own.recent_article(doc) is not first
    assert own.recent_article(doc) == first


def test_recent_articles_are_bounded(own: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [summary.id for summary in own.articles()]
    small = corpus_module._RecentArticles(2)
    monkeypatch.setattr(own, "_recent", small)
    for doc in ids:
        own.recent_article(doc)
    assert len(small._items) == 2
    assert list(small._items) == ids[-2:]


# -- related passages ---------------------------------------------------------------------
def test_common_terms_are_not_searched_for_candidates() -> None:
    total = 100_000  # passages: the cap is 1 % of them
    rare = {"veto": 40, "pyongyang": 900, "munitions": 300, "séoul": 700, "kim": 1_000}
    frequencies = {**rare, "france": 30_000, "gouvernement": 12_000}
    assert rare_enough(frequencies, total) == list(rare)
    # On a small corpus the floor keeps every term.
    assert set(rare_enough({"veto": COMMON_FLOOR, "kim": 3, "mars": 80}, 200)) == {
        "veto",
        "kim",
        "mars",
    }


def test_a_passage_of_common_words_still_searches_its_rarest_ones() -> None:
    frequencies = {f"w{n}": 50_000 - n for n in range(8)}
    kept = rare_enough(frequencies, 100_000)
    assert len(kept) == KEEP_RAREST
    assert set(kept) == {"w7", "w6", "w5", "w4"}


def test_related_passages_are_found_with_the_candidate_search(own: Corpus) -> None:
    """The seeds' March veto, told by several outlets: a near-duplicate in another article."""
    for summary in own.articles():
        article = own.article(summary.id)
        for passage in article.passages:
            if "veto" in article.passage_text(passage) and "mars" in article.passage_text(passage):
                found = own.related(article.id, passage.n)
                assert found.results
                assert all(r.doc != article.id for r in found.results)
                assert any(r.kind == "near-duplicate" for r in found.results)
                return
    pytest.fail("no passage of the seeds tells of the March veto")


# -- the reader ---------------------------------------------------------------------------
async def test_the_list_filter_does_not_build_snippets(
    pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snippets for hundreds of hits took most of a second after enter: the list asks for
    ids only."""

    def no_snippets(*args: object, **kwargs: object) -> None:
        raise AssertionError("the list filter built a search result with snippets")

    monkeypatch.setattr(Corpus, "search", no_snippets)
    reader(pilot).search_filter.apply("veto")
    await settle(pilot)
    screen = reader(pilot)
    assert screen.search_filter.matches is not None and len(screen.search_filter.matches) == 3
    assert len(screen.query_one(ArticleList).summaries) == 3


async def test_moving_the_cursor_draws_only_the_rows_that_change(
    pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    original = ArticleList._render_row

    def counting(self: ArticleList, summary: object, width: int, cursor: bool) -> object:
        drawn.append(getattr(summary, "id", ""))
        return original(self, summary, width, cursor)  # type: ignore[arg-type]

    monkeypatch.setattr(ArticleList, "_render_row", counting)
    await press(pilot, "j")
    ids = [summary.id for summary in reader(pilot).summaries]
    # The row left and the row reached; the others were drawn before.
    assert sorted(set(drawn)) == sorted(ids[:2])


async def test_the_related_pane_is_not_restyled_while_it_looks(pilot: Pilot[None]) -> None:
    """A class set while looking and taken off with the result restyled the pane twice a
    key, leaving objects in reference cycles behind: the border says it instead."""
    pane = reader(pilot).query_one(RelatedPane)
    classes = set(pane.classes)
    pane.show_loading()
    assert pane.looking
    assert set(pane.classes) == classes
    assert "looking" in str(pane.border_subtitle)
    await press(pilot, "tab", "j")  # to the text, the next passage: its result comes
    assert not pane.looking
    assert "looking" not in str(pane.border_subtitle)


# -- the first page ------------------------------------------------------------------------
def hold_the_whole_list(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """A first page of 2 articles; the whole list, read in a thread, waits (10 s at most)
    until the event returned is set."""
    monkeypatch.setattr("tui.reader.screen.FIRST_PAGE", 2)
    monkeypatch.setattr("tui.reader.screen.READ_WHOLE", 2)
    release = threading.Event()
    original = Corpus.articles

    def held(self: Corpus, **kwargs: Any) -> Any:
        if not kwargs and threading.current_thread() is not threading.main_thread():
            release.wait(10)
        return original(self, **kwargs)

    monkeypatch.setattr(Corpus, "articles", held)
    return release


async def until_listed(pilot: Pilot[None], count: int) -> None:
    for _ in range(200):
        if len(reader(pilot).query_one(ArticleList).summaries) == count:
            return
        await pilot.pause(0.05)
    pytest.fail(f"the list never listed {count} articles")


async def test_the_first_screen_lists_a_first_page_and_the_rest_comes_after(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = hold_the_whole_list(monkeypatch)
    async with ready.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = reader(pilot).query_one(ArticleList)
        assert articles.ids == IDS[:2]
        assert "2 of 5 · by file · listing…" in str(articles.border_subtitle)
        assert str(pilot.app.sub_title).startswith("5 articles")  # all, not the page
        # The first page is a list like any: the keys move on it, enter reads.
        await pilot.press("j")
        await pilot.pause()
        assert articles.highlighted_id == IDS[1]
        release.set()
        await settle(pilot)
        assert articles.ids == IDS
        assert articles.highlighted_id == IDS[1]  # the cursor stays on its article
        assert shown_id(pilot) == IDS[1]
        assert "listing" not in str(articles.border_subtitle)
        await press(pilot, "G")
        assert shown_id(pilot) == IDS[-1]
        await press(pilot, "s")
        assert reader(pilot).sort == "date" and len(articles.ids) == 5


async def test_a_search_made_while_the_rest_is_read_says_it_waits_for_it(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The matches filter the whole list only: meanwhile the bar says so, not a count of
    the first page."""
    release = hold_the_whole_list(monkeypatch)
    async with ready.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"veto", "enter")
        for _ in range(100):
            if reader(pilot).search_filter.matches is not None:
                break
            await pilot.pause(0.05)
        matches = reader(pilot).search_filter.matches
        assert matches
        bar = flat(screen_text(pilot))
        assert "Search veto" in bar and "listed once every article is read" in bar
        assert "of 5 listed" not in bar
        release.set()
        await until_listed(pilot, len(matches))
        await settle(pilot)
        assert f"{len(matches)} of 5 listed" in flat(screen_text(pilot))


async def test_the_first_page_begins_with_the_article_read_last(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    UserData(ready.index_dir).save_state(ReaderState(article=IDS[3], passage=2))
    release = hold_the_whole_list(monkeypatch)
    async with ready.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = reader(pilot).query_one(ArticleList)
        assert articles.ids == IDS[3:]
        assert articles.highlighted_id == IDS[3]
        release.set()
        await until_listed(pilot, 5)
        await settle(pilot)
        assert articles.ids == IDS
        assert articles.highlighted_id == shown_id(pilot) == IDS[3]
        assert reader(pilot).view.cursor == 2


async def test_the_cursor_stays_where_it_is_on_the_screen_when_the_list_grows(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first page begins with the article read last, at the top: it stays there
    when the articles before it come, not pushed to the bottom of the view."""
    UserData(ready.index_dir).save_state(ReaderState(article=IDS[3]))
    release = hold_the_whole_list(monkeypatch)
    async with ready.app().run_test(size=(120, 14)) as pilot:
        await pilot.pause()
        articles = reader(pilot).query_one(ArticleList)
        assert articles.ids == IDS[3:] and articles.scroll_y == 0
        release.set()
        await until_listed(pilot, 5)
        await settle(pilot)
        assert articles.highlighted_id == IDS[3]
        assert 0 < articles.max_scroll_y < 3 * ROW_HEIGHT  # (the view is short)
        assert articles.scroll_y == articles.max_scroll_y


async def test_a_short_list_is_read_whole_before_the_first_screen(ready: Ready) -> None:
    async with ready.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = reader(pilot).query_one(ArticleList)
        assert articles.ids == IDS
        assert "listing" not in str(articles.border_subtitle)
        await settle(pilot)


def dated_and_titled(ready: Ready) -> None:
    """The seeds' dates and titles changed for the sorts' edge cases: one date twice, the
    undated, titles that differ in case only, and one blank (listed by its file)."""
    from index.storage.catalog import Catalog
    from index.storage.paths import CATALOG_NAME

    dates = ["1881-05-27", "", "1900-01-01", "", "1881-05-27"]
    titles = ["b mot", "B mot", " \n ", "\x1bÉté\nfin", "a mot"]
    catalog = Catalog(ready.index_dir / CATALOG_NAME)
    with catalog.transaction():
        for doc_id, date, title in zip(IDS, dates, titles, strict=True):
            catalog._db.execute(
                "UPDATE articles SET date = ?, title = ? WHERE id = ?", (date, title, doc_id)
            )
    catalog.close()


@pytest.mark.parametrize("sort", ["date", "title"])
@pytest.mark.parametrize("at", [None, *range(len(IDS))])
async def test_a_sorted_first_page_is_the_sorted_list_from_the_article_read_last(
    ready: Ready, monkeypatch: pytest.MonkeyPatch, sort: str, at: int | None
) -> None:
    """Restored sorted by date or by title, the first page is the rows the whole list has
    from the article read last, its cursor on it; the rest comes around it."""
    dated_and_titled(ready)
    corpus = Corpus(ready.root, ready.index_dir)
    whole = [s.id for s in listed(corpus.articles(), named=None, matches=None, sort=sort)]
    corpus.close()
    expected = {
        "date": [IDS[2], IDS[0], IDS[4], IDS[1], IDS[3]],
        "title": [IDS[2], IDS[4], IDS[0], IDS[1], IDS[3]],  # the blank by its file, `0…`
    }
    assert whole == expected[sort]
    article = IDS[at] if at is not None else None
    UserData(ready.index_dir).save_state(ReaderState(article=article, sort=sort))
    release = hold_the_whole_list(monkeypatch)
    async with ready.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = reader(pilot).query_one(ArticleList)
        begin = whole.index(article) if article is not None else 0
        assert articles.ids == whole[begin : begin + 2]
        assert articles.highlighted_id == whole[begin]
        assert "listing…" in str(articles.border_subtitle)
        release.set()
        await until_listed(pilot, 5)
        await settle(pilot)
        assert articles.ids == whole
        assert articles.highlighted_id == whole[begin]


async def test_restored_by_match_the_first_page_is_by_file_until_the_list_is_whole(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search is not run when the first screen is painted: the list is by file, and
    the matches filter it only once every article is read (in a first page they would
    lack the rest's)."""
    corpus = Corpus(ready.root, ready.index_dir)
    matches = tuple(corpus.search_ids("veto"))
    corpus.close()
    assert 0 < len(matches) < len(IDS)
    UserData(ready.index_dir).save_state(ReaderState(query="veto", sort="relevance"))
    release = hold_the_whole_list(monkeypatch)
    async with ready.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = reader(pilot).query_one(ArticleList)
        assert articles.ids == IDS[:2]
        for _ in range(100):  # the matches found, the list still by file
            if reader(pilot).search_filter.matches is not None:
                break
            await pilot.pause(0.05)
        assert reader(pilot).search_filter.matches == matches
        assert articles.ids == IDS[:2]
        release.set()
        await until_listed(pilot, len(matches))
        await settle(pilot)
        assert tuple(articles.ids) == matches


def test_the_titles_read_for_a_first_page_by_title_hold_that_page(tmp_path: Path) -> None:
    """Only the titles that may be in it are read (not those of another initial past the
    page), and the page is the whole list's, whatever the titles begin with."""
    from index.storage.catalog import Catalog

    starts = ["a", "B", "b", "É", "é", "«", " ", "\n", "\x1b", "'", "1", "z", "Z", "", "K"]
    rng = random.Random(16)
    catalog = Catalog(tmp_path / "catalog.sqlite")
    rows = []
    for n in range(300):
        title = rng.choice(starts) + rng.choice(starts) + rng.choice(["", "x", "Mot"])
        rows.append((f"{n:03d}", f"{rng.choice(starts)}f{n}.txt", title))
    with catalog.transaction():
        for doc_id, path, title in rows:
            catalog._db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, '', 'fr', '', '', '[]', 0, 0, '')",
                (doc_id, path, title),
            )
    every = [ArticleSummary(d, p, t, "", "fr", "", 0, 0) for d, p, t in rows]
    whole = [s.id for s in listed(every, named=None, matches=None, sort="title")]
    keys = {d: title_key(t, p) for d, p, t in rows}
    for limit in (1, 7, 40):
        for start in [None, *whole[::7]]:
            key = keys[start] if start is not None else ""
            titles = catalog.titles(key[:1] or None, limit)
            begin = whole.index(start) if start is not None else 0
            assert first_by_title(titles, start, limit) == whole[begin : begin + limit]
    assert len(catalog.titles("a", 1)) < len(rows)  # some are not read
    catalog.close()


def test_settle_memory_keeps_the_middle_generation_small() -> None:
    """With 50 young collections between two of the middle generation, it grew to 300,000
    objects: half a second to walk in the middle of a held key."""
    before = gc.get_threshold()
    try:
        settle_memory()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert GC_THRESHOLDS[1] <= 10
        assert gc.get_freeze_count() > 0
    finally:
        # What is frozen stays frozen, as after any run of the reader in this session:
        # unfrozen, the millions of objects of the earlier tests would all be walked by
        # the next full collection, seconds in the middle of another test.
        gc.set_threshold(*before)


async def test_an_older_reading_of_the_entities_is_dropped(pilot: Pilot[None]) -> None:
    """The first reading of the entities starts after the first paint and is not cancelled
    when an update asks for another: whichever ends last, the last asked for is shown."""
    screen = reader(pilot)
    assert screen.entities
    screen.post_message(EntitiesLoaded([], asked=screen.corpus_entities.asked - 1))
    await pilot.pause()
    assert screen.entities
    screen.post_message(EntitiesLoaded([], asked=screen.corpus_entities.asked))
    await pilot.pause()
    assert not screen.entities


async def test_a_full_collection_waits_for_the_user_to_pause(ready: Ready) -> None:
    """Keys held down never meet a full collection; a pause after using the reader does."""
    app = ready.app()
    before = gc.get_threshold()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            collections: list[int] = []

            def counted(phase: str, info: dict[str, int]) -> None:
                if phase == "start" and info["generation"] == 2:
                    collections.append(1)

            gc.callbacks.append(counted)
            try:
                await pilot.press("j")  # a key now: not idle
                app._settle_when_idle()
                assert collections == []
                # As if two seconds had passed since the key (and more since the last one).
                app._settled_at -= 2 * IDLE_SECONDS
                app._last_input -= IDLE_SECONDS
                app._settle_when_idle()
                assert collections == [1]
                app._settle_when_idle()  # nothing done since: nothing to collect
                assert collections == [1]
                # An index update loaded much: collected at the next pause, not among keys.
                app.post_message(PresseApp.IndexUpdated(IngestReport()))
                await pilot.pause()
                await pilot.press("j")
                app._settle_when_idle()
                assert collections == [1]
                app._last_input -= IDLE_SECONDS  # the pause after the key
                app._settle_when_idle()
                assert collections == [1, 1]
                await settle(pilot)
            finally:
                gc.callbacks.remove(counted)
    finally:
        gc.set_threshold(*before)  # (frozen objects stay frozen, as above)


async def test_the_rest_of_the_list_unreadable_leaves_a_list_that_works(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rest of the list cannot be read (an I/O error): the reader says so, and the
    filters, which wait for the whole list, work on the page listed."""
    monkeypatch.setattr("tui.reader.screen.FIRST_PAGE", 2)
    monkeypatch.setattr("tui.reader.screen.READ_WHOLE", 2)
    original = Corpus.articles

    def failing(self: Corpus, **kwargs: Any) -> Any:
        if not kwargs:
            raise StorageError("the catalog cannot be read: disk I/O error")
        return original(self, **kwargs)

    monkeypatch.setattr(Corpus, "articles", failing)
    # (nothing else lists again: not the entities read after the first paint)
    monkeypatch.setattr("tui.reader.entities.CorpusEntities.load", lambda self: None)
    async with ready.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(pilot)
        articles = screen.query_one(ArticleList)
        assert articles.ids == IDS[:2]
        assert screen.article_count == 2
        assert "listing" not in str(articles.border_subtitle)
        assert "2 · by file" in str(articles.border_subtitle)
        assert any("Cannot list the articles" in str(n.title) for n in pilot.app._notifications)
        await press(pilot, "slash", *"veto", "enter")
        matches = set(screen.search_filter.matches or ())
        assert matches and set(articles.ids) == matches & set(IDS[:2])
