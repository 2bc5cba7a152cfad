// A trace firing's fields as plain data, for deep comparisons in tests: a scanned firing
// computes some fields lazily, and its user memory is an object with methods.
import type { TraceFiring } from '../../server/src/trace/index';

export function firingFields(f: TraceFiring): Record<string, unknown> {
  return {
    kind: f.kind,
    line: f.line,
    probe: f.probe,
    timestamp: f.timestamp,
    cpu: f.cpu,
    pid: f.pid,
    tid: f.tid,
    ppid: f.ppid,
    uid: f.uid,
    gid: f.gid,
    execname: f.execname,
    errno: f.errno,
    args: [...f.args],
  };
}

/** User memory as `[address, hex bytes]` pairs, the form it has on disk. */
export function memorySegments(f: TraceFiring): Array<[unknown, string]> | null {
  return f.memory?.segments().map((s) => [s.address, Buffer.from(s.bytes).toString('hex')] as [unknown, string]) ?? null;
}
