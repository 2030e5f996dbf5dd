"""The workspace store and its parts, without HTTP: migrations, the log-built state under
random interleavings of authors and versions (both stores), tokens, the rate limit and the
history's CSV."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.serve.rate import RateLimit
from kla_model.workspace import ConflictError, Desk, WorkspaceError, open_store
from kla_model.workspace.desk import utc_now
from kla_model.workspace.export import history_csv
from kla_model.workspace.migrate import migrations
from kla_model.workspace.model import (
    Author,
    Change,
    Edit,
    Link,
    initial_edits,
    replay,
    submission_mapping,
)
from kla_model.workspace.tokens import hashed, matches, new_token
from profiles import examples
from workspace_stores import empty_submission, example_assignment, example_submission, store_where

__all__ = ["store_where"]

RULESET = kla.load_ruleset("perpres-25-2021")
ITEMS = ("I.1.1", "III.1.1", "IV.1.1", "V.4.1")


def test_a_new_store_is_migrated_to_the_newest_schema_once(store_where: str) -> None:
    store = open_store(store_where, utc_now())
    assert store.schema_version() == len(migrations()) >= 1
    assert store.migrate(utc_now()) == len(migrations())  # again: nothing to apply
    with store.backend.transaction(write=False) as tx:
        assert tx.rows("SELECT COUNT(*) FROM kla_schema")[0][0] == len(migrations())
        assert tx.rows("SELECT COUNT(*) FROM kla_changes")[0][0] == 0


def test_a_store_from_a_newer_kla_model_is_refused(store_where: str) -> None:
    store = open_store(store_where, utc_now())
    with store.backend.transaction(write=True) as tx:
        tx.run("INSERT INTO kla_schema (version, applied) VALUES (?, ?)", (99, utc_now()))
    with pytest.raises(WorkspaceError) as refused:
        open_store(store_where, utc_now())
    assert (
        f"the store has schema version 99; this kla_model knows up to {len(migrations())}"
        in str(refused.value)
    )


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    found = migrations()
    assert [version for version, _ in found] == list(range(1, len(found) + 1))
    assert all(statements for _, statements in found)
    assert any("CREATE TABLE kla_changes" in s for s in found[0][1])


def test_the_state_of_the_example_is_the_example() -> None:
    """initial_edits, replayed, and written as a submission, is the submission it read."""
    data = example_submission()
    edits = initial_edits(data, example_assignment(), RULESET)
    author = Author("l-x", "coordinator")
    changes = [Change(n, "t", author, e.kind, e.id, None, e.value) for n, e in enumerate(edits, 1)]
    written = submission_mapping(kla.workspace.model.Meta.from_dict(data), replay(changes), RULESET)
    assert written["answers"] == data["answers"]
    assert sorted(p["id"] for p in written["evidence"]) == sorted(p["id"] for p in data["evidence"])
    assert (
        kla.score(RULESET, kla.Submission.from_mapping(written)).total
        == kla.score(RULESET, kla.Submission.from_mapping(data)).total
    )


def test_replay_sets_and_removes_targets_in_order() -> None:
    author = Author("l-x", "coordinator")
    log = [
        Change(1, "t", author, "item", "I.1.1", None, 1),
        Change(2, "t", author, "item", "I.1.1", 1, 2),
        Change(3, "t", author, "item", "K.1.1", None, True),
        Change(4, "t", author, "item", "I.1.1", 2, None),
    ]
    assert replay(log) == {("item", "K.1.1"): True}


#: One step of a random session: which author (0-2: agencies a0..a2; 3: the coordinator),
#: which item, the value, and how many versions old the base is.
_steps = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.sampled_from(ITEMS),
        st.integers(0, 100),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=25,
)


def _assignment() -> dict[str, Any]:
    """Agencies a0..a2, each item led by one and supported by the next."""
    return {
        "status": "illustrative",
        "agencies": [{"id": f"a{n}", "name": f"A{n}", "short": f"A{n}"} for n in range(3)],
        "owners": [
            {"id": item, "lead": f"a{i % 3}", "support": [f"a{(i + 1) % 3}"]}
            for i, item in enumerate(ITEMS)
        ],
    }


def _attempt(
    desk: Desk, workspace_id: str, link: Link, base: int, edit: Edit
) -> tuple[int, list[Change]] | ConflictError:
    try:
        return desk.change(workspace_id, link, base, [edit])
    except ConflictError as conflict:
        return conflict


@settings(
    max_examples=examples(40),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=_steps)
# Found by Hypothesis: a link's own change came last, but another link's lay between it and
# the base; the base did not see it, so the change must be refused.
@example(steps=[(2, "IV.1.1", 0, 0), (0, "IV.1.1", 1, 0), (0, "IV.1.1", 0, 2)])
def test_any_interleaving_keeps_every_accepted_change_and_overwrites_none_unseen(
    store_where: str, steps: list[tuple[int, str, int, int]]
) -> None:
    """Whatever the authors, items and bases: a change is accepted or refused 409; the log
    holds exactly the accepted ones; an accepted change overwrote only changes its author made
    or had seen (its base); and the current values are the log replayed."""
    desk = Desk(open_store(store_where, utc_now()), {RULESET.id: RULESET})
    snapshot, coordinator, _ = desk.create(RULESET, empty_submission(), _assignment())
    links = [desk.issue_link(snapshot.id, coordinator, f"a{n}")[0] for n in range(3)]
    links.append(coordinator)
    accepted: list[tuple[int, int, str, int]] = []  # seq, base, link, value
    version = snapshot.version
    for who, item, value, age in steps:
        link = links[who]
        if item not in desk.view(desk.store.snapshot(snapshot.id), link)["you"]["items"]:
            continue
        base = max(0, version - age)
        edit = Edit("item", item, {"value": float(value), "data_year": 2024})
        outcome = _attempt(desk, snapshot.id, link, base, edit)
        if isinstance(outcome, ConflictError):
            assert outcome.version == version
            (entry,) = outcome.conflicts
            assert entry["id"] == item and entry["version"] > base
            assert entry["by"]["link"] != link.id
            continue
        version, written = outcome
        accepted += [(change.seq, base, link.id, value) for change in written]
    log = desk.store.history(snapshot.id)
    assert [c.seq for c in log] == list(range(1, len(log) + 1))
    assert len(log) == 1 + len(accepted)  # the assignment, then exactly the accepted changes
    by_seq = {c.seq: c for c in log}
    for seq, base, link_id, value in accepted:
        change = by_seq[seq]
        assert change.author.link == link_id
        assert change.after == {"value": float(value), "data_year": 2024}
        overwritten = [c for c in log if c.id == change.id and base < c.seq < seq]
        assert all(c.author.link == link_id for c in overwritten)
    assert desk.store.snapshot(snapshot.id).state == replay(log)
    assert desk.store.disagreements(snapshot.id) == []


def test_a_token_matches_only_its_own_hash() -> None:
    token, other = new_token(), new_token()
    assert len(token) == 43 and token != other
    assert hashed(token) == hashlib.sha256(token.encode()).hexdigest()
    stored = [hashed(other), hashed(token)]
    assert matches(token, stored) == hashed(token)
    near = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert matches(near, stored) is None


def test_the_rate_limit_counts_a_sliding_minute_per_key() -> None:
    now = [0.0]
    limit = RateLimit(3, clock=lambda: now[0])
    assert limit.take("a", 2) is None
    assert limit.take("b", 3) is None  # another key has its own count
    assert limit.take("a", 2) == 60  # 2 + 2 > 3: refused, nothing recorded
    assert limit.take("a", 1) is None
    now[0] = 30.0
    assert limit.take("a", 1) == 30  # the oldest leave the window at 60
    now[0] = 60.5
    assert limit.take("a", 3) is None
    assert limit.take("a", 4) == 60  # more than the bound at once: never


def test_the_history_csv_neutralises_what_a_spreadsheet_would_run() -> None:
    author = Author("l-x", "agency", "=HYPERLINK(1)")
    text = history_csv([Change(1, "2026-01-01T00:00:00.000Z", author, "item", "I.1.1", None, -3)])
    header, row = text.splitlines()
    assert header == "seq,at,link,role,agency,kind,id,before,after,restore"
    assert row == "1,2026-01-01T00:00:00.000Z,l-x,agency,'=HYPERLINK(1),item,I.1.1,,'-3,"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("{tmp}/no/such/folder/x.sqlite3", "expected a file in an existing folder"),
        ("{tmp}", "expected a SQLite file; unable to open database file"),
        ("postgresql://%zz", "--store: cannot connect to PostgreSQL: invalid percent-encoded"),
        ("postgresql://kla@127.0.0.1:1/none", "--store: cannot connect to PostgreSQL: connection"),
    ],
)
def test_a_store_that_cannot_be_opened_is_one_clear_error(
    where: str, message: str, tmp_path: Path
) -> None:
    with pytest.raises(kla.KlaError) as refused:
        open_store(where.format(tmp=tmp_path), utc_now())
    assert message in str(refused.value)
