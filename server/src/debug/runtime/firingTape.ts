// The firings of a debug session, kept so that any stretch of the run can be executed again:
// going backwards re-executes from a checkpoint, and a live capture cannot be asked twice. The
// source is read lazily (a live capture's firings arrive as the run needs them) and every
// firing read is kept, packed into growing typed columns (a million firings take tens of
// megabytes, not the hundreds their objects would); a firing is rebuilt when a run reads it.
import type { ProbeFiring } from '../../vm/engine';

/** Growable columns of one numeric type. */
class Column<T extends Int32Array | Float64Array | BigInt64Array> {
  data: T;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  ensure(n: number): void {
    if (n <= this.data.length) return;
    let size = this.data.length;
    while (size < n) size *= 2;
    const grown = this.make(size);
    grown.set(this.data as never);
    this.data = grown;
  }
}

const NONE = -1;

export class FiringTape {
  private count = 0;
  private readonly probe = new Column((n) => new Int32Array(n));
  private readonly timestamp = new Column((n) => new BigInt64Array(n));
  /** cpu, pid, tid, ppid, uid, gid, errno, execname index, args offset, args count, extra index: 11 per firing. */
  private readonly ints = new Column((n) => new Int32Array(n));
  private readonly args = new Column((n) => new BigInt64Array(n));
  private argsUsed = 0;
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  /** What does not pack (user memory, argv, the parentOf function), for the firings that have it. */
  private readonly extras: Pick<ProbeFiring, 'userMemory' | 'argv' | 'parentOf' | 'ppid' | 'uid' | 'gid' | 'errno'>[] = [];
  private done = false;
  private reading: Promise<void> | undefined;

  constructor(private readonly source: AsyncIterator<ProbeFiring> | undefined) {
    if (source === undefined) this.done = true;
  }

  /** There is a source at all (without one, only BEGIN, END and the periodic probes fire). */
  get hasSource(): boolean {
    return this.source !== undefined;
  }

  /** Firings read so far. */
  get length(): number {
    return this.count;
  }

  /** Every firing has been read. */
  get complete(): boolean {
    return this.done;
  }

  /** Bytes the packed firings take. */
  get bytes(): number {
    return this.probe.data.byteLength + this.timestamp.data.byteLength + this.ints.data.byteLength + this.args.data.byteLength;
  }

  private keep(f: ProbeFiring): void {
    const i = this.count;
    this.probe.ensure(i + 1);
    this.timestamp.ensure(i + 1);
    this.ints.ensure((i + 1) * 11);
    this.args.ensure(this.argsUsed + f.args.length);
    this.probe.data[i] = f.probeId;
    this.timestamp.data[i] = BigInt.asIntN(64, f.timestamp);
    let name = this.nameIds.get(f.execname);
    if (name === undefined) {
      name = this.names.length;
      this.names.push(f.execname);
      this.nameIds.set(f.execname, name);
    }
    let extra = NONE;
    if (f.userMemory !== undefined || f.argv !== undefined || f.parentOf !== undefined) {
      // Most firings share their extras (the source's one parentOf function): keep one copy.
      const last = this.extras[this.extras.length - 1];
      if (last !== undefined && last.userMemory === f.userMemory && last.argv === f.argv && last.parentOf === f.parentOf) extra = this.extras.length - 1;
    }
    if (extra === NONE && (f.userMemory !== undefined || f.argv !== undefined || f.parentOf !== undefined)) {
      extra = this.extras.length;
      this.extras.push({
        ...(f.userMemory !== undefined ? { userMemory: f.userMemory } : {}),
        ...(f.argv !== undefined ? { argv: f.argv } : {}),
        ...(f.parentOf !== undefined ? { parentOf: f.parentOf } : {}),
      });
    }
    const o = i * 11;
    const ints = this.ints.data;
    ints[o] = f.cpu;
    ints[o + 1] = f.pid;
    ints[o + 2] = f.tid;
    ints[o + 3] = f.ppid ?? NONE;
    ints[o + 4] = f.uid ?? NONE;
    ints[o + 5] = f.gid ?? NONE;
    ints[o + 6] = f.errno ?? NONE;
    ints[o + 7] = name;
    ints[o + 8] = this.argsUsed;
    ints[o + 9] = f.args.length;
    ints[o + 10] = extra;
    for (const a of f.args) this.args.data[this.argsUsed++] = BigInt.asIntN(64, a);
    this.count++;
  }

  at(index: number): ProbeFiring | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const o = index * 11;
    const ints = this.ints.data;
    const args: bigint[] = new Array<bigint>(ints[o + 9]!);
    const from = ints[o + 8]!;
    for (let k = 0; k < args.length; k++) args[k] = BigInt.asUintN(64, this.args.data[from + k]!);
    const extra = ints[o + 10]! === NONE ? undefined : this.extras[ints[o + 10]!];
    const f: ProbeFiring = {
      probeId: this.probe.data[index]!,
      timestamp: BigInt.asUintN(64, this.timestamp.data[index]!),
      cpu: ints[o]!,
      pid: ints[o + 1]!,
      tid: ints[o + 2]!,
      execname: this.names[ints[o + 7]!]!,
      args,
      ...(extra ?? {}),
    };
    if (ints[o + 3] !== NONE) f.ppid = ints[o + 3]!;
    if (ints[o + 4] !== NONE) f.uid = ints[o + 4]!;
    if (ints[o + 5] !== NONE) f.gid = ints[o + 5]!;
    if (ints[o + 6] !== NONE) f.errno = ints[o + 6]!;
    return f;
  }

  /** Makes sure firing `index` has been read, if the source has it. */
  async fetch(index: number): Promise<void> {
    while (!this.done && this.count <= index) {
      // One read at a time: two executions may ask for the same firing.
      this.reading ??= (async () => {
        const r = await this.source!.next();
        if (r.done) this.done = true;
        else this.keep(r.value);
      })().finally(() => (this.reading = undefined));
      await this.reading;
    }
  }

  /** A fresh pass over the firings, from `from` (the engine's firings input). */
  cursor(from = 0): AsyncIterable<ProbeFiring> & { position: number } {
    const tape = this;
    const c = {
      position: from,
      [Symbol.asyncIterator](): AsyncIterator<ProbeFiring> {
        return {
          async next(): Promise<IteratorResult<ProbeFiring>> {
            if (c.position >= tape.count) await tape.fetch(c.position);
            const f = tape.at(c.position);
            if (f === undefined) return { done: true, value: undefined };
            c.position++;
            return { done: false, value: f };
          },
          async return(): Promise<IteratorResult<ProbeFiring>> {
            return { done: true, value: undefined };
          },
        };
      },
    };
    return c;
  }

  /** Stops reading the source. */
  async close(): Promise<void> {
    this.done = true;
    await this.source?.return?.();
  }
}

