// main.js — the page's entry module (<script type=module>): every feature, composed in order.
// What every page needs is imported statically; a feature's module is imported (import()) only
// when the page has its sections, and what is needed only after a press (judge.js, scheduler.js,
// present.js, CodeMirror) by the feature on that press. The build preloads exactly the modules
// this page imports at load (site/build pageModules; docs/arch/modules.md). When every import is
// in and every section hydrated, <html data-scripts="ready"> (tests wait for it).
import * as theme from "./theme.js";
import * as page from "./page.js";
import * as offline from "./offline.js";
import * as progress from "./progress.js";
import * as tabs from "./tabs.js";
import { sharedFromHash } from "./edits.js";
import * as reading from "./reading.js";
import * as classroom from "./classroom.js"; // presenter mode's keys, following the teacher (docs/arch/classroom.md)

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
  page.land(); // learner: after hydration, land on the #fragment's element again
  document.documentElement.dataset.scripts = "ready";
});
