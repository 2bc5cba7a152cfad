// printf as dtrace's consumer prints it, from hand-made records: each conversion with flags,
// widths, precisions, `*`, size prefixes; %d following the argument's signedness; %S/%C
// escapes; %Y/%T with TZ; %@ in printa formats. Expected texts follow reference §4.2 and the C
// library's printf (checked against glibc for the C parts).
// Run: node --import tsx --test test/unit/consume-printf.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFormatError, parseFormat } from '../../server/src/analyze/printf/index.ts';
import { ACT, type RecordType } from '../../server/src/codegen/program.ts';
import { renderFormat, type FormatRecord } from '../../server/src/consume/printfFormat.ts';
import type { AggregationValue } from '../../server/src/consume/aggregationValues.ts';
import { cFloat, cInteger } from '../../server/src/consume/cFormat.ts';
import { bytesToText } from '../../server/src/consume/recordValues.ts';

const ENV = { histogram: { zoom: false, utf8: false }, stackIndent: 14 };

const int = (v: bigint | number, size: 1 | 2 | 4 | 8 = 4, signed = true): FormatRecord => ({
  value: BigInt.asUintN(64, BigInt(v)),
  type: { k: 'int', size, signed },
  kind: ACT.DIFEXPR,
});
const str = (s: string, size = 256): FormatRecord => {
  const bytes = new Uint8Array(size);
  bytes.set(Buffer.from(s, 'utf8').subarray(0, size));
  return { value: bytes, type: { k: 'string', size }, kind: ACT.DIFEXPR };
};
const double = (x: number): FormatRecord => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return { value: b, type: { k: 'bytes', size: 8 } as RecordType, kind: ACT.DIFEXPR };
};

function fmt(format: string, ...records: FormatRecord[]): string {
  const d = parseFormat(format);
  if (isFormatError(d)) throw new Error(d.message);
  return renderFormat(d, records, ENV).text;
}

function printa(format: string, values: AggregationValue[], ...keys: FormatRecord[]): string {
  const d = parseFormat(format);
  if (isFormatError(d)) throw new Error(d.message);
  return renderFormat(d, keys, ENV, values).text;
}

describe('integer conversions', () => {
  it('prints %d %i %u %o %x %X of an int', () => {
    assert.equal(fmt('%d %i %u %o %x %X', int(-42), int(-42), int(42), int(8), int(255), int(255)), '-42 -42 42 10 ff FF');
  });
  it('reads %u and %x of a negative int as C reads the 32-bit value', () => {
    assert.equal(fmt('%u %x', int(-1), int(-1)), '4294967295 ffffffff');
  });
  it('reads 64-bit records as long long', () => {
    assert.equal(fmt('%d %u %x', int(-1n, 8), int(-1n, 8), int(-1n, 8)), '-1 18446744073709551615 ffffffffffffffff');
    assert.equal(fmt('%d', int(-9223372036854775808n, 8)), '-9223372036854775808');
  });
  it('prints %d of an unsigned argument unsigned', () => {
    assert.equal(fmt('%d', int(0xffffffff, 4, false)), '4294967295');
    assert.equal(fmt('%d', int(-1n, 8, false)), '18446744073709551615');
  });
  it('prints %d of a char or short from its zero-extended bytes (libdtrace reads them unsigned)', () => {
    assert.equal(fmt('%d %d', int(-1, 1), int(-1, 2)), '255 65535');
  });
  it('sign-extends %i, %hd and %ld', () => {
    assert.equal(fmt('%i %i', int(-1, 1), int(-1, 2)), '-1 -1');
  });
  it('applies widths, left justification and zero padding (a 0 after - wins, as dtrace scans it)', () => {
    assert.equal(fmt('[%5d][%-5d][%05d][%-05d]', int(42), int(42), int(-42), int(42)), '[   42][42   ][-0042][00042]');
  });
  it('applies + and space to signed conversions only', () => {
    assert.equal(fmt('[%+d][% d][%+u]', int(5), int(5), int(5)), '[+5][ 5][5]');
  });
  it('applies # to octal and hex', () => {
    assert.equal(fmt('[%#o][%#x][%#X][%#x]', int(8), int(255), int(255), int(0)), '[010][0xff][0XFF][0]');
  });
  it('pads digits to the precision and ignores 0 with a precision', () => {
    assert.equal(fmt('[%.5d][%08.3d]', int(42), int(42)), '[00042][     042]');
  });
  it('drops a zero precision as dtrace rebuilds the format', () => {
    assert.equal(fmt('[%.0d]', int(0)), '[0]');
  });
  it("keeps ' (no grouping in the C locale)", () => {
    assert.equal(fmt("[%'d]", int(1234567)), '[1234567]');
  });
  it('takes * width and precision from int records, width first', () => {
    assert.equal(fmt('[%*d][%-*d][%*d]', int(6), int(1), int(6), int(2), int(-4), int(3)), '[     1][2     ][3   ]');
    assert.equal(fmt('[%.*d]', int(4), int(7)), '[0007]');
    assert.equal(fmt('[%*.*d]', int(6), int(3), int(7)), '[   007]');
  });
  it('prints %p as plain hex (no 0x)', () => {
    assert.equal(fmt('%p %p', int(4096n, 8, false), int(0n, 8, false)), '1000 0');
  });
  it('prints %c as the low byte and %C escaped', () => {
    assert.equal(fmt('[%c][%3c][%-3c]', int(65), int(66), int(67)), '[A][  B][C  ]');
    assert.equal(fmt('[%C][%C][%C][%C]', int(10), int(65), int(0x7f), int(92)), '[\\n][A][\\177][\\\\]');
  });
  it('prints %% as a percent sign without taking a record', () => {
    assert.equal(fmt('100%% %d%%', int(5)), '100% 5%');
  });
});

