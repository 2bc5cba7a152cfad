// Speculative buffers (nspec of them, specsize bytes per CPU each) and their life cycle as the
// kernel runs it: speculation() hands out an inactive buffer; speculate() sends an enabling's
// record there; commit() copies the current CPU's part to its principal buffer and discard()
// drops it. When only the current CPU holds data the speculation is free again at once;
// otherwise the other CPUs' parts are committed or discarded by the cleaner (every
// cleanrate), and until then the speculation is busy: speculation() calls that find nothing
// free count as "busy" failures while some buffer waits for the cleaner, else "unavailable".
// A CPU's part is bytes laid out as in a principal buffer; commit copies them there.

import { BufferBytes } from './bufferBytes';

type SpecState = 'inactive' | 'active' | 'committing' | 'discarding';

export interface SpecCpuBuffer {
  data: BufferBytes;
  /** End of the last record kept. */
  used: number;
  records: number;
}

interface Speculation {
  state: SpecState;
  perCpu: Map<number, SpecCpuBuffer>;
  /** Each CPU's bytes, kept from one use of the speculation to the next (a part's are read before it ends). */
  bytes: Map<number, BufferBytes>;
}

export interface SpeculationCounters {
  SPEC: number;
  SPECBUSY: number;
  SPECUNAVAIL: number;
}

export class Speculations {
  private readonly specs: Speculation[];
  readonly drops: SpeculationCounters = { SPEC: 0, SPECBUSY: 0, SPECUNAVAIL: 0 };

  constructor(
    nspec: number,
    private readonly specsize: number,
  ) {
    this.specs = Array.from({ length: Math.max(0, nspec) }, () => ({ state: 'inactive' as SpecState, perCpu: new Map(), bytes: new Map() }));
  }

  /** speculation(): 1-based id, or 0 with a busy/unavailable failure counted. */
  allocate(): number {
    const i = this.specs.findIndex((s) => s.state === 'inactive');
    if (i >= 0) {
      this.specs[i]!.state = 'active';
      return i + 1;
    }
    if (this.specs.some((s) => s.state === 'committing' || s.state === 'discarding')) this.drops.SPECBUSY++;
    else this.drops.SPECUNAVAIL++;
    return 0;
  }

  /**
   * Whether commit(id)/discard(id) name a speculation at all: 0 is silently nothing, and an ID
   * beyond nspec is an illegal operation (the kernel's dtrace_specid_t is 32 bits).
   */
  validId(id: number): boolean {
    return id <= this.specs.length;
  }

  /** Whether speculate(id) may record into the speculation. */
  isActive(id: number): boolean {
    return this.specs[id - 1]?.state === 'active';
  }

  /**
   * Reserves room for one record in the CPU's part of speculation `id`; false (a speculative
   * drop) when specsize is exceeded, undefined when the speculation is not active.
   */
  reserve(id: number, cpu: number, needed: number, align: number): number | false | undefined {
    const spec = this.specs[id - 1];
    if (spec === undefined || spec.state !== 'active') return undefined;
    let part = spec.perCpu.get(cpu);
    if (part === undefined) {
      let data = spec.bytes.get(cpu);
      if (data === undefined) spec.bytes.set(cpu, (data = new BufferBytes(this.specsize)));
      part = { data, used: 0, records: 0 };
      spec.perCpu.set(cpu, part);
    }
    let offs = part.used;
    const a = Math.max(align, 4);
    while (offs & (a - 1)) offs += 4;
    if (offs + needed > this.specsize) {
      this.drops.SPEC++;
      return false;
    }
    part.data.ensure(offs + needed);
    return offs;
  }

  /** Where speculate(id)'s records go on `cpu` (the part reserve() made). */
  bytesOf(id: number, cpu: number): BufferBytes | undefined {
    return this.specs[id - 1]?.perCpu.get(cpu)?.data;
  }

  /** Keeps the record written at an offset reserve() returned (padding before it becomes empty EPIDs). */
  record(id: number, cpu: number, offset: number, size: number): void {
    const part = this.specs[id - 1]?.perCpu.get(cpu);
    if (part === undefined) return;
    part.data.clear(part.used, offset);
    part.used = offset + size;
    part.records++;
  }

  /**
   * commit(id) on `cpu`: returns the CPU's part (its records to copy into the principal buffer),
   * if it has one.
   */
  commit(id: number, cpu: number): SpecCpuBuffer | undefined {
    return this.finish(id, cpu, 'committing');
  }

  discard(id: number, cpu: number): void {
    this.finish(id, cpu, 'discarding');
  }

  private finish(id: number, cpu: number, next: 'committing' | 'discarding'): SpecCpuBuffer | undefined {
    const spec = this.specs[id - 1];
    if (spec === undefined || spec.state !== 'active') return undefined;
    const part = spec.perCpu.get(cpu);
    spec.perCpu.delete(cpu);
    const othersHoldData = [...spec.perCpu.values()].some((p) => p.records > 0);
    if (othersHoldData) spec.state = next;
    else {
      spec.state = 'inactive';
      spec.perCpu.clear();
    }
    return part;
  }

  /**
   * The cleaner's pass: committing speculations hand every remaining CPU part to `deliver`
   * (which copies it to that CPU's principal buffer); discarding ones drop theirs.
   */
  clean(deliver: (cpu: number, part: SpecCpuBuffer) => void): void {
    for (const spec of this.specs) {
      if (spec.state === 'committing') {
        for (const [cpu, part] of spec.perCpu) deliver(cpu, part);
      }
      if (spec.state === 'committing' || spec.state === 'discarding') {
        spec.perCpu.clear();
        spec.state = 'inactive';
      }
    }
  }
}
