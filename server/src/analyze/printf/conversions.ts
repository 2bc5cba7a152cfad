// The printf conversion dictionary of the D compiler: which `%` names exist, which argument
// each one accepts and the prototype text DTrace prints when an argument does not fit.
// Facts from DTrace's dt_printf.c; the descriptions are ours. illumos lacks %I and %P, which
// FreeBSD and OpenDTrace added.
import type { DifPlatform } from '../../dif/platform';

/** How a conversion judges its argument (each kind is one of DTrace's checks). */
export type ArgumentKind =
  /** Any integer or enum (`%d %i %o %u %x %X`). */
  | 'integer'
  /** An integer or enum of at most 4 bytes (`%c %C`). */
  | 'small-integer'
  /** float, double or long double (`%e %E %f %g %G`). */
  | 'floating'
  /** Exactly the type named by `exactType`, compared by resolved name (`%hd %lu %Lf %P` ...). */
  | 'exact'
  /** short, signed short or unsigned short (`%hx %hX`). */
  | 'any-short'
  /** long, signed long or unsigned long (`%lx %lX`). */
  | 'any-long'
  /** [un]signed long long, or anything declared through an int64_t/uint64_t typedef (`%llx %llX`). */
  | 'any-long-long'
  /** A pointer (arrays included) or an integer (`%p`). */
  | 'pointer-or-integer'
  /** A pointer, an integer or a `_symaddr` (`%a`). */
  | 'kernel-address'
  /** A `_usymaddr`; a pointer or integer only when a target process exists (`%A`). */
  | 'user-address'
  /** D's `string` or an array of 1-byte integers; not `char *` (`%s %S %I`). */
  | 'string'
  /** An array of 4-byte integers, i.e. `wchar_t []` (`%ls %ws`). */
  | 'wide-string'
  /** The result of stack(), ustack() or jstack() (`%k`). */
  | 'stack'
  /** An 8-byte integer holding nanoseconds since the epoch (`%T %Y`). */
  | 'time'
  /** Takes no argument (`%%`). */
  | 'none';

export interface ConversionSpec {
  /** The dictionary key: size prefix plus conversion character (`d`, `lld`, `hx`, `%`). */
  readonly name: string;
  /** The prototype DTrace names in D_PRINTF_ARG_TYPE messages. */
  readonly prototype: string;
  readonly accepts: ArgumentKind;
  /** For `exact`: the resolved type name the argument must have. */
  readonly exactType?: string;
  readonly description: string;
  /** Platforms whose compiler knows this conversion. */
  readonly platforms: readonly DifPlatform[];
}

const XINT = 'char, short, int, long, or long long';
const CSI = 'char, short, or int';
const FP = 'float, double, or long double';
const ADDR = 'pointer or integer';
const UADDR = 'pointer or integer (with -p/-c) or _usymaddr (without -p/-c)';
const CSTR = 'char [] or string (or use stringof)';
const WSTR = 'wchar_t []';

const ALL: readonly DifPlatform[] = ['illumos', 'opendtrace', 'freebsd'];
const BSD: readonly DifPlatform[] = ['opendtrace', 'freebsd'];

function conv(
  name: string,
  prototype: string,
  accepts: ArgumentKind,
  description: string,
  extra: { exactType?: string; platforms?: readonly DifPlatform[] } = {},
): ConversionSpec {
  return { name, prototype, accepts, description, platforms: extra.platforms ?? ALL, ...(extra.exactType ? { exactType: extra.exactType } : {}) };
}

