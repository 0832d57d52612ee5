// editor.js — edit and run in a playground (docs/architecture.md, "Edit and run"). Each
// .pg-source becomes a CodeMirror editor on intent (editor-loader.js), with Reset per source and
// Share for the edits (edits.js: kept in localStorage, shared as #edit=…). Edited code runs
// compiled or interpreted (compile.js); unedited code runs the precompiled wasm.
//
// A playground with a Python pair (python.js) has two more sources, "py-sync" and
// "py-concurrent" (.pg-py-source): CodeMirror in Python mode on intent, kept, shared, reset and
// undone exactly like the Go ones (in the same localStorage entry and #edit= object, under those
// keys); Run Python runs their text as it is (pyText below: Pyodide runs source, no compile).
//
//   setup(sec, shared) → the `source` option for playground.hydrate (see playground.js), or
//                        null when the section has no sources; shared: Promise of the #edit= edit
//   instance(sec)      → {sync, concurrent, "py-sync"?, "py-concurrent"?}: per source
//                        {editor (once loaded), text, original}
//
// Keyboard: in an editor Tab indents; press Escape, then Tab, to move on. Format (per source,
// beside Reset) rewrites the code as gofmt does; where edits are interpreted a note says what
// still differs from Go (docs/arch/interp.md).
import { t } from "./i18n.js";
import { el, uid } from "./dom.js";
import { stored, store, shareLink } from "./edits.js";
import { searchFor } from "./params.js";
import { instance as playgroundOf } from "./playground.js";
import { prepare, pendingText, engineText, interpreterErrors, format, interpretsEdits } from "./compile.js";
import { load, editOnIntent } from "./editor-loader.js";
import { showErrors } from "./errors.js";

const VARIANTS = ["sync", "concurrent"];
// the Python pair's sources, by key: the Python variant and the strings that name them
const PY = {
  "py-sync": { variant: "sync", label: "pySyncSource", edit: "pySyncEdit", reset: "pyResetSync" },
  "py-concurrent": { variant: "concurrent", label: "pyConcSource", edit: "pyConcEdit", reset: "pyResetConc" },
};
const KEYS = [...VARIANTS, ...Object.keys(PY)];
const instances = new WeakMap();

/** instance(sec) → the section's sources ({sync, concurrent}), or null. */
export const instance = (sec) => instances.get(sec) || null;

const label = { sync: "syncSource", concurrent: "concurrentSource" };
const editLabel = { sync: "syncSourceEdit", concurrent: "concurrentSourceEdit" };
const resetLabel = { sync: "resetSync", concurrent: "resetConcurrent" };
const formatLabel = { sync: "formatSync", concurrent: "formatConcurrent" };

