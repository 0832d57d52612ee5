// judge.js — how a code challenge is judged (docs/arch/challenges.md). Pure: it reads a finished
// run and words nothing itself, so the timed tier runs it under Node against the real output of
// every challenge's start and solution programs (site/lessontest/challenges_timed_test.go), and
// challenge.js puts the words in the page's language.
//
//   judge(check, p, r, engine) → {pass, busy, line, parts: [{key, args}]}
//     check:  the directive's check= (CHECKS); p: {tasks, delay (ms), limit};
//     r:      runProgram's result ({status, elapsedMs, message, lines: [{fd, text, t}]});
//     engine: "compiled", "precompiled" or "interpreted".
//     parts:  the verdict as i18n keys with their arguments; durations are {ms: n} objects and
//             code are {code: "text"}, which the caller formats;
//     line:   the 1-based number, among the program's standard output lines, of the first wrong line;
//     busy:   the run shows the machine was busy (a task that sleeps d took much longer than d),
//             so a timing failure may be the machine's: the page offers to check again.
//
// Every check first checks what the program computed: every task started and finished, the
// result lines the challenge promises, in their order, none lost; then how long it took by the
// program's own clock (its summary line "… done in D" / "main returns after D"), less the start-up
// before its first task line (so neither the module's nor the program's setting up counts); a
// program that prints no summary is timed by the worker from its first output line to its exit. The goal is the work's least possible time plus a slack of one delay
// (two interpreted) plus a tolerance for late timers (50 ms + a tenth of the work's time), and the
// verdict states every number exactly.
import { TASK_LINE, parseDuration } from "./protocol.js";

// FANOUT_LIMIT is the fanout challenge's bound (its text in lessons/*/10-pitfalls.md says "at most 5").
const FANOUT_LIMIT = 5;

// The starve programs (wasm/starve/*/main.go): -delay sets ROUNDS_PER_MS rounds of work per ms,
// each round XORSHIFT_STEPS steps of xorshift64 (<<13, >>7, <<17) from the task's id; a heartbeat
// goroutine tries to print every BEAT_MS. The challenge allows no silence longer than
// SILENT_BEATS beats while the tasks compute.
const ROUNDS_PER_MS = 300, XORSHIFT_STEPS = 1000, BEAT_MS = 100, SILENT_BEATS = 3;

// The program's own elapsed time, from its last summary line.
const SUMMARY = /(?:\bdone in|\breturns after|\bconnections in) ([0-9][0-9.]*(?:ns|us|µs|μs|ms|s|m|h)(?:[0-9.]+(?:ns|us|µs|μs|ms|s|m|h))*)/;

const part = (key, args) => ({ key, args: args || {} });
const D = (ms) => ({ ms });
const C = (code) => ({ code });

/** read splits a run into what the checks look at. */
function read(r) {
  const out = r.lines.filter((l) => l.fd !== 2);
  const starts = new Map(), dones = new Map(), doneText = new Map();
  let dup = null;
  out.forEach((l, i) => {
    const m = TASK_LINE.exec(l.text);
    if (!m) return;
    const map = m[2] === "start" ? starts : dones;
    if (map.has(m[1])) { dup = dup || { id: m[1], kind: m[2], line: i + 1 }; return; }
    map.set(m[1], { t: l.t, line: i + 1 });
    if (m[2] === "done") doneText.set(m[1], { text: l.text.slice(m[0].length).replace(/^:\s*/, ""), line: i + 1 });
  });
  let own = NaN, ownT = NaN;
  for (const l of out) {
    const m = SUMMARY.exec(l.text);
    if (m) { own = parseDuration(m[1]); ownT = l.t; }
  }
  let lo = Infinity, hi = -Infinity;
  for (const m of [starts, dones]) for (const v of m.values()) { lo = Math.min(lo, v.t); hi = Math.max(hi, v.t); }
  // Start-up: from the program's clock starting (its summary line's time less what it reports) to
  // its first task line. Setting up, not the work: a busy machine makes it long.
  let startup = 0, tail = 0;
  if (own >= 0 && lo < Infinity && ownT >= 0) {
    startup = Math.min(own, Math.max(0, lo - (ownT - own)));
    tail = Math.max(0, ownT - hi);
  }
  let elapsed = own - startup, clock = "own";
  if (!(own >= 0)) {
    const first = r.lines.length ? r.lines[0].t : 0;
    elapsed = Math.max(0, (r.elapsedMs || 0) - (first || 0));
    clock = "worker";
  } else if (hi - lo > own * 1.1 + 100) {
    // the summary cannot claim less than the worker saw between its task lines
    elapsed = hi - lo; clock = "lines"; startup = 0;
  }
  return { out, starts, dones, doneText, dup, elapsed, clock, startup, tail };
}

