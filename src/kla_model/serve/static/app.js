// The self-assessment page: a district team fills in its answers and sees the score, the tier,
// the reasons and a plan, re-scored by the service a moment after each change.
//
// State is the draft (a submission, exactly the file `kla score` reads), the loaded ruleset's
// catalogue and the last score card; the form is drawn from the catalogue and the draft.

import { renderAgencies } from "./agencies.js";
import { api } from "./api.js";
import { el, fill } from "./dom.js";
import { download, emptyDraft, forgetDraft, loadDraft, loadPrefs, saveDraft, savePrefs } from "./draft.js";
import { clearProblems, readForm, renderForm, showCard, showProblems } from "./form.js";
import { label, points, problemText, words } from "./i18n.js";
import { renderGroups, renderPlan, renderRuleset, renderScore, renderTargets, renderTierScale } from "./summary.js";
import { workspaceLink } from "./workspace-api.js";
import { openWorkspace } from "./workspace.js";

const STAGES = ["self_assessment", "administrative", "field", "final"];
//: How long typing may pause before the draft is re-scored.
const DEBOUNCE_MS = 250;

const $ = (id) => document.getElementById(id);

const state = {
  lang: "id",
  rulesets: [],
  ruleset: null,
  draft: emptyDraft(),
  stage: "",
  card: null,
  revision: 0,
  inFlight: null,
  explained: null,
  // The tier the user chose to plan for (null: the next tier up), and the last plan made.
  target: null,
  plan: null,
  // The service's problems with the draft, kept to be shown again in the other language.
  problems: [],
  // The task force's assignment (as an assignment file) and the last /tasks answer.
  assignment: null,
  agencies: null,
};

// -- words ------------------------------------------------------------------------------------

const STATIC_WORDS = {
  skip: "skip",
  title: "title",
  subtitle: "subtitle",
  "ruleset-select-label": "chooseRuleset",
  "stage-select-label": "stage",
  "load-example": "loadExample",
  "upload-label": "upload",
  download: "download",
  "new-draft": "newDraft",
  "summary-heading": "score",
  "scale-heading": "tierScale",
  "groups-caption": "groups",
  "col-group": "group",
  "col-points": "pointsCol",
  "col-max": "max",
  "plan-heading": "plan",
  "plan-target-label": "planTarget",
  "make-plan": "makePlan",
  "agencies-heading": "agencies",
  "agencies-intro": "agenciesIntro",
  "load-example-assignment": "loadExampleAssignment",
  "upload-assignment-label": "uploadAssignment",
  "refresh-agencies": "refreshAgencies",
};

function applyWords() {
  const w = words(state.lang);
  document.documentElement.lang = state.lang;
  document.title = `${w.title} · kla_model`;
  for (const [id, key] of Object.entries(STATIC_WORDS)) $(id).textContent = w[key];
  const toggle = $("lang");
  toggle.textContent = w.switchLang;
  toggle.lang = state.lang === "id" ? "en" : "id";
  toggle.setAttribute("aria-label", w.switchLangLabel);
  $("toolbar").setAttribute("aria-label", w.fileNav);
  renderStages();
}

function renderStages() {
  const w = words(state.lang);
  fill(
    $("stage-select"),
    el("option", { value: "", selected: state.stage === "" }, w.latestStage),
    STAGES.map((stage) => el("option", { value: stage, selected: state.stage === stage }, w.stages[stage])),
  );
}

function renderRulesetChoice() {
  fill(
    $("ruleset-select"),
    state.rulesets.map((rs) =>
      el(
        "option",
        { value: rs.id, selected: rs.id === state.ruleset?.id },
        `${rs.id} ${rs.version} (${words(state.lang).statusWords[rs.status] ?? rs.status})`,
      ),
    ),
  );
}

// A notice is kept as a function of the page's words, so it follows the language toggle; an
// error notice looks like one (red, with a sign), not like the green of a success.
let said = { say: null, error: false };

