// Calls to the service's JSON API.  Every answer is {ok, status, data, problems, retryAfter}: a
// refusal carries the API's own {"problems": [{location, message}]}, shown to the user as written.

export async function call(method, path, body, signal, contentType = "application/json", headers = {}) {
  const init = { method, signal, headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = contentType;
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    return { ok: false, status: 0, data: null, problems: [] };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  const problems = response.ok ? [] : (data?.problems ?? []);
  const retryAfter = Number(response.headers.get("Retry-After")) || 0;
  return { ok: response.ok, status: response.status, data, problems, retryAfter };
}

// An uploaded file is sent as what it is: the service refuses text/plain, which a page on
// another site could send without asking.
function fileType(name) {
  return /\.json$/i.test(name ?? "") ? "application/json" : "application/yaml";
}

function query(params) {
  const kept = Object.entries(params).filter(([, value]) => value);
  return kept.length ? `?${new URLSearchParams(kept)}` : "";
}

export const api = {
  rulesets: () => call("GET", "/rulesets"),
  ruleKinds: () => call("GET", "/rule-kinds"),
  ruleset: (id) => call("GET", `/rulesets/${encodeURIComponent(id)}`),
  example: () => call("GET", "/page/example"),
  readFile: (text, name) =>
    call("POST", `/page/submission${query({ name })}`, text, undefined, fileType(name)),
  validate: (submission, ruleset, signal) =>
    call("POST", `/validate${query({ ruleset })}`, submission, signal),
  score: (submission, ruleset, stage, signal) =>
    call("POST", `/score${query({ ruleset, stage })}`, submission, signal),
  explain: (submission, ruleset, stage, lang) =>
    call("POST", `/explain${query({ ruleset, stage, lang })}`, submission),
  exampleAssignment: () => call("GET", "/page/example-assignment"),
  readAssignment: (text, name) =>
    call("POST", `/page/assignment${query({ name })}`, text, undefined, fileType(name)),
  tasks: (submission, assignment, ruleset, stage, target) =>
    call("POST", `/tasks${query({ ruleset, stage, target })}`, { submission, assignment }),
  plan: (submission, ruleset, stage, target) =>
    call("POST", `/plan${query({ ruleset, stage, target })}`, { submission }),
};
