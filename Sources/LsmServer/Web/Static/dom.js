// Building DOM nodes. Every string given here becomes text (textContent or an attribute value),
// never markup: there is no innerHTML anywhere in the UI.

/** h('button', {class: 'x', onclick: fn, 'aria-label': 'Close'}, 'text', childNode, [more]) */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      node.className = value;
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else if (name === "style") {
      for (const [key, val] of Object.entries(value)) node.style.setProperty(key, val);
    } else if (value === true) {
      node.setAttribute(name, "");
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A colour per member: distinct ones in the order people are first seen, then hues from the id. */
const palette = ["#c2410c", "#1d4ed8", "#15803d", "#a21caf", "#b91c1c", "#0e7490", "#6d28d9", "#a16207", "#be185d", "#047857"];
const assigned = new Map();
export function colourOf(id) {
  const key = String(id);
  if (!assigned.has(key)) {
    if (assigned.size < palette.length) {
      assigned.set(key, palette[assigned.size]);
    } else {
      let hash = 2166136261;
      for (const char of key) hash = Math.imul(hash ^ char.codePointAt(0), 16777619) >>> 0;
      assigned.set(key, `hsl(${hash % 360} 62% 40%)`);
    }
  }
  return assigned.get(key);
}

/** "Ada Lovelace" → "AL"; "bob" → "BO". */
export function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  if (words.length === 1) return [...words[0]].slice(0, 2).join("").toUpperCase();
  return ([...words[0]][0] + [...words[words.length - 1]][0]).toUpperCase();
}

export function avatar(id, name, extraClass = "") {
  return h("span", { class: `avatar ${extraClass}`, style: { "--who": colourOf(id) }, "aria-hidden": "true" }, initials(name));
}

/** "3 min ago", "yesterday", or a date. */
export function relativeTime(value) {
  const date = typeof value === "number" ? new Date(value) : new Date(String(value));
  if (Number.isNaN(date.getTime())) return "";
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 172800) return "yesterday";
  return date.toLocaleDateString();
}

export function clockTime(value) {
  const date = new Date(value);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** A short client id for idempotent writes. */
export function clientId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The emoji offered for reactions. */
export const reactionChoices = ["👍", "❤️", "🎉", "😄", "👀", "🚀"];
