"""Which items a link may change.

The coordinator's link may change everything.  An agency's link may change the items the
assignment gives it, as lead or as support (both are named for the item in the assignment
file, and the supporters are the ones who hold part of the evidence), and the evidence
attached to them; a piece attached to a whole indicator, if it may change any of its items.
Moving a piece needs the right on both places.  Everyone reads the whole workspace.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kla_model.errors import Problem
from kla_model.rules.ruleset import RuleSet
from kla_model.submissions.assignment import Assignment
from kla_model.workspace.model import Author, Edit, State
from kla_model.workspace.refusals import bilingual

__all__ = ["assigned_to", "changeable_items", "refused"]


def changeable_items(author: Author, assignment: Assignment, ruleset: RuleSet) -> frozenset[str]:
    """The item ids ``author`` may change."""
    if author.role == "coordinator":
        return frozenset(ruleset.items)
    return frozenset(
        item_id
        for item_id, owner in assignment.owners_of(ruleset).items()
        if author.agency == owner.lead or author.agency in owner.support
    )


def assigned_to(item_id: str, assignment: Assignment, ruleset: RuleSet) -> str:
    """Who an item is assigned to, for a message: ``lead (+ support)``, or ``nobody``."""
    owner = assignment.owners_of(ruleset).get(item_id)
    if owner is None:
        return "-"
    return ", ".join((owner.lead, *owner.support))


def _piece_items(piece: Mapping[str, Any], ruleset: RuleSet) -> tuple[str, ...]:
    """The items a piece of evidence is attached to."""
    if "item" in piece:
        return (str(piece["item"]),)
    indicator = ruleset.indicators.get(str(piece.get("indicator")))
    return () if indicator is None else tuple(item.id for item in indicator.items)


def refused(
    edits: Iterable[Edit],
    state: State,
    *,
    author: Author,
    allowed: frozenset[str],
    assignment: Assignment,
    ruleset: RuleSet,
) -> list[Problem]:
    """A problem for every edit ``author`` may not make (``allowed``: its items).  The
    coordinator may make every edit (whether it is valid is checked after)."""
    if author.role == "coordinator":
        return []
    problems = []
    for index, edit in enumerate(edits):
        where = f"body: $.changes[{index}].id"
        if edit.kind == "assignment":
            message = bilingual(
                "hanya koordinator yang boleh mengubah penugasan",
                "only the coordinator may change the assignment",
            )
            problems.append(Problem(where, message))
        elif edit.kind == "item" and edit.id not in allowed:
            owners = assigned_to(edit.id, assignment, ruleset)
            message = bilingual(
                f"tautan {author.name} tidak boleh mengubah {edit.id} "
                f"(ditugaskan kepada: {owners})",
                f"the {author.name} link may not change {edit.id} (assigned to: {owners})",
            )
            problems.append(Problem(where, message))
        elif edit.kind == "evidence":
            places = [state.get(edit.target), edit.value]
            if not all(
                set(_piece_items(place, ruleset)) & allowed
                for place in places
                if isinstance(place, Mapping)
            ):
                message = bilingual(
                    f"tautan {author.name} tidak boleh mengubah data dukung {edit.id}: "
                    "tidak melekat pada butir yang ditugaskan kepadanya",
                    f"the {author.name} link may not change evidence {edit.id}: "
                    "it is not attached to an item assigned to it",
                )
                problems.append(Problem(where, message))
    return problems
