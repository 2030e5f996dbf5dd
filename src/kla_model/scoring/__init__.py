"""Layer 3: turning a ruleset and a submission into points.

The engine (:mod:`.engine`, ``score``), score cards (:mod:`.results`), totals without a trace
(:mod:`.totals`) and the compiled path that computes them fast (:mod:`.compiled`), streaming
many submissions (:mod:`.stream`, ``score_many``), the score at every verification stage
(:mod:`.stages`) and the province roll-up (:mod:`.province`).

May import :mod:`kla_model.submissions` and below.
"""
