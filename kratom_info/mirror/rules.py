"""What a static server must know beyond the files: redirects (short links, the favicon), status
codes other than 200 (withdrawn articles answer 410) and the few headers that change what a
browser does (caching, a download's file name). Written in the formats servers read: nginx
``map`` files and an include of ``location`` blocks, and Netlify/Cloudflare Pages style
``_redirects`` and ``_headers``; plus an HTML page at each short link's folder for hosts that
read none of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape

# Headers the app sends with some answers that change what a client does, which a static
# server must repeat file by file (the rest are the same for every page: see deploy/).
KEPT_HEADERS = ("Cache-Control", "Content-Disposition", "X-Robots-Tag", "Referrer-Policy")
# Collected static files, as WhiteNoise serves them: hashed names forever, others briefly.
STATIC_CACHE_CONTROL = (
    (r"~^/static/.+\.[0-9a-f]{12}\.[^/.]+$", "max-age=315360000, public, immutable"),
    ("~^/static/", "max-age=60, public"),
)


@dataclass
class Rules:
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> (status, to)
    statuses: dict[str, tuple[int, str]] = field(default_factory=dict)  # path -> (status, file)
    # The served file's URI ("/articles/x/index.html", what nginx's $uri is once it picked the
    # index file) -> (the address readers ask for, {kept header: value})
    headers: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    # The kept headers of an ordinary public page; the files that differ are listed.
    defaults: dict[str, str] = field(default_factory=dict)
    # Language path prefixes ("/es/") -> language code; no prefix is the default language
    languages: dict[str, str] = field(default_factory=dict)
    default_language: str = "en"
    # Where a form's POST to a page is sent on (303) when only the mirror answers
    see_other: dict[str, str] = field(default_factory=dict)

    def special(self, name: str) -> dict[str, str]:
        """File URI -> the value of header ``name``, for files whose value is not the
        default."""
        default = self.defaults.get(name, "")
        values = {uri: kept.get(name, "") for uri, (_path, kept) in self.headers.items()}
        return {uri: value for uri, value in values.items() if value != default}


def map_variable(header: str) -> str:
    return "$mirror_" + header.lower().replace("-", "_")


def _quoted(value: str) -> str:
    """A string in an nginx config: double-quoted, with backslashes and quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_maps(rules: Rules) -> str:
    """For the ``http`` block: maps from the request's path to a redirect target, and from the
    served file to its Cache-Control and Content-Disposition."""
    lines = ["# Written by manage.py export_site; do not edit (the next export replaces it)."]
    for variable, status in (("$mirror_permanent", 301), ("$mirror_temporary", 302)):
        lines.append(f"map $uri {variable} {{")
        lines.append('    default "";')
        for path, (code, target) in sorted(rules.redirects.items()):
            if code == status:
                lines.append(f"    {_quoted(path)} {_quoted(target)};")
        lines.append("}")
    lines.append('map "$request_method:$uri" $mirror_see_other {')
    lines.append('    default "";')
    for path, target in sorted(rules.see_other.items()):
        lines.append(f"    {_quoted('POST:' + path)} {_quoted(target)};")
    lines.append("}")
    for variable, value_for in (
        ("$mirror_language", lambda prefix, code: code),
        ("$mirror_not_found", lambda prefix, code: f"{prefix}404.html"),
    ):
        lines.append(f"map $uri {variable} {{")
        lines.append(f"    default {_quoted(value_for('/', rules.default_language))};")
        for prefix, code in sorted(rules.languages.items()):
            lines.append(f"    {_quoted('~^' + prefix)} {_quoted(value_for(prefix, code))};")
        lines.append("}")
    for header in KEPT_HEADERS:
        lines.append(f"map $uri {map_variable(header)} {{")
        lines.append(f"    default {_quoted(rules.defaults.get(header, ''))};")
        for uri, value in sorted(rules.special(header).items()):
            lines.append(f"    {_quoted(uri)} {_quoted(value)};")
        if header == "Cache-Control":
            lines += [
                f"    {_quoted(pattern)} {_quoted(value)};"
                for pattern, value in STATIC_CACHE_CONTROL
            ]
        lines.append("}")
    return "\n".join(lines) + "\n"