/** find finds the first output line (from index from) matching re → {i, m} or null. */
function find(out, re, from = 0) {
  for (let i = from; i < out.length; i++) {
    const m = re.exec(out[i].text);
    if (m) return { i, m };
  }
  return null;
}

const fail = (parts, line) => ({ pass: false, busy: false, line: line || 0, parts });
// a wrong line the machine's slowness explains (a quick task that missed its window): offer a re-run
const busyFail = (parts, line) => ({ pass: false, busy: true, line: line || 0, parts: [...parts, part("judgeBusy")] });

/** wrongLine words "line n should be …, but it is …" (or "… is missing"). */
function wrongLine(out, i, want) {
  if (i >= out.length) return fail([part("judgeMissingLine", { n: i + 1, want: C(want), last: C(out.length ? out[out.length - 1].text : "") })], i + 1);
  return fail([part("judgeWrongLine", { n: i + 1, want: C(want), got: C(out[i].text) })], i + 1);
}

/** allTasks checks that tasks 1..n each printed one start and one done line (start first). */
function allTasks(s, n) {
  if (s.dup) return fail([part("judgeTwice", { id: s.dup.id, kind: s.dup.kind, n: s.dup.line })], s.dup.line);
  for (let id = 1; id <= n; id++) {
    const st = s.starts.get(String(id)), dn = s.dones.get(String(id));
    if (!st) return fail([part("judgeNoStart", { id, tasks: n })]);
    if (!dn) return fail([part("judgeNoDone", { id, tasks: n, lines: s.out.length, last: C(s.out.length ? s.out[s.out.length - 1].text : "") })]);
    if (dn.line < st.line) return fail([part("judgeDoneFirst", { id, n: dn.line })], dn.line);
  }
  const extra = [...s.starts.keys()].find((id) => !(Number(id) >= 1 && Number(id) <= n && String(Number(id)) === id));
  if (extra) return fail([part("judgeExtraTask", { id: extra, tasks: n })], s.starts.get(extra).line);
  return null;
}

/** expectDone checks each task's done line against want(id) (the text after "task <id> done: "). */
function expectDone(s, n, want) {
  for (let id = 1; id <= n; id++) {
    const d = s.doneText.get(String(id));
    const w = want(id);
    if (d.text !== w) return wrongLine(s.out, d.line - 1, "task " + id + " done: " + w);
  }
  return null;
}

/** expectLine checks that the first line matching re is want; a missing one belongs after the task lines. */
function expectLine(s, re, want, from) {
  const at = find(s.out, re, from);
  if (!at) {
    // the line is missing: it belongs after the last task line (or at the end)
    let i = from || 0;
    for (const m of [s.starts, s.dones]) for (const v of m.values()) i = Math.max(i, v.line);
    return { err: wrongLine(s.out, i, want) };
  }
  if (at.m[0] !== want && s.out[at.i].text !== want) return { err: wrongLine(s.out, at.i, want) };
  return { at };
}

/**
 * summaryLine checks the line matching re (the last one matching it) has the numbers nums in its
 * groups; want words the line for the message. null when right.
 */
