// The workspace's per-agency progress: for each agency of the assignment, the items it leads,
// how many are answered and how many have evidence attached (from the saved submission), and
// its points and points at risk (from GET /workspaces/{id}/tasks, when it answered).

import { el, fill } from "./dom.js";
import { answerOf } from "./item-answers.js";
import { number, points as pointsText } from "./i18n.js";
import { workspaceWords } from "./workspace-words.js";

/** item id -> the id of the agency that leads it, as the assignment says (item entries win). */
export function leads(assignment, places) {
  const lead = new Map();
  const owners = assignment?.owners ?? [];
  for (const entry of owners) {
    for (const [itemId, place] of places) if (place.indicator === entry.id) lead.set(itemId, entry.lead);
  }
  for (const entry of owners) if (places.has(entry.id)) lead.set(entry.id, entry.lead);
  return lead;
}

/** The name to show for an agency id: its short name, or the id itself. */
export function agencyName(assignment, id) {
  return (assignment?.agencies ?? []).find((a) => a.id === id)?.short ?? id;
}

function hasEvidence(submission, place, itemId) {
  return (submission.evidence ?? []).some(
    (piece) => piece.item === itemId || (!piece.item && piece.indicator === place.indicator),
  );
}

/** [{id, items, answered, evidenced}] per agency in the assignment's order, then unassigned. */
export function progress(submission, assignment, places) {
  const lead = leads(assignment, places);
  const rows = [...(assignment?.agencies ?? []).map((a) => a.id), null].map((id) => ({
    id,
    items: 0,
    answered: 0,
    evidenced: 0,
  }));
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const [itemId, place] of places) {
    const row = byId.get(lead.get(itemId) ?? null) ?? byId.get(null);
    row.items += 1;
    if (answerOf(submission, place, itemId) !== null) row.answered += 1;
    if (hasEvidence(submission, place, itemId)) row.evidenced += 1;
  }
  return rows;
}

function share(done, all, lang) {
  const part = el("span", { class: "ws-share" });
  part.style.width = `${all ? Math.round((100 * done) / all) : 0}%`;
  return [`${number(done, lang)} / ${number(all, lang)}`, el("span", { class: "ws-bar", "aria-hidden": "true" }, part)];
}

/** The table: one row per agency (yours marked), the unassigned items, the district's total. */
export function renderProgress(node, { submission, assignment, places, tasks, you, lang }) {
  const w = workspaceWords(lang);
  const points = new Map((tasks?.agencies ?? []).map((t) => [t.agency?.id ?? null, t]));
  if (tasks) points.set(null, tasks.unassigned);
  const rows = progress(submission, assignment, places).filter((row) => row.id !== null || row.items);
  const heads = [w.agency, w.answered, w.withEvidence, w.points, w.max, w.atRisk];
  // A district's points with two decimals, as everywhere; a maximum as the ruleset writes it.
  const figure = (value, format = pointsText) => (value === undefined ? "–" : format(value, lang));
  fill(
    node,
    el("h2", { id: "ws-progress-heading" }, w.progress),
    el("p", {}, w.progressIntro),
    el(
      "table",
      { class: "groups ws-progress", id: "ws-progress", "aria-labelledby": "ws-progress-heading" },
      el("thead", {}, el("tr", {}, heads.map((head, i) => el("th", { scope: "col", class: i ? "num" : null }, head)))),
      el(
        "tbody",
        {},
        rows.map((row) => {
          const agencyPoints = points.get(row.id);
          const mine = you?.role === "agency" && you.agency === row.id;
          return el(
            "tr",
            {
              class: mine ? "ws-you" : null,
              dataset: { agency: row.id ?? "", items: String(row.items), answered: String(row.answered), evidenced: String(row.evidenced) },
            },
            el("th", { scope: "row" }, row.id === null ? w.unassigned : agencyName(assignment, row.id), mine ? ` ${w.you}` : ""),
            el("td", { class: "num" }, share(row.answered, row.items, lang)),
            el("td", { class: "num" }, share(row.evidenced, row.items, lang)),
            el("td", { class: "num" }, figure(agencyPoints?.points)),
            el("td", { class: "num" }, figure(agencyPoints?.max, number)),
            el("td", { class: "num" }, figure(agencyPoints?.at_risk)),
          );
        }),
      ),
      tasks
        ? el(
            "tfoot",
            {},
            el(
              "tr",
              {},
              el("th", { scope: "row" }, w.total),
              el("td", { colspan: "2" }),
              el("td", { class: "num", id: "ws-progress-total", dataset: { total: String(tasks.total) } }, pointsText(tasks.total, lang)),
              el("td", { class: "num" }, number(tasks.max_score, lang)),
              el("td"),
            ),
          )
        : null,
    ),
  );
}
