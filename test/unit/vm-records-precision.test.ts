// The flavour-independent records a probe source puts in a firing's memory (vm/ioRequests.ts,
// vm/threadRecords.ts, their shared block helpers in vm/recordBlocks.ts): 64-bit fields keep
// every bit and their sign, ids keep theirs, blocks written by the earlier writer still read;
// and what the replay adds around them: the command line a Linux process's mm points at is in
// its user memory below TASK_SIZE, never in the guard page; progenyof() knows every user process
// descends from init and sched.
// Run: node --import tsx --test test/unit/vm-records-precision.test.ts
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTraceWriter, type FiringInput } from '../../server/src/trace/index.ts';
import { decodeIoRequest, encodeIoRequest, readIoRequest, type IoRequest } from '../../server/src/vm/ioRequests';
import type { UserMemory } from '../../server/src/vm/memory';
import { encodeThreadRecord, readThreadRecord } from '../../server/src/vm/threadRecords';
import { LINUX_TASK_SIZE, WithCommandLine } from '../../server/src/vm/threadImages';
import { dtvm } from '../support/runDtvm';

const U64_MAX = (1n << 64n) - 1n;
const ABOVE_2_53 = 2n ** 53n + 1n;

/** Memory holding `bytes` at `at` and nothing else. */
function memoryOf(at: bigint, bytes: Uint8Array): UserMemory {
  const inside = (address: bigint, size: number): number | undefined => {
    const o = address - at;
    return o >= 0n && o + BigInt(size) <= BigInt(bytes.length) ? Number(o) : undefined;
  };
  return {
    read: (address, size) => {
      const o = inside(address, size);
      return o === undefined ? undefined : bytes.subarray(o, o + size);
    },
    readCString: (address, max) => {
      const o = inside(address, 1);
      if (o === undefined) return undefined;
      const end = bytes.indexOf(0, o);
      if (end < 0) return undefined;
      return bytes.subarray(o, Math.min(end, o + max));
    },
  };
}

async function trace(name: string, platform: string, probes: { provider: string; module: string; function: string; name: string; args: string[] }[], write: (w: Awaited<ReturnType<typeof createTraceWriter>>) => Promise<void>): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'dtvm-records-')), name);
  const w = await createTraceWriter(path, { platform, ncpus: 1, timestamp: 1000, walltimestamp: 1_700_000_000_000_000_000n, probes });
  await write(w);
  await w.close({ timestamp: 9000 });
  return path;
}

const firing = (f: Partial<FiringInput> & Pick<FiringInput, 'args'>): FiringInput => ({ probe: 0, timestamp: 2000, cpu: 0, pid: 700, tid: 700, ppid: 1, uid: 0, gid: 0, execname: 'sh', ...f });

describe('io request records keep 64 bits and their sign', () => {
  const request: IoRequest = {
    bcount: ABOVE_2_53,
    blkno: U64_MAX,
    offset: -2n,
    write: true,
    error: 5,
    resid: 2n ** 63n + 3n,
    major: 0xffffffff,
    minor: 7,
    instance: 1,
    device: 'sd',
    path: '/big/file',
  };

  it('round-trip exactly, from bytes and from memory', () => {
    const bytes = encodeIoRequest(request);
    assert.deepEqual(decodeIoRequest(bytes), request);
    assert.deepEqual(readIoRequest(memoryOf(0x1000n, bytes), 0x1000n), request);
    // -2 is its own value (the old writer turned every negative offset into -1).
    assert.equal(new DataView(bytes.buffer).getBigInt64(24, true), -2n);
    assert.equal(decodeIoRequest(encodeIoRequest({ ...request, offset: -1n }))!.offset, -1n);
  });

  it('refuse values their fields cannot hold rather than wrap them', () => {
    assert.throws(() => encodeIoRequest({ ...request, bcount: -1n }), /bcount -1 is not an unsigned 64-bit value/);
    assert.throws(() => encodeIoRequest({ ...request, blkno: 1n << 64n }), /blkno 18446744073709551616 is not an unsigned 64-bit value/);
    assert.throws(() => encodeIoRequest({ ...request, offset: 1n << 63n }), /offset 9223372036854775808 is not a signed 64-bit value/);
  });

  it('a block laid out by the earlier writer still reads (same layout)', () => {
    // The earlier writer: two 32-bit halves per 64-bit field, -1 for "no offset".
    const old = new Uint8Array(64 + 3 + 1);
    const v = new DataView(old.buffer);
    old.set(new TextEncoder().encode('dtvmio1\0'), 0);
    v.setUint32(8, 8192, true);
    v.setUint32(16, 32000, true);
    v.setInt32(24, -1, true);
    v.setInt32(28, -1, true);
    v.setUint32(32, 1, true);
    v.setUint32(48, 1, true);
    old.set(new TextEncoder().encode('sd'), 64);
    assert.deepEqual(decodeIoRequest(old), { bcount: 8192n, blkno: 32000n, offset: -1n, write: false, error: 0, resid: 0n, major: 1, minor: 0, instance: 0, device: 'sd', path: '' });
  });

  it('illumos: b_bcount, b_lblkno, b_resid and fi_offset print every bit through dtvm', async () => {
    const BUF = 0xfffffe0000001000n;
    const path = await trace('io.ndjson', 'illumos-amd64', [{ provider: 'io', module: 'genunix', function: 'bdev_strategy', name: 'start', args: ['buf_t *', 'buf_t *', 'buf_t *'] }], async (w) => {
      await w.firing(firing({ args: [BUF, BUF, BUF], memory: [[BUF, encodeIoRequest(request)]] }));
    });
    const r = await dtvm(['--trace', path, '-q', '-n', 'io:::start { printf("%u %u %u %d %s\\n", args[0]->b_bcount, args[0]->b_lblkno, args[0]->b_resid, args[2]->fi_offset, args[2]->fi_pathname); }']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '9007199254740993 18446744073709551615 9223372036854775811 -2 /big/file\n\n');
  });
});