function summaryLine(s, re, nums, want) {
  let at = null;
  for (let i = 0; i < s.out.length; i++) {
    const m = re.exec(s.out[i].text);
    if (m) at = { i, m };
  }
  if (!at) return wrongLine(s.out, s.out.length, want);
  if (nums.some((n, k) => at.m[k + 1] !== String(n))) return wrongLine(s.out, at.i, want);
  return null;
}

/** overlap is the most tasks between their start and done lines at once. */
function overlap(s) {
  const ev = [];
  for (const [id, st] of s.starts) if (s.dones.has(id)) ev.push([st.t, 1], [s.dones.get(id).t, -1]);
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // a done before a start at the same time
  let cur = 0, most = 0;
  for (const e of ev) { cur += e[1]; most = Math.max(most, cur); }
  return most;
}

/**
 * lateness is how much longer than they should the tasks took (ms): nominal(id) is what a task's
 * start-to-done span is on an idle machine. min: the quickest task's; even a program that waits
 * wrongly has a task that did not wait for others, so a late quickest task means slow timers, a
 * busy machine. median: the usual overshoot, which piles up once per round of sequential work.
 */
function lateness(s, nominal) {
  const over = [];
  for (const [id, st] of s.starts) {
    const dn = s.dones.get(id);
    const want = nominal(Number(String(id).replace(/^.*-/, ""))); // "unbuffered-3" is task 3 of its round
    if (!dn || !(want >= 0)) continue;
    over.push(Math.max(0, dn.t - st.t - want));
  }
  if (!over.length) return { min: 0, median: 0 };
  over.sort((a, b) => a - b);
  return { min: over[0], median: over[(over.length - 1) >> 1] };
}

/**
 * timed judges the elapsed time against goal = (least + slack) × delay + tolerance, where least is
 * the work's least possible time in delays. what words what passed; nominal(id) is a task's span
 * on an idle machine (default delay); opts.sleepsAfter: the program waits after its last task on
 * purpose, so that wait is no sign of a busy machine.
 */
function timed(s, p, engine, least, what, nominal, opts) {
  const slack = engine === "interpreted" ? 2 : 1;
  const goalUnits = least + slack;
  // timers fire a little late, more so on a loaded machine and after many sleeps in a row
  const tol = 50 + 0.1 * least * p.delay;
  const goal = goalUnits * p.delay + tol;
  const drift = lateness(s, nominal || (() => p.delay));
  const late = drift.min;
  const threshold = Math.max(100, p.delay / 4);
  const tail = opts && opts.sleepsAfter ? 0 : s.tail; // leak sleeps a delay after its tasks, by design
  // slow timers inside the tasks, or slow work around them (starting up, printing the results)
  const busy = late > threshold || s.startup + tail > threshold;
  // Timers that fire late make every round of the work late: the usual overshoot this run measured
  // (its median task's), once per round of the least possible work, at most half a delay a round,
  // is the machine's, not the program's. A sequential program has more rounds than least, so it
  // still fails.
  const credit = Math.min(drift.median, p.delay / 2) * Math.max(1, least);
  const judged = s.elapsed - credit;
  const clock = s.clock === "own" && s.startup >= 1 ? "judgeOwnClockStartup" : { own: "judgeOwnClock", worker: "judgeWorkerClock", lines: "judgeLineClock" }[s.clock];
  const nums = { t: D(judged), ratio: p.delay > 0 ? (judged / p.delay).toFixed(2) : "0", delay: D(p.delay), goal: D(goal), units: goalUnits, least, tol: D(tol) };
  const parts = [];
  // a few ms of drift are forgiven without a word: the note would be noise
  const creditPart = credit >= 20 ? [part("judgeDriftCredit", { late: D(Math.min(drift.median, p.delay / 2)), rounds: Math.max(1, least), credit: D(credit), raw: D(s.elapsed) })] : [];
  if (judged > goal) {
    parts.push(part("judgeTooSlow", nums), part(clock, { startup: D(s.startup) }), ...creditPart);
    // as long as every task one after another: say so, it is the usual reason
    if (least < p.tasks && p.delay > 0 && s.elapsed >= 0.75 * p.tasks * p.delay && overlap(s) <= 1) parts.push(part("judgeSerial", { tasks: p.tasks }));
    if (busy) parts.push(part("judgeBusy"));
    return { pass: false, busy, line: 0, parts };
  }
  parts.push(part("judgePassedIn", nums), part(clock, { startup: D(s.startup) }), ...creditPart, ...(what || []));
  if (engine === "interpreted") parts.push(part("judgeInterpSlack", { slack }));
  return { pass: true, busy: false, line: 0, parts };
}

