"""The error an action raises when asked to do something that cannot be done."""


class ActionError(ValueError):
    """A request the programme cannot carry out; the message says what to change, in words."""
