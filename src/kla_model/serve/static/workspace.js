// The page on a shared workspace (docs/workspace.md): opened with a link (#workspace=…&token=…)
// it shows whose link it is, lets the link change only its own items (the rest read only),
// saves each change to the server (sync.js), shows each item's saved / conflict state, and
// loads everyone else's changes every POLL_MS, with the per-agency progress beside them.
//
// The page itself (app.js) keeps drawing the form, the score, the tier and the plan: here the
// draft it shows is the workspace's saved submission with this browser's unsaved edits on top.

import { el, fill, idFor } from "./dom.js";
import { label, number, problemText } from "./i18n.js";
import { answerOf, canonical, itemPlaces, same, withAnswer } from "./item-answers.js";
import { CONFLICT, createQueue, OFFLINE, REFUSED, SAVING, WAITING } from "./sync.js";
import { workspaceApi, workspaceLink } from "./workspace-api.js";
import { agencyName, leads, renderProgress } from "./workspace-agencies.js";
import { workspaceWords } from "./workspace-words.js";

//: How often the page asks for other people's changes.
export const POLL_MS = 5000;

const $ = (id) => document.getElementById(id);

/**
 * Open the workspace of `link` on the page; `page` is app.js's handle on the page: its
 * language, ruleset and stage, `useRuleset(id)`, `show(draft)`, `replan()`, and `edited`, which this
 * sets to receive every edit instead of the browser's own draft storage.
 */
export async function openWorkspace(link, page) {
  const ws = {
    api: workspaceApi(link),
    page,
    data: null,
    server: null,
    places: new Map(),
    editable: new Set(),
    lead: new Map(),
    tasks: null,
    saved: new Set(),
    reachable: true,
    failure: null,
  };
  frame(ws);
  const answer = await ws.api.read();
  if (!answer.ok || !(await page.useRuleset(answer.data.ruleset.id))) {
    ws.failure = answer.ok ? { status: 0, problems: [] } : answer;
    renderBanner(ws);
    document.body.dataset.ready = "true";
    return;
  }
  accept(ws, answer.data);
  ws.opened = answer.data.version;
  // A workspace prepares the self-assessment: its score is that stage's, whatever stage a
  // piece of evidence says it was handed in at (the user may still choose another).
  page.stage = "self_assessment";
  ws.queue = createQueue({
    storageKey: `kla_model.workspace.${link.id}.edits`,
    send: ws.api.change,
    onChange: () => renderStates(ws),
    onSaved: (id, data) => saved(ws, id, data),
  });
  page.edited = (draft) => edited(ws, draft);
  new MutationObserver(() => markForm(ws)).observe($("form"), { childList: true });
  $("lang").addEventListener("click", () => renderAll(ws));
  $("stage-select").addEventListener("change", () => refreshTasks(ws));
  window.addEventListener("online", () => ws.queue.flush());
  // Another link pasted into this tab opens that workspace; nothing else may touch the address,
  // which holds this link's token (so the skip link moves the focus without changing it).
  window.addEventListener("hashchange", () => {
    const next = workspaceLink(window.location.hash);
    if (next && (next.id !== link.id || next.token !== link.token)) window.location.reload();
  });
  $("skip").addEventListener("click", (event) => {
    event.preventDefault();
    $("form").focus();
  });
  renderBanner(ws);
  await show(ws);
  document.body.dataset.ready = "true";
  ws.queue.flush();
  await refreshTasks(ws);
  setInterval(() => poll(ws), POLL_MS);
}

// -- the workspace's frame on the page --------------------------------------------------------

/** The banner under the header and the progress section; the solo page's file tools hidden. */
function frame(ws) {
  const banner = el("section", { class: "ws-banner", id: "ws-banner", "aria-labelledby": "ws-heading" });
  $("ruleset").before(banner);
  const progress = el("section", { class: "ws-progress-view", id: "ws-progress-view" });
  $("agencies").before(progress);
  $("agencies").hidden = true;
  for (const id of ["load-example", "upload-label", "new-draft"]) $(id).hidden = true;
  $("upload").disabled = true; // visually hidden, but the keyboard would still reach it
  $("ruleset-select").disabled = true;
  document.body.classList.add("workspace");
  ws.banner = banner;
  ws.progress = progress;
}

