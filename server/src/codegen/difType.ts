// D types as DIF sees them (DTrace's dt_node_diftype): strings are DIF_TYPE_STRING of strsize
// bytes, everything else a CTF type of its resolved kind; structs, unions, arrays and strings
// travel by reference, and pointers into user space by user reference.
import { ctfType, stringType, type DifType } from '../dif/difo';
import {
  CTF_K_ARRAY,
  CTF_K_ENUM,
  CTF_K_FLOAT,
  CTF_K_FUNCTION,
  CTF_K_INTEGER,
  CTF_K_POINTER,
  CTF_K_STRUCT,
  CTF_K_UNION,
  DIF_TF_BYREF,
  DIF_TF_BYUREF,
} from '../dif/variables';
import { DYNAMIC } from '../analyze/cooked';
import { resolve, sizeOf, type CType } from '../analyze/types/ctype';

const CKIND: Record<string, number> = {
  void: CTF_K_INTEGER,
  int: CTF_K_INTEGER,
  float: CTF_K_FLOAT,
  pointer: CTF_K_POINTER,
  array: CTF_K_ARRAY,
  struct: CTF_K_STRUCT,
  union: CTF_K_UNION,
  enum: CTF_K_ENUM,
  function: CTF_K_FUNCTION,
};

/** Values DTrace passes by reference (DT_NF_REF): their register holds an address. */
export function isByRef(t: CType): boolean {
  if (t === DYNAMIC) return false;
  const k = resolve(t).kind;
  return k === 'string' || k === 'struct' || k === 'union' || k === 'array';
}

/** Scalars for DTrace's casts and argument promotion: integers, enums and pointers. */
export function isScalarType(t: CType): boolean {
  if (t === DYNAMIC) return false;
  const k = resolve(t).kind;
  return k === 'int' || k === 'enum' || k === 'pointer';
}

export function isSignedType(t: CType): boolean {
  if (t === DYNAMIC) return false;
  const r = resolve(t);
  return (r.kind === 'int' && r.signed) || r.kind === 'enum';
}

export function typeSize(t: CType, strsize: number): number {
  if (t === DYNAMIC) return 0;
  const r = resolve(t);
  if (r.kind === 'void') return 0;
  return sizeOf(t, strsize) ?? 0;
}

export function difType(t: CType, strsize: number, userland = false): DifType {
  if (t === DYNAMIC) return ctfType(CTF_K_INTEGER, 0);
  const r = resolve(t);
  if (r.kind === 'string') return stringType(strsize);
  const ref = isByRef(t);
  return ctfType(CKIND[r.kind] ?? CTF_K_INTEGER, typeSize(t, strsize), ref ? (userland ? DIF_TF_BYUREF : DIF_TF_BYREF) : 0);
}

/** Pointers and arrays: what pointer arithmetic scales (a D string is neither). */
export function isPointerType(t: CType): boolean {
  if (t === DYNAMIC) return false;
  const k = resolve(t).kind;
  return k === 'pointer' || k === 'array';
}
