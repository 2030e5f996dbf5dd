// The ruleset line at the top, and the summary: total, tier, what the next tier needs, the
// tier scale as the ruleset states it, points per group, and a plan.  Thresholds are read from
// the ruleset (GET /rulesets/{id}: tiers.scale with min and min_inclusive), never written here.

import { el, fill } from "./dom.js";
import { label, number, points, words } from "./i18n.js";

export function renderRuleset(line, warning, ruleset, lang) {
  const w = words(lang);
  const status = w.statusWords[ruleset.status] ?? ruleset.status;
  fill(
    line,
    el("span", { class: "ruleset-label" }, label(ruleset.label, lang)),
    el(
      "span",
      { class: "ruleset-facts" },
      `${w.ruleset}: `,
      el("code", { id: "ruleset-id" }, ruleset.id),
      ` · ${w.version} `,
      el("code", { id: "ruleset-version" }, ruleset.version),
      ` · ${w.status}: `,
      el("strong", { id: "ruleset-status", class: `status-${ruleset.status}` }, status),
    ),
  );
  const said = ruleset.status === "official" ? "" : (w[ruleset.status] ?? "");
  warning.hidden = !said;
  warning.textContent = said;
}

/** "at least 500" or "more than 600", as the tier's threshold is inclusive or strict. */
export function threshold(tier, lang) {
  const w = words(lang);
  return `${tier.min_inclusive ? w.atLeast : w.moreThan} ${number(tier.min, lang)}`;
}

/** A tier's must-pass conditions: "at least 50 points on K.1". */
function conditions(list, lang) {
  const w = words(lang);
  return (list ?? []).map((c) => w.condition(number(c.min_points, lang), c.id)).join("; ");
}

/** The conditions of the next tier that the card does not meet, if any. */
function failedFor(card, tier) {
  const entry = (card.eligibility ?? []).find((e) => e.tier.id === tier?.id);
  return entry?.failed ?? [];
}

export function renderScore(node, card, lang) {
  const w = words(lang);
  if (!card) {
    fill(node, el("p", { class: "empty" }, w.noScore));
    return;
  }
  const tierName = card.tier ? label(card.tier.label, lang) : label(card.none_label, lang);
  const next = card.next_tier
    ? w.nextTier(
        label(card.next_tier.label, lang),
        !card.next_tier.min_inclusive,
        points(card.points_to_next_tier, lang),
        number(card.next_tier.min, lang),
      )
    : w.topTier;
  fill(
    node,
    el(
      "p",
      { class: "total" },
      el("span", { class: "total-label" }, `${w.total} `),
      el("span", { id: "total", dataset: { total: String(card.total) } }, points(card.total, lang)),
      el("span", { class: "max" }, ` / ${number(card.max_score, lang)}`),
    ),
    el(
      "p",
      { class: "tier" },
      `${w.tier}: `,
      el("strong", { id: "tier", dataset: { tier: card.tier?.id ?? "" } }, tierName),
    ),
    el("p", { id: "next-tier" }, next),
    failedFor(card, card.next_tier).length
      ? el("p", { id: "next-tier-conditions" }, `${w.unmet}: ${conditions(failedFor(card, card.next_tier), lang)}`)
      : null,
    el("p", { class: "stage-used" }, `${w.stageUsed}: ${w.stages[card.stage] ?? card.stage}`),
    card.stage === "self_assessment" ? null : el("p", { class: "stage-used" }, w.verifiedStage),
  );
}

export function renderTierScale(list, ruleset, card, lang) {
  const current = card?.tier?.id;
  fill(
    list,
    ruleset.tiers.scale.map((tier) =>
      el(
        "li",
        { class: tier.id === current ? "current" : null, "aria-current": tier.id === current ? "true" : null },
        el("span", { class: "tier-name" }, label(tier.label, lang)),
        " ",
        el(
          "span",
          { class: "tier-min" },
          threshold(tier, lang),
          tier.requires?.length ? ` + ${conditions(tier.requires, lang)}` : "",
        ),
      ),
    ),
  );
}

export function renderGroups(body, ruleset, card, lang) {
  const scored = new Map((card?.groups ?? []).map((g) => [g.id, g]));
  fill(
    body,
    ruleset.groups.map((group) => {
      const earned = scored.get(group.id)?.points;
      const share = earned === undefined ? 0 : Math.round((100 * earned) / group.max);
      return el(
        "tr",
        {},
        el("th", { scope: "row" }, label(group.label, lang)),
        el("td", { class: "num" }, earned === undefined ? "–" : points(earned, lang)),
        el("td", { class: "num" }, number(group.max, lang)),
        el("td", { class: "bar", "aria-hidden": "true" }, earned === undefined ? null : bar(share)),
      );
    }),
  );
}

// Set through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
function bar(share) {
  const span = el("span");
  span.style.width = `${Math.min(100, Math.max(0, share))}%`;
  return span;
}

/** The tiers a plan can aim at: those above the card's tier (every tier with no card yet). */
export function tiersAbove(ruleset, card) {
  const scale = ruleset.tiers.scale;
  const current = scale.findIndex((tier) => tier.id === card?.tier?.id);
  return scale.slice(current + 1);
}

/**
 * The target choice: the tiers above the current one, `wanted` if it is still one of them,
 * else the next tier.  At the top tier there is nothing to aim at: the choice is hidden and
 * `none` says so.  Returns the chosen tier id, or "" at the top.
 */
export function renderTargets(select, none, ruleset, card, wanted, lang) {
  const above = tiersAbove(ruleset, card);
  const chosen = above.some((tier) => tier.id === wanted) ? wanted : (above[0]?.id ?? "");
  fill(
    select,
    above.map((tier) =>
      el(
        "option",
        { value: tier.id, selected: tier.id === chosen },
        `${label(tier.label, lang)} (${threshold(tier, lang)})`,
      ),
    ),
  );
  select.value = chosen;
  for (const node of select.closest(".plan").querySelectorAll(".plan-choice")) node.hidden = !chosen;
  none.hidden = Boolean(chosen);
  none.textContent = chosen ? "" : words(lang).topTierNoPlan;
  return chosen;
}

export function renderPlan(node, plan, lang) {
  const w = words(lang);
  const summary = (plan.summary ?? []).map((sentence) => el("p", {}, label(sentence, lang)));
  const steps = plan.steps ?? [];
  fill(
    node,
    summary,
    steps.length
      ? el("ol", { id: "plan-steps" }, steps.map((step) => el("li", {}, label(step.sentence, lang))))
      : el("p", {}, w.planNone),
  );
}
