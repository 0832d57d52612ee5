// The workbook's CodeMirror 6 bundle. Built by `npm run build` (see ../README.md) into
// site/assets/vendor/codemirror.min.js, which is committed; the site never runs npm.
//
// An ES module (site/assets/js/editor-loader.js imports it) exporting
// create(host, {doc, label, onChange, readOnly}) → editor:
//   editor.view            the EditorView
//   editor.getDoc()        current text
//   editor.setDoc(text)    replace the text (keeps undo history)
//   editor.setErrors([{line, col, msg}])   mark lines (1-based) as errors; [] clears
//   editor.focus(), editor.destroy()
//
// Keyboard: Tab / Shift-Tab indent and dedent. To leave the editor with the keyboard, press Escape
// and then Tab (or Shift-Tab) within two seconds; Ctrl-M (Shift-Alt-M on macOS) toggles
// "Tab moves focus" for as long as you like.
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, Decoration } from "@codemirror/view";
import { EditorState, StateEffect, StateField, RangeSetBuilder } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { indentOnInput, bracketMatching, syntaxHighlighting, indentUnit, LanguageSupport, HighlightStyle } from "@codemirror/language";
import { goLanguage } from "@codemirror/lang-go";
import { pythonLanguage } from "@codemirror/lang-python";
import { tags as t } from "@lezer/highlight";

const theme = EditorView.theme({
  "&": { color: "var(--ub-cm-fg)", backgroundColor: "var(--ub-cm-bg)", border: "1px solid var(--ub-cm-border)", borderRadius: "6px", fontSize: "0.875rem", maxHeight: "32rem" },
  "&.cm-focused": { outline: "2px solid var(--ub-cm-focus)", outlineOffset: "1px" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace", lineHeight: "1.5", overflow: "auto" },
  ".cm-content": { caretColor: "var(--ub-cm-cursor)", padding: "0.5rem 0" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--ub-cm-cursor)", borderLeftWidth: "2px" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": { backgroundColor: "var(--ub-cm-sel)" },
  ".cm-gutters": { backgroundColor: "var(--ub-cm-gutter-bg)", color: "var(--ub-cm-gutter)", borderRight: "1px solid var(--ub-cm-border)" },
  ".cm-activeLine": { backgroundColor: "var(--ub-cm-active)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--ub-cm-active)", color: "var(--ub-cm-fg)" },
  ".cm-matchingBracket": { outline: "1px solid var(--ub-cm-gutter)", backgroundColor: "transparent" },
  ".cm-ub-error-line": { backgroundColor: "var(--ub-cm-err-bg)", boxShadow: "inset 3px 0 0 var(--ub-cm-err)" },
  ".cm-ub-error-gutter": { color: "var(--ub-cm-err)", fontWeight: "bold" },
});

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: "var(--ub-cm-kw)" },
  { tag: [t.string, t.special(t.string), t.character], color: "var(--ub-cm-str)" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "var(--ub-cm-num)" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "var(--ub-cm-com)", fontStyle: "italic" },
  { tag: [t.typeName, t.standard(t.typeName)], color: "var(--ub-cm-type)" },
  { tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.function(t.propertyName)], color: "var(--ub-cm-fn)" },
  { tag: [t.operator, t.punctuation], color: "var(--ub-cm-op)" },
]);

// Error lines: a StateField of line decorations, replaced by setErrors.
const setErrorsEffect = StateEffect.define();
const errorField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setErrorsEffect)) continue;
      const b = new RangeSetBuilder();
      const lines = [...new Set(e.value.map((x) => x.line).filter((n) => n >= 1 && n <= tr.state.doc.lines))].sort((a, b) => a - b);
      for (const n of lines) {
        const line = tr.state.doc.line(n);
        const msg = e.value.filter((x) => x.line === n).map((x) => x.msg).join("; ");
        b.add(line.from, line.from, Decoration.line({ class: "cm-ub-error-line", attributes: { title: msg, "data-error-line": String(n) } }));
      }
      deco = b.finish();
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function create(host, opts = {}) {
  // lang: "go" (default) or "python" (Run Python's files: four-space indents)
  const { doc = "", label = "source", onChange, readOnly = false, lang = "go" } = opts;
  const python = lang === "python";
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    new LanguageSupport(python ? pythonLanguage : goLanguage),
    syntaxHighlighting(highlight),
    indentUnit.of(python ? "    " : "\t"),
    EditorState.tabSize.of(4),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    theme,
    errorField,
    EditorView.contentAttributes.of({ "aria-label": label, spellcheck: "false", autocapitalize: "off", autocorrect: "off", translate: "no" }),
    EditorView.editorAttributes.of({ class: "ub-cm" }),
  ];
  if (readOnly) extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
  if (onChange) {
    extensions.push(EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }));
  }
  const view = new EditorView({ doc, extensions, parent: host });
  return {
    view,
    getDoc: () => view.state.doc.toString(),
    setDoc(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, effects: setErrorsEffect.of([]) });
    },
    setErrors(errors) {
      view.dispatch({ effects: setErrorsEffect.of(errors || []) });
      const first = (errors || []).find((e) => e.line >= 1 && e.line <= view.state.doc.lines);
      if (first) {
        const line = view.state.doc.line(first.line);
        const pos = Math.min(line.from + Math.max(0, (first.col || 1) - 1), line.to);
        view.dispatch({ effects: EditorView.scrollIntoView(pos, { y: "center" }) });
      }
    },
    errorLines: () => [...view.dom.querySelectorAll(".cm-ub-error-line")].map((el) => +el.dataset.errorLine),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

/** The bundle's interface version. */
export const version = 1;