export const CONVERSIONS: readonly ConversionSpec[] = [
  conv('a', ADDR, 'kernel-address', 'Kernel address shown as module`symbol+offset.'),
  conv('A', UADDR, 'user-address', 'User address shown as module`symbol+offset of the traced process.'),
  conv('c', CSI, 'small-integer', 'Integer shown as one character.'),
  conv('C', CSI, 'small-integer', 'Integer shown as one character, escaped when not printable.'),
  conv('d', XINT, 'integer', 'Integer in decimal, signed or unsigned as its type is.'),
  conv('e', FP, 'floating', 'Floating-point number as [-]d.ddde±dd.'),
  conv('E', FP, 'floating', 'Floating-point number as [-]d.dddE±dd.'),
  conv('f', FP, 'floating', 'Floating-point number as [-]ddd.ddd.'),
  conv('g', FP, 'floating', 'Floating-point number in %f or %e style, whichever is shorter.'),
  conv('G', FP, 'floating', 'Floating-point number in %f or %E style, whichever is shorter.'),
  conv('hd', 'short', 'exact', 'A short in signed decimal.', { exactType: 'short' }),
  conv('hi', 'short', 'exact', 'A short in signed decimal.', { exactType: 'short' }),
  conv('ho', 'unsigned short', 'exact', 'An unsigned short in octal.', { exactType: 'unsigned short' }),
  conv('hu', 'unsigned short', 'exact', 'An unsigned short in unsigned decimal.', { exactType: 'unsigned short' }),
  conv('hx', 'short', 'any-short', 'A short of either sign in lower-case hexadecimal.'),
  conv('hX', 'short', 'any-short', 'A short of either sign in upper-case hexadecimal.'),
  conv('i', XINT, 'integer', 'Integer in decimal (same as %d).'),
  conv('I', CSTR, 'string', 'String holding an IP address, shown as its host name when it resolves.', { platforms: BSD }),
  conv('k', 'stack', 'stack', 'Stack recorded by stack(), ustack() or jstack(), one frame a line.'),
  conv('lc', 'int', 'exact', 'An int shown as a wide character.', { exactType: 'int' }),
  conv('ld', 'long', 'exact', 'A long in signed decimal.', { exactType: 'long' }),
  conv('li', 'long', 'exact', 'A long in signed decimal.', { exactType: 'long' }),
  conv('lo', 'unsigned long', 'exact', 'An unsigned long in octal.', { exactType: 'unsigned long' }),
  conv('lu', 'unsigned long', 'exact', 'An unsigned long in unsigned decimal.', { exactType: 'unsigned long' }),
  conv('ls', WSTR, 'wide-string', 'Wide-character string (array of wchar_t).'),
  conv('lx', 'long', 'any-long', 'A long of either sign in lower-case hexadecimal.'),
  conv('lX', 'long', 'any-long', 'A long of either sign in upper-case hexadecimal.'),
  conv('lld', 'long long', 'exact', 'A long long in signed decimal.', { exactType: 'long long' }),
  conv('lli', 'long long', 'exact', 'A long long in signed decimal.', { exactType: 'long long' }),
  conv('llo', 'unsigned long long', 'exact', 'An unsigned long long in octal.', { exactType: 'unsigned long long' }),
  conv('llu', 'unsigned long long', 'exact', 'An unsigned long long in unsigned decimal.', { exactType: 'unsigned long long' }),
  conv('llx', 'long long', 'any-long-long', 'A long long (or int64_t/uint64_t) in lower-case hexadecimal.'),
  conv('llX', 'long long', 'any-long-long', 'A long long (or int64_t/uint64_t) in upper-case hexadecimal.'),
  conv('Le', 'long double', 'exact', 'A long double as [-]d.ddde±dd.', { exactType: 'long double' }),
  conv('LE', 'long double', 'exact', 'A long double as [-]d.dddE±dd.', { exactType: 'long double' }),
  conv('Lf', 'long double', 'exact', 'A long double as [-]ddd.ddd.', { exactType: 'long double' }),
  conv('Lg', 'long double', 'exact', 'A long double in %Lf or %Le style.', { exactType: 'long double' }),
  conv('LG', 'long double', 'exact', 'A long double in %Lf or %LE style.', { exactType: 'long double' }),
  conv('o', XINT, 'integer', 'Integer in unsigned octal.'),
  conv('p', ADDR, 'pointer-or-integer', 'Pointer or integer in hexadecimal.'),
  conv('P', 'uint16_t', 'exact', 'A uint16_t port number, shown as its service name when known.', {
    exactType: 'unsigned short',
    platforms: BSD,
  }),
  conv('s', CSTR, 'string', 'String.'),
  conv('S', CSTR, 'string', 'String with unprintable characters escaped.'),
  conv('T', 'int64_t', 'time', 'Nanoseconds since the epoch as an RFC 822 date.'),
  conv('u', XINT, 'integer', 'Integer in unsigned decimal.'),
  conv('wc', 'int', 'exact', 'An int shown as a wide character (same as %lc).', { exactType: 'int' }),
  conv('ws', WSTR, 'wide-string', 'Wide-character string (same as %ls).'),
  conv('x', XINT, 'integer', 'Integer in lower-case hexadecimal.'),
  conv('X', XINT, 'integer', 'Integer in upper-case hexadecimal.'),
  conv('Y', 'int64_t', 'time', 'Nanoseconds since the epoch as a date, e.g. 2024 Jan  2 03:04:05.'),
  conv('%', 'void', 'none', 'A literal percent sign.'),
];

const byPlatform = new Map<DifPlatform, Map<string, ConversionSpec>>();

/** The conversions one platform's compiler knows, by dictionary name. */
export function conversionTable(platform: DifPlatform): ReadonlyMap<string, ConversionSpec> {
  let table = byPlatform.get(platform);
  if (!table) {
    table = new Map(CONVERSIONS.filter((c) => c.platforms.includes(platform)).map((c) => [c.name, c]));
    byPlatform.set(platform, table);
  }
  return table;
}
