// Importing strace logs recorded here from real runs (test/fixtures/strace/README.md says how):
// the records each line becomes, the proc events derived from the stream, and the round trip
// through the trace writer and reader.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { flavourData } from '../../server/src/analyze/flavour/flavourData';
import { importStraceLog, StraceConverter, StraceLogError } from '../../server/src/sources/strace';
import { createTraceWriter, openTrace, type TraceFiring, type TraceHeader, type TraceRecord } from '../../server/src/trace';
import { readThreadRecord } from '../../server/src/vm/threadRecords';

const FIXTURES = join(__dirname, '..', 'fixtures', 'strace');
const scratch = mkdtempSync(join(tmpdir(), 'strace-import-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function load(name: string): Promise<{ header: TraceHeader; records: TraceRecord[]; targetPid: number | undefined }> {
  const source = await importStraceLog(join(FIXTURES, name), { name });
  const records: TraceRecord[] = [];
  for await (const r of source.records()) records.push(r);
  await source.close();
  return { header: source.header, records, targetPid: source.targetPid };
}

function probeIndex(header: TraceHeader, description: string): number {
  const [provider, , fn, name] = description.split(':');
  const index = header.probes.findIndex((p) => p.provider === provider && p.function === fn && p.name === name);
  assert.ok(index >= 0, `no probe ${description}`);
  return index;
}

function firings(header: TraceHeader, records: TraceRecord[], description: string): TraceFiring[] {
  const probe = probeIndex(header, description);
  return records.filter((r): r is TraceFiring => r.kind === 'firing' && r.probe === probe);
}

/** The recorded fields (a reader's firing computes some lazily). */
function fields(f: TraceFiring): unknown[] {
  return [f.probe, f.timestamp, f.cpu, f.pid, f.tid, f.ppid, f.uid, f.gid, f.execname, f.errno, [...f.args]];
}

const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('latin1'));

/** A firing without its memory, for deepEqual. */
function plain(f: TraceFiring): Omit<TraceFiring, 'memory'> {
  const { memory: _, ...rest } = f;
  return rest;
}

