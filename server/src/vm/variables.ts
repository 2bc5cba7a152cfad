// User variables as the kernel keeps them: globals (one copy), clause-locals (one copy per
// CPU, never cleared between firings, as dtvs_locals), thread-locals and associative array
// elements (dynamic variables, charged against the dynamic variable space; storing 0 frees).
// By-reference values (strings, structs) are copied into storage of their own with an
// address, because `ldgs` of a by-ref variable yields a pointer DIF code reads through.

import type { DifType } from '../dif/difo';
import { DIF_TF_BYREF, DIF_TYPE_STRING, DIFV_SCOPE_GLOBAL, DIFV_SCOPE_LOCAL, DIFV_SCOPE_THREAD } from '../dif/variables';
import type { DynamicDropKind, DynamicSpace } from './dynamicSpace';
import { AddressSpace, type Region } from './memory';

// Read once: every variable access tests them (a module namespace's getter each time otherwise).
const BYREF = DIF_TF_BYREF;
const STRING = DIF_TYPE_STRING;

/** One tuple-stack entry: by-value integer, or by-reference bytes (`bytes` set). */
export interface TupleEntry {
  value: bigint;
  bytes?: Uint8Array;
}

interface ByRefSlot {
  region: Region;
  /** The variable holds NULL (a by-ref store of address 0). */
  isNull: boolean;
}

interface DynamicEntry {
  value: bigint;
  region?: Region;
}

export class VariableStore {
  private readonly globals = new Map<number, bigint>();
  private readonly globalRefs = new Map<number, ByRefSlot>();
  private readonly locals: Map<number, bigint>[] = [];
  private readonly localRefs: Map<number, ByRefSlot>[] = [];
  private readonly dynamic = new Map<string, DynamicEntry>();
  /** Thread-local scalars by variable id, then thread key (numbers: no string per access). */
  private readonly threadVars = new Map<number, Map<number, DynamicEntry>>();
  /** Drops counted since the engine last collected them. */
  readonly drops: Record<DynamicDropKind, number> = { DYNAMIC: 0, DYNDIRTY: 0 };

  constructor(
    private readonly space: AddressSpace,
    private readonly types: ReadonlyMap<number, DifType>,
    private readonly dyn: DynamicSpace,
    private readonly strsize: number,
  ) {}

  /** A variable's key in the type map: its scope and 16-bit id as one number (no string per access). */
  static typeKey(scope: number, id: number): number {
    return scope * 0x10000 + id;
  }

  private typeOf(scope: number, id: number): DifType | undefined {
    return this.types.get(VariableStore.typeKey(scope, id));
  }

  /** Bytes a by-ref value of this type occupies, or undefined for a by-value type. */
  private refSize(type: DifType | undefined): number | undefined {
    if (type === undefined || (type.flags & BYREF) === 0) return undefined;
    if (type.kind === STRING) return type.size > 0 ? type.size : this.strsize;
    return type.size;
  }

  private isString(type: DifType | undefined): boolean {
    return type?.kind === STRING;
  }

  /** Copies the object at `addr` into `region` (strings stop at NUL and are NUL padded). */
  private copyIn(region: Region, type: DifType | undefined, addr: bigint): void {
    const size = region.size;
    const data = this.isString(type) ? this.space.readString(addr, size - 1) : this.space.read(addr, size);
    const bytes = new Uint8Array(size);
    bytes.set(data.subarray(0, size));
    region.bytes = bytes;
  }

  // --- globals -------------------------------------------------------------------------------

  loadGlobal(id: number): bigint {
    const type = this.typeOf(DIFV_SCOPE_GLOBAL, id);
    const size = this.refSize(type);
    if (size === undefined) return this.globals.get(id) ?? 0n;
    const slot = this.staticSlot(this.globalRefs, id, size);
    return slot.isNull ? 0n : AddressSpace.address(slot.region);
  }

  storeGlobal(id: number, value: bigint): void {
    const type = this.typeOf(DIFV_SCOPE_GLOBAL, id);
    const size = this.refSize(type);
    if (size === undefined) {
      this.globals.set(id, value);
      return;
    }
    this.storeStatic(this.staticSlot(this.globalRefs, id, size), type, value);
  }

  // --- clause-locals -------------------------------------------------------------------------

  loadLocal(id: number, cpu: number): bigint {
    const type = this.typeOf(DIFV_SCOPE_LOCAL, id);
    const size = this.refSize(type);
    if (size === undefined) return (this.locals[cpu] ??= new Map()).get(id) ?? 0n;
    const slot = this.staticSlot((this.localRefs[cpu] ??= new Map()), id, size);
    return slot.isNull ? 0n : AddressSpace.address(slot.region);
  }

  storeLocal(id: number, cpu: number, value: bigint): void {
    const type = this.typeOf(DIFV_SCOPE_LOCAL, id);
    const size = this.refSize(type);
    if (size === undefined) {
      (this.locals[cpu] ??= new Map()).set(id, value);
      return;
    }
    this.storeStatic(this.staticSlot((this.localRefs[cpu] ??= new Map()), id, size), type, value);
  }