function notice(say, error = false) {
  said = { say, error };
  const node = $("notice");
  node.textContent = say ? say(words(state.lang)) : "";
  node.classList.toggle("error", Boolean(say) && error);
}

/** A problem list from the service, each problem in the page's language. */
function problemList(problems) {
  return el("ul", { class: "problems" }, problems.map((p) => el("li", {}, `${p.location}: ${problemText(p, state.lang)}`)));
}

// -- drawing everything -----------------------------------------------------------------------

function renderAll() {
  applyWords();
  renderRulesetChoice();
  renderRuleset($("ruleset-line"), $("ruleset-warning"), state.ruleset, state.lang);
  renderForm($("form"), state.ruleset, state.draft, state.lang, explainIndicator);
  renderSummary();
  // The form was drawn anew: the service's last problems go back to their fields.
  if (state.problems.length) showGeneral(showProblems($("form"), state.problems, state.ruleset, state.lang));
}

function renderSummary() {
  const { ruleset, card, lang } = state;
  renderScore($("score"), card, lang);
  renderTierScale($("tier-scale"), ruleset, card, lang);
  renderGroups($("groups-body"), ruleset, card, lang);
  renderTargets($("plan-target"), $("plan-top"), ruleset, card, state.target, lang);
  showCard($("form"), card, lang);
  const w = words(lang);
  $("minibar").textContent = card
    ? `${w.total} ${points(card.total, lang)} · ${card.tier ? label(card.tier.label, lang) : label(card.none_label, lang)}`
    : "";
}

// -- choosing the ruleset ---------------------------------------------------------------------

function inForce(summary, year) {
  const rounds = summary.rounds;
  if (!rounds || !Number.isInteger(year)) return false;
  return (rounds.from ?? -Infinity) <= year && year <= (rounds.to ?? Infinity);
}

/** The ruleset kept from last time if still loaded, else the one in force for the draft's year. */
function preferredRuleset(preferred) {
  const ids = state.rulesets.map((rs) => rs.id);
  if (ids.includes(preferred)) return preferred;
  const rank = { official: 0, provisional: 1, illustrative: 2 };
  const candidates = state.rulesets
    .filter((rs) => inForce(rs, state.draft.year))
    .sort((a, b) => (rank[a.status] ?? 3) - (rank[b.status] ?? 3));
  return (candidates[0] ?? state.rulesets[0])?.id;
}

async function useRuleset(id) {
  const answer = await api.ruleset(id);
  if (!answer.ok) {
    notice((w) => w.serverDown, true);
    return false;
  }
  state.ruleset = answer.data;
  state.card = null;
  state.explained = null;
  savePrefs({ ...loadPrefs(), ruleset: id });
  return true;
}

// -- scoring as the user types ----------------------------------------------------------------

let timer = null;

function changed() {
  state.draft = readForm($("form"), state.ruleset, state.draft);
  if (workspacePage.edited) workspacePage.edited(state.draft);
  else saveDraft(state.draft);
  state.revision += 1;
  state.explained = null;
  const plan = $("plan-result");
  markStale($("agencies-result"), words(state.lang).agenciesStale);
  if (plan.firstChild && !plan.classList.contains("stale")) {
    plan.classList.add("stale");
    plan.prepend(el("p", { class: "stale-note" }, words(state.lang).planStale));
  }
  clearTimeout(timer);
  timer = setTimeout(rescore, DEBOUNCE_MS);
}

function showGeneral(problems) {
  const box = $("general-problems");
  box.hidden = problems.length === 0;
  fill(
    box,
    problems.length ? el("p", {}, words(state.lang).problemsHere) : null,
    problems.length ? el("ul", {}, problems.map((p) => el("li", {}, `${p.location}: ${problemText(p, state.lang)}`))) : null,
  );
}

/** A new draft nobody has typed into yet: nothing to score, and no problem worth showing. */
function untouched(draft) {
  const region = draft.region ?? {};
  const typed = Object.values(region).some((value) => value);
  return !typed && Object.keys(draft.answers ?? {}).length === 0;
}

