"""What was heard, as text: a source (notes, a transcript, survey answers) and its translations.

The original is always the record: ``Source.text`` is the canonical plain text (NFC, LF) that
:mod:`focuson.insight.sources` read from the uploaded file, in its own language and script, and
it is never edited once uploaded, because codings point into it by code-point offsets.
Translations are derived and labelled (human, machine, or machine and reviewed by a person).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focuson.web.core.models import SoftDeleteModel
from focuson.web.insight import languages


def text_hash(text: str) -> str:
    """SHA-256 of the canonical text (UTF-8), so a selection made on a stale copy is refused."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Source(SoftDeleteModel):
    """Notes, a transcript or survey answers from one event, as canonical plain text."""

    class Kind(models.TextChoices):
        NOTES = "notes", _("Notes")
        TRANSCRIPT = "transcript", _("Transcript")
        SURVEY = "survey", _("Survey free text")

    class FileKind(models.TextChoices):
        TXT = "txt", _("Plain text (.txt)")
        DOCX = "docx", _("Word document (.docx)")
        VTT = "vtt", _("WebVTT transcript (.vtt)")

    event = models.ForeignKey(
        "insight.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="sources"
    )
    #: The event's project, kept here so permission checks and codebook lookups need no join.
    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="insight_sources",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    #: BCP 47 code of the text's language (``languages.LANGUAGES``), confirmed by a person.
    language = models.CharField(_("language"), max_length=35)
    #: False while the language is only the detector's suggestion (or a default).
    language_confirmed = models.BooleanField(_("language confirmed by a person"), default=False)
    #: Canonical plain text (NFC, LF): the record. Codings' offsets are code points of this.
    text = models.TextField(_("text"))
    text_hash = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    file_kind = models.CharField(_("file type"), max_length=4, choices=FileKind.choices)
    #: A transcript's cues: ``[start_cp, end_cp, speaker or null, start_s, end_s]`` each.
    cues = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    #: A stable identifier for exchange with QDA tools (a REFI-QDA ``TextSource``).
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("source")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text_hash = text_hash(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("insight:source", args=[self.pk])

    def is_member(self, user: Any) -> bool:
        return bool(self.project.is_member(user))

    @property
    def direction(self) -> str:
        """``"rtl"`` for right-to-left scripts (Arabic, Urdu, Persian...), else ``"ltr"``."""
        return languages.direction(self.language)

    @property
    def language_name(self) -> str:
        return languages.name(self.language)


class Translation(SoftDeleteModel):
    """A translation of a source, labelled by how it was made; the source stays the record."""

    class Kind(models.TextChoices):
        HUMAN = "human", _("Human translation")
        MACHINE = "machine", _("Machine translation")
        REVIEWED = "reviewed", _("Machine translation, reviewed by a person")

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=35)
    text = models.TextField(_("text"))
    kind = models.CharField(_("made by"), max_length=10, choices=Kind.choices)
    #: Who translated it: a person's name or role, or the service used (free text: often an
    #: interpreter without an account).
    translator = models.CharField(_("translator"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["language", "-created"]
        verbose_name = _("translation")

    def __str__(self) -> str:
        return f"{self.source} ({self.language})"

    def is_member(self, user: Any) -> bool:
        return bool(self.source.project.is_member(user))

    @property
    def project(self) -> Any:
        return self.source.project

    @property
    def direction(self) -> str:
        return languages.direction(self.language)

    @property
    def language_name(self) -> str:
        return languages.name(self.language)
