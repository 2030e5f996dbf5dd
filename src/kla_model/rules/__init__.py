"""Layer 1: the instrument as data.

Labels, groups, indicators and items (:mod:`.model`); the answer values a rule reads
(:mod:`.answers`); the point-rule kinds, one per module (:mod:`.point_rules`); dated
reference series (:mod:`.references`); the tier scale with its must-pass conditions
(:mod:`.tiers`); exact decimal points in units of a ruleset's resolution (:mod:`.points`);
building and checking a ruleset from its file (:mod:`.build`, :mod:`.ruleset`), overlays
(:mod:`.overlay`), the rounds a ruleset is in force for, and crosswalks between instruments
(:mod:`.crosswalk`).

May import :mod:`kla_model._base` and :mod:`kla_model.errors`; knows nothing of districts'
submissions or of scoring.
"""
