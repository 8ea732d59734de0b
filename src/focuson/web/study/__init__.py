"""The Study step of a project: the frozen plan, the Study results run on it, and the decision."""
