// Building elements without innerHTML: text from the ruleset, the API or the user is always
// set as text, never parsed as markup.

/** An element with attributes (`on*` functions become listeners) and children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace every child of `node`. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A safe id for an element from a ruleset id such as "K.1.2" (ids are [A-Za-z0-9._-]). */
export function idFor(prefix, id) {
  return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}
