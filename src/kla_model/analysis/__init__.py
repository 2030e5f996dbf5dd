"""Layer 4: what a score means and what would change it.

Explanations in Indonesian and English (:mod:`.explain`, its templates and item facts), the
plan to a tier and its exact optimiser (:mod:`.plan`, :mod:`.goal`, :mod:`.knapsack`,
:mod:`.moves`, :mod:`.steps`, :mod:`.plan_result`, :mod:`.plan_words`), what-if and
sensitivity (:mod:`.whatif`, :mod:`.sensitivity`), costs (:mod:`.costs`), the wording
they share (:mod:`.wording`), and all of it split among the agencies of a task force
(:mod:`.task_force`).

May import :mod:`kla_model.scoring` and below; independent of :mod:`kla_model.tables`.
"""