  private staticSlot(map: Map<number, ByRefSlot>, id: number, size: number): ByRefSlot {
    let slot = map.get(id);
    if (slot === undefined) {
      slot = { region: this.space.map('variable', new Uint8Array(size), true), isNull: false };
      map.set(id, slot);
    }
    return slot;
  }

  private storeStatic(slot: ByRefSlot, type: DifType | undefined, value: bigint): void {
    if (value === 0n) {
      slot.isNull = true;
      return;
    }
    this.copyIn(slot.region, type, value);
    slot.isNull = false;
  }

  // --- dynamic variables: thread-locals and associative arrays ------------------------------

  loadThread(id: number, tid: number): bigint {
    const entry = this.threadVars.get(id)?.get(tid);
    if (entry === undefined) return 0n;
    return entry.region !== undefined ? AddressSpace.address(entry.region) : entry.value;
  }

  storeThread(id: number, tid: number, value: bigint): void {
    let byThread = this.threadVars.get(id);
    if (byThread === undefined) this.threadVars.set(id, (byThread = new Map()));
    this.storeIn(byThread, tid, this.typeOf(DIFV_SCOPE_THREAD, id), value);
  }

  loadAssoc(scope: number, id: number, tid: number, tuple: readonly TupleEntry[]): bigint {
    return this.loadDynamic(assocKey(scope, id, tid, tuple));
  }

  storeAssoc(scope: number, id: number, tid: number, tuple: readonly TupleEntry[], value: bigint): void {
    this.storeDynamic(assocKey(scope, id, tid, tuple), this.typeOf(scope, id), value);
  }

  private loadDynamic(key: string): bigint {
    const entry = this.dynamic.get(key);
    if (entry === undefined) return 0n;
    return entry.region !== undefined ? AddressSpace.address(entry.region) : entry.value;
  }

  private storeDynamic(key: string, type: DifType | undefined, value: bigint): void {
    this.storeIn(this.dynamic, key, type, value);
  }

  private storeIn<K>(map: Map<K, DynamicEntry>, key: K, type: DifType | undefined, value: bigint): void {
    const existing = map.get(key);
    if (value === 0n) {
      if (existing !== undefined) {
        if (existing.region !== undefined) this.space.unmap(existing.region);
        map.delete(key);
        this.dyn.free();
      }
      return;
    }
    const size = this.refSize(type);
    let entry = existing;
    if (entry === undefined) {
      const got = this.dyn.allocate();
      if (got !== true) {
        this.drops[got]++;
        return;
      }
      entry = { value: 0n };
      if (size !== undefined) entry.region = this.space.map('variable', new Uint8Array(size), true);
      map.set(key, entry);
    }
    if (entry.region !== undefined) this.copyIn(entry.region, type, value);
    else entry.value = value;
  }

  /**
   * The live elements of an associative array (global, or thread-local of thread `tid`), for
   * the debugger: each key's tuple (integers, or the bytes of a string key) and its value (an
   * address for a by-reference value, as a load gives it).
   */
  assocEntries(scope: number, id: number, tid: number): { tuple: (bigint | Uint8Array)[]; value: bigint }[] {
    const prefix = scope === DIFV_SCOPE_THREAD ? `T${id}:${tid}` : `G${id}`;
    const out: { tuple: (bigint | Uint8Array)[]; value: bigint }[] = [];
    for (const [key, entry] of this.dynamic) {
      if (!key.startsWith(prefix) || (key.length > prefix.length && key[prefix.length] !== '|')) continue;
      out.push({ tuple: tupleOf(key.slice(prefix.length)), value: entry.region !== undefined ? AddressSpace.address(entry.region) : entry.value });
    }
    return out;
  }

  /** Number of live dynamic variables (tests and the debugger). */
  get dynamicCount(): number {
    let n = this.dynamic.size;
    for (const byThread of this.threadVars.values()) n += byThread.size;
    return n;
  }
}

function assocKey(scope: number, id: number, tid: number, tuple: readonly TupleEntry[]): string {
  let key = scope === DIFV_SCOPE_THREAD ? `T${id}:${tid}` : `G${id}`;
  // Strings carry their length: their bytes may hold anything, `|s` included.
  for (const t of tuple) key += t.bytes === undefined ? `|i${t.value.toString(16)}` : `|s${t.bytes.length}:${latin1(t.bytes)}`;
  return key;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

/** The tuple an assocKey() suffix encodes (`|i<hex>` integers, `|s<length>:<latin1>` byte strings). */
function tupleOf(suffix: string): (bigint | Uint8Array)[] {
  const out: (bigint | Uint8Array)[] = [];
  let at = 0;
  while (at < suffix.length) {
    // suffix[at] is the `|` before each element's tag.
    if (suffix[at + 1] === 'i') {
      let end = suffix.indexOf('|', at + 2);
      if (end < 0) end = suffix.length;
      const hex = suffix.slice(at + 2, end);
      out.push(BigInt.asUintN(64, hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex || '0'}`)));
      at = end;
    } else {
      const colon = suffix.indexOf(':', at + 2);
      const length = Number(suffix.slice(at + 2, colon));
      out.push(Uint8Array.from(Buffer.from(suffix.slice(colon + 1, colon + 1 + length), 'latin1')));
      at = colon + 1 + length;
    }
  }
  return out;
}