function toProgress(ws) {
  ws.progress.scrollIntoView();
  $("ws-progress-heading")?.setAttribute("tabindex", "-1");
  $("ws-progress-heading")?.focus();
}

function words(ws) {
  return workspaceWords(ws.page.lang);
}

/** Who a change was made by: the coordinator, or an agency's short name. */
function who(ws, by) {
  if (!by) return "?";
  return by.role === "coordinator" ? words(ws).coordinator : agencyName(ws.data.assignment, by.agency);
}

/** Why the workspace cannot be used (a wrong or revoked link, a server without a store). */
function failureLine(ws) {
  if (!ws.failure) return null;
  const w = words(ws);
  const problems = (ws.failure.problems ?? []).map((p) => problemText(p, ws.page.lang));
  const said = [401, 403, 404].includes(ws.failure.status) ? w.notFound : w.cannotRead;
  return el("p", { class: "problems", id: "ws-failure", role: "alert" }, said, problems.length ? ` (${problems.join("; ")})` : "");
}

function renderBanner(ws) {
  const w = words(ws);
  if (!ws.data) {
    fill(ws.banner, el("h2", { id: "ws-heading" }, w.heading), failureLine(ws));
    return;
  }
  const { you, submission } = ws.data;
  const region = submission.region ?? {};
  const whose =
    you.role === "coordinator"
      ? w.coordinator
      : (ws.data.assignment.agencies.find((a) => a.id === you.agency)?.name ?? you.agency);
  const short = you.role === "coordinator" ? null : agencyName(ws.data.assignment, you.agency);
  fill(
    ws.banner,
    el("h2", { id: "ws-heading" }, `${w.heading}: ${region.name ?? ""} ${submission.year ?? ""}`),
    failureLine(ws),
    el(
      "p",
      { class: "ws-whose" },
      `${w.whose}: `,
      el("strong", { id: "ws-whose", dataset: { role: you.role, agency: you.agency ?? "" } }, short && short !== whose ? `${whose} (${short})` : whose),
    ),
    el(
      "p",
      { id: "ws-rights" },
      you.role === "coordinator" ? w.coordinatorRights : w.agencyRights(number(ws.editable.size, ws.page.lang), number(ws.places.size, ws.page.lang)),
      " ",
      w.secret,
    ),
    el("p", { id: "ws-sync", class: "ws-sync", role: "status", "aria-live": "polite" }),
    el(
      "p",
      { class: "ws-refresh" },
      el("span", { id: "ws-version", dataset: { version: String(ws.data.version) } }, w.version(ws.data.version)),
      " · ",
      w.refresh(POLL_MS / 1000),
      " · ",
      el("button", { type: "button", class: "ws-link", id: "ws-to-progress", onclick: () => toProgress(ws) }, w.toProgress),
    ),
  );
  renderSync(ws);
}

/** The one line that says whether everything is saved, and if not, why. */
function renderSync(ws) {
  const line = $("ws-sync");
  if (!line || !ws.queue) return;
  const w = words(ws);
  const q = ws.queue;
  const offline = q.count(OFFLINE) + (ws.reachable ? 0 : q.count(WAITING));
  let said = w.allSaved;
  let state = "saved";
  if (q.count(CONFLICT)) [said, state] = [w.conflicts(q.count(CONFLICT)), "conflict"];
  else if (q.count(REFUSED)) [said, state] = [w.refused(q.count(REFUSED)), "refused"];
  else if (offline || !ws.reachable) [said, state] = [w.offline(q.unsaved), "offline"];
  else if (q.unsaved) [said, state] = [w.saving(q.unsaved), "saving"];
  line.textContent = said;
  line.dataset.state = state;
}

function renderAll(ws) {
  renderBanner(ws);
  renderStates(ws);
  renderTasks(ws);
}

// -- the server's workspace and this browser's edits ------------------------------------------

/** Take a workspace as GET /workspaces/{id} answered it. */
function accept(ws, data) {
  ws.data = data;
  ws.server = data.submission;
  ws.places = itemPlaces(ws.page.ruleset);
  ws.editable = new Set(data.you.items ?? []);
  ws.lead = leads(data.assignment, ws.places);
}

/** The draft the page shows: the saved submission with every unsaved edit on top. */
function merged(ws) {
  let draft = ws.server;
  for (const [id, edit] of ws.queue.edits) {
    const place = ws.places.get(id);
    if (place) draft = withAnswer(draft, place, id, edit.value);
  }
  return draft;
}

