"""``{% fixed "name" %}...{% endfixed %}``: a part of every page that depends on nothing but the
language and the settings (the site's header and navigation, the footer with the help lines).

It is rendered once per process and language, then reused, so a page that is not cached yet
spends its time on what it shows rather than on re-rendering the same navigation, URLs and help
lines. Nothing inside may read the request, the database or the view's context: only the
language, settings and context processors' constants (``site_name``, ``contact_email``).
The fragments are forgotten when a setting changes (tests) or a file changes (runserver).
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

from kratom_info.languages import url_in

register = template.Library()

_fragments: dict[tuple[str, str | None], SafeString] = {}


def forget_fragments(**kwargs) -> None:
    _fragments.clear()


setting_changed.connect(forget_fragments, dispatch_uid="pagecache_fixed_fragments_settings")
file_changed.connect(forget_fragments, dispatch_uid="pagecache_fixed_fragments_files")


class FixedNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        key = (self.name, translation.get_language())
        html = _fragments.get(key)
        if html is None:
            html = _fragments[key] = mark_safe(self.nodelist.render(context))  # noqa: S308
        return html


@register.tag
def fixed(parser, token):
    """``{% fixed "site-header" %}...{% endfixed %}``; the name is unique among fragments."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one quoted name")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(bits[1][1:-1], nodelist)


@register.simple_tag
def path(viewname: str, **kwargs) -> str:
    """``{% path "articles:history" slug=article.slug %}``: what ``{% url %}`` gives in the
    page's language, remembered per process (:func:`kratom_info.languages.url_in`)."""
    return url_in(translation.get_language(), viewname, **kwargs)
