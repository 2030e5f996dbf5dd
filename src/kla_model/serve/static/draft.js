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

export function loadDraft() {
  const draft = read(KEY);
  return draft && typeof draft === "object" && !Array.isArray(draft) ? draft : null;
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