async function rescore() {
  const revision = state.revision;
  if (untouched(state.draft)) {
    state.problems = [];
    clearProblems($("form"));
    showGeneral([]);
    state.card = null;
    $("score-state").textContent = "";
    renderSummary();
    return;
  }
  state.inFlight?.abort();
  const controller = new AbortController();
  state.inFlight = controller;
  const w = words(state.lang);
  const form = $("form");
  $("score").setAttribute("aria-busy", "true");
  try {
    const { draft, ruleset, stage } = state;
    const checked = await api.validate(draft, ruleset.id, controller.signal);
    let scored = checked;
    if (checked.ok) scored = await api.score(draft, ruleset.id, stage, controller.signal);
    if (revision !== state.revision) return;
    if (scored.status === 0) {
      $("score-state").textContent = w.serverDown;
      return;
    }
    if (!scored.ok) {
      state.problems = scored.problems;
      showGeneral(showProblems(form, scored.problems, ruleset, state.lang));
      $("score-state").textContent = state.card ? w.stale : "";
      form.setAttribute("aria-invalid", "true");
      return;
    }
    clearProblems(form);
    form.removeAttribute("aria-invalid");
    showGeneral([]);
    state.problems = [];
    state.card = scored.data;
    $("score-state").textContent = "";
    renderSummary();
    await refreshOpenReasons();
  } catch (error) {
    if (error.name !== "AbortError") throw error;
  } finally {
    if (revision === state.revision) $("score").removeAttribute("aria-busy");
  }
}

// -- reasons and plans, on demand -------------------------------------------------------------

async function explanation() {
  const key = `${state.revision}|${state.lang}|${state.stage}|${state.ruleset.id}`;
  if (state.explained?.key === key) return state.explained.answer;
  const answer = await api.explain(state.draft, state.ruleset.id, state.stage, state.lang);
  state.explained = { key, answer };
  return answer;
}

async function explainIndicator(indicatorId, button, box) {
  const open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", String(!open));
  box.hidden = open;
  if (open) return;
  box.textContent = words(state.lang).scoring;
  const answer = await explanation();
  if (!answer.ok) {
    fill(box, el("ul", { class: "problems" }, answer.problems.map((p) => el("li", {}, problemText(p, state.lang)))));
    return;
  }
  const indicator = answer.data.groups.flatMap((g) => g.indicators).find((i) => i.id === indicatorId);
  if (!indicator) {
    box.textContent = "";
    return;
  }
  fill(box, el("p", {}, indicator.text), el("ul", {}, indicator.items.map((item) => el("li", {}, item.text))));
}

/** Reasons already open are re-read for the new draft rather than left describing the old. */
async function refreshOpenReasons() {
  for (const button of document.querySelectorAll('button.why[aria-expanded="true"]')) {
    const box = $(button.getAttribute("aria-controls"));
    const indicatorId = button.closest("article").dataset.indicator;
    button.setAttribute("aria-expanded", "false");
    await explainIndicator(indicatorId, button, box);
  }
}

async function makePlan() {
  const w = words(state.lang);
  const out = $("plan-result");
  const button = $("make-plan");
  button.disabled = true;
  out.setAttribute("aria-busy", "true");
  out.textContent = w.planning;
  try {
    const target = $("plan-target").value;
    const answer = await api.plan(state.draft, state.ruleset.id, state.stage, target);
    state.plan = answer;
    out.classList.remove("stale");
    showPlan();
  } finally {
    button.disabled = false;
    out.removeAttribute("aria-busy");
  }
}

/** The last plan (or why there is none) in the page's language, still marked stale if it was. */
function showPlan() {
  const out = $("plan-result");
  const answer = state.plan;
  if (!answer) {
    out.textContent = "";
    return;
  }
  if (answer.ok) renderPlan(out, answer.data, state.lang);
  else if (answer.status === 0) fill(out, el("p", { class: "problems" }, words(state.lang).serverDown));
  else fill(out, problemList(answer.problems));
  if (out.classList.contains("stale")) out.prepend(el("p", { class: "stale-note" }, words(state.lang).planStale));
}

