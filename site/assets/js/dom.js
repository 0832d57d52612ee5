// dom.js — the one DOM helper the widgets share.

/** el("p", {class: "x"}, "text") makes an element with attributes and, optionally, its text. */
export function el(tag, attrs, text) {
  const e = document.createElement(tag);
  if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** uid("pg-msg") → "pg-msg-k3j9x2a": an id for an element the markup did not name. */
export const uid = (prefix) => prefix + "-" + Math.random().toString(36).slice(2, 9);

/** typing(e) is true when a key event is meant for a field, an editor or a tab list, not the page's shortcuts. */
export function typing(e) {
  const x = e.target;
  return !!(x && x.closest && x.closest("input, textarea, select, [contenteditable], .cm-editor, [role=tablist], dialog"));
}
