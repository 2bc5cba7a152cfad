// The type namespaces of one compilation: typedef names and struct/union/enum tags, seeded with
// D's intrinsic typedefs for LP64 (facts from DTrace's typedef table), and a parser for type
// names written as text (prototypes of built-ins, probe argument types from catalogues).
import { T, UNKNOWN, array, pointer, typedef, type CType, type EnumType, type StructType } from './ctype';

const INTRINSIC_TYPEDEFS: [string, CType][] = [
  ['int8_t', T.char],
  ['int16_t', T.short],
  ['int32_t', T.int],
  ['int64_t', T.long],
  ['intptr_t', T.long],
  ['ssize_t', T.long],
  ['uint8_t', T.uchar],
  ['uint16_t', T.ushort],
  ['uint32_t', T.uint],
  ['uint64_t', T.ulong],
  ['uchar_t', T.uchar],
  ['ushort_t', T.ushort],
  ['uint_t', T.uint],
  ['ulong_t', T.ulong],
  ['u_longlong_t', T.ullong],
  ['ptrdiff_t', T.long],
  ['uintptr_t', T.ulong],
  ['size_t', T.ulong],
  ['id_t', T.int],
  ['pid_t', T.int],
];

/** Base type for a multiset of C type words; undefined when the combination is invalid. */
export function typeFromWords(words: readonly string[]): CType | undefined {
  let signed = 0;
  let unsigned = 0;
  let long = 0;
  let short = 0;
  let base: string | undefined;
  for (const w of words) {
    switch (w) {
      case 'signed':
        signed++;
        break;
      case 'unsigned':
        unsigned++;
        break;
      case 'long':
        long++;
        break;
      case 'short':
        short++;
        break;
      default:
        if (base !== undefined) return undefined;
        base = w;
    }
  }
  if (signed + unsigned > 1 || long > 2 || (short && long)) return undefined;
  const sign = unsigned ? 'u' : signed ? 's' : '';
  switch (base) {
    case undefined:
    case 'int':
      if (short) return unsigned ? T.ushort : T.short;
      if (long === 2) return unsigned ? T.ullong : T.llong;
      if (long === 1) return unsigned ? T.ulong : T.long;
      return unsigned ? T.uint : T.int;
    case 'char':
      if (short || long) return undefined;
      return sign === 'u' ? T.uchar : sign === 's' ? T.schar : T.char;
    case 'void':
    case 'string':
    case '_Bool':
    case 'float':
      if (sign || short || long) return undefined;
      return base === 'void' ? T.void : base === 'string' ? T.string : base === '_Bool' ? T.bool : T.float;
    case 'double':
      if (sign || short || long > 1) return undefined;
      return long ? T.ldouble : T.double;
    default:
      return undefined;
  }
}

export class TypeTable {
  readonly typedefs = new Map<string, CType>();
  readonly tags = new Map<string, StructType | EnumType>();
  /** Built-in variables whose type depends on the target system (`curthread`), by name. */
  builtinVariableTypes: ReadonlyMap<string, string> = new Map();
  /**
   * Names of the target kernel's structures and typedefs: they exist (the kernel's type data
   * would define them) even where our D library does not, so they are opaque, not undefined.
   */
  kernelTypeNames: { readonly tags: ReadonlySet<string>; readonly typedefs: ReadonlySet<string> } = { tags: new Set(), typedefs: new Set() };
  /** Typedef names standing for kernel types the front end has no information about. */
  private readonly kernelNames = new Set<string>();

  constructor() {
    for (const [name, target] of INTRINSIC_TYPEDEFS) this.typedefs.set(name, typedef(name, target));
  }

  /** `struct foo` / `union foo` / `enum foo`, created incomplete on first mention. */
  tag(kind: 'struct' | 'union' | 'enum', name: string): StructType | EnumType {
    const key = `${kind} ${name}`;
    let t = this.tags.get(key);
    if (!t) {
      t = kind === 'enum' ? { kind: 'enum', tag: name, enumerators: undefined } : { kind, tag: name, members: undefined, size: 0, align: 1 };
      this.tags.set(key, t);
    }
    return t;
  }

  /**
   * Parses a type written as text: `const char *`, `struct proc *`, `uint64_t`, `int [4]`.
   * Unknown typedef names (kernel types such as `kmutex_t`) become opaque structs, since the
   * front end has no kernel type information for them.
   */
  parse(text: string): CType {
    const tokens = text.replace(/`/g, ' ').match(/[A-Za-z_][A-Za-z0-9_]*|\*|\[\d*\]/g) ?? [];
    const words: string[] = [];
    let base: CType | undefined;
    let i = 0;
    for (; i < tokens.length; i++) {
      const tok = tokens[i]!;
      if (tok === '*' || tok.startsWith('[')) break;
      if (tok === 'const' || tok === 'volatile' || tok === 'restrict' || tok === 'userland') continue;
      if (tok === 'struct' || tok === 'union' || tok === 'enum') {
        base = this.tag(tok, tokens[++i] ?? '');
        continue;
      }
      if (/^(void|char|short|int|long|signed|unsigned|float|double|string|_Bool)$/.test(tok)) words.push(tok);
      else if (/^[a-z]+$/.test(tok) && tokens.length > i + 1 && /^[A-Za-z_]/.test(tokens[i + 1]!)) continue; // module scope `genunix`
      else base = this.typedefs.get(tok) ?? this.opaque(tok);
    }
    let t: CType = base ?? typeFromWords(words) ?? T.int;
    for (; i < tokens.length; i++) {
      const tok = tokens[i]!;
      if (tok === '*') t = pointer(t);
      else if (tok.startsWith('[')) t = array(t, tok.length > 2 ? Number(tok.slice(1, -1)) : undefined);
    }
    return t;
  }

  /** A kernel typedef the D library does not define, as an opaque type (undefined if no kernel type). */
  kernelTypedef(name: string): CType | undefined {
    return this.kernelTypeNames.typedefs.has(name) ? this.typedefs.get(name) ?? this.opaque(name) : undefined;
  }

  /** A struct or union the target kernel has, whatever our library declares of it. */
  isKernelTag(tag: string | undefined): boolean {
    return tag !== undefined && this.kernelTypeNames.tags.has(tag);
  }

  /**
   * A kernel typedef we know nothing about (`kmutex_t`, `vm_page_t`): it may name a pointer, a
   * structure or an integer, so it stands for the unknown type under its own name.
   */
  private opaque(name: string): CType {
    const t = typedef(name, UNKNOWN);
    this.typedefs.set(name, t);
    this.kernelNames.add(name);
    return t;
  }

  /**
   * A typedef of D's own type containers (the intrinsic ones, the D library files' and the
   * program's), as opposed to a kernel type: these names may not be declared again.
   */
  isDTypedef(name: string): boolean {
    return this.typedefs.has(name) && !this.kernelNames.has(name);
  }
}
