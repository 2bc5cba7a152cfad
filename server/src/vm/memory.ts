// The VM's address space. DIF code handles addresses as plain 64-bit integers (strings,
// by-reference variables, scratch allocations), so every object a DIF program may point at lives
// in a region with an address. A region's id is the high 32 bits of its addresses and the low
// 32 bits are the offset inside it, which makes a lookup one Map access and keeps every region
// start 2^32-aligned (so natural alignment inside a region is alignment of the address).
// Address 0 and anything outside a live region is unmapped: loads and stores there fault
// badaddr, as the kernel's checked loads do for memory DTrace does not own. Loads need no
// alignment on x86 (DTRACE_ALIGNCHECK is empty there); stores always do.

import { DTRACEFLT_BADADDR, DTRACEFLT_BADALIGN } from '../dif/faults';

/** A fault raised while running DIF; carries DTrace's fault code and the offending value. */
export class DifFault extends Error {
  constructor(
    readonly fault: number,
    readonly value: bigint = 0n,
  ) {
    super(`DIF fault ${fault}`);
  }
}

export type RegionKind = 'strtab' | 'scratch' | 'variable' | 'builtin' | 'probe' | 'kernel';

export interface Region {
  readonly id: number;
  readonly kind: RegionKind;
  /** Backing bytes; may be shorter than `size` (the rest reads as zero until written). */
  bytes: Uint8Array;
  /** Bytes addressable in this region. */
  size: number;
  readonly writable: boolean;
}

const REGION_SHIFT = 32n;
const OFFSET_MASK = 0xffffffffn;
/** First region id: keeps every valid address far from 0 and from small integers. */
const FIRST_REGION = 0x10;

export class AddressSpace {
  private readonly regions = new Map<number, Region>();
  private nextId = FIRST_REGION;
  /**
   * Counts unmaps of regions whose bytes never change (fixedAt): while it stays the same, an
   * address that named one still does (ids are never reused), so caches keyed by such addresses
   * (AggregationBuffer's) know when to forget.
   */
  generation = 0;

  /**
   * @param loadAlignment the largest alignment the kernel's checked loads (dtrace_load16/32/64)
   *   insist on: 0 where they check none (illumos and FreeBSD on x86), 4 for XNU, which
   *   checks MIN(size, 4) on every architecture. Stores always check natural alignment.
   */
  constructor(private readonly loadAlignment = 0) {}

  map(kind: RegionKind, bytes: Uint8Array, writable: boolean, size = bytes.length): Region {
    const region: Region = { id: this.nextId++, kind, bytes, size, writable };
    this.regions.set(region.id, region);
    return region;
  }

  unmap(region: Region): void {
    if (this.regions.delete(region.id) && isFixed(region)) this.generation++;
  }

  /**
   * Whether `addr` lies in a region whose bytes never change while it is mapped: built-in
   * strings and DIF string tables (read-only, filled once when mapped).
   */
  fixedAt(addr: bigint): boolean {
    const region = this.regions.get(Number(addr >> REGION_SHIFT));
    return region !== undefined && isFixed(region);
  }

  static address(region: Region, offset = 0): bigint {
    return (BigInt(region.id) << REGION_SHIFT) | BigInt(offset);
  }

  /** The region and offset `addr` names, with `length` bytes from there inside the region. */
  resolve(addr: bigint, length: number, write: boolean): { region: Region; offset: number } {
    const region = this.regions.get(Number(addr >> REGION_SHIFT));
    const offset = Number(addr & OFFSET_MASK);
    if (region === undefined || offset + length > region.size || (write && !region.writable)) {
      throw new DifFault(DTRACEFLT_BADADDR, addr);
    }
    return { region, offset };
  }

  /** Whether `length` bytes at `addr` are readable. */
  readable(addr: bigint, length: number): boolean {
    const region = this.regions.get(Number(addr >> REGION_SHIFT));
    return region !== undefined && Number(addr & OFFSET_MASK) + length <= region.size;
  }

