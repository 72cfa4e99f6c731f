"""The stored search index: written when an article's live version changes (publish, withdrawal),
read by :mod:`kratom_info.readers.search`. A search then costs what its page shows, not what the
site holds.

Per live article: one SearchDocument (plain text of title, lead and body), its SearchSections
(each word's stem stored beside it) and its words counted in the language's SearchWord
vocabulary. PostgreSQL also gets a tsvector in the article's language in ``vector`` (GIN index);
SQLite an FTS5 row of the stems in ``readers_search_fts`` (with the language as a column of its
own, so that a search is answered by the FTS5 table alone).

Every function takes the app registry, so the migration that builds the index for articles
published before it existed runs the same code on its historical models.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import F

from kratom_info.readers.search_text import (
    LANGUAGES,
    VOCABULARY_MIN_LENGTH,
    Stems,
    fold,
    sections_of,
    words,
)

FTS_TABLE = "readers_search_fts"


def _models(apps):
    return (
        apps.get_model("articles", "Article"),
        apps.get_model("readers", "SearchDocument"),
        apps.get_model("readers", "SearchSection"),
        apps.get_model("readers", "SearchWord"),
    )


def search_index_update(*, article_id: int, apps=global_apps) -> None:
    """Make the index show the article's live version: rewrite its entry after a publish, remove
    it when the article has no live version (withdrawn). Runs in the caller's transaction, so
    the index changes with the publish or not at all."""
    Article, SearchDocument, _, _ = _models(apps)
    with transaction.atomic():
        article = Article.objects.select_related("live_revision").get(pk=article_id)
        live = article.live_revision
        existing = SearchDocument.objects.filter(article_id=article_id).first()
        if existing is not None and live is not None and existing.revision_id == live.pk:
            return
        old_words: set[str] = set()
        if existing is not None:
            old_words = _document_words(existing, apps)
            _remove(existing)
            _vocabulary_count(existing.language, old_words, -1, apps)
        if live is not None:
            new_words = _write(article, live, apps)
            _vocabulary_count(article.language, new_words, +1, apps)


def search_index_rebuild(*, apps=global_apps) -> int:
    """Index every published article afresh (after a restore, or to repair the index); returns
    how many are indexed."""
    Article, SearchDocument, _, SearchWord = _models(apps)
    with transaction.atomic():
        for document in SearchDocument.objects.all():
            _remove(document)
        SearchWord.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 (a constant)
        ids = list(Article.objects.filter(live_revision__isnull=False).values_list("pk", flat=True))
        for article_id in ids:
            search_index_update(article_id=article_id, apps=apps)
    return len(ids)


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _vocabulary(text: str) -> set[str]:
    return {word.lower() for word in words(text) if len(word) >= VOCABULARY_MIN_LENGTH}


def _document_words(document, apps) -> set[str]:
    _, _, SearchSection, _ = _models(apps)
    found: set[str] = set()
    for heading, text in SearchSection.objects.filter(document=document).values_list(
        "heading", "text"
    ):
        found |= _vocabulary(f"{heading} {text}")
    return found


def _remove(document) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document.pk])  # noqa: S608
    document.delete()  # its sections with it


def _write(article, revision, apps) -> set[str]:
    """Store the document and sections of ``revision``; return the words it uses."""
    _, SearchDocument, SearchSection, _ = _models(apps)
    language = article.language
    stems = Stems(language)
    sections = sections_of(revision)
    lead = sections[0].text
    body = " ".join(f"{section.heading} {section.text}" for section in sections[1:])
    document = SearchDocument.objects.create(
        article_id=article.pk,
        revision_id=revision.pk,
        language=language,
        title=revision.title,
        lead=lead,
        body=body,
    )
    SearchSection.objects.bulk_create(
        SearchSection(
            document=document,
            position=position,
            anchor=section.anchor[:200],
            heading=section.heading,
            text=section.text,
            heading_stems=stems.of(section.heading),
            text_stems=stems.of(section.text),
        )
        for position, section in enumerate(sections)
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector  # (loads the driver)

        config = LANGUAGES[language].text_search_config
        title = SearchVector("title", weight="A", config=config)
        lead = SearchVector("lead", weight="B", config=config)
        vectors = {"vector": title + lead + SearchVector("body", weight="C", config=config)}
        # Readers' migration 0002 indexes the articles published before it with this code, on
        # a historical model that has no rank_vector yet (0003 fills it).
        if _has_field(SearchDocument, "rank_vector"):
            vectors["rank_vector"] = title + lead
        SearchDocument.objects.filter(pk=document.pk).update(**vectors)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # REPLACE: a test database flushed between tests keeps this table's rows.
            cursor.execute(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, language, title, lead, body) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                [document.pk, language, stems.of(revision.title), stems.of(lead), stems.of(body)],
            )
    found: set[str] = set()
    for section in sections:
        found |= _vocabulary(f"{section.heading} {section.text}")
    return found


def _vocabulary_count(language: str, changed: set[str], step: int, apps) -> None:
    """Add (``step`` +1) or take away (-1) one article's use of each word in ``changed``; a word
    no live article uses any more leaves the vocabulary."""
    _, _, _, SearchWord = _models(apps)
    if not changed:
        return
    changed_words = sorted({word[:100] for word in changed})
    batches = [changed_words[n : n + 500] for n in range(0, len(changed_words), 500)]
    in_language = SearchWord.objects.filter(language=language)
    for batch in batches:
        if step > 0:
            known = set(in_language.filter(word__in=batch).values_list("word", flat=True))
            stems = Stems(language)
            # Created at 0 and counted below with the rest: a word another publish creates
            # at the same moment is then counted once for each.
            SearchWord.objects.bulk_create(
                [
                    SearchWord(
                        language=language,
                        word=word,
                        folded=fold(word)[:100],
                        length=len(word),
                        stem=stems(word)[:100],
                        articles=0,
                    )
                    for word in batch
                    if word not in known
                ],  # fmt: skip
                ignore_conflicts=True,
            )
        in_language.filter(word__in=batch).update(articles=F("articles") + step)
    if step < 0:
        in_language.filter(articles__lte=0).delete()


def database_objects_create(schema_editor) -> None:
    """The text search configurations and the GIN index (PostgreSQL), or the FTS5 table
    (SQLite), for readers' migration 0002."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for language in LANGUAGES.values():
            name, base = language.text_search_config, language.postgres_base_config
            schema_editor.execute(
                f"CREATE TEXT SEARCH DICTIONARY {name}_stem "
                f"(TEMPLATE = snowball, LANGUAGE = {language.stemmer})"
            )
            schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base})")
            schema_editor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {name} "
                f"ALTER MAPPING REPLACE {base}_stem WITH {name}_stem"
            )
        schema_editor.execute(
            "CREATE INDEX readers_searchdoc_vector ON readers_searchdocument USING gin (vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(language, title, lead, body, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def rank_vector_create(schema_editor, apps=global_apps) -> None:
    """PostgreSQL (readers' migration 0003): keep ``rank_vector`` in the table's row and move
    the long texts and the whole vector out of it (TOAST), so that ranking thousands of matches
    reads narrow rows and decompresses no article; fill it for the articles indexed before."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = "readers_searchdocument"
    schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN rank_vector SET STORAGE MAIN")
    schema_editor.execute(f"ALTER TABLE {table} SET (toast_tuple_target = 128)")
    from django.contrib.postgres.search import SearchVector

    _, SearchDocument, _, _ = _models(apps)
    for code, language in LANGUAGES.items():
        config = language.text_search_config
        SearchDocument.objects.filter(language=code).update(
            rank_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("lead", weight="B", config=config)
        )


def _language_index(code: str) -> str:
    return f"readers_searchdoc_vector_{code}"


def language_indexes_create(schema_editor) -> None:
    """PostgreSQL (readers' migration 0004): one GIN index of ``vector`` per language, each
    partial (``WHERE language = ...``), in place of one index of every language's vectors and
    a B-tree of the language. With both of those, the planner chose the language's B-tree and
    tested each of its documents' whole vector, read out of line: about 100 ms at 5,000
    articles. A search names its language, so its own index answers the search alone. (A new
    language in LANGUAGES needs a migration adding its index.)"""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS readers_searchdoc_vector")
    for code in LANGUAGES:
        schema_editor.execute(
            f"CREATE INDEX {_language_index(code)} ON readers_searchdocument "
            f"USING gin (vector) WHERE language = '{code}'"
        )


def language_indexes_drop(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for code in LANGUAGES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_language_index(code)}")
    schema_editor.execute(
        "CREATE INDEX readers_searchdoc_vector ON readers_searchdocument USING gin (vector)"
    )


def database_objects_drop(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS readers_searchdoc_vector")
        for language in LANGUAGES.values():
            name = language.text_search_config
            schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
            schema_editor.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {name}_stem")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