/** Draw the merged draft, leaving the focus (and the caret) where the user had it. */
async function show(ws) {
  const active = document.activeElement;
  const focus = active?.id && $("form").contains(active) ? active.id : null;
  const caret = typeof active?.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
  // Leaving the field first lets its "change" reach the queue now, against this form, and not
  // later against the redrawn one (which would read the new form into the old draft).
  if (focus) active.blur();
  const rescored = ws.page.show(merged(ws));
  const again = focus && $(focus);
  if (again) {
    again.focus();
    if (caret) again.setSelectionRange(...caret);
  }
  await rescored;
}

/** Every item the user changed in the form goes to the queue (only their own items can). */
function edited(ws, draft) {
  for (const id of ws.editable) {
    const place = ws.places.get(id);
    if (!place) continue;
    const value = answerOf(draft, place, id);
    const serverValue = answerOf(ws.server, place, id);
    if (ws.queue.edits.has(id) || !same(value, serverValue)) {
      ws.saved.delete(id);
      ws.queue.edit(id, value, serverValue, ws.data.version);
    }
  }
}

/** The server took an edit: it is now part of the saved submission. */
function saved(ws, id, data) {
  const change = (data?.changes ?? []).find((c) => c.id === id);
  const place = ws.places.get(id);
  if (change && place) ws.server = withAnswer(ws.server, place, id, change.after ?? null);
  ws.saved.add(id);
  ws.reachable = true;
  // The new version and the progress are fetched now, not at the next round in up to 5 s.
  clearTimeout(ws.soon);
  ws.soon = setTimeout(() => poll(ws), 300);
}

let polling = false;

/** Load other people's changes; redraw what they changed, unless the user is changing it. */
async function poll(ws) {
  if (polling) return;
  polling = true;
  try {
    const answer = await ws.api.read();
    ws.reachable = answer.status !== 0;
    if (!answer.ok) {
      if (answer.status === 401 || answer.status === 404) {
        // The link was revoked (or the workspace is gone): nothing is editable any more.
        ws.failure = answer;
        ws.editable = new Set();
        renderBanner(ws);
        await show(ws);
      }
      renderSync(ws);
      if (ws.reachable) ws.queue.flush();
      return;
    }
    ws.queue.flush();
    if (answer.data.version === ws.data.version) {
      renderSync(ws);
      return;
    }
    const before = canonical(merged(ws));
    const rights = canonical(ws.data.you.items);
    accept(ws, answer.data);
    renderBanner(ws);
    if (canonical(merged(ws)) !== before || canonical(ws.data.you.items) !== rights) await show(ws);
    else renderStates(ws);
    await refreshTasks(ws);
    ws.page.replan();
  } finally {
    polling = false;
  }
}

async function refreshTasks(ws) {
  const answer = await ws.api.tasks(ws.page.stage);
  if (answer.ok) ws.tasks = answer.data;
  renderTasks(ws);
}

function renderTasks(ws) {
  if (!ws.data) return;
  renderProgress(ws.progress, {
    submission: ws.server,
    assignment: ws.data.assignment,
    places: ws.places,
    tasks: ws.tasks,
    you: ws.data.you,
    lang: ws.page.lang,
  });
}

// -- each item: read only, or its saved / conflict state ---------------------------------------

/** After each drawing of the form: other agencies' items (and the region) become read only. */
function markForm(ws) {
  const form = $("form");
  const region = form.querySelector("#region");
  if (region) region.disabled = true;
  for (const field of form.querySelectorAll("[data-item]")) {
    const id = field.dataset.item;
    const box = field.closest(".item") ?? field;
    if (box.querySelector(":scope > .ws-state")) continue;
    const mine = ws.editable.has(id);
    if (!mine) {
      field.disabled = true;
      box.classList.add("ws-readonly");
    }
    box.append(el("div", { class: "ws-state", id: idFor("ws", id), dataset: { wsItem: id } }));
  }
  renderStates(ws);
}

function renderStates(ws) {
  renderSync(ws);
  for (const slot of document.querySelectorAll("#form .ws-state")) renderState(ws, slot, slot.dataset.wsItem);
}

