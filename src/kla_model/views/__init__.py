"""Layer 5: showing results to people.

Notebook HTML (:mod:`.html`, registered with :mod:`kla_model._base.display` so the data
classes never import it), plain-text reports for the terminal (:mod:`.report`), plots
(:mod:`.plot`, the ``[plot]`` extra), the indicator catalogue (:mod:`.catalogue`), and the
task force's view as text, CSV, printable HTML and a plot (:mod:`.task_force`,
:mod:`.task_force_plot`).

May import every layer below: analysis, tables, scoring, submissions, rules.
"""
