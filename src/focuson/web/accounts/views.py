"""Signing in and out, and a person's own page (their role, their API tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from focuson.web.accounts.forms import TokenForm
from focuson.web.accounts.models import ApiToken
from focuson.web.permissions import Permission, public, requires

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view())


@requires(Permission.USE_API)
def me(request: HttpRequest) -> HttpResponse:
    """Your role, what it lets you do, and your API tokens."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Token made. Copy it now: it is shown only once."))
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(
        request, "accounts/me.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@requires(Permission.USE_API)
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a token working (only your own: anyone else's answers 404, like a missing one)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        # A save, not a queryset update: the audit trail (simple-history) records who revoked it.
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, _("Token revoked: scripts using it are refused from now on."))
    return redirect("accounts:me")