describe('string conversions', () => {
  it('prints %s up to the NUL with width and precision', () => {
    assert.equal(fmt('[%s][%10s][%-10s][%.2s][%5.1s]', str('hello'), str('ab'), str('cd'), str('xyz'), str('xyz')), '[hello][        ab][cd        ][xy][    x]');
  });
  it('counts widths in bytes, as C does', () => {
    assert.equal(bytesToText(fmt('[%-4s]', str('é'))), '[é  ]');
  });
  it('escapes %S and shows its terminating NUL', () => {
    assert.equal(fmt('%S', str('a\tb"c\\')), 'a\\tb\\"c\\\\\\0');
    assert.equal(fmt('%S', str('\x01x\x7f')), '\\001x\\177\\0');
  });
  it('shows a full-size string with %S without the NUL', () => {
    assert.equal(fmt('%S', str('abcd', 4)), 'abcd');
  });
});

describe('addresses, times and stacks', () => {
  it('prints %a as 0x hex (no symbols without a kernel)', () => {
    assert.equal(fmt('[%a][%20a]', int(0x1234n, 8, false), int(0xffn, 8, false)), '[0x1234][                0xff]');
  });
  it('prints %Y as ctime rearranged and %T as RFC 822, in TZ', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      assert.equal(fmt('%Y', int(0n, 8)), '1970 Jan  1 00:00:00');
      assert.equal(fmt('%T', int(1700000000000000000n, 8)), 'Tue, 14 Nov 2023 22:13:20 UTC');
      assert.equal(fmt('[%-22Y]', int(1700000000000000000n, 8)), '[2023 Nov 14 22:13:20  ]');
      process.env.TZ = 'America/New_York';
      assert.equal(fmt('%Y', int(1700000000000000000n, 8)), '2023 Nov 14 17:13:20');
      assert.equal(fmt('%T', int(1700000000000000000n, 8)), 'Tue, 14 Nov 2023 17:13:20 EST');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
  it('prints %T with the ISO week-based year at a year boundary', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      // 2024-12-30 is in ISO week 1 of 2025.
      assert.equal(fmt('%T', int(1735560000000000000n, 8)), 'Mon, 30 Dec 2025 12:00:00 UTC');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
  it('prints %k as one frame a line, indented by a left-justified width', () => {
    const bytes = new Uint8Array(24);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(0, 0xffff0010n, true);
    v.setBigUint64(8, 0xffff0020n, true);
    const stack: FormatRecord = { value: bytes, type: { k: 'stack', frames: 3, user: false }, kind: ACT.STACK, arg: 3n };
    assert.equal(fmt('%k', stack), '\n0xffff0010\n0xffff0020\n');
    assert.equal(fmt('%-4k', stack), '\n    0xffff0010\n    0xffff0020\n');
    assert.equal(fmt('%12k', stack), '\n  0xffff0010\n  0xffff0020\n');
  });
});

describe('floating point', () => {
  it('prints %f %e %g %E %G as C does', () => {
    assert.equal(fmt('%f %e %g', double(1.5), double(1.5), double(1.5)), '1.500000 1.500000e+00 1.5');
    assert.equal(fmt('%.2f %10.3e %G %E', double(-2.25), double(123456.789), double(1e-5), double(1e20)), '-2.25  1.235e+05 1E-05 1.000000E+20');
  });
  it('matches C for the corner cases of %g and #', () => {
    assert.equal(cFloat(100000, 'g', {}), '100000');
    assert.equal(cFloat(1000000, 'g', {}), '1e+06');
    assert.equal(cFloat(0.0001, 'g', {}), '0.0001');
    assert.equal(cFloat(3, 'g', { alt: true }), '3.00000');
    assert.equal(cFloat(2.5, 'f', { precision: 0 }), '2');
    assert.equal(cFloat(Infinity, 'f', {}), 'inf');
    assert.equal(cFloat(-Infinity, 'E', { width: 6 }), '  -INF');
  });
});

describe('cInteger', () => {
  it('handles the extremes of 64-bit values', () => {
    assert.equal(cInteger(-9223372036854775808n, 'd', { width: 25 }), '     -9223372036854775808');
    assert.equal(cInteger(18446744073709551615n, 'o', {}), '1777777777777777777777');
    assert.equal(cInteger(0n, 'o', { alt: true }), '0');
  });
});

describe('printa formats (%@)', () => {
  const count = (n: bigint): AggregationValue => ({ fn: 'count', data: [n], normal: 1n });
  it('takes keys for the plain conversions and the value for %@', () => {
    assert.equal(printa('%-10s %@d\n', [count(7n)], str('cat')), 'cat        7\n');
    assert.equal(printa('%d: %@8u|\n', [count(12n)], int(3)), '3:       12|\n');
  });
  it('prints count unsigned and sum signed', () => {
    assert.equal(printa('%@d', [{ fn: 'count', data: [BigInt.asUintN(64, -1n)], normal: 1n }]), '18446744073709551615');
    assert.equal(printa('%@d', [{ fn: 'sum', data: [BigInt.asUintN(64, -5n)], normal: 1n }]), '-5');
  });
  it('divides by the normalization', () => {
    assert.equal(printa('%@d', [{ fn: 'sum', data: [100n], normal: 7n }]), '14');
  });
  it('prints avg and stddev through the conversion', () => {
    assert.equal(printa('%@d %@x', [{ fn: 'avg', data: [2n, 31n], normal: 1n }]), '15 f');
    assert.equal(printa('%@d', [{ fn: 'stddev', data: [2n, 6n, 0n, 20n], normal: 1n }]), '1');
  });
  it('computes avg on unsigned words as libdtrace does for %@ (negative totals wrap)', () => {
    assert.equal(printa('%@d', [{ fn: 'avg', data: [1n, BigInt.asUintN(64, -10n)], normal: 1n }]), '-10');
    assert.equal(printa('%@d', [{ fn: 'avg', data: [2n, BigInt.asUintN(64, -20n)], normal: 1n }]), '9223372036854775798');
  });
  it('gives each %@ the next aggregation of a joined printa, repeating the last', () => {
    assert.equal(printa('%@d %@d %@d\n', [count(1n), count(2n)]), '1 2 2\n');
  });
  it('prints a histogram for %@ of quantize whatever the conversion', () => {
    const data = new Array<bigint>(127).fill(0n);
    data[64] = 1n;
    assert.equal(
      printa('%@d', [{ fn: 'quantize', data, normal: 1n }]),
      '\n           value  ------------- Distribution ------------- count    \n' +
        '               0 |                                         0        \n' +
        '               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        \n' +
        '               2 |                                         0        \n',
    );
  });
});