/** setup makes the playground section's sources editable (see the top of this file). */
export function setup(sec, shared) {
  if (instances.has(sec)) return null;
  const example = sec.dataset.example || "";
  const srcs = {};
  for (const v of VARIANTS) {
    const box = sec.querySelector(".pg-source[data-variant=" + v + "]");
    const code = box && (box.querySelector("pre code") || box.querySelector("pre"));
    if (box && code) srcs[v] = { box, original: code.textContent, pre: code.closest("pre") || code, editor: null, text: null, reset: null, errors: null };
  }
  if (!Object.keys(srcs).length) return null;
  for (const k in PY) {
    const box = sec.querySelector(".pg-py-source[data-variant=" + PY[k].variant + "]");
    const code = box && (box.querySelector("pre code") || box.querySelector("pre"));
    if (box && code) srcs[k] = { box, original: code.textContent, pre: code.closest("pre") || code, editor: null, text: null, reset: null, errors: null, py: PY[k] };
  }
  instances.set(sec, srcs);

  const bar = el("div", { class: "pg-edit-bar" });
  const share = el("button", { type: "button", "data-action": "share-edit" }, t("share"));
  const status = el("p", { class: "pg-edit-status", role: "status" });
  const linkBox = el("input", { class: "pg-share-link", type: "text", readonly: "", hidden: "", "aria-label": t("copyBelow") });
  const help = el("p", { class: "pg-editor-help", id: uid("pg-keys") }, t("editHint"));
  bar.append(share, status, linkBox, help);
  const lastBox = srcs.concurrent ? srcs.concurrent.box : srcs.sync.box;
  (lastBox.closest(".pg-sources") || lastBox).insertAdjacentElement("afterend", bar);

  const isEdited = (v) => !!srcs[v] && srcs[v].text != null && srcs[v].text !== srcs[v].original;
  // every edited source, Go's and Python's (what is shared); goEdited: the Go ones (what compiles)
  const editedVariants = () => KEYS.filter(isEdited);
  const goEdited = () => VARIANTS.filter(isEdited);
  function refresh() {
    const ed = editedVariants();
    if (ed.length) sec.dataset.edited = ed.join(" "); else delete sec.dataset.edited;
    for (const v in srcs) {
      srcs[v].box.toggleAttribute("data-edited", isEdited(v));
      if (srcs[v].reset) srcs[v].reset.disabled = !isEdited(v);
    }
  }
  const sayEdited = () => { status.textContent = editedVariants().length ? t("edited") : ""; };
  const errorsOf = (v, errs) => { const s = srcs[v]; if (s && s.errors) showErrors(s.errors, s.editor, errs, t("compileErrors")); };
  // a stored or shared Python edit shows open: the code Run Python runs is on screen
  const showPython = () => { const d = sec.querySelector("details.pg-python"); if (d) d.open = true; };

  // Reset discards edits at once but offers to bring them back (button[data-action=undo-reset]),
  // until the next edit or reset
  const undo = el("button", { type: "button", "data-action": "undo-reset", hidden: "" }, t("undoReset"));
  bar.insertBefore(undo, status.nextSibling);
  function offerUndo(v, before) {
    if (before == null) return;
    const s = srcs[v];
    undo.hidden = false;
    status.textContent = t("codeWasReset");
    undo.onclick = () => {
      undo.hidden = true;
      s.editor.setDoc(before);
      s.text = before;
      store(example, v, before);
      refresh();
      sayEdited();
      s.editor.focus();
    };
  }

  // What still differs when edited code is interpreted (shown while it is).
  const interpNote = el("p", { class: "pg-interp-note", hidden: "" }, t("interpNote"));
  bar.append(interpNote);
  const sayInterpreted = () => { interpNote.hidden = !interpretsEdits(); };

  async function formatSource(v) {
    const s = srcs[v];
    const text = s.editor.getDoc();
    s.format.disabled = true;
    s.format.setAttribute("aria-busy", "true");
    status.textContent = t("formatting");
    let r;
    try { r = await format(text); } catch (e) { r = { message: t("runFailed", { msg: e.message }) }; }
    s.format.disabled = false;
    s.format.removeAttribute("aria-busy");
    if (r.errors && r.errors.length) { errorsOf(v, r.errors); status.textContent = t("formatErrors"); return; }
    if (r.source == null) { status.textContent = r.message || t("formatFailed"); return; }
    errorsOf(v, []);
    if (s.editor.getDoc() !== text) { status.textContent = t("formatStale"); return; }
    if (r.source === text) { status.textContent = t("alreadyFormatted"); return; }
    s.editor.setDoc(r.source);
    status.textContent = t("formatted");
  }

  // The Go pair and the Python pair turn into editors separately (a press on one pair's source
  // leaves the other pair as page text): start("go") or start("py").
  const started = {};
  const group = (v) => (srcs[v].py ? "py" : "go");
  function start(g) {
    if (started[g]) return started[g];
    started[g] = load().then((cm) => {
      for (const v in srcs) {
        const s = srcs[v];
        if (group(v) !== g || s.editor) continue;
        const py = s.py;
        const host = py
          ? el("div", { class: "pg-editor", "data-engine": "python", "data-variant": py.variant })
          : el("div", { class: "pg-editor", "data-variant": v });
        s.reset = py
          ? el("button", { type: "button", class: "pg-reset", "data-action": "reset-python", "data-variant": py.variant, "aria-label": t(py.reset) }, t("resetShort"))
          : el("button", { type: "button", class: "pg-reset", "data-action": "reset-source", "data-variant": v, "aria-label": t(resetLabel[v]) }, t("resetShort"));
        if (!py) s.errors = el("div", { class: "pg-compile-errors", "data-variant": v, role: "alert", hidden: "" });
        // Reset sits on the file-name line above the source when there is one.
        const fileLine = s.box.parentElement && s.box.parentElement.querySelector(".pg-file");
        if (fileLine) fileLine.append(" ", s.reset);
        else s.box.insertAdjacentElement("beforebegin", s.reset);
        s.pre.hidden = true;
        s.pre.insertAdjacentElement("afterend", host);
        if (s.errors) host.insertAdjacentElement("afterend", s.errors);
        let timer = 0;
        s.editor = cm.create(host, {
          doc: s.text != null ? s.text : s.original,
          label: t(py ? py.label : label[v]),
          lang: py ? "python" : undefined,
          onChange(text) {
            s.text = text;
            const pgi = playgroundOf(sec);
            if (pgi && !py) pgi.markStale(); // the Go panels show the earlier code's results
            undo.hidden = true;
            refresh();
            sayEdited();
            clearTimeout(timer);
            timer = setTimeout(() => store(example, v, isEdited(v) ? text : null), 250);
          },
        });
        s.editor.view.contentDOM.setAttribute("aria-describedby", help.id);
        help.textContent = t("editorKeys");
        if (!py) {
          // Format (gofmt), beside Reset: in the interpreter's wasm or the compile endpoint (compile.js).
          s.format = el("button", { type: "button", class: "pg-format", "data-action": "format-source", "data-variant": v, "aria-label": t(formatLabel[v]) }, t("format"));
          s.reset.insertAdjacentElement("afterend", s.format);
          s.reset.insertAdjacentText("afterend", " ");
          s.format.addEventListener("click", () => formatSource(v));
        }
        s.reset.addEventListener("click", () => {
          const before = s.text;
          s.editor.setDoc(s.original);
          s.text = null;
          store(example, v, null);
          errorsOf(v, []);
          refresh();
          sayEdited();
          offerUndo(v, before);
        });
      }
      refresh();
      sayInterpreted();
    });
    started[g].catch((e) => { started[g] = null; console.warn("editor:", e.message); });
    return started[g];
  }

  // stored or shared edits load the editor at once
  shared.then((edit) => {
    const mine = edit && edit.example === example;
    for (const v in srcs) {
      const fromShare = mine && typeof edit[v] === "string" ? edit[v] : null;
      const text = fromShare != null ? fromShare : stored(example, v);
      if (text != null && text !== srcs[v].original) {
        srcs[v].text = text;
        if (fromShare != null) store(example, v, text);
      }
    }
    if (editedVariants().length) {
      if (goEdited().length) start("go");
      if (editedVariants().some((v) => srcs[v].py)) { start("py"); showPython(); }
      status.textContent = mine ? t("loadedShared") : t("edited");
      // a shared link opens at the playground it is about (a page may have several)
      if (mine) sec.scrollIntoView({ block: "start" });
    }
    refresh();
  });

  // Until a learner means to edit (a pointer on a source, Enter on it) the source stays the
  // highlighted page text, and a reader who only reads and runs never downloads the editor.
  for (const v in srcs) {
    const s = srcs[v];
    s.pre.setAttribute("aria-describedby", help.id);
    editOnIntent(s.pre, t(s.py ? s.py.edit : editLabel[v]), () => start(group(v)), () => s.editor);
  }

  share.addEventListener("click", async () => {
    const ed = editedVariants();
    if (!ed.length) { status.textContent = t("nothingEdited"); return; }
    const obj = { example };
    for (const v of ed) obj[v] = srcs[v].text;
    let url;
    // the link carries this playground's parameters (?pg=…), not another one's
    const pgi = playgroundOf(sec);
    const vals = pgi ? pgi.readParams() : null;
    try { url = await shareLink(obj, searchFor(sec, vals)); } catch (e) { status.textContent = t("runFailed", { msg: e.message }); return; }
    history.replaceState(history.state, "", url);
    let ok = false;
    try { await navigator.clipboard.writeText(url); ok = true; } catch (e) { ok = false; }
    status.textContent = ok ? t("copied") : t("copyBelow");
    linkBox.value = url;
    linkBox.hidden = ok;
    if (!ok) linkBox.select();
    sec.dataset.shared = url;
  });

  // the playground's `source` option: edited variants run this code
  return {
    edited: isEdited,
    anyEdited: () => goEdited().length > 0,
    /** pyText(variant) → the Python source Run Python runs for variant, edited or not, or null */
    pyText: (v) => { const s = srcs["py-" + v]; return s ? (s.text != null ? s.text : s.original) : null; },
    prepare: (v, opts) => prepare(srcs[v].text, opts),
    pendingText,
    engineText,
    showErrors: errorsOf,
    onResult(v, prepared, r) {
      sayInterpreted();
      if (prepared.engine !== "interpreted" || r.status !== "error" || r.code !== 1) return;
      const errs = interpreterErrors(r.lines);
      if (errs.length) errorsOf(v, errs);
    },
  };
}