def nginx_locations(rules: Rules) -> str:
    """For the ``server`` block: addresses that answer with another status than 200, each with
    its exported page as the body."""
    lines = ["# Written by manage.py export_site; do not edit (the next export replaces it)."]
    for path, (status, file) in sorted(rules.statuses.items()):
        lines.append(f"location = {_quoted(path)} {{")
        lines.append(f"    error_page {status} {_quoted('/' + file)};")
        lines.append(f"    return {status};")
        lines.append("}")
    return "\n".join(lines) + "\n"


def _caddy_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def caddy_rules(rules: Rules, content_types: dict[str, str]) -> str:
    """For a Caddy site block (``import``): redirects, 410s, per-address headers (the default
    with ``?``, set only when no rule for the address set it), and the check form's 303.
    ``content_types``: address -> the app's Content-Type, for files Caddy's own table types
    otherwise (feeds, the sitemap, CSV)."""
    q = _caddy_quoted
    lines = ["# Written by manage.py export_site; do not edit (the next export replaces it)."]
    for path, (status, target) in sorted(rules.redirects.items()):
        lines.append(f"redir {q(path)} {q(target)} {status}")
    for number, (path, target) in enumerate(sorted(rules.see_other.items())):
        lines += [
            f"@see_other_{number} {{",
            "\tmethod POST",
            f"\tpath {q(path)}",
            "}",
            f"redir @see_other_{number} {q(target)} 303",
        ]
    for path, (status, file) in sorted(rules.statuses.items()):
        lines += [
            f"handle {q(path)} {{",
            f"\trewrite * {q('/' + file)}",
            "\tfile_server {",
            "\t\tprecompressed br gzip",
            f"\t\tstatus {status}",
            "\t}",
            "}",
        ]
    by_path = dict(rules.headers.values())
    for path, kept in sorted(by_path.items()):
        for name in KEPT_HEADERS:
            value = kept.get(name, "")
            if value and value != rules.defaults.get(name, ""):
                lines.append(f"header {q(path)} {name} {q(value)}")
        if path in content_types:
            lines.append(f"header {q(path)} Content-Type {q(content_types[path])}")
    for name in KEPT_HEADERS:
        if rules.defaults.get(name):
            lines.append(f"header ?{name} {q(rules.defaults[name])}")
    for prefix, code in sorted(rules.languages.items()):
        lines.append(f"header {q(prefix + '*')} Content-Language {code}")
    lines.append(f"header ?Content-Language {rules.default_language}")
    for pattern, value in STATIC_CACHE_CONTROL:
        if pattern == "~^/static/":
            lines.append(f"header /static/* Cache-Control {q(value)}")
    return "\n".join(lines) + "\n"


def netlify_redirects(rules: Rules) -> str:
    """``_redirects``: one rule a line; a status other than 3xx serves the file with it."""
    lines = ["# Written by manage.py export_site."]
    for path, (status, target) in sorted(rules.redirects.items()):
        lines.append(f"{path} {target} {status}")
    for path, (status, file) in sorted(rules.statuses.items()):
        lines.append(f"{path} /{file} {status}")
    lines.append("/es/* /es/404.html 404")
    lines.append("/* /404.html 404")
    return "\n".join(lines) + "\n"


def netlify_headers(rules: Rules) -> str:
    """``_headers``: each address's Cache-Control (and a download's file name). Every address is
    listed, since such hosts combine the headers of every rule that matches."""
    lines = ["# Written by manage.py export_site."]
    for path, kept in sorted(rules.headers.values()):
        lines.append(path)
        lines += [f"  {name}: {value}" for name, value in kept.items() if value]
    return "\n".join(lines) + "\n"


def fallback_page(target: str, *, language: str) -> bytes:
    """A page that sends the browser on to ``target`` (a meta refresh) and says where, with a
    plain link, for a host that cannot redirect."""
    target_html = escape(target)
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(language)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target_html}">'
        f'<link rel="canonical" href="{target_html}"><meta name="robots" content="noindex">'
        f"<title>{target_html}</title></head>\n"
        f'<body><p><a href="{target_html}">{target_html}</a></p></body></html>\n'
    ).encode()
