// A small modelled piece of kernel memory: objects laid out with the member offsets and sizes
// the front end computed from the flavour's D library, some members filled in (by path, such
// as `td_proc->p_pid` or `p_user.u_comm`), the rest zero. Pointer members that a path walks
// through get an object of their own; named objects let several pointers share one (a thread
// and its process point at each other). The result is one read-only region: every read inside
// it succeeds (unfilled bytes read zero, and the region runs on past its last object so reads
// a little beyond a structure do too), so translators over the image never fault unless they
// follow a NULL pointer the real kernel also leaves NULL.
import { resolve, type CType, type Member, type StructType } from '../analyze/types/ctype';
import { AddressSpace, type Region } from './memory';

/** What a member gets. */
export type ImageValue =
  /** An integer (or enum) member, or a raw address in a pointer member. */
  | number
  | bigint
  /** Text: into a char array member (NUL-terminated, truncated to fit), or a pointer member (to a copy). */
  | string
  /** Bytes into an array member; a flexible last array (`ar_args[1]`) grows its object to hold them. */
  | Uint8Array
  /** A pointer member to the named object, created on first mention with `type` or the pointer's target type. */
  | { object: string; type?: string };

export interface ImageField {
  /** Members from the root structure: `->` follows a pointer, `.` enters an embedded structure, `[n]` an array element. */
  path: string;
  value: ImageValue;
}

interface ImageObject {
  bytes: Uint8Array;
  align: number;
  /** The object's place in the image, once laid out. */
  offset: number;
  type?: StructType;
}

interface Fixup {
  from: ImageObject;
  at: number;
  to: ImageObject;
}

/** Bytes of zeros after the last object: reads just past a structure still land in the image. */
const TAIL = 4096;

const enc = new TextEncoder();

export class KernelImageBuilder {
  readonly root: ImageObject;
  /** Paths that name no member of the library's structures (the library may declare fewer). */
  readonly unresolved: string[] = [];
  private readonly objects: ImageObject[] = [];
  private readonly named = new Map<string, ImageObject>();
  private fixups: Fixup[] = [];

  /**
   * @param rootType the structure the image's address points at (curthread's target)
   * @param typeNamed a type by its D spelling, for pointers whose target the path names (`void *`)
   */
  constructor(
    rootType: CType,
    private readonly typeNamed: (name: string) => CType | undefined,
    rootName = 'root',
  ) {
    this.root = this.structObject(rootType) ?? this.addObject(new Uint8Array(0), 8);
    this.named.set(rootName, this.root);
  }

  /** Fills the member at `path`; false (and the path noted) when the structures have no such member. */
  set(path: string, value: ImageValue): boolean {
    const ok = this.trySet(path, value);
    if (!ok) this.unresolved.push(path);
    return ok;
  }

  /** Lays the objects out in one read-only region of `space`; returns the root's address. */
  build(space: AddressSpace): { region: Region; address: bigint } {
    let end = 0;
    for (const o of this.objects) {
      end = Math.ceil(end / o.align) * o.align;
      o.offset = end;
      end += o.bytes.length;
    }
    const bytes = new Uint8Array(end);
    for (const o of this.objects) bytes.set(o.bytes, o.offset);
    const region = space.map('kernel', bytes, false, end + TAIL);
    const base = AddressSpace.address(region);
    for (const f of this.fixups) putInt(bytes, f.from.offset + f.at, 8, base + BigInt(f.to.offset));
    return { region, address: base + BigInt(this.root.offset) };
  }

