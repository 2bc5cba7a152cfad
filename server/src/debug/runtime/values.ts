// Values as the Variables view shows them: a D value of a C type read out of the VM's memory
// (integers with their signedness, strings decoded, pointers in hex, structs and arrays as
// children fetched on demand), and the built-in and user variables of the paused firing.
import { resolve, sizeOf, typeName, type CType } from '../../analyze/types/ctype';
import type { UserMemory } from '../../vm/memory';
import type { Runtime } from '../../vm/runtime';
import type { ValueView } from './api';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function hex(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

/** A C string literal's text for bytes (quotes and escapes as the debugger's watch shows them). */
export function quoted(bytes: Uint8Array): string {
  return JSON.stringify(utf8.decode(bytes));
}

/** An integer of this type as D would print it with %d/%u. */
export function integerText(v: bigint, size: number, signed: boolean): string {
  const bits = BigInt(Math.max(1, Math.min(8, size)) * 8);
  return (signed ? BigInt.asIntN(Number(bits), v) : BigInt.asUintN(Number(bits), v)).toString();
}

function loadInteger(rt: Runtime, addr: bigint, size: number): bigint {
  const bytes = rt.space.read(addr, size);
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/**
 * A value of type `type`: `raw` is what a load of it gives (the value itself for scalars, the
 * address of the object for strings, structs and arrays).
 */
export function valueView(rt: Runtime, name: string, type: CType | undefined, raw: bigint, strsize: number, user?: UserMemory): ValueView {
  if (type === undefined) return { name, value: raw.toString() };
  const t = resolve(type);
  const shown = typeName(type);
  try {
    switch (t.kind) {
      case 'int':
        return { name, value: integerText(raw, t.size, t.signed), type: shown };
      case 'enum': {
        const v = Number(BigInt.asIntN(32, raw));
        const label = [...(t.enumerators ?? new Map<string, number>())].find(([, n]) => n === v)?.[0];
        return { name, value: label ?? String(v), type: shown };
      }
      case 'string':
        return { name, value: raw === 0n ? '""' : quoted(rt.space.readString(raw, strsize - 1)), type: shown };
      case 'pointer': {
        const to = resolve(t.to);
        if (to.kind === 'int' && to.size === 1 && raw !== 0n) {
          // A char pointer: the string it points at, from the traced process's memory for a
          // user pointer (what the trace recorded), else from the VM's.
          const bytes = user?.readCString(raw, strsize - 1) ?? tryRead(() => rt.space.readString(raw, strsize - 1));
          if (bytes !== undefined) return { name, value: `${hex(raw)} ${quoted(bytes)}`, type: shown };
        }
        return { name, value: hex(raw), type: shown };
      }
      case 'struct':
      case 'union': {
        const members = t.members ?? [];
        return {
          name,
          value: `${typeName(type)} {...}`,
          type: shown,
          children: () => members.map((m) => memberView(rt, m.name, m.type, raw + BigInt(m.offset), strsize)),
        };
      }
      case 'array': {
        const length = t.length ?? 0;
        const size = sizeOf(t.of, strsize) ?? 0;
        if (resolve(t.of).kind === 'int' && size === 1) return { name, value: quoted(rt.space.readString(raw, length)), type: shown };
        return {
          name,
          value: `[${length}]`,
          type: shown,
          children: () => Array.from({ length: Math.min(length, 1000) }, (_, i) => memberView(rt, `[${i}]`, t.of, raw + BigInt(i * size), strsize)),
        };
      }
      default:
        return { name, value: hex(raw), type: shown };
    }
  } catch {
    return { name, value: `<unreadable at ${hex(raw)}>`, type: shown };
  }
}

/** A member or element stored at `addr`: scalars are loaded from memory, aggregates stay at their address. */
function memberView(rt: Runtime, name: string, type: CType, addr: bigint, strsize: number): ValueView {
  const t = resolve(type);
  if (t.kind === 'struct' || t.kind === 'union' || t.kind === 'array' || t.kind === 'string') return valueView(rt, name, type, addr, strsize);
  try {
    const size = sizeOf(t, strsize) ?? 8;
    return valueView(rt, name, type, loadInteger(rt, addr, Math.min(8, size)), strsize);
  } catch {
    return { name, value: `<unreadable at ${hex(addr)}>`, type: typeName(type) };
  }
}

function tryRead(read: () => Uint8Array): Uint8Array | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