/** results checks rewrite's "result <i>: "ok page-<i>\n"" lines: all n, in input order. */
function results(s, n) {
  const first = find(s.out, /^result \d+:/);
  const from = first ? first.i : s.out.length;
  for (let i = 1; i <= n; i++) {
    const want = "result " + i + ": " + JSON.stringify("ok page-" + i + "\n");
    const idx = from + i - 1;
    if (idx >= s.out.length || s.out[idx].text !== want) return wrongLine(s.out, idx, want);
  }
  return null;
}

const ceil = Math.ceil;

// --- starve: what each task must compute, without computing it ---------------------------------
// A xorshift step is linear over GF(2): the 64-bit state times a 64×64 bit matrix. So k steps are
// that matrix to the power k, which takes about 60 matrix products by squaring (milliseconds)
// where the loop itself is k = delay × 300,000 steps (half a second of a laptop's browser).
// A 64-bit word is [hi, lo] (two uint32); a linear map is the images of the 64 unit vectors, bit i
// of lo first. Plain 32-bit integers: BigInt took 100 ms for the same, too long on a phone.
const shl = ([h, l], n) => [((h << n) | (l >>> (32 - n))) >>> 0, (l << n) >>> 0];
const shr = ([h, l], n) => [h >>> n, ((l >>> n) | (h << (32 - n))) >>> 0];
const xor = (a, b) => [(a[0] ^ b[0]) >>> 0, (a[1] ^ b[1]) >>> 0];
const step = (x) => { x = xor(x, shl(x, 13)); x = xor(x, shr(x, 7)); return xor(x, shl(x, 17)); };
const unit = (i) => (i < 32 ? [0, (1 << i) >>> 0] : [(1 << (i - 32)) >>> 0, 0]);
function apply(m, [h, l]) { // m·v
  let rh = 0, rl = 0;
  for (let i = 0; i < 32; i++) if ((l >>> i) & 1) { rh ^= m[i][0]; rl ^= m[i][1]; }
  for (let i = 0; i < 32; i++) if ((h >>> i) & 1) { rh ^= m[32 + i][0]; rl ^= m[32 + i][1]; }
  return [rh >>> 0, rl >>> 0];
}
const compose = (a, b) => b.map((c) => apply(a, c)); // a after b
const steps = new Map(); // k → the map of k steps
function stepsMap(k) {
  if (steps.has(k)) return steps.get(k);
  let m = Array.from({ length: 64 }, (_, i) => step(unit(i)));
  let r = Array.from({ length: 64 }, (_, i) => unit(i));
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2) r = compose(m, r);
    if (e > 1) m = compose(m, m);
  }
  steps.set(k, r);
  return r;
}
/** starveResult is what task id prints for -delay delayMs: work(delayMs × 300, id), as %016x. */
export function starveResult(delayMs, id) {
  const k = Math.floor(delayMs) * ROUNDS_PER_MS * XORSHIFT_STEPS;
  const [h, l] = apply(stepsMap(k), [Math.floor(id / 2 ** 32) >>> 0, id >>> 0]);
  return h.toString(16).padStart(8, "0") + l.toString(16).padStart(8, "0");
}

