"""A workspace's parts as data: who changed (:class:`Author`), what (:class:`Change`), the
links, and the state a history builds.

The state of a workspace is a mapping from a *target* (a kind and an id) to its value:

- ``("item", "K.1.2")``: an item's answer in the submission format;
- ``("evidence", "ev-1")``: a piece of evidence as in a submission, without its ``id``;
- ``("assignment", "assignment")``: the whole agency assignment.

A target that is absent has no value (an item not answered, a piece removed).  The state is
the result of the history: each change sets one target to its ``after`` (``None`` removes
it), so :func:`replay` of the log is by definition the current state, and the store's table
of current values is only a copy of it kept in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from kla_model.rules.ruleset import RuleSet

__all__ = [
    "ASSIGNMENT",
    "KINDS",
    "ROLES",
    "Author",
    "Change",
    "Edit",
    "Link",
    "Meta",
    "State",
    "Target",
    "initial_edits",
    "item_indicators",
    "replay",
    "submission_mapping",
]

#: The kinds of target a change may set.
KINDS = ("item", "evidence", "assignment")
#: The assignment's one target.
ASSIGNMENT = ("assignment", "assignment")
#: Who a link speaks for.
ROLES = ("coordinator", "agency")

Target = tuple[str, str]
State = dict[Target, Any]


@attrs.frozen
class Author:
    """Who made a change: the link, its role and (for an agency's link) the agency."""

    link: str
    role: str
    agency: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"link": self.link, "role": self.role, "agency": self.agency}

    @property
    def name(self) -> str:
        """How messages name the author: the agency's id, or ``coordinator``."""
        return self.agency or self.role


@attrs.frozen
class Link:
    """An issued link: its public id, role, agency, when issued and revoked, and the hash of
    its token (never shown)."""

    id: str
    role: str
    agency: str | None
    created: str
    revoked: str | None
    token_sha256: str = attrs.field(repr=False)

    @property
    def author(self) -> Author:
        return Author(self.id, self.role, self.agency)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "agency": self.agency,
            "created": self.created,
            "revoked": self.revoked,
        }


@attrs.frozen
class Edit:
    """A change asked for: set ``target`` to ``value`` (``None``: remove it)."""

    kind: str
    id: str
    value: Any

    @property
    def target(self) -> Target:
        return (self.kind, self.id)


@attrs.frozen
class Change:
    """One entry of the history: change ``seq`` set ``target`` from ``before`` to ``after``."""

    seq: int
    at: str
    author: Author
    kind: str
    id: str
    before: Any
    after: Any
    restore: int | None = None

    @property
    def target(self) -> Target:
        return (self.kind, self.id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "by": self.author.to_dict(),
            "kind": self.kind,
            "id": self.id,
            "before": self.before,
            "after": self.after,
            "restore": self.restore,
        }


@attrs.frozen
class Meta:
    """What a workspace is about and never changes: the region, the round, the note."""

    region: Mapping[str, Any]
    year: int
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"region": dict(self.region), "year": self.year}
        if self.note is not None:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Meta:
        return cls(dict(data["region"]), int(data["year"]), data.get("note"))


def replay(changes: Iterable[Change]) -> State:
    """The state the changes build, applied in order."""
    state: State = {}
    for change in changes:
        if change.after is None:
            state.pop(change.target, None)
        else:
            state[change.target] = change.after
    return state


def item_indicators(ruleset: RuleSet) -> dict[str, str]:
    """Item id -> its indicator's id, in ruleset order."""
    return {item.id: ind.id for ind in ruleset.indicators.values() for item in ind.items}


def submission_mapping(meta: Meta, state: Mapping[Target, Any], ruleset: RuleSet) -> dict[str, Any]:
    """The submission a state stands for, as ``kla score`` reads it: answers in ruleset order
    (``{items: {...}}``, or a one-item indicator's answer alone), evidence by id."""
    data = meta.to_dict()
    answers: dict[str, Any] = {}
    for indicator_id, indicator in ruleset.indicators.items():
        given = {
            it.id: state[("item", it.id)] for it in indicator.items if ("item", it.id) in state
        }
        if len(indicator.items) == 1 and given:  # the file format's short form
            answers[indicator_id] = given[indicator.items[0].id]
        elif given:
            answers[indicator_id] = {"items": given}
    data["answers"] = answers
    pieces = sorted(
        (target[1], value) for target, value in state.items() if target[0] == "evidence"
    )
    if pieces:
        data["evidence"] = [{"id": piece_id, **value} for piece_id, value in pieces]
    return data


def initial_edits(
    submission: Mapping[str, Any], assignment: Mapping[str, Any], ruleset: RuleSet
) -> list[Edit]:
    """The edits that build a new workspace from a checked submission and assignment: the
    assignment first, then each answered item in ruleset order, then each piece of evidence."""
    edits = [Edit(*ASSIGNMENT, dict(assignment))]
    answers = submission.get("answers", {})
    for indicator_id, indicator in ruleset.indicators.items():
        answer = answers.get(indicator_id)
        if answer is None:
            continue
        if isinstance(answer, Mapping) and "items" in answer:
            given = answer["items"]
            edits += [Edit("item", it.id, given[it.id]) for it in indicator.items if it.id in given]
        else:  # a one-item indicator answered directly (the check refuses it for several)
            edits.append(Edit("item", indicator.items[0].id, answer))
    for piece in submission.get("evidence", ()):
        value = {key: entry for key, entry in piece.items() if key != "id"}
        edits.append(Edit("evidence", piece["id"], value))
    return edits
