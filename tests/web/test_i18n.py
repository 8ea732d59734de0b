"""Translation: no visible text outside ``{% translate %}``, a language switcher that works, and
right-to-left pages for Arabic, Farsi and Urdu."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

WEB = Path(__file__).resolve().parents[2] / "src" / "focuson" / "web"

#: Words that are the same in every language: the product's name.
NOT_TRANSLATED = {"focuson"}

_S = re.S | re.I
#: Removed first, whole: comments, translated blocks, scripts and styles (not visible text).
_BLOCKS = [
    re.compile(r"\{#.*?#\}", _S),
    re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", _S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}", _S),
    re.compile(r"<!--.*?-->", _S),
    re.compile(r"<(script|style)\b.*?</\1\s*>", _S),
]
_TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
#: Attributes a person reads or hears (screen readers): their values are visible text too.
_VISIBLE_ATTRIBUTES = re.compile(
    r"""\s(?:aria-label|title|alt|placeholder|aria-description)\s*=\s*("[^"]*"|'[^']*')""", re.I
)
#: Words handed to templates as literals: a filter's default, an include's ``with`` argument.
_LITERALS = re.compile(
    r"""\|default(?:_if_none)?:("[^"]*"|'[^']*')|\{%\s*include\b[^%]*?\swith\b([^%]*)%\}""", re.S
)
_LITERAL_ARGUMENT = re.compile(r"""\w+=("[^"]*"|'[^']*')""")
_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;|&#x[0-9a-f]+;", re.I)
#: What is left that is not words: punctuation, digits, symbols.
_NOT_WORDS = re.compile(r"[^\w]+|\d+|_")


def untranslated(template: str) -> list[str]:
    """The pieces of visible text in ``template`` that are not marked for translation.

    Examples
    --------
    >>> untranslated('<h1>{% translate "Runs" %}</h1><p title="Help">{{ run }} imported</p>')
    ['Help', 'imported']
    >>> untranslated("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %} focuson")
    []
    """
    text = template
    for block in _BLOCKS:
        text = block.sub(" ", text)
    pieces = []
    for match in _VISIBLE_ATTRIBUTES.finditer(text):
        pieces.append(_TEMPLATE_CODE.sub(" ", match.group(1)[1:-1]))
    for match in _LITERALS.finditer(text):
        if match.group(1):
            pieces.append(match.group(1)[1:-1])
        else:
            # Identifiers ("findings", an element id) are handed to includes too: a phrase is
            # what a reader sees.
            literals = (m[1:-1] for m in _LITERAL_ARGUMENT.findall(match.group(2)))
            pieces.extend(literal for literal in literals if " " in literal.strip())
    # Template code goes before tags: a tag can hold {% if %} and a {{ }} can hold ">".
    body = _TAG.sub(" ", _TEMPLATE_CODE.sub(" ", text))
    pieces.extend(re.split(r"\s{2,}|\n", body))
    found = []
    for piece in pieces:
        piece = _ENTITY.sub(" ", piece).strip()
        words = [w for w in _NOT_WORDS.split(piece) if w and w.lower() not in NOT_TRANSLATED]
        if words:
            found.append(piece)
    return found


def _templates() -> list[Path]:
    return sorted(WEB.glob("**/templates/**/*.html"))


def test_every_template_marks_its_text_for_translation():
    assert len(_templates()) > 3
    offenders = {
        str(path.relative_to(WEB)): pieces
        for path in _templates()
        if (pieces := untranslated(path.read_text()))
    }
    assert offenders == {}, "wrap these in {% translate %} or {% blocktranslate %}"


def test_scanner_finds_text_in_attributes_and_around_tags():
    assert untranslated('<a href="/x" aria-label="Close">x</a>') == ["Close", "x"]
    assert untranslated("<p>{% translate 'Fine' %}</p>\n<p>Not fine</p>") == ["Not fine"]
    assert untranslated('<option value="{{ v }}">{{ label }}</option> &ndash; 3.') == []
    assert untranslated('{{ when|default:"never" }}{{ n|default:"–" }}') == ["never"]
    included = '{% include "t.html" with caption="All runs" here="runs" title=_("Fine") n=3 %}'
    assert untranslated(included) == ["All runs"]


#: Arguments people read: field labels and hints, model names, admin action descriptions.
_UI_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
_MESSAGES = {"success", "info", "warning", "error", "debug", "add_message"}


def _plain_text(node: ast.expr) -> str | None:
    """The text of a string literal or f-string with letters in it (not wrapped in ``_()``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if re.search(r"[^\W\d_]", node.value) else None
    if isinstance(node, ast.JoinedStr):
        return ast.unparse(node)
    return None


def untranslated_python(source: str) -> list[tuple[int, str]]:
    """Plain strings a person reads in ``source``: labels, hints, messages, validation errors.

    Examples
    --------
    >>> untranslated_python('f = CharField(label="Name", help_text=_("Your name"))')
    [(1, 'label: Name')]
    >>> untranslated_python('messages.success(request, f"Saved {n}")')
    [(1, "message: f'Saved {n}'")]
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg in _UI_KEYWORDS and (text := _plain_text(keyword.value)):
                found.append((keyword.value.lineno, f"{keyword.arg}: {text}"))
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(getattr(func, "value", None), "id", "")
        message = node.args[-1] if owner == "messages" and name in _MESSAGES else None
        if message is not None and len(node.args) >= 2 and (text := _plain_text(message)):
            found.append((node.lineno, f"message: {text}"))
        if name == "ValidationError" and node.args and (text := _plain_text(node.args[0])):
            found.append((node.lineno, f"error: {text}"))
    return found


def test_python_ui_strings_are_marked_for_translation():
    offenders = [
        f"{path.relative_to(WEB)}:{line}: {text}"
        for path in sorted(WEB.rglob("*.py"))
        if "migrations" not in path.parts
        for line, text in untranslated_python(path.read_text())
    ]
    assert offenders == [], "wrap these in gettext_lazy (_) or gettext"


@pytest.mark.django_db
def test_language_switcher_sets_the_language(client):
    response = client.post(reverse("core:set_language"), {"language": "pl", "next": "/roles/"})
    assert response.status_code == 302 and response["Location"] == "/roles/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"
    page = client.get("/roles/").content.decode()
    assert 'lang="pl"' in page and 'dir="ltr"' in page


@pytest.mark.django_db
def test_language_switcher_refuses_a_link_elsewhere(client):
    response = client.post(
        reverse("core:set_language"), {"language": "es", "next": "https://example.com/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("bn", "ltr")]
)
def test_right_to_left_languages_lay_pages_out_right_to_left(client, language, direction):
    client.post(reverse("core:set_language"), {"language": language, "next": "/"})
    for url in ("/", "/roles/", reverse("accounts:login")):
        page = client.get(url).content.decode()
        assert f'lang="{language}"' in page and f'dir="{direction}"' in page, url
