// print(): a value shown by its type, as libdtrace's dtrace_print does for the types dtvm can
// name without kernel type data: integers in hex (`int 0x5`, `uint64_t 0`), chars quoted,
// pointers in hex, floating point as `%+.7e`, strings quoted (`string "foo"`). Structs, unions,
// arrays and enums fall back to trace()'s display. Facts from dt_print.c; the code is ours.
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

/** The line print() writes for a record of this type, or undefined to print it as trace() would. */
export function printTyped(ctype: string, bytes: Uint8Array): string | undefined {
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
  if (CHAR_NAMES.has(ctype) && size === 1) {
    const c = bytes[0]!;
    // The char is signed: a high byte prints as the octal of a negative int.
    const text = isPrint(c) ? `'${String.fromCharCode(c)}'` : c === 0 ? "'\\0'" : `'\\${(c > 127 ? (c - 256) >>> 0 : c).toString(8).padStart(3, '0')}'`;
    return `${ctype} ${text}\n`;
  }
  if (size === 1 || size === 2 || size === 4 || size === 8) return `${ctype} ${hex(unsignedAt(bytes, size))}\n`;
  return undefined;
}