/**
 * beat judges the heartbeat while the tasks compute, from the first task's start line to the last
 * one's done line, by the times the lines were written: no silence longer than SILENT_BEATS beats,
 * and at least half the beats due in that span. Ratios of one run's own times: how fast the
 * machine computes changes the span, not the verdict.
 */
function beat(s, p) {
  let from = Infinity, to = -Infinity;
  for (const v of s.starts.values()) from = Math.min(from, v.t);
  for (const v of s.dones.values()) to = Math.max(to, v.t);
  const span = to - from, max = SILENT_BEATS * BEAT_MS;
  if (!(span > max)) return fail([part("judgeTooQuick", { span: D(span), n: SILENT_BEATS })]);
  const beats = s.out.filter((l) => /^heartbeat at /.test(l.text) && l.t > from && l.t < to).map((l) => l.t);
  let gap = 0, at = from;
  for (const t of [...beats, to]) { gap = Math.max(gap, t - at); at = t; }
  const due = Math.floor(span / BEAT_MS);
  const nums = { gap: D(gap), ratio: (gap / BEAT_MS).toFixed(2), period: D(BEAT_MS), max: D(max), n: SILENT_BEATS, got: beats.length, due, span: D(span), tasks: p.tasks };
  if (gap > max) {
    // the heartbeat beat most of the time, but fell silent once: a machine that stalled the run
    const busy = beats.length >= due / 2;
    return { pass: false, busy, line: 0, parts: [part("judgeStarved", nums), ...(busy ? [part("judgeBusy")] : [])] };
  }
  if (beats.length < due / 2) return fail([part("judgeFewBeats", nums)]);
  return { pass: true, busy: false, line: 0, parts: [part("judgeKeptBeat", nums)] };
}

