// The kernel types a compiled program hands the VM: the target system and the thread structure
// `curthread` points to, with the layouts the front end computed from the flavour's D library.
// Lookups only read the compilation's type table: asking for a type the library does not
// declare gives undefined, never a new (opaque) type.
import type { FrontEndResult } from '../analyze/frontEnd';
import { pointer, type CType } from '../analyze/types/ctype';
import type { TypeTable } from '../analyze/types/typeTable';
import type { KernelTypes } from './program';

export function kernelTypesOf(result: FrontEndResult, types: TypeTable): KernelTypes | undefined {
  const type = (name: string): CType | undefined => lookup(types, name);
  const curthread = type(types.builtinVariableTypes.get('curthread') ?? 'kthread_t *');
  if (curthread === undefined) return undefined;
  return { flavour: result.flavour?.name ?? 'illumos', curthread, type };
}

/** `struct proc`, `union u`, `kthread_t`, each optionally followed by `*`s. */
function lookup(types: TypeTable, name: string): CType | undefined {
  const m = /^\s*(?:(struct|union|enum)\s+)?([A-Za-z_]\w*)\s*((?:\*\s*)*)$/.exec(name);
  if (m === null) return undefined;
  let t: CType | undefined = m[1] !== undefined ? types.tags.get(`${m[1]} ${m[2]}`) : types.typedefs.get(m[2]!);
  if (t === undefined) return undefined;
  for (const _ of (m[3] ?? '').replace(/\s/g, '')) t = pointer(t);
  return t;
}