describe('strace log import: cat.log (strace -f -ttt -T, symbolic constants)', async () => {
  const { header, records, targetPid } = await load('cat.log');

  it('has a Linux header whose probes are the whole syscall and proc catalogue', () => {
    assert.equal(header.platform, 'linux-x86_64');
    assert.equal(header.ncpus, 1);
    assert.equal(header.timestamp, 1795721242740969000n);
    assert.equal(header.walltimestamp, 1795721242740969000n);
    const catalogue = ['syscall', 'proc'].map((name) => flavourData('linux').providers.find((p) => p.name === name)!);
    const expected = catalogue.flatMap((p) => (p.probes ?? []).map((t) => `${p.name}:${t.module}:${t.function}:${t.name}`));
    assert.deepEqual(
      header.probes.map((p) => `${p.provider}:${p.module}:${p.function}:${p.name}`),
      expected,
    );
    assert.equal(targetPid, 19148);
  });

  it('gives openat its arguments, the path as user memory and the result at return', () => {
    const entries = firings(header, records, 'syscall::openat:entry');
    const hello = entries.find((f) => text(f.memory?.readCString(f.args[1]!, 256)) === 'hello.txt')!;
    assert.deepEqual(plain(hello), {
      kind: 'firing',
      line: 108,
      probe: probeIndex(header, 'syscall::openat:entry'),
      timestamp: 1795721242746509000n,
      cpu: 0,
      pid: 19148,
      tid: 19148n,
      ppid: 0,
      uid: 0,
      gid: 0,
      execname: 'cat',
      errno: 0,
      args: [-100n, hello.args[1]!, 0n, 0n],
    });
    const returns = firings(header, records, 'syscall::openat:return');
    const back = returns.find((f) => f.line === 108)!;
    assert.equal(back.timestamp, 1795721242746519000n);
    assert.deepEqual(back.args, [3n, 3n]);
    assert.equal(back.errno, 0);
    assert.equal(text(back.memory?.readCString(hello.args[1]!, 256)), 'hello.txt', 'the same address at return');
  });

  it('reports a failed open as -1 with errno 2', () => {
    const failed = firings(header, records, 'syscall::openat:return').find((f) => f.line === 117)!;
    assert.deepEqual([failed.args, failed.errno, failed.timestamp], [[-1n, -1n], 2, 1795721242746757000n]);
  });

  it("records read's buffer at return only, and a cut string without a NUL", () => {
    const entry = firings(header, records, 'syscall::read:entry').find((f) => f.line === 112)!;
    assert.deepEqual(entry.args, [3n, entry.args[1]!, 131072n]);
    assert.equal(entry.memory, null);
    const back = firings(header, records, 'syscall::read:return').find((f) => f.line === 112)!;
    assert.deepEqual(back.args, [14n, 14n]);
    assert.equal(text(back.memory?.read(entry.args[1]!, 14)), 'hello, strace\n');
    const cut = firings(header, records, 'syscall::read:return').find((f) => f.line === 36)!;
    const address = firings(header, records, 'syscall::read:entry').find((f) => f.line === 36)!.args[1]!;
    assert.equal(text(cut.memory?.read(address, 32)), '# Locale name alias data base.\n#');
    assert.equal(cut.memory?.readCString(address, 256), undefined, 'strace printed only 32 bytes: copyinstr faults');
  });

  it('derives exec from execve: named strace before, cat after, with argv in memory', () => {
    const head = records.slice(0, 5).map((r) => (r.kind === 'firing' ? `${header.probes[r.probe]!.provider}:${header.probes[r.probe]!.function}:${header.probes[r.probe]!.name} ${r.execname}` : r.kind));
    assert.deepEqual(head, ['syscall:execve:entry strace', 'proc::exec strace', 'exec', 'proc::exec-success cat', 'syscall:execve:return cat']);
    const entry = records[0] as TraceFiring;
    assert.equal(text(entry.memory?.readCString(entry.args[0]!, 256)), '/usr/bin/cat');
    const argv = entry.memory!.read(entry.args[1]!, 32)!;
    const view = new DataView(argv.buffer, argv.byteOffset, 32);
    const strings = [0, 8, 16].map((o) => text(entry.memory!.readCString(view.getBigUint64(o, true), 256)));
    assert.deepEqual(strings, ['cat', 'hello.txt', '/nonexistent']);
    assert.equal(view.getBigUint64(24, true), 0n, 'argv ends with NULL');
    const exec = (records[1] as TraceFiring);
    assert.equal(text(exec.memory?.readCString(exec.args[0]!, 256)), '/usr/bin/cat');
    assert.deepEqual(records[2], { kind: 'exec', line: 1, timestamp: 1795721242741149000n, pid: 19148, ppid: 0, uid: 0, gid: 0, execname: 'cat', argv: ['cat', 'hello.txt', '/nonexistent'] });
  });

  it('ends with proc:::exit, the exit event and an end record that counts them', () => {
    const tail = records.slice(-3);
    assert.deepEqual(plain(tail[0] as TraceFiring), {
      kind: 'firing',
      line: 128,
      probe: probeIndex(header, 'proc:::exit'),
      timestamp: 1795721242747149000n,
      cpu: 0,
      pid: 19148,
      tid: 19148n,
      ppid: 0,
      uid: 0,
      gid: 0,
      execname: 'cat',
      errno: 0,
      args: [1n],
    });
    assert.deepEqual(tail[1], { kind: 'exit', line: 128, timestamp: 1795721242747149000n, pid: 19148, status: 1 });
    const count = records.filter((r) => r.kind === 'firing').length;
    assert.deepEqual(tail[2], { kind: 'end', line: 0, timestamp: 1795721242747149000n, firings: count, events: 2 });
  });

  it('round-trips through the trace writer and reader', async () => {
    const file = join(scratch, 'cat.ndjson.gz');
    const writer = await createTraceWriter(file, header, { gzip: true });
    for (const r of records) if (r.kind !== 'end') await writer.record(r);
    await writer.close({ timestamp: (records.at(-1) as { timestamp: bigint }).timestamp });
    const reader = await openTrace(file);
    const back: TraceRecord[] = [];
    for await (const r of reader) back.push(r);
    assert.equal(back.length, records.length);
    for (let i = 0; i < records.length; i++) {
      const a = records[i]!;
      const b = back[i]!;
      assert.equal(b.kind, a.kind);
      if (a.kind === 'firing' && b.kind === 'firing') {
        assert.deepEqual(fields(b), fields(a));
        assert.deepEqual(b.memory?.raw ?? null, a.memory?.raw ?? null);
      }
    }
  });
});

