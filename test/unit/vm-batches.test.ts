// Firings taken from a source's batch without an await each (engine.ts SyncFiringIterator, a
// replay's decoded chunks, which say how many lie before the next timer because the reader
// checked their time order: inOrderThrough) give exactly what firing-by-firing delivery gives: tick-N and the
// consumer's passes interleave by timestamp, exit() stops at the same firing, aggregations,
// drops and printf records are the same, and the command line prints the same.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { generateProgram } from '../../server/src/codegen';
import { desugarProgram } from '../../server/src/desugar/ifDesugar';
import { createDParser } from '../../server/src/parse/dParser';
import { replayInput, traceProviders } from '../../server/src/sources/replay';
import { openTraceFile } from '../../server/src/sources/traceFile';
import { createTraceWriter } from '../../server/src/trace';
import { firingsOf, runProgram, type EngineResult, type ProbeFiring, type SyncFiringIterator } from '../../server/src/vm/engine';
import { RecordingSink } from '../support/vmRun';
import { dtvm } from '../support/runDtvm';

const EXECNAMES = ['bash', 'ls', 'sshd', 'node', 'cc'];
const SYSCALLS = ['read', 'write'];

/** A trace of many chunks: syscall entries and returns about 1 to 3 µs apart, two CPUs. */
async function traceFile(firings: number): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'dtvm-batches-')), 'trace.ndjson');
  const probes = SYSCALLS.flatMap((f) => [
    { provider: 'syscall', module: '', function: f, name: 'entry', args: ['int', 'void *', 'size_t'] },
    { provider: 'syscall', module: '', function: f, name: 'return', args: ['int', 'ssize_t'] },
  ]);
  const start = 1_000_000_000_000n;
  const w = await createTraceWriter(path, { platform: 'linux-x86_64', ncpus: 2, timestamp: start, walltimestamp: 1_700_000_000_000_000_000n, probes, source: 'vm-batches.test.ts' });
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 12) % n;
  };
  let t = start;
  for (let n = 0; n < firings; n += 2) {
    const call = rand(SYSCALLS.length);
    const pid = 1000 + rand(40);
    const who = { cpu: pid & 1, pid, tid: pid * 10 + rand(3), ppid: 1, uid: 1000, gid: 1000, execname: EXECNAMES[pid % EXECNAMES.length]! };
    t += BigInt(500 + rand(1000));
    await w.firing({ probe: call * 2, timestamp: t, ...who, args: [rand(64), 0x7f0000000000 + rand(1 << 20) * 16, rand(8192)] });
    t += BigInt(200 + rand(2000));
    await w.firing({ probe: call * 2 + 1, timestamp: t, ...who, args: [rand(64), rand(4097)] });
  }
  await w.close({ timestamp: t + 1000n });
  return path;
}

/** Runs `script` on the trace: with the replay's batches as they are, or one awaited firing at a time. */
async function replay(script: string, path: string, batched: boolean, x: Record<string, string> = {}): Promise<{ sink: RecordingSink; result: EngineResult }> {
  const source = await openTraceFile(path);
  const parser = await createDParser();
  const options = new OptionSet();
  for (const [k, v] of Object.entries(x)) assert.ok(options.set(k, v).ok);
  const providers = traceProviders(source.header, 'linux');
  const compiled = compileProgram(parser, { text: script, programName: 'batches.d', options, providers, flavour: 'linux' });
  const analysis = compiled.analysis!;
  assert.equal(analysis.diagnostics.find((d) => d.severity === 'error'), undefined);
  const program = generateProgram(compiled, desugarProgram(analysis.clauses.map((c) => c.clause)).clauses, options);
  const input = replayInput(source, program, compiled.catalogue);
  let firings: AsyncIterable<ProbeFiring> = input.firings;
  const it = firings[Symbol.asyncIterator]() as SyncFiringIterator;
  assert.equal(typeof it.nextSync, 'function', "a trace file's replay hands out its batches");
  if (!batched) {
    firings = (async function* () {
      for (;;) {
        const r = await it.next();
        if (r.done === true) return;
        yield r.value;
      }
    })();
  }
  const sink = new RecordingSink();
  const result = await runProgram({ ...input, firings, program, options, catalogue: compiled.catalogue, sink, destructive: false, flavour: 'linux' });
  await source.close();
  return { sink, result };
}

describe('VM firings taken in batches', () => {
  const SCRIPTS: [string, Record<string, string>?][] = [
    // ticks interleave with firings by timestamp; exit() part-way through a chunk
    [
      'syscall::read:entry { @[execname] = count(); @q = quantize(arg2); n++; } ' +
        'syscall::write:entry /n > 100/ { printf("%d %s %d\\n", n, execname, timestamp); } ' +
        'tick-1ms { printf("tick %d %d\\n", timestamp, n); @t = count(); } ' +
        'syscall::read:return /++r == 4321/ { printf("exit at %d\\n", timestamp); exit(3); } END { printf("end %d %d\\n", n, r); }',
    ],
    // thread-locals, a small dynamic variable space (drops), frequent consumer passes
    [
      'syscall:::entry { self->ts = timestamp; } syscall:::return /self->ts/ { @l[probefunc] = quantize(timestamp - self->ts); self->ts = 0; } ' +
        'profile-997 { @p[cpu] = count(); } tick-5ms { printa(@l); trunc(@l); }',
      { dynvarsize: '2k', switchrate: '1ms', aggrate: '2ms', cleanrate: '3ms' },
    ],
  ];

  it('gives the same records, drops, aggregations and exit as firing by firing', async () => {
    const path = await traceFile(30_000);
    for (const [script, x] of SCRIPTS) {
      const a = await replay(script, path, true, x);
      const b = await replay(script, path, false, x);
      assert.ok(a.sink.firings().length > 5, script);
      assert.deepEqual(a.sink.events, b.sink.events, script);
      assert.deepEqual(a.result, b.result, script);
    }
    const exited = await replay(SCRIPTS[0]![0], path, true);
    assert.equal(exited.result.exitStatus, 3n);
  });

  it('the command line prints the same with the batches as with one firing at a time', async () => {
    const path = await traceFile(20_000);
    const script = SCRIPTS[0]![0];
    const batched = await dtvm(['-q', '-n', script, '--trace', path]);
    assert.equal(batched.status, 3);
    assert.match(batched.stdout, /^exit at \d+$/m);
    assert.match(batched.stdout, /^tick \d+ \d+$/m);
    // The same firings in memory (no batches to take): firingsOf hands them out synchronously,
    // an async generator one await at a time; both must give the same records.
    const list: ProbeFiring[] = [];
    const source = await openTraceFile(path);
    const parser = await createDParser();
    const options = new OptionSet();
    const compiled = compileProgram(parser, { text: script, programName: 'b.d', options, providers: traceProviders(source.header, 'linux'), flavour: 'linux' });
    const program = generateProgram(compiled, desugarProgram(compiled.analysis!.clauses.map((c) => c.clause)).clauses, options);
    const input = replayInput(source, program, compiled.catalogue);
    for await (const f of input.firings) list.push(f);
    const run = async (firings: AsyncIterable<ProbeFiring>): Promise<RecordingSink> => {
      const sink = new RecordingSink();
      await runProgram({ ...input, firings, program, options, catalogue: compiled.catalogue, sink, destructive: false, flavour: 'linux' });
      return sink;
    };
    const sync = await run(firingsOf(list));
    const awaited = await run(
      (async function* () {
        yield* list;
      })(),
    );
    assert.deepEqual(sync.events, awaited.events);
  });
});
