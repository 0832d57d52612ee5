// reading.js — reading aids in a lesson's prose (issue 11):
//   checklists  a Markdown task list ("- [ ] …") outside the widgets becomes a real checklist:
//               each box enabled and labelled by its item's text, ticks saved per lesson in
//               localStorage "unblocked.checklist.v1" ({"<lesson>": {"<n>": true}}; n counts the
//               lesson's boxes in document order).
//   tables      a table of three or more columns is laid out as one card per row on a narrow
//               screen (CSS: .table-stack), each cell labelled with its column's heading, so no
//               column is off-screen on a phone; the roles keep it a table for screen readers.
//   code        every code block and playground source gets a Copy button
//               (button[data-action=copy-code]); a playground source copies the code as edited.
//               One wider than its box says so: data-more="left right" names the sides with code
//               out of sight (CSS draws an edge shadow there), since a phone hides scrollbars.
import { config } from "./config.js";
import { t } from "./i18n.js";
import { el } from "./dom.js";

const KEY = "unblocked.checklist.v1";

function readTicks() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || "{}");
    return v && typeof v === "object" ? v : {};
  } catch (e) { return {}; }
}

/** checklists makes the lesson's task lists tickable (see the top of this file). */
export function checklists(root = document) {
  const boxes = Array.from(root.querySelectorAll("main li input[type=checkbox]"))
    .filter((b) => !b.closest("section.exercise, section.challenge, section.playground"));
  const lesson = config.lesson || location.pathname;
  const saved = readTicks()[lesson] || {};
  boxes.forEach((box, n) => {
    box.disabled = false;
    box.removeAttribute("disabled");
    box.checked = !!saved[n];
    box.dataset.check = String(n);
    if (!box.id) box.id = "check-" + n;
    // the item's text (after the box) becomes the box's label
    if (!box.closest("label")) {
      const label = el("label", { for: box.id, class: "check-label" });
      while (box.nextSibling && !(box.nextSibling.nodeType === 1 && /^(UL|OL|P)$/.test(box.nextSibling.tagName))) label.append(box.nextSibling);
      box.insertAdjacentElement("afterend", label);
    }
    const li = box.closest("li");
    if (li) li.classList.add("check-item");
    if (li && li.parentElement) li.parentElement.classList.add("checklist");
    box.addEventListener("change", () => {
      const all = readTicks();
      const mine = all[lesson] || {};
      if (box.checked) mine[n] = true; else delete mine[n];
      if (Object.keys(mine).length) all[lesson] = mine; else delete all[lesson];
      try { localStorage.setItem(KEY, JSON.stringify(all)); } catch (e) { /* quota, private mode */ }
    });
  });
}

/** tables labels each cell of a wide table with its column, for the narrow-screen layout. */
export function tables(root = document) {
  for (const table of root.querySelectorAll("main .table-scroll > table")) {
    const heads = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    if (heads.length < 3) continue;
    table.classList.add("table-stack");
    // display: block (narrow screens) drops a table's implicit roles: keep them explicit
    table.setAttribute("role", "table");
    for (const part of table.querySelectorAll("thead, tbody")) part.setAttribute("role", "rowgroup");
    for (const tr of table.querySelectorAll("tr")) {
      tr.setAttribute("role", "row");
      Array.from(tr.children).forEach((c, i) => {
        c.setAttribute("role", c.tagName === "TH" ? "columnheader" : "cell");
        if (c.tagName === "TD") c.dataset.label = heads[i] || "";
      });
    }
  }
}

/** copyButtons puts a Copy button on every code block and playground source; sourcesOf(sec) is
 * editor.js's instance (the sources as edited), passed in by main.js on a page with playgrounds
 * so that reading.js does not import the editor on every page. */
export function copyButtons(sourcesOf = () => null, root = document) {
  for (const pre of root.querySelectorAll("main pre[tabindex]")) {
    if (pre.closest(".pg-output, .ex-output, .ch-output, .ch-editor")) continue;
    // a playground's source, Go's or the Python pair's (.pg-py-source: editor.js key py-<variant>)
    const source = pre.closest(".pg-source, .pg-py-source");
    let host = null;
    if (!source) {
      host = el("div", { class: "code-block" });
      pre.insertAdjacentElement("beforebegin", host);
      host.append(pre);
    }
    const name = pre.getAttribute("aria-label") || t("code");
    const status = el("span", { class: "code-copied", role: "status" });
    const b = el("button", { type: "button", class: "code-copy", "data-action": "copy-code", "aria-label": t("copyCodeOf", { name }) }, t("copyCode"));
    b.addEventListener("click", async () => {
      let text = pre.textContent;
      const sec = source && source.closest("section.playground");
      const srcs = sec && sourcesOf(sec);
      const v = source && (source.classList.contains("pg-py-source") ? "py-" : "") + source.dataset.variant;
      if (srcs && v && srcs[v]) text = srcs[v].editor ? srcs[v].editor.getDoc() : srcs[v].text != null ? srcs[v].text : text;
      let ok = false;
      try { await navigator.clipboard.writeText(text); ok = true; } catch (e) { ok = false; }
      if (!ok) { // no clipboard (insecure context, denied): select the text to copy by hand
        const r = document.createRange();
        r.selectNodeContents(pre);
        const s = getSelection();
        s.removeAllRanges();
        s.addRange(r);
      }
      status.textContent = t(ok ? "codeCopied" : "codeSelected");
      b.dataset.copied = String(ok);
      setTimeout(() => { status.textContent = ""; }, 4000);
    });
    if (source) { // a source: a row of its own above it (the editor takes the source's place)
      const row = el("div", { class: "code-tools" });
      row.append(status, b);
      source.insertAdjacentElement("beforebegin", row);
    } else {
      host.insertBefore(b, host.firstChild);
      host.insertBefore(status, b.nextSibling);
    }
  }
}

/** scrollHints marks each code block wider than its box with the sides that hold more code
 * (data-more, see the top of this file), and keeps the mark as it scrolls or resizes. */
export function scrollHints(root = document) {
  const mark = (pre) => {
    const room = pre.scrollWidth - pre.clientWidth;
    const at = Math.abs(pre.scrollLeft); // negative in a right-to-left block
    const sides = [];
    if (room > 1 && at > 1) sides.push("left");
    if (room > 1 && at < room - 1) sides.push("right");
    if (sides.length) pre.dataset.more = sides.join(" "); else delete pre.dataset.more;
  };
  const pres = Array.from(root.querySelectorAll("main pre[tabindex]"))
    .filter((pre) => !pre.closest(".pg-output, .ex-output, .ch-output, .ch-editor"));
  const ro = typeof ResizeObserver === "function" ? new ResizeObserver((es) => es.forEach((e) => mark(e.target))) : null;
  for (const pre of pres) {
    mark(pre);
    pre.addEventListener("scroll", () => mark(pre), { passive: true });
    if (ro) ro.observe(pre);
  }
}

/** init sets up every reading aid on the page; opts.sourcesOf: see copyButtons. */
export function init(opts = {}) {
  checklists();
  tables();
  copyButtons(opts.sourcesOf);
  scrollHints();
}