describe('strace log import: fork-kill.log (live capture flags: -X raw, ns times)', async () => {
  const { header, records } = await load('fork-kill.log');
  const of = (d: string): TraceFiring[] => firings(header, records, d);

  it('keeps records in time order although strace split calls across lines', () => {
    let last = header.timestamp;
    for (const r of records) {
      const t = (r as { timestamp: bigint }).timestamp;
      assert.ok(t >= last, `line ${r.line}: ${t} < ${last}`);
      last = t;
    }
  });

  it('fires proc:::create in the parent before the child runs, and gives the child its ppid', () => {
    const creates = of('proc:::create');
    // args[0] (psinfo_t *) points at a thread record of the child, from which the VM builds it.
    assert.deepEqual(
      creates.map((f) => [f.pid, f.execname, readThreadRecord(f.memory!, f.args[0]!)]),
      [19153, 19154, 19155].map((child) => [19152, 'sh', { pid: child, tid: BigInt(child), ppid: 19152, uid: 0, gid: 0, cpu: 0, kernel: false, execname: 'sh', argv: ['sh', 'fork-kill.sh'] }]),
    );
    const firstChild = records.findIndex((r) => r.kind === 'firing' && r.pid === 19153);
    assert.ok(records.indexOf(creates[0]!) < firstChild);
    const child = records[firstChild] as TraceFiring;
    assert.deepEqual([child.ppid, child.execname], [19152, 'sh']);
  });

  it('completes an unfinished entry with the arguments printed when it resumed', () => {
    const wait = of('syscall::wait4:entry').find((f) => f.line === 69)!;
    assert.equal(wait.args[0], -1n);
    assert.notEqual(wait.args[1], 0n, 'the status structure gets an address');
    assert.deepEqual(wait.args.slice(2), [0n, 0n]);
    assert.equal(wait.timestamp, 1795721242755563240n);
  });

  it('derives signal-send from kill and signal-handle from the --- SIG line', () => {
    const sent = of('proc:::signal-send');
    assert.deepEqual(
      sent.map((f) => [f.pid, f.timestamp, f.args[0] === f.args[1], f.args[2], readThreadRecord(f.memory!, f.args[0]!)?.pid]),
      [[19152, 1795721242759552280n, true, 15n, 19154]],
    );
    assert.deepEqual(
      of('proc:::signal-handle').map((f) => [f.pid, f.args[0]]),
      [
        [19152, 17n],
        [19154, 15n],
        [19152, 17n],
        [19152, 17n],
      ],
    );
  });

  it('reports exits: exited, killed by a signal, and the status of each', () => {
    assert.deepEqual(
      of('proc:::exit').map((f) => [f.pid, f.execname, f.args[0]]),
      [
        [19153, 'cat', 1n],
        [19154, 'sh', 2n],
        [19155, 'sh', 1n],
        [19152, 'sh', 1n],
      ],
    );
    assert.deepEqual(
      records.filter((r) => r.kind === 'exit').map((r) => r.kind === 'exit' && [r.pid, r.status]),
      [
        [19153, 1],
        [19154, -15],
        [19155, 3],
        [19152, 3],
      ],
    );
  });

  it('fires an interrupted call with errno and no return for calls that never return', () => {
    const suspend = of('syscall::rt_sigsuspend:return');
    assert.deepEqual(suspend.map((f) => [f.args, f.errno]), [[[-1n, -1n], 514]]);
    assert.equal(of('syscall::exit_group:return').length, 0);
    assert.equal(of('syscall::exit_group:entry').length, 3);
  });
});

describe('strace log import: threads and logs written to stderr', () => {
  it('keeps a thread in its process: pid is the process, tid the thread', async () => {
    const { header, records } = await load('threads.log');
    const open = firings(header, records, 'syscall::openat:entry').filter((f) => text(f.memory?.readCString(f.args[1]!, 64)) === 'hello.txt');
    assert.deepEqual(open.map((f) => [f.pid, f.tid, f.execname]), [[19159, 19160n, 'threads']]);
    assert.equal(firings(header, records, 'proc:::create').length, 0);
    assert.deepEqual(firings(header, records, 'proc:::exit').map((f) => [f.pid, f.tid]), [[19159, 19159n]]);
  });

  it("finds the pid of unmarked lines (strace -f to stderr) and skips strace's own notes", async () => {
    const { header, records, targetPid } = await load('stderr.log');
    assert.equal(targetPid, 19164);
    const first = records[0] as TraceFiring;
    assert.equal(first.pid, 19164);
    assert.deepEqual(firings(header, records, 'proc:::create').map((f) => [f.pid, readThreadRecord(f.memory!, f.args[0]!)?.pid]), [[19164, 19165]]);
    assert.deepEqual(
      records.filter((r) => r.kind === 'exit').map((r) => r.kind === 'exit' && [r.pid, r.status]),
      [
        [19165, 0],
        [19164, 4],
      ],
    );
    const vfork = firings(header, records, 'syscall::vfork:return');
    assert.deepEqual(vfork.map((f) => [f.pid, f.args]), [[19164, [19165n, 19165n]]]);
  });

  it('reads a gzip-compressed log', async () => {
    const file = join(scratch, 'cat.log.gz');
    writeFileSync(file, gzipSync(readFileSync(join(FIXTURES, 'cat.log'))));
    const source = await importStraceLog(file);
    let count = 0;
    for await (const r of source.records()) if (r.kind === 'firing') count++;
    assert.equal(count, (await load('cat.log')).records.filter((r) => r.kind === 'firing').length);
  });

  it('stops at a line it cannot read with file:line: what is wrong', async () => {
    const file = join(scratch, 'bad.log');
    writeFileSync(file, '7 1.000001 close(3) = 0 <0.000001>\n7 close(4) = 0\n');
    const source = await importStraceLog(file, { name: 'bad.log' });
    await assert.rejects(
      async () => {
        for await (const _ of source.records());
      },
      (e: unknown) => e instanceof StraceLogError && e.message === 'bad.log:2: no timestamp: record the log with strace -ttt (or -tt)',
    );
    writeFileSync(file, '\n');
    await assert.rejects(importStraceLog(file, { name: 'empty.log' }), { message: 'empty.log:1: the log has no strace lines' });
  });
});

