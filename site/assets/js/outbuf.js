// outbuf.js — a run's output in a program worker (worker.js for Go, pyworker.js for Python):
// bytes written to fd 1 and 2 become timestamped lines, posted to the page in packed batches
// ({type: "lines", packed}, protocol.js) and capped after maxLines.
//
// A write runs on the program's one thread, in the middle of the program: whatever it costs, the
// program's goroutines (or coroutines) wait for. So a write only copies the bytes and notes each
// line's time; the text is decoded once per batch, and a batch goes to the page as one string
// and two typed arrays (transferred), which the page unpacks (protocol.js, unpackLines). Decoding
// each write and an object per line cost a 10,000 × 1 s run (20,000 lines) 25-38 ms of its one
// thread; now it is within noise of the same program printing nowhere (docs/arch/gowasm.md,
// "Output").
import { MSG, NOTICE, TASK_LINE, packLines } from "./protocol.js";

// TAIL: after the cap, the last lines (not task lines) kept for the end.
const TAIL = 20;
// A batch goes at the latest after this many lines, or when the program yields to the event loop.
const BATCH = 256;
// A line after a quiet spell (16 ms, one frame) goes at once, so a program that prints and then
// keeps the thread busy still shows its output.
const QUIET_MS = 16;

// "task " as bytes: a line over the cap is decoded only when it may be a task line.
const TASK_PREFIX = [0x74, 0x61, 0x73, 0x6b, 0x20];

/**
 * output collects a run's lines: timestamped when written, posted in batches at the latest when
 * the program yields to the event loop or after BATCH lines, capped after maxLines.
 * output(maxLines, now, post?) → {write(fd, bytes) → n, flush(), close(errorText)}; now() is the
 * run's clock (ms since its start), read once per write; post(message, transfer) sends a message
 * to the page (self.postMessage by default).
 */
export function output(maxLines, now, post = (m, transfer) => self.postMessage(m, transfer)) {
  // the batch: each line's bytes followed by "\n", and per line its time and flags
  let bytes = new Uint8Array(16384);
  let used = 0;
  let times = new Float64Array(BATCH);
  let flags = new Uint8Array(BATCH);
  let count = 0;
  let batchTimer = 0;
  let lastPost = -1e9;
  const decoder = new TextDecoder("utf-8");

  function send() {
    clearTimeout(batchTimer);
    batchTimer = 0;
    if (!count) return;
    const m = packLines(decoder.decode(bytes.subarray(0, used)), times.slice(0, count), flags.slice(0, count));
    used = 0;
    count = 0;
    post({ type: MSG.LINES, packed: m }, [m.t.buffer, m.flags.buffer]);
    lastPost = now();
  }
  function queued(t) {
    if (count >= BATCH || t - lastPost >= QUIET_MS) send();
    else if (!batchTimer) batchTimer = setTimeout(send, 0);
  }
  // add appends one line (without its "\n"; a view or an array of views) to the batch
  function add(fd, parts, t, hidden) {
    let n = 1;
    for (const p of parts) n += p.length;
    if (used + n > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, used + n));
      grown.set(bytes.subarray(0, used));
      bytes = grown;
    }
    for (const p of parts) { bytes.set(p, used); used += p.length; }
    bytes[used++] = 0x0a;
    times[count] = t;
    flags[count] = fd | (hidden ? 4 : 0);
    count++;
    queued(t);
  }
  // notice and the tail's lines are objects (rare): the batch before them goes first, in order
  function postObjects(lines) {
    send();
    post({ type: MSG.LINES, lines });
    lastPost = now();
  }

  // After maxLines: one notice (kind "cap"), task lines hidden, and the last TAIL other lines
  // kept; at exit a notice (kind "dropped", count = lines not shown) and then those lines, so a
  // program's closing summary is never lost. Notice texts are English; the page words them in
  // its language from kind/count/maxLines.
  let lines = 0;
  let capped = false;
  let dropped = 0;
  const tail = [];
  const text = (parts) => {
    if (parts.length === 1) return decoder.decode(parts[0]);
    return parts.map((p) => decoder.decode(p, { stream: true })).join("") + decoder.decode();
  };
  function mayBeTask(parts) {
    const first = parts.find((p) => p.length) || [];
    if (first.length < TASK_PREFIX.length) return TASK_LINE.test(text(parts)); // split: decide by text
    for (let i = 0; i < TASK_PREFIX.length; i++) if (first[i] !== TASK_PREFIX[i]) return false;
    return TASK_LINE.test(text(parts));
  }
  function emit(fd, parts, t) {
    if (lines < maxLines) {
      lines++;
      add(fd, parts, t, false);
      return;
    }
    if (!capped) {
      capped = true;
      postObjects([{ fd: 2, text: "[output limit of " + maxLines + " lines reached: the rest is not shown; the last lines follow when the program ends]",
        t, notice: NOTICE.CAP, maxLines }]);
    }
    dropped++;
    if (mayBeTask(parts)) { add(fd, parts, t, true); return; }
    tail.push({ fd, text: text(parts), t });
    if (tail.length > TAIL) tail.shift();
  }
  function emitTail() {
    if (!capped) return;
    const shown = tail.length;
    postObjects([{ fd: 2, text: "[… " + (dropped - shown) + " lines not shown …]", t: now(), notice: NOTICE.DROPPED, count: dropped - shown }]
      .concat(tail.splice(0)));
  }

  // a line not yet ended, per stream: copies of the written pieces (the program reuses its buffer)
  const partial = { 1: [], 2: [] };
  function write(fd, b) {
    const f = fd === 1 ? 1 : 2;
    const t = now();
    let start = 0;
    let nl = b.indexOf(0x0a);
    while (nl !== -1) {
      const piece = b.subarray(start, nl);
      if (partial[f].length) { emit(f, partial[f].concat([piece]), t); partial[f] = []; }
      else emit(f, [piece], t);
      start = nl + 1;
      nl = b.indexOf(0x0a, start);
    }
    if (start < b.length) partial[f].push(b.slice(start));
    return b.length;
  }
  // close flushes partial lines, the held-back tail and the batch
  function close(errorText) {
    for (const f of [1, 2]) {
      if (partial[f].length) emit(f, partial[f], now());
      partial[f] = [];
    }
    send();
    emitTail();
    if (errorText) postObjects([{ fd: 2, text: errorText, t: now() }]);
  }
  return { write, close, flush: send };
}
