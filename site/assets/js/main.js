// main.js — the page's entry module (<script type=module>): every feature, composed in order.
// When it is done, <html data-scripts="ready"> (tests wait for it).
import * as theme from "./theme.js";
import * as page from "./page.js";
import * as offline from "./offline.js";
import * as progress from "./progress.js";
import * as tabs from "./tabs.js";
import * as playground from "./playground.js";
import * as editor from "./editor.js";
import * as exercise from "./exercise.js";
import * as challenge from "./challenge.js";
import { sharedFromHash } from "./edits.js";
import * as reading from "./reading.js";
import * as present from "./present.js"; // classroom: presenter mode, keys (docs/arch/classroom.md)
import * as follow from "./follow.js"; // classroom: follow the teacher

theme.init();
page.init();
offline.register();
progress.init();

const shared = sharedFromHash();
for (const sec of document.querySelectorAll("section.playground")) {
  tabs.sourceTabs(sec);
  playground.hydrate(sec, { source: editor.setup(sec, shared) });
}
for (const list of document.querySelectorAll("[role=tablist]")) tabs.wire(list);
for (const sec of document.querySelectorAll("section.exercise")) exercise.hydrate(sec);
for (const sec of document.querySelectorAll("section.challenge")) challenge.setup(sec);
reading.init(); // learner: checklists, tables on phones, Copy on code
present.init();
follow.init();

shared.finally(() => {
  page.land(); // learner: after hydration, land on the #fragment's element again
  document.documentElement.dataset.scripts = "ready";
});
