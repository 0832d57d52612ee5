// i18n.js — the page's UI strings. The asset pipeline generates them from site/assets/i18n (Go;
// the templates read the same table), so no string is written twice: strings.js loads the table
// of one language (strings-<lang>.js, which the page preloads).
import { tables } from "./strings.js";
import { lang } from "./config.js";

const mine = (await (tables[lang] || tables.en)()).default;

/**
 * t("doneIn", {ms: "12", load: "3"}) is the text of key in the page's language (English where it
 * lacks one) with its {placeholders} filled; an unknown key shows as itself.
 */
export function t(key, args) {
  let s = mine[key];
  if (s === undefined) return key;
  if (args) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
  return s;
}

/** The page's locale for numbers. */
export const locale = lang === "zh" ? "zh-CN" : "en-US";

/** num(12345) → "12,345" in the page's locale. */
export const num = (n) => Number(n).toLocaleString(locale);

/** ms(12.6) → "13": milliseconds, rounded, in the page's locale. */
export const ms = (v) => Math.round(v).toLocaleString(locale);

/** variantWord("sync") → "sync" / "同步": the variant's name inside a sentence. */
export const variantWord = (v) => (v === "sync" ? t("syncWord") : v === "py-sync" ? t("pySyncWord") : v === "py-concurrent" ? t("pyConcWord") : t("concurrentWord"));
