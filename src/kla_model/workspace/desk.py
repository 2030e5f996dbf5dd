"""The workspace operations, checked against the ruleset: what the service's routes call.

Every operation takes the link that asks (found by :meth:`Desk.authenticate`) and refuses
with a :class:`~kla_model.workspace.refusals.WorkspaceError` (or a library
:class:`~kla_model.KlaError` for an invalid value); the checks that depend on the current
state run inside the store's write transaction, on the state as it is when the change is
written, so two requests can never both pass them against the same old state.

The order of the checks on a change: its shape and ids (422), the link's rights (403), a
conflict with a change another link made since ``base`` (409), then the whole resulting
submission as ``kla validate`` checks it (422).  A change that sets a target to the value it
already has is left out, and never conflicts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from kla_model.errors import KlaError, Problem, SubmissionError
from kla_model.rules.ruleset import RuleSet
from kla_model.submissions.assignment import Assignment
from kla_model.submissions.conformance import check
from kla_model.submissions.submission import Submission
from kla_model.workspace import tokens
from kla_model.workspace.model import (
    ASSIGNMENT,
    Author,
    Change,
    Edit,
    Link,
    Meta,
    State,
    initial_edits,
    replay,
    submission_mapping,
)
from kla_model.workspace.refusals import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
    bilingual,
)
from kla_model.workspace.rights import changeable_items, refused
from kla_model.workspace.store import OthersSince, Planned, Snapshot, Store

__all__ = ["Desk", "Limits", "utc_now"]


@attrs.frozen
class Limits:
    """The bounds of a store and of a workspace (the ``kla serve`` options of the same names)."""

    max_workspaces: int = 1000
    max_history: int = 20_000
    changes_per_minute: int = 120
    max_body: int = 1_000_000
    #: Changes in one request.
    max_changes: int = 200
    #: Links issued in one workspace.
    max_links: int = 500


def utc_now() -> str:
    """Now, as ISO 8601 in UTC to the millisecond (``2026-12-06T03:30:00.000Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _invalid(location: str, message: str) -> KlaError:
    return SubmissionError("workspace", [Problem(location, message)])


class Desk:
    """The operations on the workspaces of one store, with the loaded rulesets by id."""

    def __init__(
        self,
        store: Store,
        rulesets: Mapping[str, RuleSet],
        limits: Limits | None = None,
        clock: Callable[[], str] = utc_now,
    ) -> None:
        self.store = store
        self.rulesets = rulesets
        self.limits = limits or Limits()
        self.clock = clock

    # -- who asks --------------------------------------------------------------------------

    def authenticate(self, workspace_id: str, token: str | None) -> Link:
        """The workspace's live link with ``token``; :class:`UnauthorizedError` otherwise."""
        links = self.store.links(
            workspace_id
        )  # NotFoundError first: no workspace, no token to check
        if not token or len(token) > tokens.TOKEN_MAX_LENGTH:
            raise UnauthorizedError.one(
                "header.authorization",
                "diperlukan token tautan: Authorization: Bearer <token>",
                "a link's token is needed: Authorization: Bearer <token>",
            )
        found = tokens.matches(token, [link.token_sha256 for link in links])
        link = next((link for link in links if link.token_sha256 == found), None)
        if link is None:
            raise UnauthorizedError.one(
                "header.authorization",
                "token ini bukan tautan ruang kerja ini",
                "this token is not a link of this workspace",
            )
        if link.revoked is not None:
            raise UnauthorizedError.one(
                "header.authorization",
                f"tautan ini dicabut pada {link.revoked}",
                f"this link was revoked at {link.revoked}",
            )
        return link

    @staticmethod
    def require_coordinator(link: Link, what: tuple[str, str]) -> None:
        """403 unless ``link`` is a coordinator's; ``what`` it asked to do, in id and en."""
        if link.role != "coordinator":
            raise ForbiddenError.one(
                "header.authorization",
                f"hanya koordinator yang boleh {what[0]}",
                f"only the coordinator may {what[1]}",
            )

    # -- the workspace's ruleset and state ---------------------------------------------------

    def ruleset(self, snapshot: Snapshot) -> RuleSet:
        """The workspace's ruleset, which the service must have loaded."""
        found = self.rulesets.get(snapshot.ruleset["id"])
        if found is None:
            raise NotFoundError.one(
                "workspace.ruleset",
                f"aturan {snapshot.ruleset['id']!r} ruang kerja ini tidak dimuat layanan ini",
                f"this service has not loaded the workspace's ruleset {snapshot.ruleset['id']!r}",
            )
        return found

    @staticmethod
    def assignment(state: State, ruleset: RuleSet) -> Assignment:
        return Assignment.from_mapping(state[ASSIGNMENT], "workspace.assignment", ruleset)

    def submission(self, snapshot: Snapshot, state: State | None = None) -> dict[str, Any]:
        """The submission of ``state`` (default: the current one), as ``kla score`` reads it."""
        chosen = snapshot.state if state is None else state
        return submission_mapping(snapshot.meta, chosen, self.ruleset(snapshot))

    def state_at(self, workspace_id: str, version: int) -> State:
        """The state after change ``version`` (422 if the workspace has no such version)."""
        changes = self.store.history(workspace_id)
        if not 1 <= version <= len(changes):
            message = f"expected a version from 1 to {len(changes)}; found {version}"
            raise _invalid("query.version", message)
        return replay(changes[:version])

    def view(self, snapshot: Snapshot, link: Link) -> dict[str, Any]:
        """``GET /workspaces/{id}``'s body."""
        ruleset = self.ruleset(snapshot)
        assignment = self.assignment(snapshot.state, ruleset)
        items = changeable_items(link.author, assignment, ruleset)
        changed = {
            target[1]: {
                "kind": change.kind,
                "version": change.seq,
                "at": change.at,
                "by": change.author.to_dict(),
            }
            for target, change in sorted(snapshot.last.items(), key=lambda pair: pair[1].seq)
        }
        return {
            "id": snapshot.id,
            "created": snapshot.created,
            "version": snapshot.version,
            "ruleset": {**snapshot.ruleset, "status": ruleset.status},
            "submission": self.submission(snapshot),
            "assignment": snapshot.state[ASSIGNMENT],
            "you": {**link.to_dict(), "items": [i for i in ruleset.items if i in items]},
            "changed": changed,
        }

    # -- creating --------------------------------------------------------------------------

    def create(
        self, ruleset: RuleSet, submission: Any, assignment: Any
    ) -> tuple[Snapshot, Link, str]:
        """A new workspace for ``submission`` (a mapping ``kla score`` reads, without
        verification records) and ``assignment``; its coordinator link and token."""
        checked = Submission.from_mapping(submission, source="body.submission")
        if checked.verification:
            raise _invalid(
                "body.submission: $.verification",
                "expected no verification records: a workspace prepares a self-assessment",
            )
        problems = check(ruleset, checked)
        if problems:
            raise SubmissionError("body.submission", problems)
        Assignment.from_mapping(assignment, "body.assignment", ruleset)
        now = self.clock()
        token = tokens.new_token()
        link = Link(tokens.new_id("l-"), "coordinator", None, now, None, tokens.hashed(token))
        meta = Meta.from_dict(submission)
        snapshot = Snapshot(tokens.new_id("w"), now, ruleset.ref.to_dict(), meta, 0, {}, {})
        edits = initial_edits(submission, assignment, ruleset)
        if len(edits) > self.limits.max_history:
            message = f"expected at most {self.limits.max_history} answers and pieces of evidence"
            raise _invalid("body.submission", message)
        self.store.create(snapshot, link, edits, self.limits.max_workspaces)
        return self.store.snapshot(snapshot.id), link, token

    # -- changing --------------------------------------------------------------------------

    def change(
        self,
        workspace_id: str,
        link: Link,
        base: int,
        edits: list[Edit],
        restore: int | None = None,
    ) -> tuple[int, list[Change]]:
        """Apply ``edits`` made on version ``base``, all or none."""
        author = link.author

        def plan(snapshot: Snapshot, others: OthersSince) -> list[Planned]:
            ruleset = self.ruleset(snapshot)
            _check_ids(edits, ruleset)
            assignment = self.assignment(snapshot.state, ruleset)
            allowed = changeable_items(author, assignment, ruleset)
            forbidden = refused(
                edits,
                snapshot.state,
                author=author,
                allowed=allowed,
                assignment=assignment,
                ruleset=ruleset,
            )
            if forbidden:
                raise ForbiddenError(forbidden)
            wanted = _effective(edits, snapshot.state)
            _raise_conflicts(wanted, snapshot, author, base, others)
            new_state = dict(snapshot.state)
            for _, edit in wanted:
                if edit.value is None:
                    new_state.pop(edit.target, None)
                else:
                    new_state[edit.target] = edit.value
            self._check_state(snapshot, new_state, ruleset)
            return [(edit, restore) for _, edit in wanted]

        return self.store.apply(workspace_id, author, self.clock(), plan, self.limits.max_history)

    def _check_state(self, snapshot: Snapshot, state: State, ruleset: RuleSet) -> None:
        """The state's submission and assignment, checked as ``kla validate`` would."""
        self.assignment(state, ruleset)
        data = submission_mapping(snapshot.meta, state, ruleset)
        problems = check(ruleset, Submission.from_mapping(data, source="workspace"))
        if problems:
            raise SubmissionError("workspace", problems)

    def restore(
        self, workspace_id: str, link: Link, base: int, version: int
    ) -> tuple[int, list[Change]]:
        """Make the submission of ``version`` current again, with new changes."""
        self.require_coordinator(link, ("memulihkan versi lama", "restore an earlier version"))
        then = self.state_at(workspace_id, version)
        now = self.store.snapshot(workspace_id).state
        targets = sorted(t for t in set(then) | set(now) if t[0] != "assignment")
        edits = [Edit(*target, then.get(target)) for target in targets]
        return self.change(workspace_id, link, base, edits, restore=version)

    # -- links -----------------------------------------------------------------------------

    def issue_link(self, workspace_id: str, link: Link, agency: str | None) -> tuple[Link, str]:
        """A new link for ``agency`` (``None``: another coordinator link) and its token."""
        self.require_coordinator(link, ("menerbitkan tautan", "issue links"))
        if agency is not None:
            snapshot = self.store.snapshot(workspace_id)
            assignment = self.assignment(snapshot.state, self.ruleset(snapshot))
            known = [entry.id for entry in assignment.agencies]
            if agency not in known:
                message = (
                    f"expected an agency of the assignment ({', '.join(known)}); found {agency!r}"
                )
                raise _invalid("body: $.agency", message)
        token = tokens.new_token()
        role = "coordinator" if agency is None else "agency"
        issued = Link(tokens.new_id("l-"), role, agency, self.clock(), None, tokens.hashed(token))
        self.store.add_link(workspace_id, issued, self.limits.max_links)
        return issued, token

    def revoke(self, workspace_id: str, link: Link, link_id: str) -> Link:
        self.require_coordinator(link, ("mencabut tautan", "revoke links"))
        return self.store.revoke(workspace_id, link_id, self.clock())


def _check_ids(edits: list[Edit], ruleset: RuleSet) -> None:
    """Every item edit names an item of the ruleset (422 listing each that does not)."""
    problems = [
        Problem(f"body: $.changes[{index}].id", f"no item {edit.id!r} in ruleset {ruleset.id}")
        for index, edit in enumerate(edits)
        if edit.kind == "item" and edit.id not in ruleset.items
    ]
    if problems:
        raise SubmissionError("workspace", problems)


def _effective(edits: list[Edit], state: State) -> list[tuple[int, Edit]]:
    """The edits that change something, with their index; of several edits of one target in
    a request, the last one."""
    last = {edit.target: index for index, edit in enumerate(edits)}
    return [
        (index, edit)
        for index, edit in enumerate(edits)
        if last[edit.target] == index and state.get(edit.target) != edit.value
    ]


def _raise_conflicts(
    wanted: list[tuple[int, Edit]],
    snapshot: Snapshot,
    author: Author,
    base: int,
    others: OthersSince,
) -> None:
    """409 if another link changed a target of ``wanted`` after version ``base``."""
    problems, conflicts = [], []
    for index, edit in wanted:
        last = snapshot.last.get(edit.target)
        if last is None or last.seq <= base:
            continue
        if last.author.link == author.link:
            # The author's own change came last, but another link's may lie between it and
            # the base, unseen: look for it (only now, so the usual change reads no history).
            last = others(edit.target, base, author.link)
            if last is None:
                continue
        who = last.author.name
        message = bilingual(
            f"{edit.id} diubah oleh {who} pada versi {last.seq}, setelah versi {base} yang "
            "menjadi dasar perubahan ini; muat nilai terkini lalu ulangi",
            f"{edit.id} was changed by {who} in version {last.seq}, after version {base} "
            "this change was made on; load the current value and try again",
        )
        problems.append(Problem(f"body: $.changes[{index}]", message))
        conflicts.append(
            {
                "kind": edit.kind,
                "id": edit.id,
                "version": last.seq,
                "value": snapshot.state.get(edit.target),
                "by": last.author.to_dict(),
            }
        )
    if problems:
        raise ConflictError(problems, snapshot.version, conflicts)
