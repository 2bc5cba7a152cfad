// A call that blocks under a live capture: strace prints `read(0, ` when the call starts and
// the buffer and count only when it returns. The entry goes out while the call blocks, with
// the arguments strace has not printed yet taken from the thread's registers
// (/proc/<tid>/syscall), and the return's buffer is recorded at that same (real) address.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StraceConverter, type SyscallRegisters } from '../../server/src/sources/strace/converter';
import { captureProbes } from '../../server/src/sources/strace/probes';
import type { TraceFiring, TraceRecord } from '../../server/src/trace';
import { dtvm } from '../support/runDtvm';

const FIXTURES = join(__dirname, '..', 'fixtures', 'strace');

describe('dtvm -c: a call that blocks', () => {
  it("fires read's entry with its fd, buffer and count, and its return with the data at that buffer", async () => {
    // blocked-read.sh: dd bs=7 reads fd 0, a pipe written 1 s later with "hello".
    const r = await dtvm([
      '-q',
      '-n',
      'syscall::read:entry /execname == "dd" && arg0 == 0/ { printf("entry %d %d %d\\n", arg0, arg1 != 0, arg2); self->buf = arg1; self->ts = timestamp; }',
      '-n',
      'syscall::read:return /self->ts/ { printf("return %d %s %d\\n", arg0, copyinstr(self->buf, arg0), timestamp - self->ts >= 300000000); self->ts = 0; }',
      '-c',
      `/bin/sh ${join(FIXTURES, 'blocked-read.sh')}`,
    ]);
    // One entry (not a second one when strace marks the open line <unfinished ...>), the count
    // 7 strace printed only at the return, the 5 bytes read, the entry's time the call's start
    // (at least 0.3 s before the return: the writer waits 1 s, dd starts in much less).
    assert.deepEqual(r, { status: 0, stderr: '', stdout: 'entry 0 1 7\nreturn 5 hello 1\n\n' });
  });
});

describe('strace converter: an entry released before its line is complete', () => {
  const probes = captureProbes();
  const entry = probes.syscall('read', 'entry')!;
  const ret = probes.syscall('read', 'return')!;
  const BUFFER = 0x7ffc0000a000n;

  function convert(lines: string[], registers?: (tid: number) => SyscallRegisters | undefined): TraceRecord[] {
    const c = new StraceConverter({ file: 'test', ncpus: 1, ...(registers !== undefined ? { registers } : {}) });
    const out: TraceRecord[] = [];
    lines.forEach((line, i) => {
      if (line === 'release') out.push(...c.take(true));
      else c.feed(line, i + 1);
    });
    out.push(...c.finish());
    return out;
  }
  const firings = (records: TraceRecord[], probe: number): TraceFiring[] => records.filter((r): r is TraceFiring => r.kind === 'firing' && r.probe === probe);
  const LINES = [
    '100 1.000000000 read(0,  <unfinished ...>', // the capture announcing the open line
    'release',
    '100 1.000000000 read(0,  <unfinished ...>', // strace marking the same line later
    '100 1.500000000 <... read resumed>"hello", 7) = 5 <0.500000000>',
  ];

  it('takes the unprinted arguments from the registers, and records the buffer at the real address', () => {
    const records = convert(LINES, (tid) => (tid === 100 ? { number: 0, args: [0n, BUFFER, 7n, 0n, 0n, 0n] } : undefined));
    const entries = firings(records, entry);
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0]!.args, [0n, BUFFER, 7n]);
    assert.equal(entries[0]!.timestamp, 1_000_000_000n);
    const returns = firings(records, ret);
    assert.equal(returns.length, 1);
    assert.deepEqual(returns[0]!.args, [5n, 5n]);
    assert.equal(Buffer.from(returns[0]!.memory!.readCString(BUFFER, 100)!).toString(), 'hello');
  });

  it('keeps what it knows when the thread is in another call by then (its number or a printed argument differ)', () => {
    for (const regs of [
      { number: 1, args: [0n, BUFFER, 7n, 0n, 0n, 0n] }, // write, not read
      { number: 0, args: [3n, BUFFER, 7n, 0n, 0n, 0n] }, // read, but of fd 3
    ]) {
      const entries = firings(convert(LINES, () => regs), entry);
      assert.equal(entries.length, 1);
      assert.deepEqual(entries[0]!.args, [0n, 0n, 0n]);
    }
  });

  it('without registers (a log): the resumed line completes the entry when it comes in time', () => {
    const records = convert(LINES.filter((l) => l !== 'release'));
    const entries = firings(records, entry);
    assert.equal(entries.length, 1);
    const [fd, buffer, count] = entries[0]!.args;
    assert.deepEqual([fd, count], [0n, 7n]);
    const returns = firings(records, ret);
    assert.equal(Buffer.from(returns[0]!.memory!.readCString(buffer!, 100)!).toString(), 'hello');
  });
});
