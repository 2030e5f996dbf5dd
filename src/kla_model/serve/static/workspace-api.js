// Calls to a shared workspace (docs/workspace.md, "HTTP API"), each with the link's token in
// the Authorization header: the token travels in the page's address only after "#", which a
// browser never sends to a server, and from there only to this service, in a header.

import { call } from "./api.js";

const JSON_TYPE = "application/json";

/** The workspace and token of a link's fragment (#workspace=…&token=…), or null. */
export function workspaceLink(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const id = params.get("workspace");
  const token = params.get("token");
  if (!id || !token || !/^[A-Za-z0-9_-]{1,100}$/.test(id) || !/^[A-Za-z0-9_-]{1,200}$/.test(token)) return null;
  return { id, token };
}

export function workspaceApi(link) {
  const base = `/workspaces/${encodeURIComponent(link.id)}`;
  const auth = { Authorization: `Bearer ${link.token}` };
  const get = (path) => call("GET", `${base}${path}`, undefined, undefined, JSON_TYPE, auth);
  const post = (path, body) => call("POST", `${base}${path}`, body, undefined, JSON_TYPE, auth);
  return {
    read: () => get(""),
    tasks: (stage) => get(stage ? `/tasks?stage=${encodeURIComponent(stage)}` : "/tasks"),
    change: (id, value, base) => post("/changes", { base, changes: [{ kind: "item", id, value }] }),
  };
}