describe('thread records keep the sign of pids and every bit of tids', () => {
  it('round-trip: pid/ppid -1 stay -1, uid/gid -1 read as (uid_t)-1, a tid above 2^53 is exact', () => {
    const bytes = encodeThreadRecord({ pid: -1, ppid: -1, uid: -1, gid: 4294967294, tid: U64_MAX, cpu: 2, kernel: false, execname: 'x', argv: ['x', 'y'] });
    assert.deepEqual(readThreadRecord(memoryOf(0x2000n, bytes), 0x2000n), { pid: -1, ppid: -1, uid: 4294967295, gid: 4294967294, tid: U64_MAX, cpu: 2, kernel: false, execname: 'x', argv: ['x', 'y'] });
    assert.throws(() => encodeThreadRecord({ pid: 2 ** 31, ppid: 0, uid: 0, gid: 0, tid: 1n, cpu: 0, kernel: false, execname: 'x' }), /pid 2147483648 is not a 32-bit pid/);
    assert.throws(() => encodeThreadRecord({ pid: 1, ppid: 0, uid: 0, gid: 0, tid: -1n, cpu: 0, kernel: false, execname: 'x' }), /tid -1 is not an unsigned 64-bit value/);
  });

  it('a record laid out by the earlier writer still reads', () => {
    const old = new Uint8Array(40 + 5);
    const v = new DataView(old.buffer);
    old.set(new TextEncoder().encode('dtvmthr1'), 0);
    v.setUint32(8, 701, true);
    v.setUint32(12, 700, true);
    v.setUint32(16, 1000, true);
    v.setUint32(20, 100, true);
    v.setUint32(24, 5, true);
    v.setUint32(28, 1, true); // tid 2^32 + 5, as two halves
    v.setUint32(32, 1, true);
    old.set(new TextEncoder().encode('make'), 40);
    assert.deepEqual(readThreadRecord(memoryOf(0x3000n, old), 0x3000n), { pid: 701, ppid: 700, uid: 1000, gid: 100, tid: 2n ** 32n + 5n, cpu: 1, kernel: false, execname: 'make' });
  });

  it('macOS: off-cpu\'s next thread has its 64-bit thread_id through dtvm', async () => {
    const NEXT = 0xffffff8000002000n;
    const tid = 2n ** 64n - 3n;
    const path = await trace('sched.ndjson', 'macos-x86_64', [{ provider: 'sched', module: 'mach_kernel', function: 'thread_dispatch', name: 'off-cpu', args: ['thread_t', 'struct proc *'] }], async (w) => {
      const bytes = encodeThreadRecord({ pid: 812, ppid: -1, uid: 501, gid: 20, tid, cpu: 0, kernel: false, execname: 'next' });
      await w.firing(firing({ args: [NEXT, NEXT], memory: [[NEXT, bytes]] }));
    });
    const r = await dtvm(['--trace', path, '-q', '-n', 'sched:::off-cpu { printf("%u %d %d %s\\n", ((thread_t)arg0)->thread_id, args[1]->pr_pid, args[1]->pr_ppid, args[1]->pr_fname); }']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${tid} 812 -1 next\n\n`);
  });
});

describe('a Linux process\'s command line', () => {
  const probes = [{ provider: 'syscall', module: 'linux', function: 'read', name: 'entry', args: ['int', 'char *', 'size_t'] }];
  const withExec = (): Promise<string> =>
    trace('exec.ndjson', 'linux-x86_64', probes, async (w) => {
      await w.exec({ timestamp: 1500, pid: 701, ppid: 700, uid: 0, gid: 0, execname: 'cat', argv: ['cat', '/etc/hostname'] });
      await w.firing(firing({ pid: 701, tid: 701, ppid: 700, execname: 'cat', args: [3, 0x1000, 16], memory: [[0x1000n, 'x']] }));
    });

  it('is in its user memory below TASK_SIZE, where mm->arg_start points (as on a real kernel)', async () => {
    const r = await dtvm([
      '--trace',
      await withExec(),
      '-q',
      '-n',
      'syscall::read:entry { printf("%s|%s|%d|%d\\n", curpsinfo->pr_psargs, copyinstr(curthread->mm->arg_start), curthread->mm->arg_start < 0x7ffffffff000, curthread->mm->arg_end - curthread->mm->arg_start); }',
    ]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'cat /etc/hostname|cat /etc/hostname|1|18\n\n');
  });

  it('copyinstr of the guard page at TASK_SIZE faults as on a real kernel', async () => {
    const r = await dtvm(['--trace', await withExec(), '-q', '-n', 'syscall::read:entry { trace(copyinstr(0x7ffffffff000)); }']);
    // Probe 24 is the linux catalogue's read:entry; the call is the DIF's 4th instruction
    // (setx, flushts, pushtv, call).
    assert.equal(r.stderr, 'dtrace: error on enabled probe ID 1 (ID 24: syscall:linux:read:entry): invalid address (0x7ffffffff000) in action #1 at DIF offset 12\n');
    assert.equal(r.stdout, '\n');
  });

  it('the memory object answers where the area is without being read', () => {
    const line = new TextEncoder().encode('a b\0');
    const m = new WithCommandLine(undefined, line);
    assert.equal(m.argStart, LINUX_TASK_SIZE - 8n - 4n);
    assert.equal(m.read(LINUX_TASK_SIZE, 1), undefined);
    assert.equal(m.readCString(LINUX_TASK_SIZE - 8n, 16), undefined);
    assert.deepEqual([...m.readCString(m.argStart, 16)!], [...new TextEncoder().encode('a b')]);
  });
});

describe('progenyof: every user process descends from init and sched', () => {
  it('dtrace(1) itself in BEGIN', async () => {
    const r = await dtvm(['-q', '-n', 'BEGIN { printf("%d %d\\n", progenyof(0), progenyof(1)); exit(0); }']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '1 1\n\n');
  });

  it('a replay: a recorded chain, a chain that stops at an unrecorded parent, a kernel thread', async () => {
    const probes = [{ provider: 'syscall', module: 'linux', function: 'getpid', name: 'entry', args: [] }];
    const path = await trace('ancestry.ndjson', 'linux-x86_64', probes, async (w) => {
      // 901 -> 900 -> 800, and nothing is known of 800's parent.
      await w.exec({ timestamp: 1100, pid: 900, ppid: 800, uid: 0, gid: 0, execname: 'sh', argv: ['sh'] });
      await w.exec({ timestamp: 1200, pid: 901, ppid: 900, uid: 0, gid: 0, execname: 'cat', argv: ['cat'] });
      await w.firing(firing({ pid: 901, tid: 901, ppid: 900, execname: 'cat', args: [] }));
      // A kernel thread: sched's own (kthreadd's parent is 0 as on Linux).
      await w.firing(firing({ timestamp: 2100, pid: 2, tid: 2, ppid: 0, execname: 'kthreadd', args: [] }));
      await w.firing(firing({ timestamp: 2200, pid: 0, tid: 0, ppid: 0, execname: 'swapper/0', args: [] }));
    });
    const r = await dtvm(['--trace', path, '-q', '-n', 'syscall::getpid:entry { printf("%s %d %d %d %d %d %d\\n", execname, progenyof(0), progenyof(1), progenyof(800), progenyof(900), progenyof(2), progenyof(799)); }']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'cat 1 1 1 1 0 0\nkthreadd 1 0 0 0 1 0\nswapper/0 1 0 0 0 0 0\n\n');
  });
});