/** The checks, by the directive's check= (model.ChallengeChecks lists the same names). */
export const CHECKS = {
  // rewrite, step 1: all pages, results in input order, about one delay
  concurrent(s, p, engine) {
    return allTasks(s, p.tasks) || results(s, p.tasks) ||
      timed(s, p, engine, 1, [part("judgeResultsInOrder", { tasks: p.tasks })]);
  },
  // rewrite, step 2: as concurrent, never more than limit at once, ⌈tasks / limit⌉ rounds
  bounded(s, p, engine) {
    const e = allTasks(s, p.tasks) || results(s, p.tasks);
    if (e) return e;
    const most = overlap(s);
    if (most <= 1) return fail([part("judgeOne")]);
    if (most > p.limit) return fail([part("judgeOver", { n: most, limit: p.limit })]);
    return timed(s, p, engine, ceil(p.tasks / p.limit), [part("judgeResultsInOrder", { tasks: p.tasks }), part("judgeBounded", { n: most, limit: p.limit })]);
  },
  // forgetwait: every task finishes before main's last line, in about one delay
  wait(s, p, engine) {
    const e = allTasks(s, p.tasks);
    if (e) return e;
    const last = s.out.length - 1;
    if (last < 0 || !/^main returns after /.test(s.out[last].text)) return wrongLine(s.out, last + 1, "main returns after …");
    return timed(s, p, engine, 1, [part("judgeAllDone", { tasks: p.tasks })]);
  },
  // fanout: every page 200 OK, none refused, at most FANOUT_LIMIT at once, ⌈tasks / that⌉ rounds
  fanout(s, p, engine) {
    const e = allTasks(s, p.tasks) || expectDone(s, p.tasks, () => "200 OK");
    if (e) return e;
    const sum = expectLine(s, /^\d+ ok, \d+ refused by the server$/, p.tasks + " ok, 0 refused by the server");
    if (sum.err) return sum.err;
    const most = overlap(s);
    if (most > FANOUT_LIMIT) return fail([part("judgeOver", { n: most, limit: FANOUT_LIMIT })]);
    if (most <= 1) return fail([part("judgeOne")]);
    return timed(s, p, engine, ceil(p.tasks / most), [part("judgeAllOK", { tasks: p.tasks }), part("judgeBounded", { n: most, limit: FANOUT_LIMIT })]);
  },
  // leak: both rounds take the fast half of the results and leave no goroutine stuck
  leak(s, p, engine) {
    const fast = ceil(p.tasks / 2);
    for (const name of ["unbuffered", "buffered"]) {
      const re = new RegExp("^" + name + ": (\\d+) of (\\d+) results; goroutines stuck: (\\d+)");
      const want = name + ": " + fast + " of " + p.tasks + " results; goroutines stuck: 0";
      const at = find(s.out, re);
      if (!at) return wrongLine(s.out, s.out.length, want + " …");
      // a task of this round still working when the round counted (its done line comes after):
      // a delay is long past by then, so the machine was busy, and stuck counts it
      const late = s.out.slice(at.i + 1).filter((l) => new RegExp("^task " + name + "-\\d+ done").test(l.text)).length;
      if (late > 0 && (at.m[3] !== "0" || Number(at.m[1]) < fast)) {
        const w = wrongLine(s.out, at.i, want + " …");
        return busyFail([...w.parts, part("judgeLateTasks", { n: late })], at.i + 1);
      }
      if (at.m[2] !== String(p.tasks) || at.m[3] !== "0" || Number(at.m[1]) > fast) return wrongLine(s.out, at.i, want + " …");
      // fewer quick results, nothing stuck: the quick tasks (a fifth of delay) missed the window of
      // half a delay, which only a busy machine does
      if (Number(at.m[1]) < fast) {
        const w = wrongLine(s.out, at.i, want + " …");
        return busyFail([...w.parts, part("judgeLateQuick", { fast, window: D(p.delay / 2) })], at.i + 1);
      }
    }
    // fast tasks take a fifth of delay, slow ones delay
    return timed(s, p, engine, 3, [part("judgeNoLeak")], (id) => (id % 2 === 1 ? p.delay / 5 : p.delay), { sleepsAfter: true });
  },
  // timeout: every third page (3 × delay) times out at 2 × delay, the rest are ok
  timeout(s, p, engine) {
    const e = allTasks(s, p.tasks) || expectDone(s, p.tasks, (id) => (id % 3 === 0 ? "timed out" : "ok"));
    if (e) {
      // a normal page (one delay) that timed out only after the whole timeout: the machine was slow
      const id = e.line ? Number((TASK_LINE.exec(s.out[e.line - 1].text) || [])[1]) : NaN;
      const st = s.starts.get(String(id)), dn = s.dones.get(String(id));
      if (id % 3 !== 0 && st && dn && / timed out$/.test(s.out[e.line - 1].text) && dn.t - st.t >= 1.9 * p.delay) {
        return busyFail([...e.parts, part("judgeLatePage", { id, t: D(dn.t - st.t), delay: D(p.delay) })], e.line);
      }
      return e;
    }
    const n = Math.floor(p.tasks / 3);
    const sum = summaryLine(s, /^all (\d+) tasks done in \S+, (\d+) timed out$/, [p.tasks, n], "all " + p.tasks + " tasks done in …, " + n + " timed out");
    if (sum) return sum;
    return timed(s, p, engine, 2, [part("judgeTimedOut", { n, others: p.tasks - n })], (id) => (id % 3 === 0 ? 2 * p.delay : p.delay));
  },
  // race: each task wrote a value one above the last, so the counter ends at tasks
  race(s, p, engine) {
    const e = allTasks(s, p.tasks);
    if (e) return e;
    const seen = new Map();
    for (let id = 1; id <= p.tasks; id++) {
      const d = s.doneText.get(String(id));
      const m = /^wrote (\d+)$/.exec(d.text);
      if (!m) return wrongLine(s.out, d.line - 1, "task " + id + " done: wrote …");
      if (seen.has(m[1])) return fail([part("judgeSameWrite", { v: m[1], a: seen.get(m[1]).id, b: id, n: d.line })], d.line);
      seen.set(m[1], { id });
    }
    const sum = expectLine(s, /^expected \d+, got \d+$/, "expected " + p.tasks + ", got " + p.tasks);
    if (sum.err) return sum.err;
    // the read, the wait and the write of one task exclude the others': tasks × delay at least
    return timed(s, p, engine, p.tasks, [part("judgeNoLostUpdate", { tasks: p.tasks })], () => p.delay);
  },
  // channels: range over results ends because someone closes the channel; every result once,
  // printed in the order the tasks finished
  close(s, p, engine) {
    const e = allTasks(s, p.tasks);
    if (e) return e;
    const order = [...s.dones.entries()].sort((a, b) => a[1].line - b[1].line).map(([id]) => id);
    const want = "results in order: [" + order.join(" ") + "]";
    const sum = expectLine(s, /^results in order: \[.*\]$/, want);
    if (sum.err) return sum.err;
    return timed(s, p, engine, 1, [part("judgeAllResults", { tasks: p.tasks })], (id) => p.delay * (p.tasks - id + 1) / p.tasks);
  },
  // starve: every task computes its result, and the heartbeat keeps its beat meanwhile
  starve(s, p) {
    const e = allTasks(s, p.tasks) || expectDone(s, p.tasks, (id) => "result " + starveResult(p.delay, id));
    if (e) return e;
    const sum = summaryLine(s, /^all (\d+) tasks done in \S+$/, [p.tasks], "all " + p.tasks + " tasks done in …");
    if (sum) return sum;
    return beat(s, p);
  },
  // shutdown: on ^C every request in flight is still answered
  shutdown(s, p, engine) {
    const e = allTasks(s, p.tasks) || expectDone(s, p.tasks, (id) => "ok " + id);
    if (e) return e;
    const sum = summaryLine(s, /^(\d+) of (\d+) requests answered; done in \S+$/, [p.tasks, p.tasks], p.tasks + " of " + p.tasks + " requests answered; done in …");
    if (sum) return sum;
    return timed(s, p, engine, 1, [part("judgeAllAnswered", { tasks: p.tasks })]);
  },
};

