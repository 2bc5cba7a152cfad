// The DIF object (dtrace_difo_t) and its records, shaped like the kernel's so that the
// verifier and the VM can follow the reference rule for rule (reference §6).

import {
  CTF_K_INTEGER,
  CTF_K_UNKNOWN,
  DIF_TF_BYREF,
  DIF_TYPE_CTF,
  DIF_TYPE_STRING,
  DTRACE_STRSIZE_DEFAULT,
} from './variables.ts';

/** dtrace_diftype_t: how a value is typed, passed and sized. */
export interface DifType {
  /** DIF_TYPE_CTF or DIF_TYPE_STRING */
  kind: number;
  /** CTF kind (CTF_K_*) */
  ckind: number;
  /** DIF_TF_BYREF / DIF_TF_BYUREF */
  flags: number;
  /** Size in bytes (u32). */
  size: number;
}

/** dtrace_difv_t: one entry of the variable table. */
export interface DifVariable {
  /** Offset of the NUL-terminated name in the string table. */
  name: number;
  id: number;
  /** DIFV_KIND_ARRAY or DIFV_KIND_SCALAR */
  kind: number;
  /** DIFV_SCOPE_GLOBAL, _THREAD or _LOCAL */
  scope: number;
  /** DIFV_F_REF / DIFV_F_MOD */
  flags: number;
  type: DifType;
}

export interface Difo {
  instructions: Uint32Array;
  /** 64-bit integer table, stored as unsigned values in [0, 2^64). */
  intTable: bigint[];
  /** NUL-terminated strings, addressed by byte offset. */
  stringTable: Uint8Array;
  variables: DifVariable[];
  returnType: DifType;
  /** Set by the verifier when the object calls copyout() or copyoutstr(). */
  destructive: boolean;
}

export function ctfType(ckind: number, size: number, flags = 0): DifType {
  return { kind: DIF_TYPE_CTF, ckind, flags, size };
}

/** Strings are always passed by reference; their size is the strsize in force. */
export function stringType(size = DTRACE_STRSIZE_DEFAULT): DifType {
  return { kind: DIF_TYPE_STRING, ckind: CTF_K_UNKNOWN, flags: DIF_TF_BYREF, size };
}

/** What the compiler gives an int64 expression, and our default return type. */
export function integerType(size = 8): DifType {
  return ctfType(CTF_K_INTEGER, size);
}

export interface DifoParts {
  instructions?: Uint32Array | readonly number[];
  intTable?: readonly (bigint | number)[];
  stringTable?: Uint8Array;
  variables?: readonly DifVariable[];
  returnType?: DifType;
  destructive?: boolean;
}

const U64 = (1n << 64n) - 1n;

/** Two's-complement view of any integer as the u64 the integer table holds. */
export function toU64(value: bigint | number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`integer table value ${value} is not a safe integer`);
  }
  return BigInt(value) & U64;
}

export function createDifo(parts: DifoParts = {}): Difo {
  const words = parts.instructions ?? [];
  const instructions = Uint32Array.from(words);
  for (let i = 0; i < words.length; i++) {
    if (instructions[i] !== words[i]) throw new RangeError(`instruction ${i} is not a 32-bit unsigned word`);
  }
  return {
    instructions,
    intTable: (parts.intTable ?? []).map(toU64),
    stringTable: parts.stringTable ?? new Uint8Array(0),
    variables: (parts.variables ?? []).map((v) => ({ ...v, type: { ...v.type } })),
    returnType: { ...(parts.returnType ?? integerType()) },
    destructive: parts.destructive ?? false,
  };
}

/** The NUL-terminated string at `offset`, or undefined when the offset is outside the table.
 *  A string running off the end of an unterminated table stops at the end. */
export function stringAt(table: Uint8Array, offset: number): string | undefined {
  if (!Number.isInteger(offset) || offset < 0 || offset >= table.length) return undefined;
  let end = offset;
  while (end < table.length && table[end] !== 0) end++;
  return new TextDecoder().decode(table.subarray(offset, end));
}

export function variableName(difo: Difo, variable: DifVariable): string | undefined {
  return stringAt(difo.stringTable, variable.name);
}

/** Builds a string table the way the compiler does: each distinct string stored once. */
export class StringTableBuilder {
  private readonly chunks: Uint8Array[] = [];
  private readonly offsets = new Map<string, number>();
  private length = 0;

  /** Offset of `text` (NUL-terminated), appending it unless it is already present. */
  add(text: string): number {
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    const bytes = new TextEncoder().encode(text);
    if (bytes.includes(0)) throw new RangeError('string table entries cannot contain NUL');
    const offset = this.length;
    const chunk = new Uint8Array(bytes.length + 1);
    chunk.set(bytes);
    this.chunks.push(chunk);
    this.offsets.set(text, offset);
    this.length += chunk.length;
    return offset;
  }

  get size(): number {
    return this.length;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
