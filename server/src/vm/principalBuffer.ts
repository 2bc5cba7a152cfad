// A per-CPU principal buffer of `bufsize` bytes with DTrace's policies (dtrace_buffer_reserve):
//  - switch: records accumulate until the consumer switches the buffer (every switchrate);
//    a record that does not fit is a drop. Padding to the enabling's alignment is part of the
//    buffer's use: the kernel pads with DTRACE_EPIDNONE words.
//  - fill: the same until the first record that does not fit; then the buffer is full and
//    the run stops (END still records: the kernel keeps room for it).
//  - ring: never drops; the oldest records are overwritten, and the consumer reads the buffer
//    once, at the end.
// The records are bytes (bufferBytes.ts) the runtime writes at the offsets reserve() returns; the
// consumer walks them by EPID (bufferWalk.ts). A switch hands the consumer the filled bytes and
// the buffer starts over, which is the kernel's double buffering seen from the consumer: the
// bytes are read before anything is recorded again.

import { BufferBytes } from './bufferBytes';
import type { ByteSpan } from './records';

export type BufferPolicy = 'switch' | 'fill' | 'ring';

export class PrincipalBuffer {
  readonly data: BufferBytes;
  /** End of the last record kept. */
  private offset = 0;
  /** Bytes already handed to the consumer by takeNew() (their space stays used until take()). */
  private delivered = 0;
  /** Ring policy: the buffer wrapped at least once since the last take(). */
  private wrapped = false;
  /**
   * Ring policy: the records not yet overwritten, oldest first, as [offset, size] pairs (after a
   * wrap, a record may outlive a newer one that a later record overwrote).
   */
  private ring: Int32Array = new Int32Array(0);
  private ringLength = 0;
  drops = 0;
  full = false;

  /**
   * @param endReserve fill policy: bytes kept back for END's records (the kernel's dts_reserve),
   *   so that END can still record after the buffer filled.
   */
  constructor(
    readonly size: number,
    readonly policy: BufferPolicy,
    private readonly endReserve = 0,
  ) {
    this.data = new BufferBytes(size);
  }

  /**
   * Reserves `needed` bytes at `align`; returns the record's offset, or undefined (a drop is
   * counted when the kernel would count one). `endRecord` marks END's records in fill mode.
   * Whoever writes there makes the bytes exist first (data.ensure).
   */
  reserve(needed: number, align: number, endRecord = false): number | undefined {
    let offs = this.offset;
    const a = Math.max(align, 4);
    while (offs & (a - 1)) offs += 4;
    if (this.policy === 'ring') {
      if (needed > this.size) {
        this.drops++;
        return undefined;
      }
      if (offs + needed > this.size) {
        offs = 0;
        this.wrapped = true;
      }
      if (this.wrapped) this.overwrite(offs, offs + needed);
      return offs;
    }
    if (this.policy === 'fill' && this.full && !endRecord) return undefined;
    const limit = this.policy === 'fill' && !endRecord ? this.size - this.endReserve : this.size;
    if (offs + needed > limit) {
      if (this.policy === 'fill' && !this.full) this.full = true;
      this.drops++;
      return undefined;
    }
    return offs;
  }

  /** Ring policy: the records [from, to) overlaps disappear. */
  private overwrite(from: number, to: number): void {
    const ring = this.ring;
    let kept = 0;
    for (let k = 0; k < this.ringLength; k++) {
      const at = ring[2 * k]!;
      const size = ring[2 * k + 1]!;
      if (at >= to || at + size <= from) {
        ring[2 * kept] = at;
        ring[2 * kept + 1] = size;
        kept++;
      }
    }
    this.ringLength = kept;
  }

  /**
   * Keeps the record written at an offset `reserve` returned. The words between the previous
   * record and this one become empty EPIDs (they may hold an older record's bytes).
   */
  commit(offset: number, size: number): void {
    if (offset >= this.offset) this.data.clear(this.offset, offset);
    else this.data.clear(0, offset);
    this.offset = offset + size;
    if (this.policy !== 'ring') return;
    if (2 * this.ringLength + 2 > this.ring.length) {
      const grown = new Int32Array(Math.max(16, this.ring.length * 2));
      grown.set(this.ring);
      this.ring = grown;
    }
    this.ring[2 * this.ringLength] = offset;
    this.ring[2 * this.ringLength + 1] = size;
    this.ringLength++;
  }

  /** Bytes left behind `end` (scratch space, which the kernel takes from the buffer's tail). */
  spaceAfter(end: number): number {
    return Math.max(0, this.size - end);
  }

  /**
   * Switches the buffer: the consumer gets everything recorded since the last switch (or
   * takeNew()), to read before anything records here again.
   */
  take(): ByteSpan {
    const out = this.policy === 'ring' ? this.ringContents() : { bytes: this.data.bytes, view: this.data.view, start: this.delivered, end: this.offset };
    this.delivered = 0;
    this.offset = 0;
    this.wrapped = false;
    this.ringLength = 0;
    return out;
  }

  /**
   * The records kept since the last look, without switching: their space stays used until
   * the next take(), so the buffer fills and drops exactly as it would between two switches.
   * (The debugger shows each firing's output at once without changing when records drop.)
   */
  takeNew(): ByteSpan {
    const out = { bytes: this.data.bytes, view: this.data.view, start: this.delivered, end: this.offset };
    this.delivered = this.offset;
    return out;
  }

  /**
   * A ring's surviving records, oldest first, copied into bytes of their own: each keeps its
   * offset modulo 8 (so its alignment), with empty EPIDs between.
   */
  private ringContents(): ByteSpan {
    let end = 0;
    for (let k = 0; k < this.ringLength; k++) end = ((end + 7) & ~7) + (this.ring[2 * k]! & 7) + this.ring[2 * k + 1]!;
    const bytes = new Uint8Array(end);
    let at = 0;
    for (let k = 0; k < this.ringLength; k++) {
      const from = this.ring[2 * k]!;
      const size = this.ring[2 * k + 1]!;
      at = ((at + 7) & ~7) + (from & 7);
      bytes.set(this.data.bytes.subarray(from, from + size), at);
      at += size;
    }
    return { bytes, view: new DataView(bytes.buffer), start: 0, end };
  }

  get used(): number {
    return this.offset;
  }
}
