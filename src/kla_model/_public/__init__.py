"""The public names of ``kla_model``, each stated once: ``from module import name as name``.

Layer 6, under the service: it may import every layer below (views, workspace, analysis,
tables, scoring, submissions, rules); only the package's ``__init__`` imports it, and the
service, which uses ``import kla_model``, sits above it.

The package's ``__init__`` shows type checkers every name here (the redundant ``as`` marks an
explicit re-export) and, at run time, imports a part when one of its names is first used, so
that ``import kla_model`` imports none of them. The names are in two parts, the cheaper first,
because a name is looked for in each part in turn: :mod:`~kla_model._public.core` (errors,
rulesets, submissions, scoring), all that a program that only scores or serves needs, and
:mod:`~kla_model._public.rest` (the analysis, tables and views built on a score). A part holds
nothing but these imports: its every name without a leading underscore is public.
"""
