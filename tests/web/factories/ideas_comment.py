"""Comments on ideas, made the way the app makes them (``ideas.session_actions.add_comment``)."""

from __future__ import annotations

from typing import Any

import factory
from tests.web.factories.ideas_idea import IdeaFactory

from focuson.web.ideas import session_actions
from focuson.web.ideas.models import IdeaComment


class IdeaCommentFactory(factory.django.DjangoModelFactory):
    """A staff comment for an idea (by its project's owner unless ``author=``)."""

    class Meta:
        model = IdeaComment

    idea = factory.SubFactory(IdeaFactory)
    text = "Residents at the mosque said they would come."
    stance = 1

    @classmethod
    def _create(cls, model_class: type[IdeaComment], *args: Any, **kwargs: Any) -> IdeaComment:
        idea = kwargs["idea"]
        return session_actions.add_comment(
            user=kwargs.get("author") or idea.project.owner,
            idea=idea,
            text=kwargs["text"],
            stance=kwargs["stance"],
        )
