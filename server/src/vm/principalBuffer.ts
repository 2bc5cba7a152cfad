// A per-CPU principal buffer of `bufsize` bytes with DTrace's policies (dtrace_buffer_reserve):
//  - switch: records accumulate until the consumer switches the buffer (every switchrate);
//    a record that does not fit is a drop. Padding to the enabling's alignment is part of the
//    buffer's use, as the kernel pads with DTRACE_EPIDNONE words.
//  - fill: the same until the first record that does not fit; then the buffer is full and
//    the run stops (END still records: the kernel keeps room for it).
//  - ring: never drops; the oldest records are overwritten, and the consumer reads the buffer
//    once, at the end.
// Entries are kept as objects (the consumer gets them in order); only their sizes live here.

import type { FaultReport, FiringData } from './records';

export type BufferPolicy = 'switch' | 'fill' | 'ring';

/** A principal-buffer item: an enabling's firing, or the error enabling's record of a fault. */
export type BufferEntry =
  | { kind: 'firing'; data: FiringData; offset: number; size: number }
  | { kind: 'fault'; report: FaultReport; offset: number; size: number };

export class PrincipalBuffer {
  private entries: BufferEntry[] = [];
  /** Entries already handed to the consumer by takeNew() (their space stays used until take()). */
  private delivered = 0;
  private offset = 0;
  /** Ring policy: bytes at the start of the buffer already overwritten by wrapped records. */
  private wrapped = false;
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
  ) {}

  /**
   * Reserves `needed` bytes at `align`; returns the record's offset, or undefined (a drop is
   * counted when the kernel would count one). `endRecord` marks END's records in fill mode.
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
      if (this.wrapped) {
        // Overwritten records disappear from the front.
        const end = offs + needed;
        this.entries = this.entries.filter((e) => e.offset >= end || e.offset + e.size <= offs);
      }
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

  /** Records an entry at an offset `reserve` returned. */
  commit(entry: BufferEntry): void {
    this.entries.push(entry);
    this.offset = entry.offset + entry.size;
  }

  /** Bytes left behind `end` (scratch space, which the kernel takes from the buffer's tail). */
  spaceAfter(end: number): number {
    return Math.max(0, this.size - end);
  }

  /** Switches the buffer: the consumer gets everything recorded since the last switch (or takeNew()). */
  take(): BufferEntry[] {
    const out = this.delivered === 0 ? this.entries : this.entries.slice(this.delivered);
    this.entries = [];
    this.delivered = 0;
    this.offset = 0;
    this.wrapped = false;
    return out;
  }

  /**
   * The entries recorded since the last look, without switching: their space stays used until
   * the next take(), so the buffer fills and drops exactly as it would between two switches.
   * (The debugger shows each firing's output at once without changing when records drop.)
   */
  takeNew(): BufferEntry[] {
    const out = this.entries.slice(this.delivered);
    this.delivered = this.entries.length;
    return out;
  }

  get used(): number {
    return this.offset;
  }
}
