"""Layer 4: many districts at once, as tables.

The wide table format and its reader (:mod:`.table`), scoring a table row by row
(:mod:`.rows`) or whole (:mod:`.batch`), the results' writers (:mod:`.output`), pandas
frames (:mod:`.frame`, the ``[pandas]`` extra) and the per-tier summary and ranking
(:mod:`.summary`).

May import :mod:`kla_model.scoring` and below; independent of :mod:`kla_model.analysis`.
"""
