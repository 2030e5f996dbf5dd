// The draft kept in this browser (localStorage) across reloads, and the file it downloads as.
// Nothing typed is lost: the draft is saved on every change, before it is sent anywhere.

const KEY = "kla_model.page.draft";
const PREFS = "kla_model.page.prefs";

/** An empty submission: the region and year are filled in by the user. */
export function emptyDraft() {
  return {
    region: { code: "", name: "", kind: "", province: "" },
    year: new Date().getFullYear(),
    answers: {},
  };
}

function read(key) {
  try {
    const text = localStorage.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false; // storage full or disabled: the page still works, without the safety net
  }
}

/**
 * The draft kept in this browser: `{draft, corrupt}`.  Text that is not JSON, or JSON that is
 * not a submission's shape (an object whose region and answers are objects), is forgotten and
 * reported as corrupt, so that the page starts from an empty draft and says why.
 */
export function loadDraft() {
  let text = null;
  try {
    text = localStorage.getItem(KEY);
  } catch {
    return { draft: null, corrupt: false }; // storage disabled: nothing kept
  }
  if (!text) return { draft: null, corrupt: false };
  let draft = null;
  try {
    draft = JSON.parse(text);
  } catch {
    draft = null;
  }
  if (plausible(draft)) return { draft, corrupt: false };
  forgetDraft();
  return { draft: null, corrupt: true };
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** The shape the form reads: anything else in it is the service's to check, at its field. */
function plausible(draft) {
  if (!isObject(draft)) return false;
  if (draft.region !== undefined && !isObject(draft.region)) return false;
  if (draft.answers !== undefined && !isObject(draft.answers)) return false;
  return Object.values(draft.answers ?? {}).every((answer) => !isObject(answer) || answer.items === undefined || isObject(answer.items));
}

export const saveDraft = (draft) => write(KEY, draft);

export function forgetDraft() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing kept, nothing to forget
  }
}

export const loadPrefs = () => read(PREFS) ?? {};
export const savePrefs = (prefs) => write(PREFS, prefs);

/** A file name from the region and year, e.g. kota-tangerang-2025.json. */
export function fileName(draft) {
  const name = `${draft.region?.name ?? ""}`.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return `${name || "submission"}-${draft.year ?? "draft"}.json`;
}

/** Save the draft as a JSON submission file, which `kla score` reads as it is. */
export function download(draft) {
  const name = fileName(draft);
  const blob = new Blob([`${JSON.stringify(draft, null, 2)}\n`], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}