  private trySet(path: string, value: ImageValue): boolean {
    const steps = parsePath(path);
    if (steps === undefined) return false;
    let obj = this.root;
    let at = 0;
    let type: CType | undefined = this.root.type;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const struct: StructType | undefined = type === undefined ? undefined : asStruct(type);
      const m: Member | undefined = struct?.members?.find((x) => x.name === step.name);
      if (m === undefined || m.bits !== undefined) return false;
      let mAt: number = at + m.offset;
      let mType: CType = m.type;
      if (step.index !== undefined) {
        const arr = resolve(mType);
        if (arr.kind !== 'array' || (arr.length !== undefined && step.index >= arr.length)) return false;
        mType = arr.of;
        mAt += step.index * sizeOfMember(mType);
      }
      const last = i === steps.length - 1;
      if (last) return this.write(obj, mAt, mType, value, struct!, m);
      if (step.then === '.') {
        if (asStruct(mType) === undefined) return false;
        at = mAt;
        type = mType;
        continue;
      }
      // `->`: the object this pointer member points at, created when first walked through.
      const p = resolve(mType);
      if (p.kind !== 'pointer') return false;
      const existing: ImageObject | undefined = this.fixups.find((f) => f.from === obj && f.at === mAt)?.to;
      const target: ImageObject | undefined = existing ?? this.structObject(p.to);
      if (target === undefined) return false;
      if (existing === undefined) this.fixups.push({ from: obj, at: mAt, to: target });
      obj = target;
      at = 0;
      type = target.type;
    }
    return false;
  }

  private write(obj: ImageObject, at: number, type: CType, value: ImageValue, parent: StructType, m: Member): boolean {
    const r = resolve(type);
    if (typeof value === 'number' || typeof value === 'bigint') {
      const size = r.kind === 'int' ? r.size : r.kind === 'enum' ? 4 : r.kind === 'pointer' ? 8 : 0;
      if (size === 0) return false;
      putInt(obj.bytes, at, size, BigInt(value));
      return true;
    }
    if (r.kind === 'pointer') {
      let target: ImageObject | undefined;
      if (typeof value === 'string' || value instanceof Uint8Array) {
        target = this.addObject(typeof value === 'string' ? enc.encode(value + '\0') : value.slice(), 1);
      } else {
        target = this.named.get(value.object);
        if (target === undefined) {
          const t = value.type !== undefined ? this.typeNamed(value.type) : r.to;
          target = t === undefined ? undefined : this.structObject(t);
          if (target === undefined) return false;
          this.named.set(value.object, target);
        }
      }
      this.fixups = this.fixups.filter((f) => !(f.from === obj && f.at === at));
      this.fixups.push({ from: obj, at, to: target });
      return true;
    }
    if (r.kind === 'string' && typeof value === 'string') {
      // A D string member is held inline (strsize bytes): its room runs to the next member.
      const next = parent.members!.find((x) => x.offset > m.offset)?.offset ?? parent.size;
      const data = enc.encode(value);
      obj.bytes.set(data.subarray(0, Math.max(0, next - m.offset - 1)), at);
      return true;
    }
    if (r.kind === 'array' && (typeof value === 'string' || value instanceof Uint8Array)) {
      const el = resolve(r.of);
      if (el.kind !== 'int' || el.size !== 1) return false;
      const data = typeof value === 'string' ? enc.encode(value) : value;
      // A one-element (or unsized) array ending its structure is a flexible array: the
      // object grows to hold the data, as the kernel allocates such structures.
      const flexible = (r.length === undefined || r.length <= 1) && parent.members![parent.members!.length - 1] === m;
      const room = flexible ? data.length + 1 : r.length ?? 0;
      const n = Math.min(data.length, typeof value === 'string' ? room - 1 : room);
      if (n < 0) return false;
      if (at + room > obj.bytes.length) grow(obj, at + room);
      obj.bytes.set(data.subarray(0, n), at);
      return true;
    }
    return false;
  }

  private structObject(t: CType): ImageObject | undefined {
    const s = asStruct(t);
    if (s === undefined || s.members === undefined) return undefined;
    const o = this.addObject(new Uint8Array(s.size), Math.max(8, s.align));
    o.type = s;
    return o;
  }

  private addObject(bytes: Uint8Array, align: number): ImageObject {
    const o: ImageObject = { bytes, align, offset: 0 };
    this.objects.push(o);
    return o;
  }
}

interface PathStep {
  name: string;
  index?: number;
  /** How the path goes on after this member. */
  then?: '->' | '.';
}

function parsePath(path: string): PathStep[] | undefined {
  const parts = path.split(/(->|\.)/);
  const steps: PathStep[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const m = /^\s*([A-Za-z_]\w*)\s*(?:\[(\d+)\])?\s*$/.exec(parts[i]!);
    if (m === null) return undefined;
    const step: PathStep = { name: m[1]! };
    if (m[2] !== undefined) step.index = Number(m[2]);
    const sep = parts[i + 1];
    if (sep === '->' || sep === '.') step.then = sep;
    steps.push(step);
  }
  return steps;
}

function asStruct(t: CType): StructType | undefined {
  const r = resolve(t);
  return r.kind === 'struct' || r.kind === 'union' ? r : undefined;
}

function sizeOfMember(t: CType): number {
  const r = resolve(t);
  switch (r.kind) {
    case 'int':
      return r.size;
    case 'enum':
      return 4;
    case 'pointer':
      return 8;
    case 'struct':
    case 'union':
      return r.size;
    case 'array':
      return (r.length ?? 0) * sizeOfMember(r.of);
    default:
      return 0;
  }
}

function grow(o: ImageObject, size: number): void {
  const bytes = new Uint8Array(size);
  bytes.set(o.bytes);
  o.bytes = bytes;
}

function putInt(bytes: Uint8Array, at: number, size: number, value: bigint): void {
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size && at + i < bytes.length; i++) {
    bytes[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}
