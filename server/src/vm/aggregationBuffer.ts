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

/** Counts below this are kept as a JavaScript number (exact) between two reads of the data. */
const PENDING_LIMIT = Number.MAX_SAFE_INTEGER;

/** A key the buffer holds (opaque outside: Runtime.aggregate hands it back to `aggregateEntry`). */
export interface Entry {
  id: number;
  desc: AggregationDesc;
  key: RecordValue[];
  /** The storage words the consumer receives; a count() also has `pending` to add (foldCount). */
  data: bigint[];
  /**
   * count()'s firings not yet added to data[0]: a number, exact below 2^53, so that a count
   * costs no bigint per firing. Folded whenever the data is read (take, takeChanged, peek).
   */
  pending: number;
  /** The tuple's identity: its key values' bytes as Runtime.aggregate encodes them. */
  ident: Uint8Array;
  /** The next entry whose identity has the same hash. */
  chain: Entry | undefined;
  /** Aggregated into since the consumer last received it. */
  dirty: boolean;
}

/**
 * Entries by text: a prototype-less object rather than a Map, because V8 looks a few string
 * keys up in an object through its inline caches, about twice as fast as Map.get.
 */
type TextIndex = Record<string, Entry | undefined>;

export class AggregationBuffer {
  /** Entries by the hash of (aggregation id, identity), collisions chained; no string is built per firing. */
  private readonly byHash = new Map<number, Entry>();
  /** Entries in the order they were created: the order the consumer receives them in. */
  private order: Entry[] = [];
  private offset = 0;
  private free = 0;
  drops = 0;
  /**
   * The most a snapshot's keys took (their stored tuples and descriptors, the bytes `insert`
   * weighs against `capacity`): a parallel replay adds its workers' peaks to know that one
   * buffer holding all their keys could not have dropped any (cli/parallel/).
   */
  peak = 0;
  /** The bytes keys may take between two snapshots (negative: every new key drops). */
  capacity = 0;
  /**
   * Entries by a key value that alone decides the tuple's identity (an integer, or the address
   * of a string in memory that never changes), one map per tuple slot Runtime numbers: a
   * repeated key costs one lookup instead of reading, encoding and hashing its bytes. Emptied
   * with the buffer, and whenever the address space unmaps a region (`generation`).
   */
  private byValue: (Map<bigint, Entry> | undefined)[] = [];
  /**
   * The same by a string key's text, when the key's DIF only takes a built-in string's address
   * (Runtime.aggregateOnly): the text decides the key's bytes, and while `generation` stays the
   * same the string is still mapped, so that looking it up again would change nothing.
   */
  private byText: (TextIndex | undefined)[] = [];
  private byValueGeneration = -1;

  constructor(
    readonly cpu: number,
    readonly size: number,
  ) {
    this.reset();
  }

  private reset(): void {
    this.byHash.clear();
    this.byValue = [];
    this.byText = [];
    this.order = [];
    this.offset = 0;
    let hashSize = Math.floor(Math.floor(this.size / 8) / 8);
    if (hashSize > HASH_SLEW << 3) hashSize -= HASH_SLEW;
    this.free = this.size - AGGBUFFER_SIZE - hashSize * 8;
    if (hashSize === 0 || this.free < 0) this.free = -1;
    this.capacity = this.free;
  }

  private find(id: number, hash: number, ident: Uint8Array, length: number): Entry | undefined {
    for (let e = this.byHash.get(hash); e !== undefined; e = e.chain) {
      if (e.id !== id) continue;
      const x = e.ident;
      if (x.length !== length) continue;
      let k = 0;
      while (k < length && x[k] === ident[k]) k++;
      if (k === length) return e;
    }
    return undefined;
  }

  /**
   * Aggregates `value` under the tuple whose identity is `ident[0, length)` (hashed to
   * `hash`), if the buffer holds it; false means the key is new and `insert` must create it.
   */
  update(desc: AggregationDesc, hash: number, ident: Uint8Array, length: number, value: bigint, incr: bigint): Entry | undefined {
    const entry = this.find(desc.id, hash, ident, length);
    if (entry === undefined) return undefined;
    this.aggregateEntry(entry, value, incr);
    return entry;
  }

  /** Aggregates into a key the buffer holds (found by `update`, `insert` or `cached`). */
  aggregateEntry(entry: Entry, value: bigint, incr: bigint): void {
    if (entry.desc.fn === 'count') {
      if (++entry.pending >= PENDING_LIMIT) foldCount(entry);
    } else aggregateInto(entry.desc.fn, entry.data, value, incr);
    entry.dirty = true;
  }

