// follow.js — a learner follows the teacher (docs/arch/classroom.md). The join page's "Follow the
// teacher" link lands on the presenter's page with ?follow; from then on (sessionStorage
// unblocked.follow, this tab only) the page listens to B__workbook/follow and goes wherever the
// presenter goes: lesson, ?params (?pg=<id>&…, the same shape a learner's own links have) and
// #section. <html data-follow="on"> while following ("lost" while the stream is down); one click
// on "Stop following" ends it. Nothing is sent: the stream only listens.
import { config } from "./config.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";

const KEY = "unblocked.follow";
const root = document.documentElement;
let source = null;
let banner = null;

const store = {
  get: () => { try { return sessionStorage.getItem(KEY) === "on"; } catch (e) { return false; } },
  set: (on) => { try { if (on) sessionStorage.setItem(KEY, "on"); else { sessionStorage.removeItem(KEY); sessionStorage.removeItem(KEY + ".to"); } } catch (e) { /* private mode */ } },
  last: () => { try { return sessionStorage.getItem(KEY + ".to"); } catch (e) { return null; } },
  setLast: (u) => { try { sessionStorage.setItem(KEY + ".to", u); } catch (e) { /* private mode */ } },
};

/** init starts following when asked (?follow) or when this tab already follows. */
export function init() {
  if (!config.compile) return; // a static host has no presenter to follow
  const u = new URL(location.href);
  if (u.searchParams.has("follow")) {
    store.set(true);
    u.searchParams.delete("follow");
    history.replaceState(history.state, "", u.pathname + u.search + u.hash);
  }
  if (store.get()) start();
  // A browser keeps 6 connections per server over HTTP/1.1, and every open stream holds one: a
  // page going away (or into the back-forward cache) lets go of its stream at once.
  addEventListener("pagehide", () => { if (source) { source.close(); source = null; } });
  addEventListener("pageshow", (e) => { if (e.persisted && store.get()) { if (banner) banner.remove(); start(); } });
}

function start() {
  root.dataset.follow = "lost";
  banner = el("div", { class: "follow-banner", role: "region", "aria-label": t("joinFollow") });
  const text = el("p", { role: "status" }, t("followingLost"));
  const leave = el("button", { type: "button", "data-action": "leave-follow" }, t("leaveFollow"));
  leave.addEventListener("click", stop);
  banner.append(text, leave);
  document.body.prepend(banner);
  source = new EventSource(config.base + "__workbook/follow");
  source.addEventListener("open", () => { root.dataset.follow = "on"; text.textContent = t("following"); });
  source.addEventListener("error", () => { root.dataset.follow = "lost"; text.textContent = t("followingLost"); });
  source.addEventListener("move", (e) => {
    root.dataset.follow = "on";
    text.textContent = t("following");
    let to;
    try { to = new URL(JSON.parse(e.data).url, location.href); } catch (err) { return; }
    if (to.origin !== location.origin) return;
    if (to.pathname === location.pathname && to.search === location.search) {
      if (to.hash !== location.hash) {
        history.replaceState(history.state, "", to.pathname + to.search + to.hash);
        const target = to.hash && document.getElementById(decodeURIComponent(to.hash.slice(1)));
        if (target) target.scrollIntoView({ block: "start" });
      }
      return;
    }
    // another lesson or other ?params: the page loads with them. A page may rewrite its own
    // address as it reads its parameters; the move it came for is not taken again (no loop).
    if (store.last() === to.href) return;
    store.setLast(to.href);
    location.assign(to.href);
  });
}

/** stop leaves follow mode (one click). */
export function stop() {
  store.set(false);
  if (source) { source.close(); source = null; }
  delete root.dataset.follow;
  if (banner) {
    banner.textContent = "";
    banner.append(el("p", { role: "status" }, t("leftFollow")));
    setTimeout(() => { if (banner) { banner.remove(); banner = null; } }, 4000);
  }
}
