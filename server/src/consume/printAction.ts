// print(): a value shown by its type, as libdtrace's dtrace_print does (in the manner of mdb's
// `::print -tn`): integers in hex (`int 0x5`, `uint64_t 0`), chars quoted, pointers in hex,
// floating point as `%+.7e`, strings quoted (`string "foo"`), and — when the code generator
// hands over the type itself — structs and unions member by member (`struct foo {` ... `}`),
// arrays as `[ 0, 0x7 ]` (char arrays that hold a string as `[ "abc" ]`) and enums by
// enumerator name. Without the type, aggregates fall back to trace()'s display.
// Facts from dt_print.c (member visit order, indentation of 4 per level, the brace and newline
// rules); the code is ours.
import { resolve, typeName, type CType, type Member } from '../analyze/types/ctype';
import { cFloat } from './cFormat';
import { floatAt, unsignedAt } from './recordValues';

/** Typedef names that stand for a plain `char` (printed as a character). */
const CHAR_NAMES = new Set(['char', 'signed char', 'int8_t']);

/** C's "%#x"/"%#llx": no prefix for zero. */
function hex(v: bigint): string {
  return v === 0n ? '0' : '0x' + v.toString(16);
}

function isPrint(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/** A char as dt_print_int shows it: 'c', '\0', or the octal of the (signed) char promoted to int. */
function quotedChar(c: number): string {
  if (isPrint(c)) return `'${String.fromCharCode(c)}'`;
  if (c === 0) return "'\\0'";
  return `'\\${(c > 127 ? (c - 256) >>> 0 : c).toString(8).padStart(3, '0')}'`;
}

/** The line print() writes for a record of this type, or undefined to print it as trace() would. */
export function printTyped(ctype: string, bytes: Uint8Array, desc?: CType, strsize = 256): string | undefined {
  if (desc !== undefined) {
    const kind = resolve(desc).kind;
    if (kind === 'struct' || kind === 'union' || kind === 'array' || kind === 'enum' || kind === 'string') return new TypePrinter(bytes, kind === 'string' ? bytes.length : strsize).print(desc);
  }
  const size = bytes.length;
  if (ctype === 'string') {
    const nul = bytes.indexOf(0);
    if (nul < 0) return undefined;
    for (let i = 0; i < nul; i++) if (!isPrint(bytes[i]!)) return undefined;
    return `string "${Buffer.from(bytes.subarray(0, nul)).toString('latin1')}"\n`;
  }
  if (/^(struct|union|enum) |\[|\(/.test(ctype)) return undefined;
  if (ctype.endsWith('*')) return size === 4 || size === 8 ? `${ctype} ${hex(unsignedAt(bytes, size))}\n` : undefined;
  if (/^(float|double|long double)$/.test(ctype)) return `${ctype} ${cFloat(floatAt(bytes, size), 'e', { plus: true, precision: ctype === 'long double' ? 16 : 7 })}\n`;
  if (CHAR_NAMES.has(ctype) && size === 1) return `${ctype} ${quotedChar(bytes[0]!)}\n`;
  if (size === 1 || size === 2 || size === 4 || size === 8) return `${ctype} ${hex(unsignedAt(bytes, size))}\n`;
  return undefined;
}

/** Where the walk stands: member depth and array nesting, which together give the indentation. */
interface Level {
  depth: number;
  nest: number;
}

const isStructLike = (t: CType): boolean => {
  const k = resolve(t).kind;
  return k === 'struct' || k === 'union';
};

/**
 * Walks a type the way CTF's type visitor does — the type itself, then (for a struct or union)
 * each member in declaration order one level deeper — printing every stop; closing braces are
 * inferred from the drop in depth at the next stop, or at the end.
 */
class TypePrinter {
  private out = '';

  constructor(
    private readonly bytes: Uint8Array,
    private readonly strsize: number,
  ) {}

  print(t: CType): string {
    const top: Level = { depth: 0, nest: 0 };
    this.visit('', t, 0, 0, top);
    this.closeBraces(top, 0);
    return this.out;
  }

  private visit(name: string, t: CType, offset: number, depth: number, level: Level, m?: Member): void {
    this.member(name, t, offset, depth, level, m);
    const r = resolve(t);
    if ((r.kind === 'struct' || r.kind === 'union') && r.members !== undefined) {
      for (const sub of r.members) this.visit(sub.name, sub.type, offset + sub.offset, depth + 1, level, sub);
    }
  }

  private closeBraces(level: Level, depth: number): void {
    for (let d = level.depth; d > depth; d--) this.out += ' '.repeat((d + level.nest - 1) * 4) + '}' + (d === depth + 1 ? '' : '\n');
  }

  private indent(level: Level): void {
    this.out += ' '.repeat((level.depth + level.nest) * 4);
  }

  private member(name: string, t: CType, offset: number, depth: number, level: Level, m?: Member): void {
    this.closeBraces(level, depth);
    if (depth < level.depth) this.out += '\n';
    level.depth = depth;
    const arrayMember = level.nest !== 0 && depth === 0;
    const brief = arrayMember && !isStructLike(t);
    if (!brief) {
      if (arrayMember) this.out += '\n';
      this.indent(level);
      const type = ctfName(t);
      this.out += type;
      if (name !== '') {
        // No space after a pointer's `*` or after an anonymous struct's "struct ".
        if (!type.endsWith('*') && !type.endsWith(' ')) this.out += ' ';
        this.out += name;
        if (m?.bits !== undefined) this.out += ` :${m.bits}`;
        this.out += ' =';
      }
      this.out += ' ';
    }
    if (m?.bits !== undefined) this.out += hex(this.read(offset, 8) & ((1n << BigInt(m.bits)) - 1n));
    else this.value(t, offset, level);
    if (!brief) this.out += '\n';
  }

  private value(t: CType, offset: number, level: Level): void {
    const r = resolve(t);
    switch (r.kind) {
      case 'int':
        if (r.size === 1 && (r.name === 'char' || r.name === 'signed char')) this.out += quotedChar(this.bytes[offset] ?? 0);
        else this.out += hex(this.read(offset, r.size));
        return;
      case 'float':
        this.out += cFloat(floatAt(this.bytes.subarray(offset, offset + r.size), r.size), 'e', { plus: true, precision: r.name === 'long double' ? 16 : 7 });
        return;
      case 'pointer':
      case 'function':
        this.out += hex(this.read(offset, 8));
        return;
      case 'string':
        this.array({ kind: 'int', name: 'char', size: 1, signed: true, rank: 1 }, this.strsize, offset, level);
        return;
      case 'array':
        this.array(r.of, r.length ?? 0, offset, level);
        return;
      case 'struct':
      case 'union':
        this.out += r.members === undefined ? '<forward decl>' : '{';
        return;
      case 'enum': {
        const v = Number(BigInt.asIntN(32, this.read(offset, 4)));
        let label: string | undefined;
        for (const [n, value] of r.enumerators ?? []) if (value === v && label === undefined) label = n;
        this.out += label ?? String(v);
        return;
      }
      case 'void':
        this.out += hex(this.read(offset, 1));
        return;
    }
  }

  private array(of: CType, length: number, offset: number, level: Level): void {
    const element = resolve(of);
    const size = elementSize(of, this.strsize);
    // A char array holding printable characters up to a NUL is shown as a string.
    let isString = false;
    if (element.kind === 'int' && element.size === 1 && (element.name === 'char' || element.name === 'signed char')) {
      let i = 0;
      let c = 0;
      for (; i < length; i++) {
        c = this.bytes[offset + i] ?? 0;
        if (!isPrint(c) || c === 0) break;
      }
      isString = i !== length && c === 0;
    }
    if (!isString || level.depth !== 0) this.out += '[ ';
    if (isString) {
      this.out += '"';
      for (let i = 0; i < length && (this.bytes[offset + i] ?? 0) !== 0; i++) this.out += String.fromCharCode(this.bytes[offset + i]!);
      this.out += '"';
    } else {
      for (let i = 0; i < length; i++) {
        const inner: Level = { depth: 0, nest: level.nest + level.depth + 1 };
        this.visit('', of, offset + size * i, 0, inner);
        this.closeBraces(inner, 0);
        if (i !== length - 1) this.out += ', ';
        else if (isStructLike(of)) this.out += '\n';
      }
    }
    if (!isString || level.depth !== 0) {
      if (isStructLike(of)) this.indent(level);
      else this.out += ' ';
      this.out += ']';
    }
  }

  private read(offset: number, size: number): bigint {
    return unsignedAt(this.bytes.subarray(offset, offset + size), size);
  }
}

function elementSize(t: CType, strsize: number): number {
  const r = resolve(t);
  switch (r.kind) {
    case 'int':
    case 'float':
      return r.size;
    case 'pointer':
    case 'function':
      return 8;
    case 'enum':
      return 4;
    case 'string':
      return strsize;
    case 'array':
      return elementSize(r.of, strsize) * (r.length ?? 0);
    case 'struct':
    case 'union':
      return r.size;
    case 'void':
      return 1;
  }
}

/** A type's name as CTF spells it: like typeName, but an anonymous struct/union/enum is "struct ". */
function ctfName(t: CType): string {
  const r = t.kind === 'typedef' ? undefined : t;
  if (r !== undefined && (r.kind === 'struct' || r.kind === 'union' || r.kind === 'enum') && r.tag === undefined) return `${r.kind} `;
  return typeName(t);
}
