"""Residents' pages: join a round with its code, vote on its statements one at a time, suggest
one, and say (or not) which group they belong to.

These are public pages (no account). What a browser may see is limited to the round whose code
it entered (:func:`focuson.web.core.join_codes.participant`): a code opens that round's voting
pages and nothing else, and anyone who has not joined is sent to the round's join page. Each page
works without JavaScript and on a 390 px phone.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from focuson.web.core import join_codes
from focuson.web.permissions import public
from focuson.web.statements import actions, erasure
from focuson.web.statements.forms import GroupForm, StatementForm, VoteForm
from focuson.web.statements.models import Author, Moderation, StatementRound, Voter

#: The co-creation session a resident came from, by round pk (its page, linked back to).
VIA_SESSION = "focuson_via_session"


def _by_code(code: str) -> StatementRound:
    return get_object_or_404(StatementRound, code=join_codes.normalise(code))


def _joined(request: HttpRequest, code: str) -> tuple[StatementRound, str | None]:
    found = _by_code(code)
    return found, join_codes.participant(request, found)


def _to_join(found: StatementRound) -> HttpResponseRedirect:
    return redirect("statements:join", code=found.code)


def _voter(found: StatementRound, participant: str) -> Voter | None:
    return Voter.objects.filter(round=found, participant=participant).first()


@public
def enter_code(request: HttpRequest) -> HttpResponse:
    """Type a round's code (from a flyer or read out in the room)."""
    error = ""
    code = join_codes.normalise(request.POST.get("code", "") or request.GET.get("code", ""))
    if request.method == "POST" or code:
        if not code:
            error = _("Enter the code you were given, for example ABCD2345.")
        elif StatementRound.objects.filter(code=code).exists():
            return redirect("statements:join", code=code)
        else:
            error = _("No round has that code: check it with the person who gave it to you.")
    return render(request, "statements/resident/enter_code.html", {"error": error, "code": code})


@public
def join(request: HttpRequest, code: str) -> HttpResponse:
    """A round's welcome: what it asks, what is kept, an optional group; then start voting."""
    found = _by_code(code)
    if not found.accepting():
        return render(request, "statements/resident/closed.html", {"round": found}, status=200)
    form = GroupForm(request.POST if request.method == "POST" else None, round=found)
    if request.method == "POST":
        form.fields["group"].required = False
        if form.is_valid():
            participant = join_codes.join(request, found)
            if form.cleaned_data.get("group"):
                voter = actions.online_voter(round=found, participant=participant)
                actions.declare_group(
                    voter=voter, group=form.declared, prefers_not_to_say=form.prefers_not_to_say
                )
            return redirect("statements:vote", code=found.code)
    context = {
        "round": found,
        "form": form,
        "joined": join_codes.participant(request, found) is not None,
    }
    return render(request, "statements/resident/join.html", context)


@public
def vote(request: HttpRequest, code: str) -> HttpResponse:
    """One accepted statement at a time (agree, disagree, pass), with the progress so far."""
    found, participant = _joined(request, code)
    if participant is None:
        return _to_join(found)
    statements = list(found.statements.filter(status=Moderation.ACCEPTED).order_by("pk"))
    voter = _voter(found, participant)
    done = dict(voter.votes.values_list("statement_id", "value")) if voter else {}
    if request.method == "POST":
        form = VoteForm(request.POST)
        wanted = {s.pk: s for s in statements}
        if not found.accepting():
            messages.error(request, _("This round is closed: it takes no more votes."))
        elif form.is_valid() and form.cleaned_data["statement"] in wanted:
            voter = voter or actions.online_voter(round=found, participant=participant)
            actions.vote(
                voter=voter,
                statement=wanted[form.cleaned_data["statement"]],
                value=form.cleaned_data["vote"],
            )
            return redirect("statements:vote", code=found.code)
        else:
            messages.error(request, _("Choose agree, disagree or pass for the statement."))
        return redirect("statements:vote", code=found.code)
    chosen = request.GET.get("statement", "")
    current = next((s for s in statements if str(s.pk) == chosen), None)
    if current is None:
        current = next((s for s in statements if s.pk not in done), None)
    answered = sum(1 for s in statements if s.pk in done)
    position = statements.index(current) + 1 if current is not None else len(statements)
    context = {
        "round": found,
        "statement": current,
        "previous": done.get(current.pk) if current is not None else None,
        "position": position,
        "answered": answered,
        "total": len(statements),
        "voted": [(s, done[s.pk]) for s in statements if s.pk in done],
        "open": found.accepting(),
        "session_url": request.session.get(VIA_SESSION, {}).get(str(found.pk)),
    }
    return render(request, "statements/resident/vote.html", context)


