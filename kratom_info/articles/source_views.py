"""The bibliography pages (/sources/, /sources/<key>/): every approved source and which
published versions cite it. They live with articles, not citations: "which revisions cite this
source" is a question about revisions' statuses, which citations (the layer below) does not
know."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from kratom_info.articles.models import Revision
from kratom_info.citations.models import Source
from kratom_info.languages import page_language
from kratom_info.pagecache.decorators import public_page


@public_page
def source_list(request):
    # Versions in the page's language: a Spanish reader is sent to Spanish pages. The counts
    # are kept per source (SourceCitingCount), so the list costs one query however many
    # versions cite its sources.
    sources = (
        Source.objects.approved()
        .with_citing_versions(page_language(request))
        .order_by("authors", "year", "key")  # key: one order for sources that tie
    )
    return render(request, "citations/source_list.html", {"sources": sources})


@public_page
def source_detail(request, key: str):
    source = get_object_or_404(
        Source.objects.approved().prefetch_related(
            Prefetch(
                "revisions",
                queryset=Revision.objects.public()
                .filter(article__language=page_language(request))
                .select_related("article")
                .order_by("article__order", "-number"),
                to_attr="public_revisions",
            )
        ),
        key=key,
    )
    return render(request, "citations/source_detail.html", {"source": source})
