// Shared by the debug runtime's tests: a small script and trace (reads of fds 1, 3, 5, 99 by
// alternating processes), a launched runtime with its events recorded, and a full dump of what
// the Variables view shows.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDebugRuntime } from '../../server/src/debug/runtime/index';
import type { DebugRuntime, OutputEvent, StopEvent, ValueView } from '../../server/src/debug/runtime/api';
import { createTraceWriter } from '../../server/src/trace/index';

export const SCRIPT = `#pragma D option quiet
BEGIN
{
\tn = 0;
}

syscall::read:entry
/arg0 > 2/
{
\tn++;
\tself->fd = arg0;
\t@reads[execname] = count();
\tprintf("read %d\\n", arg0);
}

syscall::read:entry
/arg0 == 99/
{
\ttrace(*(int *)0);
}

END
{
\tprintf("total %d\\n", n);
}
`;

/** A trace of four read(2) entries: fds 1, 3, 5, 99 (the last faults in the third clause). */
export async function writeFixture(dir: string): Promise<string> {
  const file = join(dir, 'reads.ndjson');
  const w = await createTraceWriter(file, {
    platform: 'linux-x86_64',
    ncpus: 1,
    timestamp: 1_000_000_000n,
    walltimestamp: 1_700_000_000_000_000_000n,
    probes: [{ provider: 'syscall', module: 'linux', function: 'read', name: 'entry', args: ['unsigned int', 'char *', 'size_t'] }],
  });
  const fds = [1, 3, 5, 99];
  for (let i = 0; i < fds.length; i++) {
    await w.firing({ probe: 0, timestamp: 1_000_001_000n + BigInt(i) * 1000n, cpu: 0, pid: 700 + i, tid: 700 + i, ppid: 1, uid: 0, gid: 0, execname: i % 2 === 0 ? 'cat' : 'sh', args: [fds[i]!, 0, 16] });
  }
  await w.close({ timestamp: 1_000_010_000n });
  return file;
}

export interface Harness {
  rt: DebugRuntime;
  program: string;
  trace: string;
  stops: StopEvent[];
  output: OutputEvent[];
  ended: number[];
}

export async function launch(script = SCRIPT, extra: { options?: string[]; checkpointInterval?: number; destructive?: boolean } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'dtvm-debug-'));
  const trace = await writeFixture(dir);
  const program = join(dir, 'reads.d');
  writeFileSync(program, script);
  const h: Harness = { rt: createDebugRuntime(), program, trace, stops: [], output: [], ended: [] };
  const r = await h.rt.launch(
    { program, source: { kind: 'trace', file: trace }, ...(extra.options ? { options: extra.options } : {}), ...(extra.checkpointInterval ? { checkpointInterval: extra.checkpointInterval } : {}), ...(extra.destructive ? { destructive: true } : {}) },
    { stopped: (e) => h.stops.push(e), output: (e) => h.output.push(e), ended: (s) => h.ended.push(s) },
  );
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
  assert.equal(r.ok, true);
  return h;
}

/** Every scope's variables, expanded, as text (the state the user can see). */
export function dump(rt: DebugRuntime): string {
  const lines: string[] = [];
  const walk = (v: ValueView, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${v.name} = ${v.value}${v.type ? ` (${v.type})` : ''}`);
    if (depth < 4) v.children?.().forEach((c) => walk(c, depth + 1));
  };
  const loc = rt.location();
  lines.push(`at firing ${loc?.firing.index} ${loc?.firing.probe} clause ${loc?.clause?.index} statement ${loc?.statement}`);
  for (const s of rt.scopes()) {
    lines.push(`[${s}]`);
    rt.variables(s).forEach((v) => walk(v, 1));
  }
  return lines.join('\n');
}
