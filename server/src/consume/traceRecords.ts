// The default display of a traced record (trace(), tracemem(), an aggregation key): integers by
// size (` %3d`/` %5d`/` %8d`/` %16lld`, no padding under quiet), byte strings shown as text when
// they look like a C string, otherwise DTrace's hex dump. Facts from reference §5 and
// dt_consume.c (dt_print_bytes); the code is ours.
import { cInteger } from './cFormat';
import { byteString } from './recordValues';

const INT_WIDTH: Record<number, number> = { 1: 3, 2: 5, 4: 8, 8: 16 };

/**
 * An integer record as printf gets it: 8 bytes as long long, 4 as int, 2 and 1 zero-extended
 * (C promotes the unsigned short/char it reads).
 */
export function integerAsPrinted(value: bigint, size: number): bigint {
  if (size === 8) return BigInt.asIntN(64, value);
  if (size === 4) return BigInt.asIntN(32, value);
  return BigInt.asUintN(size * 8, value);
}

/** ` %Nd` (or `%d` quiet) for a 1/2/4/8-byte record. */
export function traceInteger(value: bigint, size: number, quiet: boolean): string {
  const v = integerAsPrinted(value, size);
  return quiet ? cInteger(v, 'd', {}) : ' ' + cInteger(v, 'd', { width: INT_WIDTH[size]! });
}

function isPrintable(c: number): boolean {
  // isprint, isspace, backspace and bell, in the C locale.
  return (c >= 0x20 && c <= 0x7e) || (c >= 9 && c <= 13) || c === 8 || c === 7;
}

/**
 * dt_print_bytes: `width` is the string field width (negative: left-justified); raw forces the
 * hex dump (tracemem, printm, the rawbytes option).
 */
export function printBytes(bytes: Uint8Array, width: number, quiet: boolean, raw: boolean): string {
  const n = bytes.length;
  if (n === 0) return '';
  if (!raw) {
    let i = 0;
    for (; i < n; i++) {
      const c = bytes[i]!;
      if (isPrintable(c)) continue;
      if (c === 0 && i > 0) {
        // A string only if nothing but NULs follows.
        let j = i + 1;
        while (j < n && bytes[j] === 0) j++;
        if (j !== n) break;
        const s = byteString(bytes, i);
        if (quiet) return s;
        return ' ' + (width < 0 ? ' ' : '') + field(s, width);
      }
      break;
    }
    // All printable but no NUL: still a string, always left-justified ("  %-*s").
    if (i === n) return '  ' + field(byteString(bytes), -Math.abs(width));
  }
  return hexDump(bytes);
}

/** C's `%*s` with a signed width. */
function field(s: string, width: number): string {
  const w = Math.abs(width);
  if (s.length >= w) return s;
  return width < 0 ? s + ' '.repeat(w - s.length) : ' '.repeat(w - s.length) + s;
}

const MARGIN = 5;

function hexDump(bytes: Uint8Array): string {
  let out = '\n' + ' '.repeat(MARGIN) + '      ';
  for (let i = 0; i < 16; i++) out += '  ' + '0123456789abcdef'[i];
  out += '  0123456789abcdef\n';
  for (let i = 0; i < bytes.length; i += 16) {
    out += ' '.repeat(MARGIN) + i.toString(16).padStart(5) + ':';
    let j = i;
    for (; j < i + 16 && j < bytes.length; j++) out += ' ' + bytes[j]!.toString(16).padStart(2, '0');
    while (j++ % 16) out += '   ';
    out += '  ';
    for (j = i; j < i + 16 && j < bytes.length; j++) {
      const c = bytes[j]!;
      // char is signed: bytes above 0x7f are below ' '.
      out += c < 0x20 || c > 0x7e ? '.' : String.fromCharCode(c);
    }
    out += '\n';
  }
  return out;
}
