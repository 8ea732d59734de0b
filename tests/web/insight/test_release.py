"""Quote release: suggested redactions confirmed by a person, a quote card that never names a
combination fewer than the threshold share, who released it recorded, outsiders refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.insight import release_actions
from focuson.web.insight.models import Quote

TEXT = (
    "Amina said: my NHS number is 943 476 5919, ring me on 07700 900123.\n"
    "Also 943 476 5918 was on the letter. The bus to the clinic stops at six."
)


def _coding(**participant):
    project = ProjectFactory()
    event = EventFactory(project=project)
    speaker = ParticipantFactory(event=event, **participant) if participant else None
    source = SourceFactory(event=event, text=TEXT)
    coding = CodingFactory(source=source, start=0, end=len(TEXT), participant=speaker)
    return project, event, coding


def _people(event, n, **attributes):
    for _ in range(n):
        ParticipantFactory(event=event, **attributes)


@pytest.mark.django_db
def test_suggestions_find_true_nhs_numbers_and_not_bad_check_digits(client_as):
    project, _event, coding = _coding()
    page = client_as(project.owner).get(reverse("insight:release_new", args=[coding.pk]))
    assert page.status_code == 200
    texts = [s.text for s in release_actions.suggestions(coding.excerpt)]
    assert "943 476 5919" in texts and "07700 900123" in texts
    assert "943 476 5918" not in texts  # bad check digit: not an NHS number
    assert "NHS number: 943 476 5919" in page.text


@pytest.mark.django_db
def test_release_redacts_confirmed_names_and_phrases_and_records_who(client_as):
    project, _event, coding = _coding()
    suggested = {s.text: f"{s.start}:{s.end}" for s in release_actions.suggestions(coding.excerpt)}
    client = client_as(project.owner)
    form = {
        # The phone number is unticked: the person decided it is not to be redacted.
        "confirmed": [suggested["943 476 5919"]],
        "names": "amina",
        "phrases": "the clinic",
        "action": "preview",
    }
    url = reverse("insight:release_new", args=[coding.pk])
    preview = client.post(url, form)
    assert preview.status_code == 200 and not Quote.objects.exists()
    assert "[redacted] said: my NHS number is [redacted]" in preview.text
    response = client.post(url, form | {"action": "release"})
    assert response.status_code == 302
    assert "released once already" in client.get(url).text
    quote = Quote.objects.get()
    assert quote.redacted_text == (
        "[redacted] said: my NHS number is [redacted], ring me on 07700 900123.\n"
        "Also 943 476 5918 was on the letter. The bus to [redacted] stops at six."
    )
    assert quote.released_by == project.owner and quote.status == Quote.Status.RELEASED
    (row,) = quote.history.all()
    assert row.history_user == project.owner and row.history_type == "+"
    # The audit trail keeps who and when, never the words.
    assert not hasattr(row, "redacted_text")


@pytest.mark.django_db
def test_a_span_not_suggested_cannot_be_posted():
    _project, _event, coding = _coding()
    from focuson.web.insight.release_forms import ReleaseForm

    suggested = release_actions.suggestions(coding.excerpt)
    form = ReleaseForm({"confirmed": ["0:9999"]}, suggested=suggested, known={})
    assert not form.is_valid() and "confirmed" in form.errors


@pytest.mark.django_db
def test_card_never_names_a_combination_fewer_than_the_threshold_share():
    _project, event, coding = _coding(age_band="65-79", sex="F")
    # 3 more of the speaker's age and sex (4 in all) and 10 women of another age (14 women):
    # age and sex together are too few to name, sex alone is not.
    _people(event, 3, age_band="65-79", sex="F")
    _people(event, 10, age_band="18-64", sex="F")
    attributes, check = release_actions.check_card(coding, ["age_band", "sex"])
    assert check is not None and check.shared_by == 4 and not check.safe
    assert attributes == {"sex": "F"} and check.shared_by_after == 14
    assert release_actions.THRESHOLD == 8


@pytest.mark.django_db
def test_card_says_nothing_when_even_one_attribute_is_too_rare(client_as):
    project, event, coding = _coding(age_band="80+", sex="M")
    _people(event, 5, age_band="18-64", sex="F")
    attributes, _check = release_actions.check_card(coding, ["age_band", "sex"])
    assert attributes == {}
    client = client_as(project.owner)
    url = reverse("insight:release_new", args=[coding.pk])
    client.post(url, {"attributes": ["age_band", "sex"], "action": "release"})
    quote = Quote.objects.get()
    assert quote.attributes == {} and quote.card == []
    page = client.get(reverse("insight:quotes", args=[project.pk]))
    assert "A participant" in page.text and "80 and over" not in page.text


@pytest.mark.django_db
def test_release_rechecks_the_card_against_participants_as_they_are_now(client_as):
    _project, event, coding = _coding(sex="F")
    _people(event, 8, sex="F")
    draft = release_actions.draft(coding, confirmed=[], chosen=["sex"])
    assert draft.attributes == {"sex": "F"}
    for person in event.participants.exclude(pk=coding.participant_id)[:5]:
        person.delete()
    quote = release_actions.release_quote(user=coding.coder, coding=coding, quote=draft)
    assert quote.attributes == {}


@pytest.mark.django_db
def test_withdrawn_quotes_leave_the_report(client_as):
    project, _event, coding = _coding()
    client = client_as(project.owner)
    client.post(reverse("insight:release_new", args=[coding.pk]), {"action": "release"})
    quote = Quote.objects.get()
    response = client.post(reverse("insight:quote_withdraw", args=[quote.pk]))
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.WITHDRAWN and quote.history.count() == 2
    assert quote.history.first().history_user == project.owner


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "facilitator"])
def test_readers_and_outsiders_cannot_release(client_as, role):
    _project, _event, coding = _coding()
    client = client_as(role)
    url = reverse("insight:release_new", args=[coding.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "release"}).status_code == 404
    assert not Quote.objects.exists()


@pytest.mark.django_db
def test_member_facilitator_releases(client_as, role_user):
    project, _event, coding = _coding()
    user = role_user("facilitator")
    ProjectMembershipFactory(project=project, user=user)
    response = client_as(user).post(
        reverse("insight:release_new", args=[coding.pk]), {"action": "release"}
    )
    assert response.status_code == 302 and Quote.objects.get().released_by == user


@pytest.mark.django_db
def test_erasing_the_speaker_takes_their_quotes(client_as):
    from focuson.web.insight import actions

    project, _event, coding = _coding(sex="F")
    release_actions.release_quote(
        user=project.owner, coding=coding, quote=release_actions.draft(coding, confirmed=[])
    )
    actions.erase_participant(user=project.owner, participant=coding.participant)
    assert not Quote.objects.exists()
    # What the audit trail keeps of the quote holds none of their words or attributes.
    fields = {f.name for f in Quote.history.model._meta.get_fields()}
    assert not {"redacted_text", "spans", "attributes"} & fields
