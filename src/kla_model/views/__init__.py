"""Layer 5: showing results to people.

Notebook HTML (:mod:`.html`, registered with :mod:`kla_model._base.display` so the data
classes never import it), plain-text reports for the terminal (:mod:`.report`), plots
(:mod:`.plot`, the ``[plot]`` extra) and the indicator catalogue (:mod:`.catalogue`).

May import every layer below: analysis, tables, scoring, submissions, rules.
"""