/** An item's state line, redrawn only when what it says changes: a conflict's buttons stay the
 *  same elements while the user reaches for them (a blur's "change" event redraws the rest). */
function renderState(ws, slot, id) {
  const edit = ws.queue?.edits.get(id);
  const key = canonical([ws.page.lang, ws.editable.has(id), edit ?? null, ws.saved.has(id), ws.data?.changed?.[id] ?? null]);
  if (slot.dataset.key === key) return;
  slot.dataset.key = key;
  slot.dataset.state = edit?.state ?? (ws.saved.has(id) ? "saved" : "");
  drawState(ws, slot, id, edit);
}

function drawState(ws, slot, id, edit) {
  const w = words(ws);
  if (!ws.editable.has(id)) {
    const owner = ws.lead.get(id);
    fill(slot, el("p", { class: "ws-note" }, owner ? w.readOnly(agencyName(ws.data.assignment, owner)) : w.readOnlyNobody), lastChange(ws, id));
    return;
  }
  if (!edit) {
    fill(slot, ws.saved.has(id) ? el("p", { class: "ws-saved" }, w.itemSaved) : lastChange(ws, id));
    return;
  }
  if (edit.state === CONFLICT) {
    fill(slot, conflictBox(ws, id, edit));
    return;
  }
  if (edit.state === REFUSED) {
    fill(slot, el("p", { class: "ws-unsaved", role: "alert" }, `${w.itemRefused} ${(edit.problems ?? []).map((p) => problemText(p, ws.page.lang)).join("; ")}`));
    return;
  }
  const offline = edit.state === OFFLINE || (edit.state === WAITING && !ws.reachable);
  const text = edit.state === SAVING ? w.itemSaving : offline ? w.itemOffline : w.itemWaiting;
  fill(slot, el("p", { class: offline ? "ws-unsaved" : "ws-saving" }, text));
}

/** A change someone made since this page was opened, named on its item. */
function lastChange(ws, id) {
  const change = ws.data?.changed?.[id];
  if (!change || change.version <= ws.opened) return null;
  return el("p", { class: "ws-last" }, words(ws).lastChange(who(ws, change.by), number(change.version, ws.page.lang)));
}

/** Someone else changed the item first: their value, the user's, and the choice between them. */
function conflictBox(ws, id, edit) {
  const w = words(ws);
  const theirs = edit.conflict;
  const place = ws.places.get(id);
  return el(
    "div",
    { class: "ws-conflict", role: "alert" },
    el("p", {}, theirs ? w.conflict(who(ws, theirs.by), number(theirs.version, ws.page.lang)) : (edit.problems ?? []).map((p) => problemText(p, ws.page.lang)).join("; ")),
    theirs ? el("p", {}, `${w.theirValue} `, el("strong", { class: "ws-theirs" }, shown(ws, place, theirs.value))) : null,
    el("p", {}, `${w.yourValue} `, el("strong", { class: "ws-mine" }, shown(ws, place, edit.value))),
    el(
      "div",
      { class: "ws-choice" },
      el("button", { type: "button", class: "ws-take", onclick: () => takeTheirs(ws, id, theirs) }, w.takeTheirs),
      el("button", { type: "button", class: "ws-keep quiet", onclick: () => ws.queue.keepMine(id) }, w.keepMine),
    ),
  );
}

function takeTheirs(ws, id, theirs) {
  const place = ws.places.get(id);
  if (theirs && place) ws.server = withAnswer(ws.server, place, id, theirs.value ?? null);
  ws.saved.delete(id);
  ws.queue.takeTheirs(id);
  show(ws);
}

/** An item's answer in words: yes/no, a level's or options' labels, a value and its year. */
function shown(ws, place, value) {
  const w = words(ws);
  const lang = ws.page.lang;
  const rule = place?.item.rule ?? {};
  if (value === null || value === undefined) return w.unanswered;
  if (typeof value === "boolean") return value ? w.yes : w.no;
  if (typeof value === "string") return label(rule.levels?.find((l) => l.id === value)?.label, lang) || value;
  if (Array.isArray(value)) return value.map((o) => label(rule.options?.find((x) => x.id === o)?.label, lang) || o).join("; ");
  const year = value.data_year === undefined ? "" : ` (${w.dataYear} ${value.data_year})`;
  return `${typeof value.value === "number" ? number(value.value, lang) : value.value}${year}`;
}
