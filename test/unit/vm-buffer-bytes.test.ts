// Principal buffers as bytes: each firing is laid out as the kernel lays it out (EPID, split
// timestamp, records at codegen's offsets, little-endian, NUL-padded strings), and reading
// the bytes back gives the firings, the faults among them, and their order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { structuralCopy } from '../../server/src/debug/runtime/structuralCopy';
import { readBuffer } from '../../server/src/vm/bufferWalk';
import { PrincipalBuffer } from '../../server/src/vm/principalBuffer';
import type { BufferContents, ConsumerSink } from '../../server/src/vm/records';
import { runD, text } from '../support/vmRun.ts';

/** A sink that keeps each switched buffer's bytes (copied: the buffer records over them) and what they read as. */
function byteSink() {
  const buffers: { bytes: number[]; records: ReturnType<typeof readBuffer> }[] = [];
  const sink: ConsumerSink = {
    buffer: (_cpu: number, c: BufferContents) => {
      const records = readBuffer(c).map((r) => (r.kind === 'fault' ? r : { ...r, data: { ...r.data, records: r.data.records.map((v) => (typeof v === 'bigint' ? v : v.slice())) } }));
      buffers.push({ bytes: Array.from(c.bytes.subarray(c.start, c.end)), records });
    },
    aggregations() {},
    drops() {},
  };
  return { sink, buffers };
}

describe('VM principal buffer bytes', () => {
  it('lays a firing out as the kernel does: EPID, timestamp, each record at its offset', async () => {
    const { sink, buffers } = byteSink();
    const r = await runD('BEGIN { trace((char)0x1234); trace(0x1122334455667788); trace("ab"); trace((short)-2); }', { x: { strsize: '8' }, engine: { sink } });
    assert.equal(r.compiled.program.enablings[0]!.recordSize, 36);
    assert.equal(buffers.length, 1);
    const b = buffers[0]!.bytes;
    assert.equal(b.length, 36);
    // A non-empty EPID, then BEGIN's timestamp (0) as its high and low words.
    assert.notEqual(b[0], 0);
    assert.deepEqual(b.slice(4, 12), [0, 0, 0, 0, 0, 0, 0, 0]);
    // char at 12 (truncated); the 64-bit value 8-aligned at 16, little-endian
    assert.equal(b[12], 0x34);
    assert.deepEqual(b.slice(16, 24), [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
    // the string at 24, NUL-padded to strsize; the short at 32
    assert.deepEqual(b.slice(24, 32), [97, 98, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(b.slice(32, 34), [0xfe, 0xff]);
    const [rec] = buffers[0]!.records;
    assert.equal(rec?.kind, 'firing');
    if (rec?.kind !== 'firing') return;
    assert.equal(rec.data.epid, 1);
    assert.deepEqual(rec.data.records.filter((v) => typeof v === 'bigint'), [0x34n, 0x1122334455667788n, 0xfffen]);
    assert.equal(text(rec.data.records[2]!), 'ab');
  });

  it('a string shorter than the last one in the same place leaves no bytes of it behind', async () => {
    const { sink, buffers } = byteSink();
    await runD('BEGIN { trace("a long string"); } BEGIN { trace(1); } BEGIN { trace("x"); }', { x: { strsize: '16', bufsize: '64', bufpolicy: 'ring' }, engine: { sink } });
    // Ring: the first record is overwritten by the third; only "x" and 1 are left.
    const firings = buffers.flatMap((b) => b.records).flatMap((r) => (r.kind === 'firing' ? [r.data] : []));
    assert.deepEqual(
      firings.map((f) => (typeof f.records[0] === 'bigint' ? f.records[0] : text(f.records[0]!))),
      [1n, 'x'],
    );
    const last = firings.at(-1)!.records[0] as Uint8Array;
    assert.deepEqual(Array.from(last), [120, ...new Array(15).fill(0)]);
  });

  it('a fault is a record of the library ERROR enabling, in buffer order among the firings', async () => {
    const { sink, buffers } = byteSink();
    await runD('BEGIN { trace(1); } BEGIN { trace(*(int *)8); } BEGIN { trace(3); }', { engine: { sink } });
    const order = buffers.flatMap((b) => b.records).map((r) => (r.kind === 'fault' ? `fault ${r.report.epid}/${r.report.action}/${r.report.fault}/${r.report.value}` : `firing ${r.data.epid}`));
    assert.deepEqual(order, ['firing 1', 'fault 2/0/1/8', 'firing 3']);
  });

  it('walltimestamp is the run start plus the header timestamp', async () => {
    const { sink, buffers } = byteSink();
    await runD('tick-1s { trace(1); exit(0); }', { engine: { sink } });
    const f = buffers.flatMap((b) => b.records).find((r) => r.kind === 'firing');
    assert.ok(f?.kind === 'firing');
    assert.equal(f.data.timestamp, 1_000_000_000n);
    assert.equal(f.data.walltimestamp, 1_700_000_000_000_000_000n + 1_000_000_000n);
  });

  it('a structural copy (a debugger checkpoint) has bytes of its own, and its DataView writes into them', () => {
    const buf = new PrincipalBuffer(64, 'switch');
    const at = buf.reserve(16, 4)!;
    buf.data.ensure(at + 16);
    buf.data.putHeader(at, 5, 0x100000002n);
    buf.commit(at, 16);
    const copy = structuralCopy(buf);
    copy.data.putInteger(12, 4, 0xabcdn);
    assert.equal(copy.data.bytes[12], 0xcd);
    assert.equal(buf.data.bytes[12], 0);
    // EPID 5, then the timestamp's high word (1) before its low word (2)
    assert.deepEqual(Array.from(copy.data.bytes.subarray(0, 12)), [5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]);
    assert.deepEqual([copy.take().end, buf.take().end], [16, 16]);
  });
});