function joined(problems) {
  return problems.map((p) => `${p.location}: ${problemText(p, state.lang)}`).join("; ");
}

// -- the task force's view, agency by agency -------------------------------------------------

function markStale(out, note) {
  if (out.firstChild && !out.classList.contains("stale")) {
    out.classList.add("stale");
    out.prepend(el("p", { class: "stale-note" }, note));
  }
}

function showAgencies() {
  const out = $("agencies-result");
  if (!state.agencies) return;
  renderAgencies(out, state.agencies, state.lang);
  // A table made for earlier answers stays marked so after the language changes.
  if (out.classList.contains("stale")) out.prepend(el("p", { class: "stale-note" }, words(state.lang).agenciesStale));
}

async function computeAgencies() {
  if (!state.assignment) return;
  const w = words(state.lang);
  const out = $("agencies-result");
  const button = $("refresh-agencies");
  button.disabled = true;
  out.setAttribute("aria-busy", "true");
  out.textContent = w.agenciesWorking;
  try {
    const target = $("plan-target").value;
    const answer = await api.tasks(state.draft, state.assignment, state.ruleset.id, state.stage, target);
    out.classList.remove("stale");
    if (!answer.ok) {
      state.agencies = null;
      fill(out, problemList(answer.problems));
      return;
    }
    state.agencies = answer.data;
    showAgencies();
  } finally {
    button.disabled = false;
    out.removeAttribute("aria-busy");
  }
}

async function useAssignment(answer, name) {
  if (!answer.ok) {
    notice((w) => (answer.status ? `${w.uploadFailed} ${joined(answer.problems)}` : w.serverDown), true);
    return;
  }
  state.assignment = answer.data;
  notice((w) => w.assignmentLoaded(name));
  await computeAgencies();
}

async function uploadAssignment(event) {
  const file = event.target.files?.[0];
  event.target.value = "";
  if (!file) return;
  await useAssignment(await api.readAssignment(await file.text(), file.name), file.name);
}

// -- files ------------------------------------------------------------------------------------

function hasAnswers() {
  return Object.keys(state.draft.answers ?? {}).length > 0;
}

async function replaceDraft(draft, message) {
  state.draft = draft;
  saveDraft(draft);
  const preferred = preferredRuleset(null);
  if (preferred && preferred !== state.ruleset?.id) await useRuleset(preferred);
  state.card = null;
  state.revision += 1;
  state.problems = [];
  markStale($("agencies-result"), words(state.lang).agenciesStale);
  markStale($("plan-result"), words(state.lang).planStale);
  renderAll();
  notice(message);
  await rescore();
}

async function loadExample() {
  const w = words(state.lang);
  if (hasAnswers() && !window.confirm(w.confirmReplace)) return;
  const answer = await api.example();
  if (!answer.ok) {
    notice((w) => w.serverDown, true);
    return;
  }
  await replaceDraft(answer.data, (w) => w.exampleLoaded);
}

async function upload(event) {
  const w = words(state.lang);
  const file = event.target.files?.[0];
  event.target.value = "";
  if (!file) return;
  if (hasAnswers() && !window.confirm(w.confirmReplace)) return;
  const answer = await api.readFile(await file.text(), file.name);
  if (!answer.ok) {
    notice((w) => (answer.status ? `${w.uploadFailed} ${joined(answer.problems)}` : w.serverDown), true);
    return;
  }
  await replaceDraft(answer.data, (w) => w.uploaded(file.name));
}

async function newDraft() {
  const w = words(state.lang);
  if (hasAnswers() && !window.confirm(w.confirmNew)) return;
  forgetDraft();
  await replaceDraft(emptyDraft(), null);
}

// -- a shared workspace -----------------------------------------------------------------------

