"""Plain factory functions that go through the services, so fixtures cannot build states the
site itself could never reach."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from kratom_info.articles.models import Article, Revision
from kratom_info.articles.services import (
    revision_create,
    revision_publish_unreviewed,
)
from kratom_info.citations.models import Source, SourceKind

_counter = itertools.count(1)
KEY_POINTS = ("Start low.", "Wait before taking more.", "Ask for help.")


def make_user(username: str | None = None, **extra):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username, password=extra.pop("password", "test-password-123"), **extra
    )


def _source_defaults(key: str) -> dict:
    return {
        "kind": SourceKind.JOURNAL_ARTICLE,
        "authors": "Doe J, Roe R",
        "year": 2020,
        "title": f"A study called {key}",
        "container": "Journal of Examples",
        "volume_pages": "1(2):3-4",
        "doi": f"10.1000/{key}",
    }


def make_source(key: str | None = None, **fields) -> Source:
    """An approved (public) source, as ``import_content`` creates them."""
    key = key or f"source{next(_counter)}"
    defaults = _source_defaults(key)
    defaults.update(fields)
    source = Source(key=key, approved=True, **defaults)
    source.full_clean()
    source.save()
    return source


def make_article(slug: str | None = None, **fields) -> Article:
    slug = slug or f"article-{next(_counter)}"
    # Titles state no number (the content rules refuse one), so "article-7" is "Article".
    default_title = " ".join(w for w in slug.split("-") if not w.isdigit()).title() or "Article"
    return Article.objects.create(slug=slug, title=fields.pop("title", default_title), **fields)


def make_translation(original: Article, language: str = "es", **fields) -> Article:
    """An article translating ``original`` (no revisions yet)."""
    return Article.objects.create(
        slug=original.slug,
        language=language,
        original=original,
        title=fields.pop("title", f"{original.title} ({language})"),
        **fields,
    )


def make_revision(
    article: Article | None = None,
    body: str = "Kratom is a plant.\n",
    *,
    title: str | None = None,
    summary: str = "A short summary.",
    change_note: str = "A change.",
    key_points: list[str] | None = None,
    main_message: str = "The main message.",
    author=None,
    publish: bool = False,
    translates: Revision | None = None,
) -> Revision:
    """A new draft revision; ``publish=True`` makes an author-less one live without review."""
    article = article or make_article()
    revision = revision_create(
        article=article,
        title=title or article.title,
        summary=summary,
        body=body,
        change_note=change_note,
        main_message=main_message,
        key_points=key_points if key_points is not None else list(KEY_POINTS),
        author=author,
        translates=translates,
    )
    if publish:
        revision_publish_unreviewed(revision=revision)
        revision.refresh_from_db()
    return revision


# Editorial workflow (kratom_info.editorial) --------------------------------------------------


def make_editor(
    username: str | None = None,
    *roles: str,
    display_name: str = "",
    languages: list[str] | None = None,
    **extra,
):
    """A staff user in the given role groups ("Author", "Reviewer", "Publisher"); a reviewer
    gets a reviewer profile unless ``display_name`` is None, reviewing in ``languages``
    (default: English only; give ``["en", "es"]`` to review Spanish translations)."""
    from django.contrib.auth.models import Group

    from kratom_info.editorial.roles import REVIEWER, sync_role_groups
    from kratom_info.profiles.models import ReviewerProfile

    sync_role_groups()  # the groups come from a data migration; a flushed test DB lacks them
    extra.setdefault("is_staff", True)
    user = make_user(username, **extra)
    user.groups.set(Group.objects.filter(name__in=roles))
    if REVIEWER in roles and display_name is not None:
        ReviewerProfile.objects.create(
            user=user,
            display_name=display_name or f"Dr {user.get_username().title()}",
            role="Pharmacist",
            **({"languages": languages} if languages is not None else {}),
        )
    return user


def make_invitation(*, by, role: str = "Author", email: str = "", **fields):
    """An invited person (no password yet), through the invitation service as the admin's
    "Invite a person" screen does. Returns the :class:`Invitation` (person and link)."""
    from kratom_info.accounts.people import person_invite

    number = next(_counter)
    if role == "Reviewer":
        fields.setdefault("display_name", f"Dr Invited {number}")
        fields.setdefault("credentials", "Pharmacist")
    return person_invite(
        user=by,
        email=email or f"invited{number}@example.org",
        first_name=fields.pop("first_name", "Invited"),
        role=role,
        **fields,
    )


def make_proposed_source(key: str | None = None, *, proposer, **fields):
    """A new source proposed by ``proposer`` and not yet approved; returns the SourceChange."""
    from kratom_info.source_review.services import source_change_propose

    key = key or f"source{next(_counter)}"
    values = _source_defaults(key)
    values.update(fields)
    return source_change_propose(user=proposer, key=key, values=values, note="New source.")


def make_submitted(
    article: Article | None = None, body: str = "Kratom is a plant [@k1].\n", *, author, **fields
) -> Revision:
    """A draft by ``author`` (created through the editor's service) and submitted."""
    from kratom_info.editorial.services import revision_create_draft_from, revision_submit

    fields.setdefault("key_points", list(KEY_POINTS))  # the content rules ask for 3 to 5
    article = article or make_article()
    latest = article.latest_revision()
    revision = revision_create_draft_from(
        article=article,
        user=author,
        based_on=latest.number if latest else 0,
        title=fields.pop("title", article.title),
        summary=fields.pop("summary", "A short summary."),
        body=body,
        change_note=fields.pop("change_note", "An edit."),
        **fields,
    )
    return revision_submit(revision=revision, user=author)


def claim_locators(claim, fallback: str = "abstract") -> dict[str, str]:
    """A locator for each source a claim cites: the author's, else ``fallback``."""
    return {key: claim.author_locator(key) or fallback for key in claim.keys}


def check_supported(claim, *, reviewer, **locators):
    """``claim`` marked supported by ``reviewer``, confirming the author's locators (or
    naming ``locators`` given by key)."""
    from kratom_info.editorial.models import Verdict
    from kratom_info.editorial.services import claim_check_record

    return claim_check_record(
        claim=claim,
        user=reviewer,
        verdict=Verdict.SUPPORTED,
        locators={**claim_locators(claim), **locators},
    )


def make_approved(revision: Revision, *, reviewer) -> Revision:
    """Every claim marked supported by ``reviewer``, then approved."""
    from kratom_info.editorial.services import revision_approve

    for claim in revision.claims.all():
        check_supported(claim, reviewer=reviewer)
    revision_approve(revision=revision, user=reviewer)
    revision.refresh_from_db()
    return revision


def make_reviewed_live(
    article: Article | None = None,
    body: str = "Kratom is a plant [@k1].\n",
    *,
    author,
    reviewer,
    publisher,
    next_review_due=None,
    fast_review_reason: str = "Test fixture: the verdicts were recorded by a script.",
    **fields,
) -> Revision:
    """A revision taken through the whole workflow and published. The factory's verdicts come
    faster than any person's, so a revision of two or more claims is a flagged fast review,
    published with ``fast_review_reason``."""
    from kratom_info.editorial.services import default_next_review_due, revision_publish

    revision = make_approved(
        make_submitted(article, body, author=author, **fields), reviewer=reviewer
    )
    revision_publish(
        revision=revision,
        user=publisher,
        next_review_due=next_review_due or default_next_review_due(),
        fast_review_reason=fast_review_reason,
    )
    revision.refresh_from_db()
    return revision


# Sign-in (kratom_info.accounts) --------------------------------------------------------------


def totp_code(device, *, steps_ahead: int = 1) -> str:
    """The code ``device``'s authenticator app would show ``steps_ahead`` time steps from now,
    computed from its key with django-otp's own TOTP. One step ahead is inside the accepted
    window and always newer than the code that confirmed the device (codes are not reused)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def make_second_factor(user):
    """Enrol ``user``'s authenticator app through the services, as the enrolment page does.
    Returns the confirmed device and the recovery codes."""
    from kratom_info.accounts.services import totp_device_confirm, totp_device_start

    device = totp_device_start(user=user)
    return totp_device_confirm(user=user, code=totp_code(device, steps_ahead=0))


def verified(user, device):
    """``user`` as ``request.user`` of a session verified with ``device``: a fresh copy,
    marked by django-otp's own middleware (``user`` itself stays unverified)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.middleware import OTPMiddleware

    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk)  # a fresh copy, as each request has
    request.session = SessionStore()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    OTPMiddleware(lambda request: None)(request)
    return request.user
