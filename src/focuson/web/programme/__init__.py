"""The programme: pillars, workstreams, Focus-on projects through the six steps, decisions, the
board and the monthly update."""
