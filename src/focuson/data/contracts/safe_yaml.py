"""YAML written by a user (mapping files, indicator catalogues), read within limits.

PyYAML's safe loader never runs code, but it still expands aliases (a 539-byte "billion laughs"
file becomes hundreds of megabytes), recurses once per level of nesting, and reports tags such
as ``!!python/object`` or control characters as errors of kinds callers rarely expect. Here a
file is refused, with the line at fault, when it holds:

- more than :data:`MAX_YAML_CHARACTERS` characters;
- an anchor (``&name``) or an alias (``*name``): a mapping file or catalogue never needs them;
- a tag other than YAML's own (``!!python/...``, ``!custom``);
- more than :data:`MAX_YAML_DEPTH` levels of nesting;
- an escape (``"\\ud800"``) that is half a character (a lone surrogate), which no file or
  database can store.

Every refusal is a :class:`yaml.MarkedYAMLError`, so a caller catching YAML errors catches these
too; :func:`yaml_problem` gives any YAML error's line and reason in words.

Examples
--------
>>> safe_load("a: [1, 2]")
{'a': [1, 2]}
>>> safe_load("a: &x [1]\\nb: *x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
focuson.data.contracts.safe_yaml.RefusedYAML: anchors (&name) and aliases (*name) are not ...
"""

from __future__ import annotations

import re
from typing import Any

import yaml

#: The longest YAML text read, in characters (the default catalogue has about 13,000).
MAX_YAML_CHARACTERS = 1_000_000
#: The deepest nesting of mappings and lists (the default catalogue needs 4 levels).
MAX_YAML_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


class RefusedYAML(yaml.MarkedYAMLError):
    """YAML that parses but is refused: an anchor or alias, a foreign tag, too deep or too long."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class LimitedSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors, aliases, foreign tags and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise RefusedYAML(
                "anchors (&name) and aliases (*name) are not allowed; write each value out",
                event.start_mark,
            )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise RefusedYAML(
                f"nested more than {MAX_YAML_DEPTH} levels deep; expected a flatter file",
                event.start_mark,
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
            raise RefusedYAML(
                "an escape that is half a character (a lone surrogate); expected text",
                node.start_mark,
            )
        if node is not None and node.tag not in self.yaml_constructors:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise RefusedYAML(
                f"the tag {tag} is not allowed; write plain values (text, numbers, dates, "
                "lists and mappings)",
                node.start_mark,
            )
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A node's value; a value PyYAML cannot build (a date 2024-02-30, a 5,000-digit
        number, ``!!timestamp x``) is a located error, not whatever PyYAML raised."""
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # PyYAML's constructors raise many kinds on hostile text
            raise RefusedYAML(
                f"a value that cannot be read ({type(exc).__name__}: e.g. a date that does not "
                "exist, or a number of thousands of digits)",
                node.start_mark,
            ) from None


def _check_length(text: str) -> None:
    if len(text) > MAX_YAML_CHARACTERS:
        raise RefusedYAML(
            f"the file holds {len(text):,} characters; expected at most {MAX_YAML_CHARACTERS:,}",
            None,
        )


def safe_load(text: str) -> Any:
    """The value of a YAML document, within the limits (``None`` for an empty one).

    Raises
    ------
    yaml.YAMLError
        Invalid YAML, or YAML refused (:class:`RefusedYAML`).
    """
    _check_length(text)
    loader = LimitedSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML document (each node knows its line), within the limits.

    >>> compose("a: 1").value[0][1].start_mark.line
    0
    """
    _check_length(text)
    loader = LimitedSafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """The 1-based line of a YAML error (``None`` when unknown) and its reason in words.

    >>> try:
    ...     safe_load("a: 1\\nb: \\x07")
    ... except yaml.YAMLError as exc:
    ...     yaml_problem(exc, "a: 1\\nb: \\x07")
    (2, 'a control character (U+0007) is not allowed')
    """
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return line, f"a control character (U+{code:04X}) is not allowed"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    at: int | None = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or "syntax error"
    return at, str(problem)
