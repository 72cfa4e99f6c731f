"""The page's language, taken from its address alone.

English pages keep their unprefixed addresses (they are printed on handouts); Spanish pages live
under ``/es/``. The language never comes from a cookie or the Accept-Language header, so one
address is always one page: public pages stay cookie-free and can be cached by path.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.signals import setting_changed
from django.http import Http404
from django.urls import get_script_prefix, reverse, translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode


class PathLanguageMiddleware:
    """Activates the language named by the path prefix (``/es/...``), English otherwise.

    Django's LocaleMiddleware would also read the Accept-Language header and a cookie and add
    ``Vary: Accept-Language`` to English pages; this site wants none of that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def page_language(request) -> str:
    """The language of the page being answered (set by :class:`PathLanguageMiddleware`)."""
    return getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)


def source_language_only(view):
    """For addresses that exist once (the sitemap): their ``/es/`` twins, which the
    per-language URL list would otherwise create, answer 404. (Short links need no such
    guard: ``/es/h/<code>`` leads where ``/h/<code>`` does, since the code names the article.)"""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if page_language(request) != settings.LANGUAGE_CODE:
            raise Http404("This address has no Spanish version.")
        return view(request, *args, **kwargs)

    return wrapper


# Pages that exist in every language whatever the database holds; article pages name their
# counterparts themselves (a translation may not exist yet).
PAGES_IN_EVERY_LANGUAGE = {
    "home",
    "citations:source_list",
    "citations:source_detail",
    "handouts:clinics",
    "readers:search",
    "readers:policy",
    "tools:index",
    "tools:tracking_sheet",
    "tools:check",
}


# The query parameters a page in every language reads, kept when switching language.
QUERY_KEPT_ACROSS_LANGUAGES = {"readers:search": ("q",)}


@dataclass(frozen=True)
class Alternate:
    """The same page in one language: for ``hreflang`` links and the language switch."""

    code: str
    name: str  # the language's name in that language ("Español")
    url: str  # a path


def alternates(urls: dict[str, str]) -> list[Alternate]:
    """Alternates in settings.LANGUAGES order, for the languages ``urls`` names (code -> path).
    A page with no counterpart has none (a lone link to itself says nothing)."""
    if len(urls) < 2:
        return []
    return [
        Alternate(code=code, name=str(name), url=urls[code])
        for code, name in settings.LANGUAGES
        if code in urls
    ]


def url_in(language: str, viewname: str, **kwargs) -> str:
    """``reverse`` as the page in ``language`` is addressed. Remembered per process (at most
    ``URL_MEMORY`` addresses): the URLconf does not change while a process runs, and a page
    not cached yet names the same few addresses every time."""
    return _url_in(get_script_prefix(), language, viewname, tuple(sorted(kwargs.items())))


URL_MEMORY = 4096


@functools.lru_cache(maxsize=URL_MEMORY)
def _url_in(prefix: str, language: str, viewname: str, kwargs: tuple) -> str:
    with translation.override(language):
        return reverse(viewname, kwargs=dict(kwargs))


def _forget_urls(*, setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _url_in.cache_clear()
        _translated.cache_clear()


setting_changed.connect(_forget_urls, dispatch_uid="languages_forget_urls")


def default_alternates(request) -> list[Alternate]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in PAGES_IN_EVERY_LANGUAGE:
        return []
    # Only what the page reads from its query string goes with it into the other language (a
    # search keeps its words); anything else a link carried (?fbclid=…) stays behind.
    kept = QUERY_KEPT_ACROSS_LANGUAGES.get(match.view_name, ())
    query = urlencode([(name, request.GET[name]) for name in kept if name in request.GET])
    suffix = f"?{query}" if query else ""
    path, prefix = escape_uri_path(request.path), get_script_prefix()
    return alternates(
        {code: _translated(prefix, path, code) + suffix for code, _ in settings.LANGUAGES}
    )


@functools.lru_cache(maxsize=URL_MEMORY)
def _translated(prefix: str, path: str, language: str) -> str:
    """``translate_url`` of a path, remembered per process like :func:`url_in`."""
    return translate_url(path, language)