describe('strace converter: calls split across lines', () => {
  const lines = [
    '10 1.000000000 wait4(-1,  <unfinished ...>',
    '11 1.000000100 getpid() = 11 <0.000000010>',
    '11 1.000000200 getppid() = 10 <0.000000010>',
    '11 1.000000300 +++ exited with 0 +++',
    '10 1.000000400 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0x1, NULL) = 11 <0.000000400>',
  ];
  const run = (holdLimit: number): TraceRecord[] => {
    const converter = new StraceConverter({ file: 'split.log', ncpus: 1, holdLimit });
    const out: TraceRecord[] = [];
    lines.forEach((line, i) => {
      converter.feed(line, i + 1);
      out.push(...converter.take());
    });
    out.push(...converter.finish());
    return out;
  };
  const describeRecord = (r: TraceRecord): string => (r.kind === 'firing' ? `${r.line}:${r.tid}:${r.args.join(',')}` : `${r.kind}`);

  it('holds later records until the entry is complete, so it keeps every argument', () => {
    const records = run(100);
    const entry = records[0] as TraceFiring;
    assert.equal(entry.line, 1);
    assert.equal(entry.args[0], -1n);
    assert.notEqual(entry.args[1], 0n);
    assert.deepEqual(entry.args.slice(2), [1n, 0n]);
    assert.deepEqual(records.slice(1).map(describeRecord), ['2:11:', '2:11:11,11', '3:11:', '3:11:10,10', '4:11:1', 'exit', '5:10:11,11', 'end']);
  });

  it('lets the entry go with the arguments printed so far when too much waits behind it', () => {
    const records = run(2);
    assert.deepEqual(records.map(describeRecord).slice(0, 2), ['1:10:-1,0,0,0', '2:11:']);
  });
});

describe('strace converter: a line announced before it ended', () => {
  it('takes the whole line as the end of the call its first part announced', () => {
    const converter = new StraceConverter({ file: 'live', ncpus: 1 });
    converter.feed('7 1.000000000 clock_nanosleep(0, 0, {tv_sec=1, tv_nsec=0},  <unfinished ...>', 1);
    const early = converter.take(true);
    converter.feed('7 1.000000000 clock_nanosleep(0, 0, {tv_sec=1, tv_nsec=0}, 0x7ffc0000) = 0 <1.000000500>', 1);
    const records = [...early, ...converter.finish()].filter((r): r is TraceFiring => r.kind === 'firing');
    assert.deepEqual(
      records.map((f) => [f.timestamp, f.args.length === 4 ? [f.args[0], f.args[1], f.args[3]] : f.args]),
      [
        [1000000000n, [0n, 0n, 0n]],
        [2000000500n, [0n, 0n]],
      ],
    );
  });
});

describe('strace converter: credentials', () => {
  it('follows setuid and setresgid into the uid and gid of later firings', () => {
    const converter = new StraceConverter({ file: 'ids.log', ncpus: 1 });
    ['5 1.0 setuid(1000) = 0 <0.000001>', '5 1.1 setresgid(-1, 50, -1) = 0 <0.000001>', '5 1.2 setresgid(60, 60, 60) = 0 <0.000001>', '5 1.3 getpid() = 5 <0.000001>'].forEach((line, i) =>
      converter.feed(line, i + 1),
    );
    const firings = converter.finish().filter((r): r is TraceFiring => r.kind === 'firing');
    assert.deepEqual(
      firings.map((f) => [f.line, f.uid, f.gid]),
      [
        [1, 0, 0],
        [1, 1000, 0],
        [2, 1000, 0],
        [2, 1000, 0],
        [3, 1000, 0],
        [3, 1000, 60],
        [4, 1000, 60],
        [4, 1000, 60],
      ],
    );
  });
});