/** judge a finished run (see the top of this file). */
export function judge(check, p, r, engine) {
  if (r.status !== "done") {
    if (r.status === "error") return fail([part("codeFailed", { msg: r.message || "" })]);
    return { pass: false, busy: false, line: 0, parts: r.message ? [part("judgeRunMessage", { msg: r.message })] : [part("codeStopped")] };
  }
  const fn = CHECKS[check];
  if (!fn) return fail([part("judgeUnknownCheck", { check })]);
  const s = read(r);
  const q = { tasks: p.tasks || s.starts.size, delay: p.delay || 0, limit: p.limit || 0 };
  return fn(s, q, engine);
}

/**
 * dur words a duration precisely enough that a verdict explains itself: "812 ms", "1.512 s",
 * "12.34 s" (t is i18n's t).
 */
export function dur(ms, t) {
  if (Math.round(ms) < 1000) return t("milliseconds", { n: Math.round(ms) }); // never "1000 ms"
  return t("seconds", { n: (ms / 1000).toFixed(ms < 10000 ? 3 : 2) });
}

/** words is a verdict's text in t's language: its parts, with durations and code formatted. */
export function words(v, t) {
  const arg = (a) => {
    if (a && typeof a === "object" && "ms" in a) return dur(a.ms, t);
    if (a && typeof a === "object" && "code" in a) return t("judgeCode", { s: a.code });
    return a;
  };
  return v.parts.map((p) => {
    const args = {};
    for (const k of Object.keys(p.args)) args[k] = arg(p.args[k]);
    return t(p.key, args);
  }).join(t("sentenceSep"));
}
