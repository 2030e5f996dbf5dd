// The form, generated from the ruleset's catalogue (GET /rulesets/{id}): one field per item,
// by its rule kind, so a ruleset with other indicators or items gives another form without
// any change here.  The draft (a submission as `kla score` reads it) is the only state: the
// form is drawn from it and read back into it.

import { api } from "./api.js";
import { el, fill, idFor } from "./dom.js";
import { label, number, points, problemText, words } from "./i18n.js";

// How each rule kind's answer is written (yes_no, level, options, number): the service's
// facts (GET /rule-kinds), not a copy of them here.
const RULE_KINDS = (await api.ruleKinds()).data?.kinds ?? {};
const answerForm = (rule) => RULE_KINDS[rule.kind]?.answer;
const KINDS = ["kabupaten", "kota", "desa", "kelurahan"];
const REGION_FIELDS = ["code", "name", "kind", "province"];

export function indicators(ruleset) {
  return ruleset.groups.flatMap((group) => group.indicators);
}

/** The answer a draft holds for one item, or undefined. */
function itemAnswer(draft, indicator, item) {
  const answer = draft.answers?.[indicator.id];
  if (answer === undefined || answer === null) return undefined;
  if (typeof answer === "object" && !Array.isArray(answer) && "items" in answer) {
    return answer.items?.[item.id];
  }
  return indicator.items.length === 1 ? answer : undefined;
}

// -- drawing ---------------------------------------------------------------------------------

export function renderForm(form, ruleset, draft, lang, onWhy) {
  const w = words(lang);
  fill(
    form,
    regionSection(draft, w),
    el("h2", { id: "answers-heading", class: "answers-heading" }, w.answers),
    ruleset.groups.map((group) => groupSection(group, draft, lang, onWhy)),
  );
}