  load(addr: bigint, size: 1 | 2 | 4 | 8, signed: boolean): bigint {
    // The alignment check comes before the address check, as in dtrace_load*().
    const align = Math.min(size, this.loadAlignment);
    if (align > 1 && (addr & BigInt(align - 1)) !== 0n) throw new DifFault(DTRACEFLT_BADALIGN, addr);
    // resolve() inlined: a load is one instruction, and this is the hottest path of the VM.
    const region = this.regions.get(Number(addr >> REGION_SHIFT));
    const offset = Number(addr & OFFSET_MASK);
    if (region === undefined || offset + size > region.size) throw new DifFault(DTRACEFLT_BADADDR, addr);
    let v = 0n;
    // Little-endian, as on every platform DTrace runs on that we emulate (amd64, arm64).
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(byteAt(region, offset + i));
    return signed ? BigInt.asUintN(64, BigInt.asIntN(size * 8, v)) : v;
  }

  store(addr: bigint, size: 1 | 2 | 4 | 8, value: bigint): void {
    // dtrace_canstore() first (badaddr), then the alignment (badalign), as the st* opcodes do.
    const { region, offset } = this.resolve(addr, size, true);
    if (size > 1 && (addr & BigInt(size - 1)) !== 0n) throw new DifFault(DTRACEFLT_BADALIGN, addr);
    ensure(region, offset + size);
    let v = value;
    for (let i = 0; i < size; i++) {
      region.bytes[offset + i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }

  /** Copies `length` bytes out (reading past the backing store gives zeros). */
  read(addr: bigint, length: number): Uint8Array {
    const { region, offset } = this.resolve(addr, length, false);
    const out = new Uint8Array(length);
    const available = Math.max(0, Math.min(length, region.bytes.length - offset));
    if (available > 0) out.set(region.bytes.subarray(offset, offset + available));
    return out;
  }

  /** read() into `dest` at `at` (a buffer record) instead of new bytes. */
  readInto(addr: bigint, length: number, dest: Uint8Array, at: number): void {
    const { region, offset } = this.resolve(addr, length, false);
    const available = Math.max(0, Math.min(length, region.bytes.length - offset));
    if (available > 0) dest.set(region.bytes.subarray(offset, offset + available), at);
    if (available < length) dest.fill(0, at + available, at + length);
  }

  /**
   * The string at `addr` as a `size`-byte record in `dest` at `at`: at most size - 1 bytes
   * (readString's walk and faults), NUL-padded to `size`.
   */
  readStringInto(addr: bigint, dest: Uint8Array, at: number, size: number): void {
    const region = this.regions.get(Number(addr >> REGION_SHIFT));
    const offset = Number(addr & OFFSET_MASK);
    if (region === undefined) throw new DifFault(DTRACEFLT_BADADDR, addr);
    const n = stringEnd(region, offset, addr, Math.max(0, size - 1)) - offset;
    const bytes = region.bytes;
    // Bytes past the backing store read as zeros, like the NUL padding.
    const backed = Math.max(0, Math.min(n, bytes.length - offset));
    if (backed > 32) dest.set(bytes.subarray(offset, offset + backed), at);
    else for (let k = 0; k < backed; k++) dest[at + k] = bytes[offset + k]!;
    dest.fill(0, at + backed, at + size);
  }

  write(addr: bigint, data: Uint8Array): void {
    const { region, offset } = this.resolve(addr, data.length, true);
    ensure(region, offset + data.length);
    region.bytes.set(data, offset);
  }

  /**
   * The NUL-terminated string at `addr`, at most `max` bytes (DTrace bounds every string walk
   * by strsize). Faults badaddr when the walk leaves mapped memory before a NUL or the bound.
   * The result may be a view of the memory: copy it before anything writes there again.
   */
  readString(addr: bigint, max: number): Uint8Array {
    const region = this.regions.get(Number(addr >> REGION_SHIFT));
    const offset = Number(addr & OFFSET_MASK);
    if (region === undefined) throw new DifFault(DTRACEFLT_BADADDR, addr);
    const end = stringEnd(region, offset, addr, max);
    // A view when the bytes are all backed (callers use it before memory changes again).
    if (end <= region.bytes.length) return region.bytes.subarray(offset, end);
    const out = new Uint8Array(end - offset);
    const available = Math.max(0, Math.min(end, region.bytes.length) - offset);
    if (available > 0) out.set(region.bytes.subarray(offset, offset + available));
    return out;
  }
}

/** Built-in strings and string tables: read-only, filled once when mapped. */
function isFixed(region: Region): boolean {
  return !region.writable && (region.kind === 'builtin' || region.kind === 'strtab');
}

/**
 * Where the NUL-terminated string at `offset` of `region` ends, walking at most `max` bytes;
 * faults badaddr when the walk leaves mapped memory before a NUL or the bound.
 */
function stringEnd(region: Region, offset: number, addr: bigint, max: number): number {
  if (offset >= region.size) throw new DifFault(DTRACEFLT_BADADDR, addr);
  const limit = Math.min(region.size, offset + max);
  let end = offset;
  while (end < limit && byteAt(region, end) !== 0) end++;
  if (end === region.size && end < offset + max) {
    // ran off the end of the region without a terminator
    throw new DifFault(DTRACEFLT_BADADDR, addr + BigInt(end - offset));
  }
  return end;
}

function byteAt(region: Region, offset: number): number {
  return offset < region.bytes.length ? region.bytes[offset]! : 0;
}

/** Grows a lazily backed region so that `end` bytes exist. */
function ensure(region: Region, end: number): void {
  if (end <= region.bytes.length) return;
  const grown = new Uint8Array(Math.min(region.size, Math.max(end, region.bytes.length * 2, 64)));
  grown.set(region.bytes);
  region.bytes = grown;
}

/**
 * Per-firing scratch space. DTrace carves it out of the principal buffer behind the record
 * just reserved, so its size is whatever the buffer has left (dtrace_buffer_reserve); it is
 * reset for every enabling that fires.
 */
export class Scratch {
  readonly region: Region;
  private used = 0;

  constructor(space: AddressSpace) {
    this.region = space.map('scratch', new Uint8Array(0), true, 0);
  }

  reset(size: number): void {
    this.used = 0;
    this.region.size = size;
    // Every allocation zeroes its bytes, so stale contents need no clearing; only give back
    // a backing store that grew large.
    if (this.region.bytes.length > 1 << 20) this.region.bytes = new Uint8Array(0);
  }

  /**
   * Zeroed allocation (8-aligned for allocs/alloca/copyin; string results are not aligned);
   * undefined when scratch is exhausted (the caller faults).
   */
  allocate(size: number, align = 8): bigint | undefined {
    const start = Math.ceil(this.used / align) * align;
    if (size < 0 || start + size > this.region.size) return undefined;
    this.used = start + size;
    ensure(this.region, this.used);
    this.region.bytes.fill(0, start, this.used);
    return AddressSpace.address(this.region, start);
  }

  contains(addr: bigint): boolean {
    return Number(addr >> REGION_SHIFT) === this.region.id;
  }

  /**
   * DTRACE_INSCRATCH: `size` bytes at `addr` lie within what this firing allocated (from the
   * scratch base to the scratch pointer), the size taken as the full 64-bit value.
   */
  holds(addr: bigint, size: bigint): boolean {
    if (!this.contains(addr)) return false;
    const offset = addr - AddressSpace.address(this.region, 0);
    return offset >= 0n && size >= 0n && offset + size <= BigInt(this.used);
  }

  /** Bytes left from the current scratch pointer (DTRACE_INSCRATCH's test, before alignment). */
  get remaining(): number {
    return Math.max(0, this.region.size - this.used);
  }

  /** The scratch pointer, to come back to with rewind() (the debugger evaluates without leaving allocations behind). */
  get mark(): number {
    return this.used;
  }

  rewind(mark: number): void {
    this.used = mark;
  }
}

/**
 * A traced process's user memory as one firing sees it: the bytes a replayed trace recorded
 * (the trace reader's TraceMemory fits this shape). copyin() and friends read it; anything it
 * does not hold faults like an unmapped user page.
 */
export interface UserMemory {
  /** `size` bytes at `address`, or undefined when any of them is missing. */
  read(address: bigint, size: number): Uint8Array | undefined;
  /** The string at `address` without its NUL, looking at no more than `max` bytes; undefined when a missing byte comes first. */
  readCString(address: bigint, max: number): Uint8Array | undefined;
}

/**
 * Where a copy from user memory faults: the first byte of `size` at `address` that `memory`
 * does not hold (a real copy faults at the first unmapped byte it touches).
 */
export function firstMissingByte(memory: UserMemory | undefined, address: bigint, size: number): bigint {
  if (memory === undefined || memory.read(address, 1) === undefined) return address;
  // Readable prefixes are monotone in their length: find the longest by bisection.
  let lo = 1;
  let hi = size;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (memory.read(address, mid) !== undefined) lo = mid;
    else hi = mid - 1;
  }
  return BigInt.asUintN(64, address + BigInt(lo));
}
