// The task force's view on the page: the district's points, losses, risks and plan steps split
// among its agencies (OPD) by the assignment, as POST /tasks answers (kla tasks --format json).

import { el, fill } from "./dom.js";
import { label, number, points, words } from "./i18n.js";

/** The name an agency's row shows: its short name, with the full name on hover. */
function agencyCell(tasks, w) {
  if (tasks.agency === null) return el("th", { scope: "row" }, w.unassigned);
  return el("th", { scope: "row", title: tasks.agency.name }, tasks.agency.short);
}

function stepsCell(tasks, lang, w) {
  const cell = { class: "steps", "data-label": w.planSteps };
  if (!tasks.steps.length) return el("td", cell, "–");
  return el("td", cell, el("ul", { class: "agency-steps" }, tasks.steps.map((step) => el("li", {}, label(step.sentence, lang)))));
}

function row(tasks, lang, w) {
  const id = tasks.agency?.id ?? "";
  return el(
    "tr",
    { dataset: { agency: id, points: String(tasks.points) } },
    agencyCell(tasks, w),
    // Each cell carries its column's name: on a phone the rows are drawn as cards, one
    // labelled line per number, so that the agency's name never scrolls out of sight.
    el("td", { class: "num", "data-label": w.pointsCol }, points(tasks.points, lang)),
    el("td", { class: "num", "data-label": w.max }, number(tasks.max, lang)),
    el("td", { class: "num", "data-label": w.lost }, points(tasks.lost, lang)),
    el("td", { class: "num", "data-label": w.atRisk }, points(tasks.at_risk, lang)),
    stepsCell(tasks, lang, w),
  );
}

/** The per-agency table of a /tasks answer, its total and the unassigned items, in `lang`. */
export function renderAgencies(node, view, lang) {
  const w = words(lang);
  const heads = [w.agency, w.pointsCol, w.max, w.lost, w.atRisk, w.planSteps];
  const target = view.plan?.target ? label(view.plan.target.label, lang) : null;
  const unassigned = view.unassigned.items;
  fill(
    node,
    view.status === "adopted" ? null : el("p", { class: "warning", role: "note" }, w.assignmentNotAdopted),
    el(
      "table",
      { class: "groups agencies", id: "agencies-table" },
      el("caption", {}, target ? w.agenciesCaptionTarget(target) : w.agenciesCaption),
      el("thead", {}, el("tr", {}, heads.map((head, i) => el("th", { scope: "col", class: i && i < 5 ? "num" : null }, head)))),
      el("tbody", {}, view.agencies.map((tasks) => row(tasks, lang, w)), row(view.unassigned, lang, w)),
      el(
        "tfoot",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "row" }, w.total),
          el("td", { class: "num", id: "agencies-total", "data-label": w.pointsCol, dataset: { total: String(view.total) } }, points(view.total, lang)),
          el("td", { class: "num", "data-label": w.max }, number(view.max_score, lang)),
          el("td", { colspan: "3", class: "filler" }),
        ),
      ),
    ),
    el("h3", { id: "unassigned-heading" }, w.unassignedItems),
    unassigned.length
      ? el(
          "ul",
          { id: "unassigned-items", "aria-labelledby": "unassigned-heading" },
          unassigned.map((item) => el("li", {}, `${item.item} ${label(item.label, lang)}: ${points(item.points, lang)} / ${number(item.max, lang)}`)),
        )
      : el("p", { id: "unassigned-items" }, w.noneUnassigned),
  );
}
