"""Whether a submission's evidence and verification records agree with one another.

These checks need no ruleset; :mod:`kla_model.submissions.conformance` adds the ones that do (known
indicators and items, evidence kinds each item accepts, corrections of answered values).
Every check is independent of the order the records are listed in: a stage's outcome must
not depend on it, so neither may the file's validity.

A record is *out of order* when it contradicts the order of the stages:

- a decision at a stage before the one at which the evidence was submitted (evidence
  handed in during field verification cannot be accepted at administrative verification);
- a dated record that is dated before a record of an earlier stage (a field record of
  1 July cannot precede an administrative record of 8 July).

Two records of one stage that decide on the same evidence, or correct the same item, are
a conflict: which one counts would depend on the order they are listed in.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator, Mapping, Sequence

from kla_model._base.capped import first_problems, shown
from kla_model._base.capped import listed as listed_ids
from kla_model._base.json_schema import json_path
from kla_model._base.suggest import did_you_mean
from kla_model.errors import Problem
from kla_model.submissions.evidence import (
    STAGE_LABELS,
    STAGE_POSITION,
    Decision,
    Evidence,
    VerificationRecord,
)

__all__ = ["history_problems"]

#: Up to this many evidence ids are listed when a record names an unknown one.
_LISTED = 8


def _at(source: str, *path: str | int) -> str:
    return f"{source}: {json_path(path)}"


def _duplicate_ids(evidence: Sequence[Evidence], source: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, piece in enumerate(evidence):
        if piece.id in first:
            earlier = json_path(["evidence", first[piece.id]])
            message = f"duplicate evidence id {piece.id!r} (first used at {earlier})"
            yield Problem(_at(source, "evidence", index, "id"), message)
        else:
            first[piece.id] = index


def _unknown_evidence(record: Decision, known: Sequence[str]) -> str:
    hint = did_you_mean(record.evidence, known)
    if not known:
        listed = "the file has no evidence"
    elif len(known) <= _LISTED:
        listed = f"the file's evidence ids are {listed_ids(known)}"
    else:
        listed = f"the file has {len(known)} evidence ids"
    return f"{record.describe()}: unknown evidence id {shown(record.evidence)}{hint}; {listed}"


def _decision_problems(
    records: Sequence[VerificationRecord], evidence: Mapping[str, Evidence], source: str
) -> Iterator[Problem]:
    decided: dict[tuple[str, str], int] = {}
    known = list(evidence)
    for index, record in enumerate(records):
        if not isinstance(record, Decision):
            continue
        piece = evidence.get(record.evidence)
        if piece is None:
            message = _unknown_evidence(record, known)
            yield Problem(_at(source, "verification", index, "evidence"), message)
            continue
        if STAGE_POSITION[record.stage] < STAGE_POSITION[piece.submitted]:
            message = (
                f"{record.describe()}: stage out of order: the evidence was submitted at "
                f"{piece.submitted} ({STAGE_LABELS[piece.submitted].en}), so no decision on it "
                f"can be made at {record.stage}, an earlier stage"
            )
            yield Problem(_at(source, "verification", index, "stage"), message)
        key = (record.evidence, record.stage)
        if key in decided:
            earlier = json_path(["verification", decided[key]])
            message = (
                f"{record.describe()}: conflicting records: {earlier} already decides on this "
                f"evidence at {record.stage}; a stage makes one decision per piece of evidence"
            )
            yield Problem(_at(source, "verification", index), message)
        else:
            decided[key] = index


def _date_order(records: Sequence[VerificationRecord], source: str) -> Iterator[Problem]:
    latest: dict[str, tuple[datetime.date, int]] = {}
    dated: list[tuple[int, VerificationRecord, datetime.date]] = []
    for index, record in enumerate(records):
        if record.date is not None:
            dated.append((index, record, record.date))
            known = latest.get(record.stage)
            if known is None or record.date > known[0]:
                latest[record.stage] = (record.date, index)
    if len(latest) < 2:  # dates of one stage only: none can precede an earlier stage's
        return
    # the latest date of each stage, with the stage's position found once
    ranked = [
        (STAGE_POSITION[stage], stage, date, other) for stage, (date, other) in latest.items()
    ]
    # and the latest of the stages before each: a record dated no earlier is in order
    bound = {
        stage: max(
            (d for r, _, d, _ in ranked if r < STAGE_POSITION[stage]), default=datetime.date.min
        )
        for stage in latest
    }
    for index, record, on in dated:
        if on >= bound[record.stage]:  # most records
            continue
        rank = STAGE_POSITION[record.stage]
        for earlier, stage, date, other in ranked:
            if earlier < rank and date > on:
                message = (
                    f"{record.describe()}: stage out of order: dated {on.isoformat()}, "
                    f"before {json_path(['verification', other])} at {stage} (an earlier "
                    f"stage) dated {date.isoformat()}"
                )
                yield Problem(_at(source, "verification", index, "date"), message)


def history_problems(
    evidence: Sequence[Evidence], records: Sequence[VerificationRecord], source: str
) -> list[Problem]:
    """Every way ``evidence`` and ``records`` contradict one another, located in ``source``
    (the first hundred: checking stops there)."""
    if not evidence and not records:
        return []
    by_id: dict[str, Evidence] = {}
    for piece in evidence:
        by_id.setdefault(piece.id, piece)
    found = itertools.chain(
        _duplicate_ids(evidence, source),
        _decision_problems(records, by_id, source),
        _date_order(records, source),
    )
    return first_problems(found, source)
