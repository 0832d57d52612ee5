// main.js — the page's entry module (<script type=module>): every feature, composed in order.
// What every page needs is imported statically; a feature's module is imported (import()) only
// when the page has its sections, and what is needed only after a press (judge.js, scheduler.js,
// present.js, CodeMirror) by the feature on that press. The build preloads exactly the modules
// this page imports at load (site/build pageModules; docs/arch/modules.md). When every import is
// in and every section hydrated, <html data-scripts="ready"> (tests wait for it); before that,
// from this module's first line, "loading".
import * as theme from "./theme.js";
import * as page from "./page.js";
import * as offline from "./offline.js";
import * as progress from "./progress.js";
import * as tabs from "./tabs.js";
import { sharedFromHash } from "./edits.js";
import * as reading from "./reading.js";
import * as classroom from "./classroom.js"; // presenter mode's keys, following the teacher (docs/arch/classroom.md)

// A press on a widget's button before its module is in (a quick click right after load, a slow
// phone) is held and pressed again once the widgets are hydrated, not lost: until then the
// button has no listener. The last press of each button counts.
const WIDGETS = "section.playground, section.exercise, section.challenge";
const held = new Set();
function hold(e) {
  const b = e.target instanceof Element ? e.target.closest("button[data-action], input[type=submit]") : null;
  if (!b || !b.closest(WIDGETS)) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  held.add(b);
}
document.addEventListener("click", hold, true);
document.documentElement.dataset.scripts = "loading"; // presses are held from here on

theme.init();
page.init();
offline.register();
progress.init();

const all = (sel) => Array.from(document.querySelectorAll(sel));
const playgrounds = all("section.playground");
const exercises = all("section.exercise");
const challenges = all("section.challenge");
const none = Promise.resolve(null);
// started together, so the page fetches them in parallel (they are preloaded anyway)
const mods = Promise.all([
  playgrounds.length ? import("./playground.js") : none,
  playgrounds.length ? import("./editor.js") : none,
  playgrounds.some((s) => s.querySelector("[data-action=run-python]")) ? import("./python.js") : none,
  exercises.length ? import("./exercise.js") : none,
  challenges.length ? import("./challenge.js") : none,
]);

const shared = sharedFromHash();
const hydrated = mods.then(([playground, editor, python, exercise, challenge]) => {
  for (const sec of playgrounds) {
    tabs.sourceTabs(sec);
    const py = python && sec.querySelector("[data-action=run-python]") ? python : null;
    playground.hydrate(sec, { source: editor.setup(sec, shared), python: py });
  }
  for (const list of document.querySelectorAll("[role=tablist]")) tabs.wire(list);
  for (const sec of exercises) exercise.hydrate(sec);
  for (const sec of challenges) challenge.setup(sec);
  reading.init({ sourcesOf: editor ? editor.instance : () => null }); // learner: checklists, tables on phones, Copy on code
  // presenter mode when ?present (its module), following when this tab follows
  return classroom.init({ playgroundOf: playground ? playground.instance : undefined });
});

Promise.all([hydrated, shared.catch(() => null)]).finally(() => {
  document.removeEventListener("click", hold, true);
  page.land(); // learner: after hydration, land on the #fragment's element again
  document.documentElement.dataset.scripts = "ready";
  for (const b of held) if (b.isConnected && !b.disabled) b.click();
  held.clear();
});
