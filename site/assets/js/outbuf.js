// outbuf.js — a run's output in a program worker (worker.js for Go, pyworker.js for Python):
// bytes written to fd 1 and 2 become timestamped lines, posted to the page in batches
// ({type: "lines"}, protocol.js) and capped after maxLines.
import { MSG, NOTICE, TASK_LINE } from "./protocol.js";

// output collects a run's lines: timestamped when written, posted in batches ({type: "lines"})
// at the latest when Go yields to the event loop or after 256 lines (one message per line
// flooded the page at 10,000 tasks), capped after maxLines.
// output(maxLines, now) → {write(fd, bytes) → n, flush(), close(errorText)}; now() is the run's
// clock (ms since its start), read when a line is complete.
export function output(maxLines, now) {
  let batch = [];
  let batchTimer = 0;
  // A line after a quiet spell (16 ms) goes at once, so a program that prints and then keeps
  // the thread busy still shows its output.
  let lastPost = -1e9;
  function post() {
    clearTimeout(batchTimer);
    batchTimer = 0;
    if (!batch.length) return;
    self.postMessage({ type: MSG.LINES, lines: batch });
    batch = [];
    lastPost = performance.now();
  }
  function queue(line) {
    batch.push(line);
    if (batch.length >= 256 || performance.now() - lastPost >= 16) post();
    else if (!batchTimer) batchTimer = setTimeout(post, 0);
  }
  // After maxLines: one notice (kind "cap"), task lines hidden, and the last TAIL other lines
  // kept; at exit a notice (kind "dropped", count = lines not shown) and then those lines, so a
  // program's closing summary is never lost. Notice texts are English; the page words them in
  // its language from kind/count/maxLines.
  const TAIL = 20;
  let lines = 0;
  let capped = false;
  let dropped = 0;
  const tail = [];
  function emit(fd, text) {
    const t = now();
    if (lines < maxLines) {
      lines++;
      queue({ fd, text, t });
      return;
    }
    if (!capped) {
      capped = true;
      queue({ fd: 2, text: "[output limit of " + maxLines + " lines reached: the rest is not shown; the last lines follow when the program ends]",
        t, notice: NOTICE.CAP, maxLines });
    }
    dropped++;
    if (TASK_LINE.test(text)) { queue({ fd, text, t, hidden: true }); return; }
    tail.push({ fd, text, t });
    if (tail.length > TAIL) tail.shift();
  }
  function emitTail() {
    if (!capped) return;
    const shown = tail.length;
    queue({ fd: 2, text: "[… " + (dropped - shown) + " lines not shown …]", t: now(), notice: NOTICE.DROPPED, count: dropped - shown });
    for (const l of tail.splice(0)) queue(l);
  }

  // stdout and stderr, split into lines
  const streams = {
    1: { dec: new TextDecoder("utf-8"), buf: "" },
    2: { dec: new TextDecoder("utf-8"), buf: "" },
  };
  function write(fd, bytes) {
    const s = streams[fd] || streams[2];
    s.buf += s.dec.decode(bytes, { stream: true });
    let nl;
    while ((nl = s.buf.indexOf("\n")) !== -1) {
      emit(fd === 1 ? 1 : 2, s.buf.slice(0, nl));
      s.buf = s.buf.slice(nl + 1);
    }
    return bytes.length;
  }
  // close flushes partial lines, the held-back tail and the batch
  function close(errorText) {
    for (const fd of [1, 2]) {
      const s = streams[fd];
      s.buf += s.dec.decode();
      if (s.buf !== "") emit(fd, s.buf);
      s.buf = "";
    }
    emitTail();
    if (errorText) queue({ fd: 2, text: errorText, t: now() });
    post();
  }
  return { write, close, flush: post };
}
