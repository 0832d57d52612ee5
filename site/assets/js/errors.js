// errors.js — compile errors of edited code: a list under the code (an alert) and the lines
// marked in the editor.
import { el } from "./dom.js";
import { errorText } from "./compile.js";

/** showErrors fills box with errs (the first ten) under heading (optional) and marks them in editor; [] clears. */
export function showErrors(box, editor, errs, heading) {
  box.textContent = "";
  if (editor) editor.setErrors(errs);
  box.hidden = !errs.length;
  if (!errs.length) return;
  if (heading) box.append(el("p", null, heading));
  const ul = el("ul");
  for (const e of errs.slice(0, 10)) ul.append(el("li", { "data-line": String(e.line || 0) }, errorText(e)));
  box.append(ul);
}
