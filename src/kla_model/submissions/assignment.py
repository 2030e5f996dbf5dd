"""A district's KLA task force (*Gugus Tugas KLA*): its agencies and what each one owns.

In a district the women's and children's office coordinates a task force of the regional
agencies (*OPD*); each agency owns indicators (the health office the health cluster, and so
on).  An assignment file says so, strictly (schema ``assignment``)::

    status: illustrative          # template | illustrative | adopted
    coordinator: dp3ap2kb
    agencies:
      - {id: dp3ap2kb, name: Dinas Pemberdayaan Perempuan ..., short: DP3AP2KB}
      - {id: dinkes, name: Dinas Kesehatan, short: Dinkes}
    owners:
      - {id: III.1, lead: dinkes}                     # an indicator: all its items
      - {id: K.2, lead: dp3ap2kb, support: [bappeda]}
      - {id: K.2.6, lead: bappeda}                     # an item: overrides its indicator

Each item has at most one lead agency, credited with its points; supporting agencies are
listed, never credited, so the agencies' points add up to the district's.  An item no entry
reaches is *unassigned*, and reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from kla_model._base.capped import first_problems, listed, shown
from kla_model._base.json_schema import json_path, schema_problems
from kla_model._base.strict_yaml import load_data_file
from kla_model._base.suggest import did_you_mean
from kla_model.errors import AssignmentError, Problem
from kla_model.rules.ruleset import RuleSet

__all__ = ["ASSIGNMENT_STATUSES", "Agency", "Assignment", "Owner", "load_assignment"]

#: Where an assignment comes from: a template to adapt, an example, or the district's own.
ASSIGNMENT_STATUSES = ("template", "illustrative", "adopted")


@attrs.frozen
class Agency:
    """A regional agency (OPD) of the task force."""

    id: str
    name: str
    short: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "short": self.short}


@attrs.frozen
class Owner:
    """One entry of ``owners``: an indicator or item id, its lead agency and its supporters."""

    id: str
    lead: str
    support: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "lead": self.lead}
        if self.support:
            data["support"] = list(self.support)
        return data


def _agencies(agencies: Iterable[Agency]) -> tuple[Agency, ...]:
    return tuple(agencies)


def _owners(owners: Iterable[Owner]) -> tuple[Owner, ...]:
    return tuple(owners)


@attrs.frozen
class Assignment:
    """Which agency leads (and which support) each indicator or item of a ruleset."""

    status: str = attrs.field(validator=attrs.validators.in_(ASSIGNMENT_STATUSES))
    agencies: tuple[Agency, ...] = attrs.field(converter=_agencies)
    owners: tuple[Owner, ...] = attrs.field(converter=_owners)
    coordinator: str | None = None
    source: str | None = None
    note: str | None = None
    #: Where the assignment comes from, for error messages; not part of its value.
    origin: str = attrs.field(default="assignment", eq=False)

    def agency(self, agency_id: str) -> Agency:
        """The agency with id ``agency_id`` (a ``KeyError`` if there is none)."""
        for agency in self.agencies:
            if agency.id == agency_id:
                return agency
        raise KeyError(agency_id)

    def problems(self, ruleset: RuleSet | None = None) -> list[Problem]:
        """Every duplicate agency, unknown agency, item with two leads and, with ``ruleset``,
        every indicator or item id it does not have, each located in the file (the first
        hundred: checking stops there)."""
        return first_problems(_problems(self, ruleset), self.origin)

    def owners_of(self, ruleset: RuleSet) -> dict[str, Owner]:
        """Item id -> the entry that decides its lead: the item's own, else its indicator's.

        Items no entry reaches are left out (see :meth:`unassigned`).  Raises
        :class:`~kla_model.AssignmentError` if the assignment does not fit ``ruleset``.
        """
        self.raise_for_problems(ruleset)
        by_id = {owner.id: owner for owner in self.owners}
        found: dict[str, Owner] = {}
        for indicator in ruleset.indicators.values():
            for item in indicator.items:
                owner = by_id.get(item.id) or by_id.get(indicator.id)
                if owner is not None:
                    found[item.id] = owner
        return found

    def unassigned(self, ruleset: RuleSet) -> tuple[str, ...]:
        """The ids of the items of ``ruleset`` that no entry assigns, in ruleset order."""
        owned = self.owners_of(ruleset)
        return tuple(item for item in ruleset.items if item not in owned)

    def raise_for_problems(self, ruleset: RuleSet | None = None) -> None:
        problems = self.problems(ruleset)
        if problems:
            raise AssignmentError(self.origin, problems)

    def to_dict(self) -> dict[str, Any]:
        """The assignment as written in an assignment file."""
        data: dict[str, Any] = {"status": self.status}
        for field in ("source", "note", "coordinator"):
            value = getattr(self, field)
            if value is not None:
                data[field] = value
        data["agencies"] = [agency.to_dict() for agency in self.agencies]
        data["owners"] = [owner.to_dict() for owner in self.owners]
        return data

    @classmethod
    def from_mapping(
        cls, data: Any, source: str = "assignment", ruleset: RuleSet | None = None
    ) -> Assignment:
        """An assignment from parsed YAML/JSON, or :class:`~kla_model.AssignmentError`
        listing every problem.  With ``ruleset``, ids it does not have are problems too."""
        if not isinstance(data, Mapping):
            found = type(data).__name__
            raise AssignmentError(source, [Problem(source, f"expected a mapping; found {found}")])
        problems = schema_problems("assignment", dict(data), source)
        if problems:
            raise AssignmentError(source, problems)
        assignment = cls(
            status=data["status"],
            agencies=[Agency(a["id"], a["name"], a["short"]) for a in data["agencies"]],
            owners=[Owner(o["id"], o["lead"], o.get("support", ())) for o in data["owners"]],
            coordinator=data.get("coordinator"),
            source=data.get("source"),
            note=data.get("note"),
            origin=source,
        )
        assignment.raise_for_problems(ruleset)
        return assignment


def _at(assignment: Assignment, *path: str | int) -> str:
    return f"{assignment.origin}: {json_path(path)}"


def _problems(assignment: Assignment, ruleset: RuleSet | None) -> Iterator[Problem]:
    """The problems in the order of the file: agencies, then each entry of ``owners``."""
    first: dict[str, int] = {}
    for index, agency in enumerate(assignment.agencies):
        if agency.id in first:
            where = json_path(["agencies", first[agency.id], "id"])
            message = f"duplicate agency id {shown(agency.id)} (first used at {where})"
            yield Problem(_at(assignment, "agencies", index, "id"), message)
        else:
            first[agency.id] = index
    known = list(first)
    agencies = listed(known)  # every problem names them: cut once, short

    def unknown(agency_id: str, *path: str | int) -> Iterator[Problem]:
        if agency_id not in first:
            message = (
                f"unknown agency {shown(agency_id)}{did_you_mean(agency_id, known)}; "
                f"the file's agencies are {agencies}"
            )
            yield Problem(_at(assignment, *path), message)

    if assignment.coordinator is not None:
        yield from unknown(assignment.coordinator, "coordinator")
    entries: dict[str, int] = {}
    for index, owner in enumerate(assignment.owners):
        if ruleset is not None:
            yield from _unknown_id(assignment, ruleset, index)
        yield from unknown(owner.lead, "owners", index, "lead")
        for place, supporter in enumerate(owner.support):
            yield from unknown(supporter, "owners", index, "support", place)
            if supporter == owner.lead:
                message = (
                    f"{shown(supporter)} leads {shown(owner.id)}; "
                    "an agency leads or supports, not both"
                )
                yield Problem(_at(assignment, "owners", index, "support", place), message)
        if owner.id in entries:
            yield _listed_twice(assignment, entries[owner.id], index)
        else:
            entries[owner.id] = index


def _listed_twice(assignment: Assignment, first: int, index: int) -> Problem:
    """An id listed twice would give its items two leads, or one lead twice: both are refused,
    since which entry counted would otherwise depend on the order of the file."""
    owner, earlier = assignment.owners[index], assignment.owners[first]
    where = json_path(["owners", first])
    if earlier.lead == owner.lead:
        message = f"{shown(owner.id)} is assigned twice (first at {where})"
    else:
        message = (
            f"two leads for {shown(owner.id)}: {shown(owner.lead)} here and "
            f"{shown(earlier.lead)} at {where}; an indicator or item has one lead "
            "(list the others under support)"
        )
    return Problem(_at(assignment, "owners", index), message)


def _unknown_id(assignment: Assignment, ruleset: RuleSet, index: int) -> Iterator[Problem]:
    owner_id = assignment.owners[index].id
    if owner_id not in ruleset.indicators and owner_id not in ruleset.items:
        ids = [*ruleset.indicators, *ruleset.items]
        message = (
            f"unknown indicator or item id {shown(owner_id)}{did_you_mean(owner_id, ids)} "
            f"in ruleset {ruleset.id}"
        )
        yield Problem(_at(assignment, "owners", index, "id"), message)


def load_assignment(path: str | Path, ruleset: RuleSet | None = None) -> Assignment:
    """Read an assignment from a YAML or JSON file (``.json`` is read as JSON).

    With ``ruleset``, indicator and item ids it does not have are reported with the file's
    other problems, in one :class:`~kla_model.AssignmentError`.
    """
    return Assignment.from_mapping(load_data_file(path, AssignmentError), str(path), ruleset)
