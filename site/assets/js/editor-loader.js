// editor-loader.js — the code editor: the CodeMirror bundle (site/editor, site-config.vendor
// ["codemirror.min.js"], about 100 KB, never part of a page's first load) imported when a
// learner means to edit, and the static source that turns into it on intent.
import { config } from "./config.js";

// The bundle's URL: the build's hashed vendor file.
const editorURL = (config.vendor && config.vendor["codemirror.min.js"]) || "";
let bundle = null;

/** load() → Promise of the bundle's module ({create, version}), imported once. */
export function load() {
  if (!editorURL) return Promise.reject(new Error("no editor bundle in site-config"));
  if (!bundle) {
    // every editor's content carries tabindex="0": contenteditable is focusable, but the explicit
    // attribute is what tells checkers (axe scrollable-region-focusable) that the scroller around
    // it has keyboard access, and keeps a read-only editor's content reachable from the keyboard
    bundle = import(editorURL).then((cm) => ({
      ...cm,
      create(host, opts) {
        const ed = cm.create(host, opts);
        const c = ed && ed.view && ed.view.contentDOM;
        if (c && !c.hasAttribute("tabindex")) c.setAttribute("tabindex", "0");
        return ed;
      },
    }));
    bundle.catch(() => { bundle = null; });
  }
  return bundle;
}

/**
 * create(host, {doc, label, onChange, readOnly}) → Promise of an editor in host:
 * {view, getDoc(), setDoc(text), setErrors([{line, col, msg}]), errorLines(), focus(), destroy()}.
 */
export const create = (host, opts) => load().then((cm) => cm.create(host, opts));

/**
 * editOnIntent makes the static source pre focusable (named label) and, on the first pointer
 * press on it or Enter while it has focus, calls start() (→ Promise) and moves focus into
 * editor(), with the caret where the learner pointed (or at the start, from the keyboard). Focus
 * alone does not start editing: in the editor Tab indents, so a keyboard user moving through the
 * page would otherwise be pulled in and change the code. One who has moved on while the editor
 * loaded keeps their place: focus moves only if it is still on the source.
 */
export function editOnIntent(pre, label, start, editor) {
  if (!pre.hasAttribute("tabindex")) pre.tabIndex = 0;
  pre.setAttribute("aria-label", label);
  pre.classList.add("pg-editable");
  let at = -1; // text offset of the pointer press
  const go = (pointer) => start().then(() => {
    const ed = editor();
    if (!ed || !(pointer || document.activeElement === pre || document.activeElement === document.body)) return;
    ed.focus();
    if (at >= 0 && at <= ed.view.state.doc.length) ed.view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
  });
  const onPointer = (e) => {
    at = textOffsetAt(pre, e.clientX, e.clientY);
    off();
    go(true);
  };
  const onKey = (e) => {
    if (e.key !== "Enter" || e.isComposing) return;
    e.preventDefault();
    off();
    go(false);
  };
  const off = () => { pre.removeEventListener("pointerdown", onPointer); pre.removeEventListener("keydown", onKey); };
  pre.addEventListener("pointerdown", onPointer);
  pre.addEventListener("keydown", onKey);
}

// textOffsetAt is the offset in root's text of the character at (x, y), or -1.
function textOffsetAt(root, x, y) {
  let node = null, offset = 0;
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y);
    if (p) { node = p.offsetNode; offset = p.offset; }
  } else if (document.caretRangeFromPoint) {
    const r = document.caretRangeFromPoint(x, y);
    if (r) { node = r.startContainer; offset = r.startOffset; }
  }
  if (!node || !root.contains(node)) return -1;
  const r = document.createRange();
  r.setStart(root, 0);
  r.setEnd(node, offset);
  return r.toString().length;
}
