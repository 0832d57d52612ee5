// edits.js — learners' code edits: kept in localStorage "unblocked.edits.v1"
// ({"<example>": {"sync": "...", "concurrent": "...", "py-sync": "...", "py-concurrent": "..."},
// "challenge:<id>": {"sync": "..."}}; the py- keys are the Python pair's files) and shared in the
// URL fragment #edit=<deflate-raw, base64url JSON {example, sync?, concurrent?, py-sync?, py-concurrent?}>.

const KEY = "unblocked.edits.v1";

function readAll() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || "{}");
    return v && typeof v === "object" ? v : {};
  } catch (e) { return {}; }
}

/** stored(name, variant) → the stored text, or null. */
export function stored(name, variant) {
  const e = readAll()[name];
  return e && typeof e[variant] === "string" ? e[variant] : null;
}

/** store(name, variant, text) keeps text (null forgets it). */
export function store(name, variant, text) {
  const all = readAll();
  const e = all[name] || {};
  if (text == null) delete e[variant]; else e[variant] = text;
  if (Object.keys(e).length) all[name] = e; else delete all[name];
  try { localStorage.setItem(KEY, JSON.stringify(all)); } catch (err) { /* quota, private mode */ }
}

/** pack(obj) → base64url of the deflate-raw compressed JSON of obj. */
export async function pack(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const buf = new Uint8Array(await new Response(stream).arrayBuffer());
  let s = "";
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** unpack(text) is pack's inverse. */
export async function unpack(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return JSON.parse(await new Response(stream).text());
}

/**
 * shareLink(obj, search) → this page's URL carrying obj in #edit=, with search (the playground's
 * own "?pg=…&tasks=…", params.js searchFor) in place of the page's query when given.
 */
export async function shareLink(obj, search) {
  const q = search == null ? location.search : search;
  return location.origin + location.pathname + q + "#edit=" + (await pack(obj));
}

/** sharedFromHash() → Promise of the edit shared in this page's #edit= ({example, sync?, concurrent?, …}), or null. */
export function sharedFromHash() {
  const m = /^#edit=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m || typeof DecompressionStream === "undefined") return Promise.resolve(null);
  return unpack(m[1]).then((v) => (v && typeof v.example === "string" ? v : null), () => null);
}
