// One principal-buffer record as an instance of a probe's `output` list (reference §10):
// trace() and printf arguments as {"value": v}, stacks as "stack-frames"/"ustack-frames",
// sym()/mod()/usym()/umod()/uaddr() under their action's name (sym() adds its offset),
// tracemem()/printm() bytes as one hex number.
// dtvm resolves no symbols, so frames and symbols are the addresses dtrace prints when it
// cannot resolve one ("0x%llx").
import { ACT, type ActionDesc, type RecordType } from '../../codegen/program';
import type { RecordValue } from '../../vm/records';
import { printTyped } from '../printAction';
import { bytesToText, byteString, recordBytes, unsignedAt } from '../recordValues';
import { list, num, obj, str, type Leaf, type ObjectNode } from './tree';

export interface RecordEnv {
  /** The rawbytes option: byte records as hex even when they read as text. */
  rawbytes: boolean;
  strsize: number;
}

function isPrintable(c: number): boolean {
  // isprint, isspace, backspace and bell, in the C locale (dt_print_bytes's test).
  return (c >= 0x20 && c <= 0x7e) || (c >= 9 && c <= 13) || c === 8 || c === 7;
}

/** The bytes as text when dtrace would show them as a string (printable, then only NULs). */
function asString(bytes: Uint8Array): string | undefined {
  let i = 0;
  for (; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (isPrintable(c) || c >= 0x80) continue;
    if (c !== 0) return undefined;
    for (let j = i + 1; j < bytes.length; j++) if (bytes[j] !== 0) return undefined;
    break;
  }
  // JSON and XML carry text: bytes that are not UTF-8 would come out as U+FFFD, so they go as hex.
  if (!isUtf8(bytes.subarray(0, i))) return undefined;
  return bytesToText(byteString(bytes, i));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Bytes as one hex number, in memory order: `0x` then two digits per byte (as dtrace shows printm()). */
export function hexBytes(bytes: Uint8Array): string {
  return '0x' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A traced value (trace(), a printf argument, an aggregation key): integers by size, strings as text. */
export function valueLeaf(type: RecordType, v: RecordValue, env: RecordEnv, ctype?: { ctype: string; desc: ActionDesc['printType'] }): Leaf {
  if (type.k === 'int' && (type.size === 1 || type.size === 2 || type.size === 4 || type.size === 8)) {
    // The value in its D type: an unsigned 64-bit value stays unsigned (the text output's
    // `%lld` would show it negative); structured output is read by programs.
    const bits = type.size * 8;
    const u = unsignedAt(v, type.size);
    return num(type.signed ? BigInt.asIntN(bits, u) : u);
  }
  const size = type.k === 'string' || type.k === 'bytes' ? type.size : 8;
  const bytes = recordBytes(v, size);
  if (ctype !== undefined) {
    const typed = printTyped(ctype.ctype, bytes, ctype.desc, env.strsize);
    if (typed !== undefined) return str(bytesToText(typed).trim());
  }
  if (!env.rawbytes) {
    const s = asString(bytes);
    if (s !== undefined) return str(s);
  }
  return str(hexBytes(bytes));
}

function word(bytes: Uint8Array, i: number): bigint {
  return unsignedAt(bytes.subarray(i * 8, i * 8 + 8), 8);
}

/** stack()/ustack()/jstack(): one {"symbol": "0x…"} per frame up to the first zero pc. */
export function stackFrames(type: RecordType, v: RecordValue): ObjectNode[] {
  if (type.k !== 'stack') return [];
  const bytes = recordBytes(v, type.frames * 8 + (type.user ? 8 : 0));
  const first = type.user ? 1 : 0;
  const frames: ObjectNode[] = [];
  for (let i = 0; i < type.frames; i++) {
    const pc = word(bytes, first + i);
    if (pc === 0n) break;
    frames.push(obj(['symbol', str('0x' + pc.toString(16))]));
  }
  return frames;
}

/** The address a sym()/mod()/usym()/umod()/uaddr() record holds (user ones hold [pid, pc]). */
function symbolAddress(type: RecordType, v: RecordValue): string {
  const user = type.k === 'symbol' && type.user;
  const bytes = recordBytes(v, user ? 16 : 8);
  return '0x' + word(bytes, user ? 1 : 0).toString(16);
}

const SYMBOL_FIELD: Record<number, string> = {
  [ACT.SYM]: 'sym',
  [ACT.MOD]: 'mod',
  [ACT.USYM]: 'usym',
  [ACT.UMOD]: 'umod',
  [ACT.UADDR]: 'uaddr',
};

/** The field name of a key or record by its type: stacks and symbols have their own. */
function typedField(kind: number, type: RecordType): string | undefined {
  if (type.k === 'stack') return type.user ? 'ustack-frames' : 'stack-frames';
  if (type.k === 'symbol') return SYMBOL_FIELD[kind] ?? (type.user ? (type.what === 'mod' ? 'umod' : type.what === 'addr' ? 'uaddr' : 'usym') : type.what === 'mod' ? 'mod' : 'sym');
  return undefined;
}

/** One record's instance in `output` (or one key's in `keys`). */
export function recordObject(kind: number, type: RecordType, v: RecordValue, env: RecordEnv, printed?: ActionDesc): ObjectNode {
  const field = typedField(kind, type);
  if (field !== undefined && type.k === 'stack') return obj([field, list(stackFrames(type, v))]);
  if (field === 'sym') {
    // An address sym() cannot resolve is its own offset (dtrace(1)'s manual).
    const address = symbolAddress(type, v);
    return obj(['sym', str(address)], ['offset', str(address)]);
  }
  if (field !== undefined) return obj([field, str(symbolAddress(type, v))]);
  const ctype = printed?.record.k === 'bytes' && printed.record.ctype !== undefined ? { ctype: printed.record.ctype, desc: printed.printType } : undefined;
  return obj(['value', valueLeaf(type, v, env, ctype)]);
}

/** tracemem() and printm(): the bytes, as hex. */
export function memoryObject(field: 'tracemem' | 'printm', bytes: Uint8Array): ObjectNode {
  return obj([field, str(hexBytes(bytes))]);
}
