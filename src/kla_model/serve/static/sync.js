// Saving a workspace's edits, one item at a time, in the order they were made.
//
// Each edit is kept as {value, base, state} until the server has it: `base` is the version of
// the workspace whose value of the item the user saw when they changed it, so an edit made on
// an old view of an item someone else has changed since is refused (409) rather than written
// over their change.  Edits wait in this browser's storage while the server cannot be reached
// and are sent when it can; a refused edit stays on screen, marked, until the user decides.

import { same } from "./item-answers.js";

//: Edits are sent this long after the last keystroke, so typing "96,8" is one change, not four.
export const SEND_AFTER_MS = 600;
//: While the server cannot be reached, the queue is tried again this often.
export const RETRY_MS = 5000;

/** The states an edit goes through; "saved" edits leave the queue. */
export const WAITING = "waiting";
export const SAVING = "saving";
export const OFFLINE = "offline";
export const CONFLICT = "conflict";
export const REFUSED = "refused";

function readKept(storageKey) {
  try {
    const kept = JSON.parse(localStorage.getItem(storageKey) ?? "null");
    return kept && typeof kept === "object" && !Array.isArray(kept) ? kept : {};
  } catch {
    return {};
  }
}

/**
 * The queue of one workspace's edits.  `send(id, value, base)` answers as api.js does
 * ({ok, status, data, problems, retryAfter}); `onChange()` is told whenever an edit's state
 * changes; `onSaved(id, change)` whenever the server took one.
 */
export function createQueue({ storageKey, send, onChange, onSaved }) {
  // Edits kept by an earlier visit that could not send them are sent again now.
  const edits = new Map(Object.entries(readKept(storageKey)));
  for (const edit of edits.values()) if (edit.state === SAVING || edit.state === OFFLINE) edit.state = WAITING;
  let timer = null;
  let running = false;

  function keep() {
    try {
      if (edits.size) localStorage.setItem(storageKey, JSON.stringify(Object.fromEntries(edits)));
      else localStorage.removeItem(storageKey);
    } catch {
      // storage full or off: edits are still sent, only not kept across a reload
    }
    onChange();
  }

  function later(ms = SEND_AFTER_MS) {
    clearTimeout(timer);
    timer = setTimeout(flush, ms);
  }

  /** The user set item `id` to `value`, having seen the server's value at version `seen`. */
  function edit(id, value, serverValue, seen) {
    const current = edits.get(id);
    if (!current) {
      if (same(value, serverValue)) return;
      edits.set(id, { value, base: seen, state: WAITING });
    } else {
      current.value = value;
      // An edit put back to the server's value needs no sending (unless it is on its way).
      if (current.state !== SAVING && current.state !== CONFLICT && same(value, serverValue)) edits.delete(id);
      else if (current.state === REFUSED || current.state === OFFLINE) current.state = WAITING;
    }
    keep();
    later();
  }

  async function sendOne(id, edit) {
    edit.state = SAVING;
    onChange();
    const sent = edit.value;
    const answer = await send(id, sent, edit.base);
    if (answer.ok) {
      onSaved(id, answer.data);
      if (same(edit.value, sent)) edits.delete(id);
      else edit.state = WAITING;
      return true;
    }
    // No answer, or a server (or proxy) that failed for now: tried again later.  A full store
    // (507) is an answer: it will refuse again until someone makes room.
    if (answer.status === 0 || (answer.status >= 500 && answer.status !== 507)) {
      edit.state = OFFLINE;
      return false;
    }
    if (answer.status === 429) {
      edit.state = WAITING;
      later(1000 * (answer.retryAfter || 5));
      return false;
    }
    if (answer.status === 409) {
      edit.state = CONFLICT;
      edit.conflict = (answer.data?.conflicts ?? []).find((c) => c.id === id) ?? null;
      edit.problems = answer.problems;
      return true;
    }
    edit.state = REFUSED;
    edit.problems = answer.problems;
    return true;
  }

  /** Send every waiting edit, oldest first; stop at the first that cannot reach the server. */
  async function flush() {
    if (running) return;
    running = true;
    try {
      for (const [id, edit] of edits) {
        if (edit.state !== WAITING && edit.state !== OFFLINE) continue;
        const goOn = await sendOne(id, edit);
        keep();
        if (!goOn) {
          if (edit.state === OFFLINE) later(RETRY_MS);
          return;
        }
      }
    } finally {
      running = false;
    }
    // An edit typed while the others were on their way is sent now.
    if ([...edits.values()].some((e) => e.state === WAITING)) later();
  }

  /** Give up one's own edit of a conflicting item: the server's value stands. */
  function takeTheirs(id) {
    edits.delete(id);
    keep();
  }

  /** Keep one's own value over the one shown in the conflict, now that it has been seen. */
  function keepMine(id) {
    const current = edits.get(id);
    if (!current || current.state !== CONFLICT) return;
    current.base = Math.max(current.base, current.conflict?.version ?? current.base);
    current.state = WAITING;
    delete current.conflict;
    delete current.problems;
    keep();
    flush();
  }

  return {
    edits,
    edit,
    flush,
    takeTheirs,
    keepMine,
    /** True while an edit is waiting, on its way, or refused: not yet on the server. */
    get unsaved() {
      return edits.size;
    },
    count: (state) => [...edits.values()].filter((e) => e.state === state).length,
  };
}
