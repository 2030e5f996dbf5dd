// One item's answer inside a submission, as the workspace stores and sends it: an indicator's
// answer is `{items: {item id: answer}}`, or for a one-item indicator that item's answer alone.

/** Where each item sits: item id -> {indicator, single}, from the ruleset's catalogue. */
export function itemPlaces(ruleset) {
  const places = new Map();
  for (const group of ruleset.groups) {
    for (const indicator of group.indicators) {
      for (const item of indicator.items) {
        places.set(item.id, { indicator: indicator.id, single: indicator.items.length === 1, item });
      }
    }
  }
  return places;
}

function isItems(answer) {
  return answer !== null && typeof answer === "object" && !Array.isArray(answer) && "items" in answer;
}

/** The item's answer in `submission`, or null when it has none. */
export function answerOf(submission, place, itemId) {
  const answer = submission.answers?.[place.indicator];
  if (answer === undefined || answer === null) return null;
  if (isItems(answer)) return answer.items?.[itemId] ?? null;
  return place.single ? answer : null;
}

/** A copy of `submission` with the item's answer set to `value` (null: cleared). */
export function withAnswer(submission, place, itemId, value) {
  const answers = { ...(submission.answers ?? {}) };
  const current = answers[place.indicator];
  if (isItems(current) || !place.single) {
    const items = { ...(isItems(current) ? current.items : {}) };
    if (value === null) delete items[itemId];
    else items[itemId] = value;
    if (Object.keys(items).length) answers[place.indicator] = { items };
    else delete answers[place.indicator];
  } else if (value === null) {
    delete answers[place.indicator];
  } else {
    answers[place.indicator] = place.single ? value : { items: { [itemId]: value } };
  }
  return { ...submission, answers };
}

/** The same JSON whatever the order of an object's keys: the test of "unchanged". */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export const same = (a, b) => canonical(a) === canonical(b);