// What workspace.js may do with the page: it shows the workspace's submission as the draft and
// takes every edit (`edited`) instead of this browser's draft storage.
const workspacePage = {
  get lang() {
    return state.lang;
  },
  get ruleset() {
    return state.ruleset;
  },
  get stage() {
    return state.stage;
  },
  set stage(stage) {
    state.stage = stage;
  },
  useRuleset,
  show(draft) {
    state.draft = draft;
    state.revision += 1;
    state.explained = null;
    renderAll();
    return rescore();
  },
  /** A plan on screen is made again for the new answers. */
  replan: () => ($("plan-result").firstChild ? makePlan() : null),
  edited: null,
};

// -- start ------------------------------------------------------------------------------------

function wire() {
  $("form").addEventListener("input", changed);
  $("form").addEventListener("change", changed);
  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "id" ? "en" : "id";
    savePrefs({ ...loadPrefs(), lang: state.lang });
    state.explained = null;
    renderAll();
    notice(said.say, said.error);
    showPlan();
    showAgencies();
  });
  $("plan-target").addEventListener("change", (event) => {
    state.target = event.target.value;
  });
  $("ruleset-select").addEventListener("change", async (event) => {
    if (await useRuleset(event.target.value)) {
      renderAll();
      await rescore();
    }
  });
  $("stage-select").addEventListener("change", (event) => {
    state.stage = event.target.value;
    state.explained = null;
    rescore();
  });
  $("load-example").addEventListener("click", loadExample);
  $("upload").addEventListener("change", upload);
  $("download").addEventListener("click", () => {
    const name = download(state.draft);
    notice((w) => w.downloaded(name));
  });
  $("new-draft").addEventListener("click", newDraft);
  $("make-plan").addEventListener("click", makePlan);
  $("load-example-assignment").addEventListener("click", async () =>
    useAssignment(await api.exampleAssignment(), "kota-tangerang-2025-agencies.yaml"),
  );
  $("upload-assignment").addEventListener("change", uploadAssignment);
  $("refresh-agencies").addEventListener("click", computeAgencies);
}

// On a phone the summary scrolls away as the team works down the form: a bar at the bottom
// keeps the total and tier in sight, only while the summary itself is out of view.
function watchSummary() {
  if (!("IntersectionObserver" in window)) return;
  const observer = new IntersectionObserver(([entry]) => {
    document.body.classList.toggle("score-in-view", entry.isIntersecting);
  });
  observer.observe($("score"));
}

/**
 * Draw the page for a draft kept in this browser.  A draft that parses but cannot be drawn
 * (storage edited by hand, or written by another program) is discarded rather than leaving a
 * blank page; returns whether it was kept.
 */
function drawKept() {
  try {
    renderAll();
    return true;
  } catch (error) {
    console.error("the kept draft could not be drawn; it is discarded", error);
    forgetDraft();
    state.draft = emptyDraft();
    renderAll();
    return false;
  }
}

async function start() {
  const prefs = loadPrefs();
  state.lang = prefs.lang === "en" ? "en" : "id";
  // A workspace link (#workspace=…&token=…) opens the shared submission, not this browser's draft.
  const link = workspaceLink(window.location.hash);
  const kept = link ? { draft: null, corrupt: false } : loadDraft();
  if (kept.draft) state.draft = kept.draft;
  wire();
  watchSummary();
  applyWords();
  const listed = await api.rulesets();
  if (!listed.ok) {
    notice((w) => w.serverDown, true);
    return;
  }
  state.rulesets = listed.data.rulesets;
  if (link) return openWorkspace(link, workspacePage);
  if (!(await useRuleset(preferredRuleset(prefs.ruleset)))) return;
  let drawn = true;
  if (kept.draft) drawn = drawKept();
  else renderAll();
  if (kept.corrupt || !drawn) notice((w) => w.draftDiscarded, true);
  else if (kept.draft) notice((w) => w.restored);
  document.body.dataset.ready = "true";
  await rescore();
}

start();
