// A per-CPU aggregation buffer of `aggsize` bytes (dtrace_aggregate): keys and their storage
// grow from the start of the buffer, key descriptors (dtrace_aggkey_t, 24 bytes) and the hash
// table (about an eighth of the buffer) from its end. A new key that does not fit is an
// aggregation drop; the buffer empties each time the consumer snapshots it (every aggrate).

import type { AggregationDesc } from '../codegen/program';
import { aggregateInto, initialData } from './aggregate';
import type { AggregationDelta, RecordValue } from './records';

/** sizeof (dtrace_aggkey_t) and sizeof (dtrace_aggbuffer_t) on LP64. */
const AGGKEY_SIZE = 24;
const AGGBUFFER_SIZE = 24;
/** DTRACE_AGGHASHSIZE_SLEW. */
const HASH_SLEW = 17;

interface Entry {
  id: number;
  key: RecordValue[];
  data: bigint[];
}

export class AggregationBuffer {
  private readonly entries = new Map<string, Entry>();
  private offset = 0;
  private free = 0;
  drops = 0;

  constructor(
    readonly cpu: number,
    readonly size: number,
  ) {
    this.reset();
  }

  private reset(): void {
    this.entries.clear();
    this.offset = 0;
    let hashSize = Math.floor(Math.floor(this.size / 8) / 8);
    if (hashSize > HASH_SLEW << 3) hashSize -= HASH_SLEW;
    this.free = this.size - AGGBUFFER_SIZE - hashSize * 8;
    if (hashSize === 0 || this.free < 0) this.free = -1;
  }

  /**
   * Aggregates `value` under the tuple whose identity is `keyText`, if the buffer holds it;
   * false means the key is new and `insert` must create it.
   */
  update(desc: AggregationDesc, keyText: string, value: bigint, incr: bigint): boolean {
    const entry = this.entries.get(`${desc.id}\u0000${keyText}`);
    if (entry === undefined) return false;
    aggregateInto(desc.fn, entry.data, value, incr);
    return true;
  }

  /**
   * Creates a key and aggregates into it. `keyBytes` is the size of the key records (the
   * tuple the kernel stores with the aggregation id), which decides whether it fits.
   */
  insert(desc: AggregationDesc, keyText: string, key: RecordValue[], keyBytes: number, value: bigint, incr: bigint): void {
    const data = initialData(desc);
    // The stored tuple: the aggregation id word, the key records, then the data, 8-aligned.
    const fsize = 8 + ((keyBytes + 7) & ~7) + data.length * 8;
    const offs = (this.offset + 7) & ~7;
    if (this.free < 0 || offs + fsize > this.free - AGGKEY_SIZE) {
      this.drops++;
      return;
    }
    this.free -= AGGKEY_SIZE;
    this.offset = offs + fsize;
    this.entries.set(`${desc.id}\u0000${keyText}`, { id: desc.id, key, data });
    aggregateInto(desc.fn, data, value, incr);
  }

  /** The snapshot the consumer takes: every key aggregated since the last one. */
  take(): AggregationDelta[] {
    const out: AggregationDelta[] = [];
    for (const e of this.entries.values()) out.push({ id: e.id, cpu: this.cpu, key: e.key, data: e.data });
    this.reset();
    return out;
  }

  /** What the next snapshot would take, left in place (the debugger shows it mid-firing). */
  peek(): AggregationDelta[] {
    const out: AggregationDelta[] = [];
    for (const e of this.entries.values()) out.push({ id: e.id, cpu: this.cpu, key: e.key, data: [...e.data] });
    return out;
  }

  get keyCount(): number {
    return this.entries.size;
  }
}
