// output.js — a program's output in a <pre>: lines appended in blocks, stderr as
// <span class="stderr">, the worker's notices muted, and the view following the end unless the
// reader scrolled up.
import { el } from "./dom.js";

/**
 * stream(pre) → {push(line), flush(), clear(), pending()}: push queues a line ({fd, text,
 * notice?}); flush writes the queued lines (call it once per frame).
 */
export function stream(pre) {
  let queued = [];
  let stick = true;
  pre.addEventListener("scroll", () => { stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8; }, { passive: true });
  function flush() {
    if (!queued.length) return;
    // consecutive stdout lines become one text node, and each flush one block (.pg-chunk, with
    // content-visibility:auto) so appending never lays out the earlier output again
    const chunk = el("span", { class: "pg-chunk" });
    let text = "";
    for (const l of queued) {
      if (l.fd === 2) {
        if (text) { chunk.append(text); text = ""; }
        chunk.append(el("span", { class: l.notice ? "stderr notice" : "stderr" }, l.text + "\n"));
      } else text += l.text + "\n";
    }
    if (text) chunk.append(text);
    queued = [];
    // the chunk before the previous one may now skip rendering while off-screen (its size is
    // remembered through contain-intrinsic-size: auto); the newest two always render, so
    // scrolling to the end reaches the real end
    const prev = pre.lastElementChild && pre.lastElementChild.previousElementSibling;
    if (prev && prev.classList.contains("pg-chunk")) prev.classList.add("old");
    pre.append(chunk);
    // follow the output unless the reader scrolled up, writing scrollTop without reading the
    // layout first
    if (stick) pre.scrollTop = 1e9;
  }
  return {
    push(line) { queued.push(line); },
    flush,
    clear() { queued = []; pre.textContent = ""; stick = true; },
    /** whether lines wait and nothing is shown yet (a run's first lines go out at once) */
    first: () => queued.length > 0 && !pre.firstChild,
  };
}

/** show(pre, lines) replaces pre's text with lines (stderr as <span class="stderr">). */
export function show(pre, lines) {
  pre.textContent = "";
  const frag = document.createDocumentFragment();
  for (const l of lines) frag.append(l.fd === 2 ? el("span", { class: "stderr" }, l.text + "\n") : l.text + "\n");
  pre.append(frag);
}
