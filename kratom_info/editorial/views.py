"""The Markdown editor's endpoints, protected: only active staff who may edit articles get a
preview; image upload is turned off for everyone (articles show no images). (The page where an
invited person chooses their password is in :mod:`kratom_info.accounts.views`.)"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from kratom_info.articles.rendering import markdownify_preview
from kratom_info.editorial import second_factor
from kratom_info.editorial.services import PERM_CREATE


def editor_required(view):
    """403 unless the user is active staff with permission to edit articles and has passed the
    same second sign-in step the admin asks for (no redirect: these are called by the editor's
    script, never navigated to)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            raise PermissionDenied("Editor login required.")
        if not user.has_perm(PERM_CREATE):
            raise PermissionDenied("You do not have permission to edit articles.")
        if second_factor.pending_step(user):
            raise PermissionDenied("Sign in with your second factor first.")
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped


@require_POST
@editor_required
def markdownify(request):
    """The live preview: the same renderer as the public site, references included; text it
    refuses (over the size cap, nested too deeply) shows why, as the edit screen would."""
    content = request.POST.get("content", "")
    return HttpResponse(markdownify_preview(content))


@require_POST
@editor_required
def upload(request):
    """Image upload is off: the renderer's sanitizer allows no images in articles."""
    return JsonResponse(
        {"image": ["Image upload is turned off: articles do not show images."]}, status=403
    )