#: Suggestions one browser may make in a round (anonymous: counted in its session).
SUGGESTIONS_PER_PERSON = 5


@public
def suggest(request: HttpRequest, code: str) -> HttpResponse:
    """Suggest a statement of one's own: it waits for a facilitator to accept it."""
    found, participant = _joined(request, code)
    if participant is None:
        return _to_join(found)
    form = StatementForm(request.POST if request.method == "POST" else None)
    key = f"focuson_suggested:{found.pk}"
    if request.method == "POST" and form.is_valid():
        if request.session.get(key, 0) >= SUGGESTIONS_PER_PERSON:
            form.add_error(
                "text",
                _(
                    "Thank you: you have suggested %(n)d statements already. A facilitator will "
                    "read them before you suggest more."
                )
                % {"n": SUGGESTIONS_PER_PERSON},
            )
            return render(
                request, "statements/resident/suggest.html", {"round": found, "form": form}
            )
        try:
            actions.add_statement(
                user=None,
                round=found,
                text=form.cleaned_data["text"],
                author=Author.RESIDENT,
                participant=participant,
            )
        except actions.StatementsError as error:
            form.add_error("text", str(error))
        else:
            request.session[key] = request.session.get(key, 0) + 1
            messages.success(
                request,
                _(
                    "Thank you: your statement will be shown to others once a facilitator has "
                    "read it."
                ),
            )
            return redirect("statements:vote", code=found.code)
    return render(request, "statements/resident/suggest.html", {"round": found, "form": form})


@public
def about_you(request: HttpRequest, code: str) -> HttpResponse:
    """Say which group one belongs to, or prefer not to say (and change it later)."""
    found, participant = _joined(request, code)
    if participant is None:
        return _to_join(found)
    if not found.groups:
        return redirect("statements:vote", code=found.code)
    voter = _voter(found, participant)
    initial = {}
    if voter is not None and (voter.declared_group or voter.prefers_not_to_say):
        initial["group"] = voter.declared_group or "__prefer_not_to_say__"
    form = GroupForm(
        request.POST if request.method == "POST" else None, round=found, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        voter = voter or actions.online_voter(round=found, participant=participant)
        actions.declare_group(
            voter=voter, group=form.declared, prefers_not_to_say=form.prefers_not_to_say
        )
        messages.success(request, _("Saved. Thank you."))
        return redirect("statements:vote", code=found.code)
    return render(request, "statements/resident/about_you.html", {"round": found, "form": form})


@public
def leave(request: HttpRequest, code: str) -> HttpResponse:
    """Leave the round on this device (what was given stays), or remove it all and leave."""
    found, participant = _joined(request, code)
    if participant is None:
        return _to_join(found)
    if request.method == "POST":
        if request.POST.get("remove"):
            gone = erasure.remove_participant(round=found, participant=participant)
            message = _(
                "Your votes (%(votes)d), your group and the statements you suggested "
                "(%(suggestions)d) are removed, and you have left the round on this device."
            ) % {"votes": gone.votes, "suggestions": gone.suggestions}
        else:
            message = _("You have left the round on this device. Your votes still count.")
        join_codes.leave(request, found)
        messages.success(request, message)
        return redirect("statements:enter_code")
    voter = _voter(found, participant)
    context = {
        "round": found,
        "votes": voter.votes.count() if voter else 0,
        "suggested": found.statements.filter(
            participant=erasure.suggestion_hash(found, participant)
        ).count(),
    }
    return render(request, "statements/resident/leave.html", context)
