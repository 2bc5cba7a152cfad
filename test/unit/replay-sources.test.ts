// The replay module on its own: platform to flavour, header probes to catalogue probes, and the
// firing stream the engine pulls (what is skipped, what is built, the end record's clock mark).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { flavourCatalogue } from '../../server/src/analyze/frontEnd';
import { CLOCK_ONLY_PROBE, catalogueIdsOf, flavourOfPlatform, replayFirings, traceProviders } from '../../server/src/sources/replay';
import type { FiringSource } from '../../server/src/sources/source';
import type { TraceHeader, TraceRecord } from '../../server/src/trace/index';
import type { ProbeFiring } from '../../server/src/vm/engine';

const header: TraceHeader = {
  format: 'dtvm-trace',
  version: 1,
  platform: 'linux-x86_64',
  ncpus: 1,
  timestamp: 100n,
  walltimestamp: 0n,
  probes: [
    { provider: 'syscall', module: 'linux', function: 'read', name: 'entry', args: ['unsigned int', 'char *', 'size_t'] },
    { provider: 'syscall', module: '', function: 'write', name: 'entry', args: ['unsigned int', 'const char *', 'size_t'] },
    { provider: 'myapp', module: 'm', function: 'f', name: 'go', args: ['int'] },
  ],
};

/** A firing whose fields throw when read, except those a skipped firing may look at. */
function untouchable(probe: number, line: number): TraceRecord {
  const fail = (): never => assert.fail(`field of skipped firing at line ${line} was read`);
  return {
    kind: 'firing',
    line,
    probe,
    pid: 9,
    ppid: 1,
    get timestamp() {
      return fail();
    },
    get args() {
      return fail();
    },
    get memory() {
      return fail();
    },
    get execname() {
      return fail();
    },
  } as unknown as TraceRecord;
}

function firing(probe: number, timestamp: bigint, pid: number, ppid: number): TraceRecord {
  return { kind: 'firing', line: 0, probe, timestamp, cpu: 0, pid, tid: BigInt(pid), ppid, uid: 0, gid: 0, execname: 'x', errno: 0, args: [1n, 2n, 3n], memory: null };
}

function sourceOf(records: TraceRecord[]): FiringSource & { closed: boolean } {
  const s = {
    header,
    closed: false,
    async *records() {
      yield* records;
    },
    async close() {
      s.closed = true;
    },
  };
  return s;
}

async function collect(it: AsyncIterable<ProbeFiring>): Promise<ProbeFiring[]> {
  const out: ProbeFiring[] = [];
  for await (const f of it) out.push(f);
  return out;
}

describe('replay module', () => {
  it('maps platforms to flavours', () => {
    assert.deepEqual(
      ['linux-x86_64', 'freebsd-amd64', 'illumos-amd64', 'solaris-sparcv9', 'macos-arm64', 'darwin-x86_64', 'openbsd-amd64'].map(flavourOfPlatform),
      ['linux', 'freebsd', 'illumos', 'illumos', 'macos', 'macos', undefined],
    );
  });

  it('matches header probes (an empty module matches the one probe) and adds what the catalogue lacks', () => {
    const providers = traceProviders(header, 'linux');
    // Only myapp is missing: syscall's probes are all in the linux catalogue.
    assert.deepEqual(
      providers.map((p) => [p.name, p.probes?.map((t) => `${t.module}:${t.function}:${t.name}(${t.args?.map((a) => a.native).join(',')})`)]),
      [['myapp', ['m:f:go(int)']]],
    );
    const catalogue = flavourCatalogue('linux', providers);
    const ids = catalogueIdsOf(header, catalogue);
    const names = [...ids].map((id) => {
      const p = catalogue.probe(id)!;
      return `${p.provider}:${p.module}:${p.function}:${p.name}`;
    });
    assert.deepEqual(names, ['syscall:linux:read:entry', 'syscall:linux:write:entry', 'myapp:m:f:go']);
  });

  it('passes over firings of probes no clause enables without reading their fields, and marks the end time', async () => {
    const source = sourceOf([
      untouchable(1, 2),
      firing(0, 150n, 5, 4),
      untouchable(2, 4),
      { kind: 'exec', line: 5, timestamp: 160n, pid: 6, ppid: 5, uid: 0, gid: 0, execname: 'ls', argv: ['ls', '-l'] },
      firing(0, 170n, 6, 5),
      { kind: 'exit', line: 7, timestamp: 180n, pid: 6, status: 0 },
      firing(0, 190n, 6, 5),
      { kind: 'end', line: 9, timestamp: 500n, firings: 5, events: 2 },
    ]);
    const out = await collect(replayFirings(source, new Int32Array([7, 8, 9]), new Uint8Array([1, 0, 0])));
    assert.deepEqual(
      out.map((f) => [f.probeId, f.timestamp, f.pid, f.argv?.join(' ') ?? '-', f.parentOf?.(5) ?? '-']),
      [
        [7, 150n, 5, '-', 4],
        // After ls's exec: its command line, and 5's parent (from the firings) is still known.
        [7, 170n, 6, 'ls -l', 4],
        // ls exited: its command line is forgotten.
        [7, 190n, 6, '-', 4],
        [CLOCK_ONLY_PROBE, 500n, 0, '-', '-'],
      ],
    );
  });

  it('closes the source when the engine stops early', async () => {
    const source = sourceOf([firing(0, 150n, 5, 4), firing(0, 160n, 5, 4)]);
    const it = replayFirings(source, new Int32Array([7]), new Uint8Array([1]))[Symbol.asyncIterator]();
    assert.equal((await it.next()).done, false);
    await it.return?.();
    assert.equal(source.closed, true);
  });

  it('reads a trace from standard input with --trace -', () => {
    const root = join(__dirname, '..', '..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server/src/cli/dtvm.ts'), '-q', '-n', 'syscall:::entry { @[execname] = count(); } END { printa("%s %@d\\n", @); }', '--trace', '-'], {
      cwd: root,
      input: readFileSync(join(root, 'test/fixtures/traces/replay-linux.ndjson')),
      encoding: 'utf8',
      env: { ...process.env, DTVM_REALTIME: '0' },
    });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'bash 1\ncat 4\n\n');
    assert.equal(r.status, 0);
  });
});