function field(id, text, input, hint) {
  return el(
    "div",
    { class: "field" },
    el("label", { for: id }, text),
    input,
    hint,
    el("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}

function textInput(id, value, extra = {}) {
  return el("input", {
    id,
    name: id,
    type: "text",
    value: value ?? "",
    "aria-describedby": `${id}-error`,
    ...extra,
  });
}

function regionSection(draft, w) {
  const region = draft.region ?? {};
  const kind = el(
    "select",
    { id: "region-kind", name: "region-kind", "aria-describedby": "region-kind-error" },
    el("option", { value: "" }, w.unanswered),
    KINDS.map((k) => el("option", { value: k, selected: region.kind === k }, w.kinds[k])),
  );
  return el(
    "fieldset",
    { class: "region", id: "region" },
    el("legend", {}, w.region),
    el(
      "div",
      { class: "region-grid" },
      field("region-name", w.regionName, textInput("region-name", region.name, { autocomplete: "off" })),
      field("region-kind", w.regionKind, kind),
      field("region-province", w.province, textInput("region-province", region.province)),
      field("region-code", w.regionCode, textInput("region-code", region.code, { inputmode: "decimal" })),
      field("year", w.year, textInput("year", draft.year, { inputmode: "numeric" })),
    ),
  );
}

function groupSection(group, draft, lang, onWhy) {
  const headingId = idFor("g", group.id);
  return el(
    "section",
    { class: "group", "aria-labelledby": headingId },
    el(
      "h3",
      { id: headingId },
      label(group.label, lang),
      " ",
      el("span", { class: "points", id: idFor("gpts", group.id) }, `– / ${number(group.max, lang)}`),
    ),
    group.indicators.map((indicator) => indicatorBlock(indicator, draft, lang, onWhy)),
  );
}

function indicatorBlock(indicator, draft, lang, onWhy) {
  const w = words(lang);
  const headingId = idFor("h", indicator.id);
  const whyId = idFor("why", indicator.id);
  const button = el(
    "button",
    {
      type: "button",
      class: "why",
      "aria-expanded": "false",
      "aria-controls": whyId,
      "aria-label": w.whyLabel(indicator.id),
    },
    w.why,
  );
  const box = el("div", { class: "why-text", id: whyId, hidden: true, "aria-live": "polite" });
  button.addEventListener("click", () => onWhy(indicator.id, button, box));
  return el(
    "article",
    {
      class: "indicator",
      id: idFor("ind", indicator.id),
      "aria-labelledby": headingId,
      dataset: { indicator: indicator.id },
    },
    el(
      "h4",
      { id: headingId },
      el("span", { class: "code" }, indicator.id),
      " ",
      label(indicator.label, lang),
      " ",
      el("span", { class: "points", id: idFor("ipts", indicator.id) }, `– / ${number(indicator.max, lang)}`),
    ),
    el("p", { class: "field-error", id: `${idFor("ind", indicator.id)}-error`, hidden: true }),
    indicator.items.map((item) => itemField(indicator, item, itemAnswer(draft, indicator, item), draft, lang)),
    el("div", { class: "why-row" }, button),
    box,
  );
}

function itemLegend(item, lang) {
  return [
    el("span", { class: "code" }, item.id),
    " ",
    label(item.label, lang),
    " ",
    el("span", { class: "item-points", id: idFor("pts", item.id) }, `(${number(item.max, lang)} ${words(lang).points})`),
  ];
}

function itemField(indicator, item, answer, draft, lang) {
  const form = answerForm(item.rule);
  if (form === "options") return checklistField(item, answer, lang);
  if (form === "number") return numberField(item, answer, draft, lang);
  return choiceField(item, answer, lang);
}

function choiceField(item, answer, lang) {
  const w = words(lang);
  const id = idFor("f", item.id);
  const options =
    answerForm(item.rule) === "yes_no"
      ? [["true", w.yes], ["false", w.no]]
      : item.rule.levels.map((level) => [
          level.id,
          `${label(level.label, lang)} (${number(level.points, lang)} ${w.points})`,
        ]);
  const current = answer === undefined ? "" : String(answer);
  const select = el(
    "select",
    { id, name: id, "aria-describedby": `${id}-error`, dataset: { item: item.id, kind: item.rule.kind } },
    el("option", { value: "" }, w.unanswered),
    options.map(([value, text]) => el("option", { value, selected: value === current }, text)),
  );
  return el(
    "div",
    { class: "item field" },
    el("label", { for: id }, itemLegend(item, lang)),
    select,
    outcomeLine(item),
    el("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}

function checklistField(item, answer, lang) {
  const w = words(lang);
  const id = idFor("f", item.id);
  const ticked = new Set(Array.isArray(answer) ? answer : []);
  const cap = item.rule.cap;
  return el(
    "fieldset",
    {
      class: "item checklist",
      id,
      "aria-describedby": `${id}-error`,
      dataset: { item: item.id, kind: "checklist" },
    },
    el("legend", {}, itemLegend(item, lang)),
    item.rule.options.map((option) => {
      const optionId = idFor("f", `${item.id}--${option.id}`);
      return el(
        "div",
        { class: "check" },
        el("input", { type: "checkbox", id: optionId, value: option.id, checked: ticked.has(option.id) }),
        el("label", { for: optionId }, `${label(option.label, lang)} (${number(option.points, lang)} ${w.points})`),
      );
    }),
    cap === undefined ? null : el("p", { class: "hint" }, `${w.max} ${number(cap, lang)} ${w.points}`),
    outcomeLine(item),
    el("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}

function numberField(item, answer, draft, lang) {
  const w = words(lang);
  const id = idFor("f", item.id);
  const measured = answer && typeof answer === "object" ? answer : {};
  const yearHint = Number.isInteger(draft.year) ? String(draft.year - 1) : "";
  return el(
    "fieldset",
    {
      class: "item measurement",
      id,
      "aria-describedby": `${id}-error ${id}-hint`,
      dataset: { item: item.id, kind: item.rule.kind },
    },
    el("legend", {}, itemLegend(item, lang)),
    el(
      "div",
      { class: "pair" },
      // The item's error and hint describe the value itself, where a screen reader reads them.
      field(
        `${id}-value`,
        w.value(item.rule.unit),
        textInput(`${id}-value`, measured.value, {
          inputmode: "decimal",
          autocomplete: "off",
          "aria-describedby": `${id}-error ${id}-hint`,
        }),
      ),
      field(
        `${id}-year`,
        w.dataYear,
        textInput(`${id}-year`, measured.data_year, {
          inputmode: "numeric",
          placeholder: yearHint,
          autocomplete: "off",
          "aria-describedby": `${id}-error`,
        }),
      ),
    ),
    el("p", { class: "hint", id: `${id}-hint` }, ruleHint(item.rule, lang)),
    outcomeLine(item),
    el("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}


function ruleHint(rule, lang) {
  const w = words(lang);
  if (rule.kind === "reference") {
    return rule.direction === "lower_is_better" ? w.lowerBetter : w.higherBetter;
  }
  if (rule.kind === "bands") {
    const unit = rule.unit === "percent" ? "%" : "";
    // "25–<50%: 10" is the band from 25 (inclusive) to below 50; ">" marks an open low end.
    const bands = rule.bands.map((b) => {
      const low = b.min == null ? "" : `${b.min_inclusive ? "" : ">"}${number(b.min, lang)}`;
      const high = b.max == null ? "" : `${b.max_inclusive ? "" : "<"}${number(b.max, lang)}`;
      return `${low}–${high}${unit}: ${number(b.points, lang)}`;
    });
    return `${w.bands} (${w.points}): ${bands.join(" · ")}`;
  }
  if (rule.kind === "linear") {
    const unit = rule.unit === "percent" ? "%" : "";
    const end = (a) => `${number(a.value, lang)}${unit}: ${number(a.points, lang)}`;
    return `${end(rule.from)} → ${end(rule.to)} (${w.points})`;
  }
  return "";
}

function outcomeLine(item) {
  return el("p", { class: "outcome", id: idFor("out", item.id), hidden: true });
}

// -- reading ----------------------------------------------------------------------------------

/** "96,8" or "96.8" as 96.8; anything else is sent as typed, for the API to say what is wrong. */
function parseNumber(text) {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (/^[-+]?\d+([.,]\d+)?$/.test(trimmed)) return Number(trimmed.replace(",", "."));
  return trimmed;
}

function parseYear(text) {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function readItem(form, item) {
  const id = idFor("f", item.id);
  const written = answerForm(item.rule);
  if (written === "options") {
    const ticked = [...form.querySelectorAll(`#${id} input[type=checkbox]:checked`)].map((b) => b.value);
    return ticked.length ? ticked : undefined;
  }
  if (written === "number") {
    const value = parseNumber(form.querySelector(`#${id}-value`).value);
    const year = parseYear(form.querySelector(`#${id}-year`).value);
    if (value === undefined) return undefined;
    return year === undefined ? { value } : { value, data_year: year };
  }
  const chosen = form.querySelector(`#${id}`).value;
  if (chosen === "") return undefined;
  if (written === "yes_no") return chosen === "true";
  return chosen;
}

function unknownItems(answer, indicator) {
  if (!answer || typeof answer !== "object" || Array.isArray(answer) || !("items" in answer)) return {};
  const known = new Set(indicator.items.map((item) => item.id));
  return Object.fromEntries(Object.entries(answer.items ?? {}).filter(([id]) => !known.has(id)));
}

/** The draft with the form's region, year and answers; evidence, records and note are kept. */
export function readForm(form, ruleset, draft) {
  const region = {};
  for (const name of REGION_FIELDS) {
    region[name] = form.querySelector(`#region-${name}`).value.trim();
  }
  const answers = {};
  for (const indicator of indicators(ruleset)) {
    // Answers to items the ruleset does not have (a file made for another version) stay as
    // they are, for the API to name; the form never drops what it cannot show.
    const unknown = unknownItems(draft.answers?.[indicator.id], indicator);
    const items = { ...unknown };
    for (const item of indicator.items) {
      const answer = readItem(form, item);
      if (answer !== undefined) items[item.id] = answer;
    }
    if (!Object.keys(items).length) continue;
    const direct = indicator.items.length === 1 && !Object.keys(unknown).length;
    answers[indicator.id] = direct ? Object.values(items)[0] : { items };
  }
  const year = parseYear(form.querySelector("#year").value);
  // Answers to indicators this ruleset does not have stay in the file, untouched.
  const known = new Set(indicators(ruleset).map((i) => i.id));
  for (const [id, answer] of Object.entries(draft.answers ?? {})) {
    if (!known.has(id)) answers[id] = answer;
  }
  const next = { ...draft, region, answers };
  if (year === undefined) delete next.year;
  else next.year = year;
  return next;
}

// -- problems from the API --------------------------------------------------------------------

/** The element id of the field a problem's location points at, or null. */
function fieldFor(location, ruleset) {
  const answer = /\$\.answers\["([^"]+)"\](?:\.items\["([^"]+)"\])?/.exec(location);
  if (answer) {
    const indicator = indicators(ruleset).find((i) => i.id === answer[1]);
    if (!indicator) return null;
    const itemId = answer[2] ?? (indicator.items.length === 1 ? indicator.items[0].id : null);
    const known = indicator.items.some((item) => item.id === itemId);
    return known ? idFor("f", itemId) : idFor("ind", indicator.id);
  }
  const region = /\$\.region(?:\.(code|name|kind|province))?/.exec(location);
  if (region) return region[1] ? `region-${region[1]}` : "region-name";
  if (/\$\.year\b/.test(location)) return "year";
  return null;
}

export function clearProblems(form) {
  for (const node of form.querySelectorAll(".field-error")) {
    node.hidden = true;
    node.textContent = "";
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

/** Show each problem at its field, in the API's words in `lang`; return those that have no
 * field. */
export function showProblems(form, problems, ruleset, lang) {
  clearProblems(form);
  const unplaced = [];
  for (const problem of problems) {
    const id = fieldFor(problem.location ?? "", ruleset);
    const target = id && form.querySelector(`#${CSS.escape(id)}`);
    const message = id && form.querySelector(`#${CSS.escape(id)}-error`);
    if (!target || !message) {
      unplaced.push(problem);
      continue;
    }
    message.hidden = false;
    const text = problemText(problem, lang);
    message.textContent = message.textContent ? `${message.textContent} ${text}` : text;
    if (target.tagName === "ARTICLE") continue; // a problem of the indicator, not of one field
    target.setAttribute("aria-invalid", "true");
    for (const input of target.querySelectorAll("input, select")) input.setAttribute("aria-invalid", "true");
  }
  return unplaced;
}

// -- the score card, at each indicator and item -----------------------------------------------

export function showCard(form, card, lang) {
  const w = words(lang);
  for (const group of card?.groups ?? []) {
    setText(form, idFor("gpts", group.id), `${points(group.points, lang)} / ${number(group.max, lang)}`);
    for (const indicator of group.indicators) {
      setText(form, idFor("ipts", indicator.id), `${points(indicator.points, lang)} / ${number(indicator.max, lang)}`);
      for (const item of indicator.items) {
        setText(form, idFor("pts", item.id), `(${points(item.points, lang)} / ${number(item.max, lang)} ${w.points})`);
        const line = form.querySelector(`#${CSS.escape(idFor("out", item.id))}`);
        if (!line) continue;
        const said = w.outcome[item.outcome] ?? "";
        line.hidden = !said;
        line.textContent = said;
        line.className = `outcome outcome-${item.outcome}`;
      }
    }
  }
}

function setText(form, id, text) {
  const node = form.querySelector(`#${CSS.escape(id)}`);
  if (node) node.textContent = text;
}
