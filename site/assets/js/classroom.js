// classroom.js — the part of the classroom features every page loads (docs/arch/classroom.md):
// the header's "?" button and the keys that start presenter mode (?, P, R), which import
// present.js on their first use (and at load for ?present); under workbook serve, follow.js when
// this tab follows the teacher (?follow, or sessionStorage unblocked.follow). Neither module is
// fetched by a page nobody presents or follows.
//
//   init(opts) → Promise, settled once ?present and following are set up; opts go to
//                present.js init ({playgroundOf})
import { config } from "./config.js";
import { el, typing } from "./dom.js";
import { t } from "./i18n.js";

let opts = {};
let loading = null;

/** present() → Promise of present.js, imported and initialised once. */
function present() {
  if (!loading) {
    loading = import("./present.js").then((m) => {
      document.removeEventListener("keydown", onKey); // present.js has the keys from now on
      m.init(opts);
      return m;
    }, (e) => { loading = null; throw e; });
  }
  return loading;
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || typing(e)) return;
  const k = e.key;
  if (k === "?") { e.preventDefault(); present().then((m) => m.showHelp()); }
  else if (k === "p" || k === "P") { e.preventDefault(); present().then((m) => (m.active() ? m.leave() : m.enter())); }
  else if (k === "r" || k === "R") present().then((m) => m.replay());
}

const following = () => {
  if (new URLSearchParams(location.search).has("follow")) return true;
  try { return sessionStorage.getItem("unblocked.follow") === "on"; } catch (e) { return false; }
};

/** init wires the "?" button and the keys, and loads what ?present or following needs. */
export function init(o = {}) {
  opts = o;
  const tools = document.querySelector(".header-tools");
  if (tools) {
    const b = el("button", { type: "button", class: "keys-open", "data-action": "keys", "aria-label": t("keys"), title: t("keysOpen") }, "?");
    b.addEventListener("click", () => present().then((m) => m.showHelp()));
    tools.append(b);
  }
  const wait = [];
  if (new URLSearchParams(location.search).has("present")) wait.push(present());
  else document.addEventListener("keydown", onKey);
  // a static host has no presenter to follow (follow.js says so too)
  if (config.compile && following()) wait.push(import("./follow.js").then((m) => m.init()));
  return Promise.all(wait).catch((e) => console.warn("classroom:", e && e.message));
}
