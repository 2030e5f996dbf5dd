"""Layer 2: what a district hands in, and what verifiers make of it.

A submission with its answers (:mod:`.submission`), evidence and verification records
(:mod:`.evidence`, :mod:`.history`), checking it against a ruleset (:mod:`.conformance`),
what each verification stage sees (:mod:`.stage_view`), which items still lack the evidence
they require (:mod:`.completeness`), carrying a legacy submission over to a newer
instrument (:mod:`.carry_over`), and the district's task force: which agency owns what
(:mod:`.assignment`).

May import :mod:`kla_model.rules` and below.
"""