  /**
   * The entry remembered for `value` in tuple slot `slot`; `generation` is the address space's
   * (AddressSpace.generation): a string's address only stands for its bytes while mapped.
   */
  cached(slot: number, value: bigint, generation: number): Entry | undefined {
    if (generation !== this.byValueGeneration) return this.forget(generation);
    return this.byValue[slot]?.get(value);
  }

  /** Remembers that `value` in tuple slot `slot` is `entry`'s tuple (see `cached`). */
  remember(slot: number, value: bigint, generation: number, entry: Entry): void {
    if (generation !== this.byValueGeneration) this.forget(generation);
    (this.byValue[slot] ??= new Map()).set(value, entry);
  }

  /** The entry remembered for a string key's text in tuple slot `slot` (see `byText`). */
  cachedText(slot: number, text: string, generation: number): Entry | undefined {
    if (generation !== this.byValueGeneration) return this.forget(generation);
    return this.byText[slot]?.[text];
  }

  rememberText(slot: number, text: string, generation: number, entry: Entry): void {
    if (generation !== this.byValueGeneration) this.forget(generation);
    (this.byText[slot] ??= Object.create(null) as TextIndex)[text] = entry;
  }

  private forget(generation: number): undefined {
    this.byValue = [];
    this.byText = [];
    this.byValueGeneration = generation;
    return undefined;
  }

  /**
   * Creates a key and aggregates into it. `keyBytes` is the size of the key records (the
   * tuple the kernel stores with the aggregation id), which decides whether it fits.
   */
  insert(desc: AggregationDesc, hash: number, ident: Uint8Array, length: number, key: RecordValue[], keyBytes: number, value: bigint, incr: bigint): Entry | undefined {
    const data = initialData(desc);
    // The stored tuple: the aggregation id word, the key records, then the data, 8-aligned.
    const fsize = 8 + ((keyBytes + 7) & ~7) + data.length * 8;
    const offs = (this.offset + 7) & ~7;
    if (this.free < 0 || offs + fsize > this.free - AGGKEY_SIZE) {
      this.drops++;
      return undefined;
    }
    this.free -= AGGKEY_SIZE;
    this.offset = offs + fsize;
    const entry: Entry = { id: desc.id, desc, key, data, pending: 0, ident: ident.slice(0, length), chain: this.byHash.get(hash), dirty: true };
    this.byHash.set(hash, entry);
    this.order.push(entry);
    this.aggregateEntry(entry, value, incr);
    return entry;
  }

  /** The snapshot the consumer takes: every key aggregated since the last one. */
  take(): AggregationDelta[] {
    const used = this.offset + AGGKEY_SIZE * this.order.length;
    if (used > this.peak) this.peak = used;
    const out: AggregationDelta[] = [];
    for (const e of this.order) {
      if (!e.dirty) continue;
      foldCount(e);
      out.push({ id: e.id, cpu: this.cpu, key: e.key, data: e.data });
    }
    this.reset();
    return out;
  }

  /**
   * The keys aggregated into since the last look, handed over as deltas without emptying the
   * buffer: each key keeps its space (and starts a fresh delta), so new keys drop exactly as
   * they would before the next real snapshot. (The debugger's per-firing look.)
   */
  takeChanged(): AggregationDelta[] {
    const out: AggregationDelta[] = [];
    for (const e of this.order) {
      if (!e.dirty) continue;
      foldCount(e);
      out.push({ id: e.id, cpu: this.cpu, key: e.key, data: e.data });
      e.data = initialData(e.desc);
      e.dirty = false;
    }
    return out;
  }

  /** What the next snapshot would take, left in place (the debugger shows it mid-firing). */
  peek(): AggregationDelta[] {
    const out: AggregationDelta[] = [];
    for (const e of this.order) {
      foldCount(e);
      out.push({ id: e.id, cpu: this.cpu, key: e.key, data: [...e.data] });
    }
    return out;
  }

  get keyCount(): number {
    return this.order.length;
  }
}

/** Adds a count()'s pending firings to its storage word (wrapping at 2^64, as each increment would). */
function foldCount(e: Entry): void {
  if (e.pending === 0) return;
  e.data[0] = BigInt.asUintN(64, e.data[0]! + BigInt(e.pending));
  e.pending = 0;
}
