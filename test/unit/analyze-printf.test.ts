import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CONVERSIONS,
  STACK_TYPE,
  SYMADDR_TYPE,
  USYMADDR_TYPE,
  checkFormat,
  conversionTable,
  isFormatError,
  parseFormat,
  type FormatCheckContext,
  type FormatConversion,
  type FormatDirective,
  type FormatError,
  type PrintfArgument,
} from '../../server/src/analyze/printf/index.ts';
import { T, array, pointer, typedef, type CType } from '../../server/src/analyze/types/ctype.ts';

const int64 = typedef('int64_t', T.long);
const uint64 = typedef('uint64_t', T.ulong);
const int16 = typedef('int16_t', T.short);
const uint16 = typedef('uint16_t', T.ushort);
const charPtr = pointer(T.char);

const arg = (type: CType, extra: Omit<PrintfArgument, 'type'> = {}): PrintfArgument => ({ type, ...extra });
const aggregation: PrintfArgument = { type: T.void, isAggregation: true };
const printf: FormatCheckContext = { action: 'printf' };

function parsed(fmt: string, platform?: Parameters<typeof parseFormat>[1]): FormatDirective[] {
  const r = parseFormat(fmt, platform);
  if (isFormatError(r)) assert.fail(`unexpected parse error: ${r.message}`);
  return r;
}

function conversions(fmt: string): FormatConversion[] {
  return parsed(fmt).filter((d): d is FormatConversion => d.kind === 'conversion');
}

function parseError(fmt: string): FormatError {
  const r = parseFormat(fmt);
  if (!isFormatError(r)) assert.fail('expected a parse error');
  return r;
}

/** The one problem DTrace would report (and we report nothing else). */
function onlyProblem(fmt: string | PrintfArgument, args: PrintfArgument[], context: FormatCheckContext = printf) {
  const problems = checkFormat(fmt, args, context);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  return problems[0]!;
}

function argTypeMessage(func: string, argNo: number, convNo: number, conv: string, proto: string, argType: string) {
  return (
    `${func}( ) argument #${argNo} is incompatible with conversion #${convNo} prototype:\n` +
    `\tconversion: %${conv}\n\t prototype: ${proto}\n\t  argument: ${argType}`
  );
}

describe('printf format scanner', () => {
  it('splits literals and conversions with offsets into the format value', () => {
    const ds = parsed('x=%-8.3lld!');
    assert.equal(ds.length, 3);
    assert.deepEqual(ds[0], { kind: 'literal', text: 'x=', start: 0, end: 2 });
    const c = ds[1] as FormatConversion;
    assert.equal(c.kind, 'conversion');
    assert.equal(c.text, '%-8.3lld');
    assert.deepEqual([c.start, c.end, c.number], [2, 10, 1]);
    assert.deepEqual([c.width, c.precision, c.size, c.conversion, c.name], [8, 3, 'll', 'd', 'lld']);
    assert.equal(c.flags.left, true);
    assert.equal(c.spec.prototype, 'long long');
    assert.deepEqual(ds[2], { kind: 'literal', text: '!', start: 10, end: 11 });
  });

  it('records every flag', () => {
    const [c] = conversions("%#+ '@x");
    assert.deepEqual(c!.flags, {
      alternate: true,
      zeroPad: false,
      left: false,
      plusSign: true,
      space: true,
      group: true,
      aggregation: true,
    });
  });

  it("lets '0' and '-' cancel each other, whichever comes last winning", () => {
    const [a, b] = conversions('%-05d %0-5d');
    assert.deepEqual([a!.flags.zeroPad, a!.flags.left, a!.width], [true, false, 5]);
    assert.deepEqual([b!.flags.zeroPad, b!.flags.left, b!.width], [false, true, 5]);
  });

  it('reads a 0 after the precision dot as a digit, not a flag', () => {
    const [c] = conversions('%.05d');
    assert.deepEqual([c!.flags.zeroPad, c!.precision], [false, 5]);
  });

  it('takes size letters wherever they appear before the conversion character', () => {
    const [c] = conversions('%l5d');
    assert.deepEqual([c!.name, c!.width], ['ld', 5]);
  });

  it('gives ? the width of an LP64 pointer', () => {
    assert.equal(conversions('%?p')[0]!.width, 16);
  });

  it('marks * widths and precisions', () => {
    const [c] = conversions('%-*.*s');
    assert.deepEqual([c!.dynamicWidth, c!.dynamicPrecision, c!.width, c!.precision], [true, true, undefined, undefined]);
  });

  it('treats %% as a conversion that counts in the numbering', () => {
    const cs = conversions('100%% of %d');
    assert.deepEqual(
      cs.map((c) => [c.name, c.number, c.start, c.end]),
      [
        ['%', 1, 3, 5],
        ['d', 2, 9, 11],
      ],
    );
  });

  it('ends the format at a NUL, as the C string the compiler holds', () => {
    assert.deepEqual(parsed('ab\0%Z'), [{ kind: 'literal', text: 'ab', start: 0, end: 2 }]);
  });

  it('parses an empty format to nothing', () => {
    assert.deepEqual(parsed(''), []);
  });

  it('knows %I and %P only on FreeBSD and OpenDTrace', () => {
    assert.equal(parseError('%I').message, 'format conversion #1 is undefined: %I');
    assert.equal(parseError('%P').message, 'format conversion #1 is undefined: %P');
    assert.equal((parsed('%I', 'freebsd')[0] as FormatConversion).spec.prototype, 'char [] or string (or use stringof)');
    assert.equal((parsed('%P', 'opendtrace')[0] as FormatConversion).spec.prototype, 'uint16_t');
  });
});

describe('printf format scanner errors (D_SYNTAX)', () => {
  const cases: [string, string, [number, number]][] = [
    ['%Z', 'format conversion #1 is undefined: %Z', [0, 2]],
    ['a %d %hf', 'format conversion #2 is undefined: %hf', [5, 8]],
    ['%1$d', 'format conversion #1 uses unsupported positional format (%n$)', [0, 3]],
    ['abc %', 'format conversion #1 name expected before end of format string', [4, 5]],
    ['%-%', 'format conversion #1 cannot be combined with other format flags: %%', [0, 3]],
    ['%.3.4d', "format conversion #1 has more than one '.' specified", [0, 4]],
    ['%.**d', "format conversion #1 has more than one '*' specified for the output precision", [0, 4]],
    // DTrace names the precision even when the second '*' is a width.
    ['%% %**d', "format conversion #2 has more than one '*' specified for the output precision", [3, 6]],
    // Only six size letters are kept; the seventh 'l' disappears from the name.
    ['%llllllld', 'format conversion #1 is undefined: %lllllld', [0, 9]],
  ];
  for (const [fmt, message, offsets] of cases) {
    it(JSON.stringify(fmt), () => {
      assert.deepEqual(parseError(fmt), { tag: 'D_SYNTAX', message, conversionNumber: Number(message.match(/#(\d+)/)![1]), formatOffset: offsets });
    });
  }

  it('keeps a newline that is the conversion character (only the final newline is cut)', () => {
    assert.equal(parseError('%\n').message, 'format conversion #1 is undefined: %\n');
  });

  it('is what checkFormat reports, alone', () => {
    assert.deepEqual(checkFormat('%Z %d', [arg(T.string)], printf), [
      { tag: 'D_SYNTAX', message: 'format conversion #1 is undefined: %Z', formatOffset: [0, 2] },
    ]);
  });
});

// One row per conversion: an argument it takes, one it rejects, and what DTrace then says.
interface Row {
  conv: string;
  good: PrintfArgument[];
  bad: PrintfArgument;
  prototype: string;
  badName: string;
  context?: Partial<FormatCheckContext>;
}
const XINT = 'char, short, int, long, or long long';
const CSI = 'char, short, or int';
const FP = 'float, double, or long double';
const CSTR = 'char [] or string (or use stringof)';
const UADDR = 'pointer or integer (with -p/-c) or _usymaddr (without -p/-c)';
const rows: Row[] = [
  { conv: 'a', good: [arg(charPtr), arg(T.ulong), arg(SYMADDR_TYPE)], bad: arg(T.string), prototype: 'pointer or integer', badName: 'string' },
  { conv: 'A', good: [arg(USYMADDR_TYPE)], bad: arg(T.ulong), prototype: UADDR, badName: 'unsigned long' },
  { conv: 'c', good: [arg(T.char), arg(T.int)], bad: arg(T.long), prototype: CSI, badName: 'long' },
  { conv: 'C', good: [arg(T.short)], bad: arg(T.double), prototype: CSI, badName: 'double' },
  { conv: 'd', good: [arg(T.ullong), arg(T.bool), arg({ kind: 'enum', tag: 'e', enumerators: undefined })], bad: arg(T.string), prototype: XINT, badName: 'string' },
  { conv: 'e', good: [arg(T.double)], bad: arg(T.int), prototype: FP, badName: 'int' },
  { conv: 'E', good: [arg(T.float)], bad: arg(T.int), prototype: FP, badName: 'int' },
  { conv: 'f', good: [arg(T.ldouble)], bad: arg(charPtr), prototype: FP, badName: 'char *' },
  { conv: 'g', good: [arg(T.double)], bad: arg(T.int), prototype: FP, badName: 'int' },
  { conv: 'G', good: [arg(T.double)], bad: arg(T.int), prototype: FP, badName: 'int' },
  { conv: 'hd', good: [arg(T.short), arg(int16)], bad: arg(T.int), prototype: 'short', badName: 'int' },
  { conv: 'hi', good: [arg(T.short)], bad: arg(T.ushort), prototype: 'short', badName: 'unsigned short' },
  { conv: 'ho', good: [arg(T.ushort)], bad: arg(T.short), prototype: 'unsigned short', badName: 'short' },
  { conv: 'hu', good: [arg(uint16)], bad: arg(int16), prototype: 'unsigned short', badName: 'int16_t' },
  { conv: 'hx', good: [arg(T.short), arg(T.ushort)], bad: arg(T.int), prototype: 'short', badName: 'int' },
  { conv: 'hX', good: [arg(T.ushort)], bad: arg(T.char), prototype: 'short', badName: 'char' },
  { conv: 'i', good: [arg(T.int)], bad: arg(charPtr), prototype: XINT, badName: 'char *' },
  { conv: 'I', good: [arg(T.string)], bad: arg(charPtr), prototype: CSTR, badName: 'char *', context: { platform: 'freebsd' } },
  { conv: 'k', good: [arg(STACK_TYPE)], bad: arg(T.int), prototype: 'stack', badName: 'int' },
  { conv: 'lc', good: [arg(T.int)], bad: arg(T.char), prototype: 'int', badName: 'char' },
  { conv: 'ld', good: [arg(T.long), arg(int64), arg(T.llong)], bad: arg(T.int), prototype: 'long', badName: 'int' },
  { conv: 'li', good: [arg(T.long)], bad: arg(T.int), prototype: 'long', badName: 'int' },
  { conv: 'lo', good: [arg(uint64)], bad: arg(T.uint), prototype: 'unsigned long', badName: 'unsigned int' },
  { conv: 'lu', good: [arg(T.ulong)], bad: arg(T.long), prototype: 'unsigned long', badName: 'long' },
  { conv: 'ls', good: [arg(array(T.int, 8))], bad: arg(array(T.char, 8)), prototype: 'wchar_t []', badName: 'char [8]' },
  { conv: 'lx', good: [arg(T.long), arg(uint64)], bad: arg(T.llong), prototype: 'long', badName: 'long long' },
  { conv: 'lX', good: [arg(T.ulong)], bad: arg(T.int), prototype: 'long', badName: 'int' },
  { conv: 'lld', good: [arg(T.llong), arg(int64)], bad: arg(uint64), prototype: 'long long', badName: 'uint64_t' },
  { conv: 'lli', good: [arg(T.llong), arg(T.long)], bad: arg(T.int), prototype: 'long long', badName: 'int' },
  { conv: 'llo', good: [arg(T.ullong)], bad: arg(T.llong), prototype: 'unsigned long long', badName: 'long long' },
  // Integers compare by CTF encoding (width, sign, char flag): uint64_t (unsigned long) is
  // compatible with unsigned long long, so `printf("%llu", timestamp)` is accepted.
  { conv: 'llu', good: [arg(T.ullong), arg(uint64)], bad: arg(int64), prototype: 'unsigned long long', badName: 'int64_t' },
  { conv: 'llx', good: [arg(T.llong), arg(uint64), arg(typedef('my64', int64))], bad: arg(T.long), prototype: 'long long', badName: 'long' },
  { conv: 'llX', good: [arg(T.ullong), arg(int64)], bad: arg(T.ulong), prototype: 'long long', badName: 'unsigned long' },
  { conv: 'Le', good: [arg(T.ldouble)], bad: arg(T.double), prototype: 'long double', badName: 'double' },
  { conv: 'LE', good: [arg(T.ldouble)], bad: arg(T.float), prototype: 'long double', badName: 'float' },
  { conv: 'Lf', good: [arg(T.ldouble)], bad: arg(T.double), prototype: 'long double', badName: 'double' },
  { conv: 'Lg', good: [arg(T.ldouble)], bad: arg(T.double), prototype: 'long double', badName: 'double' },
  { conv: 'LG', good: [arg(T.ldouble)], bad: arg(T.double), prototype: 'long double', badName: 'double' },
  { conv: 'o', good: [arg(T.uint)], bad: arg(T.float), prototype: XINT, badName: 'float' },
  { conv: 'p', good: [arg(pointer(T.void)), arg(array(T.char, 4)), arg(T.ulong)], bad: arg(T.string), prototype: 'pointer or integer', badName: 'string' },
  { conv: 'P', good: [arg(uint16)], bad: arg(T.int), prototype: 'uint16_t', badName: 'int', context: { platform: 'opendtrace' } },
  { conv: 's', good: [arg(T.string), arg(array(T.char, 16)), arg(array(T.uchar, undefined))], bad: arg(charPtr), prototype: CSTR, badName: 'char *' },
  { conv: 'S', good: [arg(T.string)], bad: arg(T.int), prototype: CSTR, badName: 'int' },
  { conv: 'T', good: [arg(int64), arg(T.ullong)], bad: arg(T.int), prototype: 'int64_t', badName: 'int' },
  { conv: 'u', good: [arg(T.char)], bad: arg(T.double), prototype: XINT, badName: 'double' },
  { conv: 'wc', good: [arg(T.int)], bad: arg(T.uint), prototype: 'int', badName: 'unsigned int' },
  { conv: 'ws', good: [arg(array(T.uint, 2))], bad: arg(T.string), prototype: 'wchar_t []', badName: 'string' },
  { conv: 'x', good: [arg(T.long)], bad: arg(charPtr), prototype: XINT, badName: 'char *' },
  { conv: 'X', good: [arg(T.uchar)], bad: arg(T.string), prototype: XINT, badName: 'string' },
  { conv: 'Y', good: [arg(uint64)], bad: arg(T.uint), prototype: 'int64_t', badName: 'unsigned int' },
];

describe('printf argument types, every conversion', () => {
  for (const row of rows) {
    const context: FormatCheckContext = { action: 'printf', ...row.context };
    it(`%${row.conv} takes ${row.good.map((g) => JSON.stringify(g.type.kind)).join(', ')}`, () => {
      for (const good of row.good) assert.deepEqual(checkFormat(`<%${row.conv}>`, [good], context), []);
    });
    it(`%${row.conv} refuses ${row.badName}`, () => {
      assert.deepEqual(checkFormat(`<%${row.conv}>`, [row.bad], context), [
        {
          tag: 'D_PRINTF_ARG_TYPE',
          message: argTypeMessage('printf', 2, 1, row.conv, row.prototype, row.badName),
          argIndex: 0,
          formatOffset: [1, 2 + row.conv.length],
        },
      ]);
    });
  }

  it('covers every conversion of the dictionary', () => {
    const covered = new Set([...rows.map((r) => r.conv), '%']);
    assert.deepEqual(
      CONVERSIONS.map((c) => c.name).filter((n) => !covered.has(n)),
      [],
    );
  });

  it('takes no argument for %%', () => {
    assert.deepEqual(checkFormat('%d%%%d', [arg(T.int), arg(T.int)], printf), []);
  });

  it('accepts plain addresses for %A once a target process exists', () => {
    assert.deepEqual(checkFormat('%A', [arg(T.ulong)], { action: 'printf', hasTarget: true }), []);
    assert.deepEqual(checkFormat('%A', [arg(charPtr)], { action: 'printf', hasTarget: true }), []);
  });

  it('refuses an aggregation everywhere and names it "aggregation"', () => {
    // dtrace-utils err.D_PRINTF_ARG_TYPE.aggarg: printf("hello %d %d", 123, @a)
    assert.deepEqual(onlyProblem('hello %d %d', [arg(T.int), aggregation]), {
      tag: 'D_PRINTF_ARG_TYPE',
      message: argTypeMessage('printf', 3, 2, 'd', XINT, 'aggregation'),
      argIndex: 1,
      formatOffset: [9, 11],
    });
  });

  it('names a user-space pointer "userland ..."', () => {
    assert.equal(onlyProblem('%s', [arg(pointer(T.char, true))]).message, argTypeMessage('printf', 2, 1, 's', CSTR, 'userland char *'));
    assert.equal(onlyProblem('%d', [arg(T.string, { userland: true })]).message, argTypeMessage('printf', 2, 1, 'd', XINT, 'userland string'));
  });

  it('refuses a value of no C type everywhere, named as the caller names it', () => {
    // A translated struct or an associative array is named by what it is, not by a C type.
    const translated = arg(T.void, { typeName: 'translated data' });
    assert.equal(onlyProblem('%p', [translated]).message, argTypeMessage('printf', 2, 1, 'p', 'pointer or integer', 'translated data'));
    assert.equal(onlyProblem('%s', [translated]).message, argTypeMessage('printf', 2, 1, 's', CSTR, 'translated data'));
  });

  it('refuses _symaddr and stack where an integer is expected (they are typedefs of void)', () => {
    assert.equal(onlyProblem('%d', [arg(SYMADDR_TYPE)]).message, argTypeMessage('printf', 2, 1, 'd', XINT, '_symaddr'));
    assert.equal(onlyProblem('%p', [arg(STACK_TYPE)]).message, argTypeMessage('printf', 2, 1, 'p', 'pointer or integer', 'stack'));
  });
});

describe('printf argument counts', () => {
  it('reports a missing value argument (D_PRINTF_ARG_PROTO)', () => {
    assert.deepEqual(onlyProblem('%d and %s\n', [arg(T.int)]), {
      tag: 'D_PRINTF_ARG_PROTO',
      message: 'printf( ) prototype mismatch: conversion #2 (%s) is missing a corresponding value argument',
      formatOffset: [7, 9],
    });
  });

  it('reports every conversion left without a value, in order', () => {
    assert.deepEqual(
      checkFormat('%d %lld', [], printf).map((p) => p.message),
      [
        'printf( ) prototype mismatch: conversion #1 (%d) is missing a corresponding value argument',
        'printf( ) prototype mismatch: conversion #2 (%lld) is missing a corresponding value argument',
      ],
    );
  });

  it('reports extra arguments (D_PRINTF_ARG_EXTRA), counting those consumed', () => {
    // dtrace-utils err.D_PRINTF_ARG_EXTRA.widths: printf("%?d\n", x++, 1)
    assert.deepEqual(onlyProblem('%?d\n', [arg(T.int), arg(T.int)]), {
      tag: 'D_PRINTF_ARG_EXTRA',
      message: 'printf( ) prototype mismatch: only 1 arguments required by this format string',
      argIndex: 1,
    });
    assert.equal(onlyProblem('no conversions', [arg(T.int)]).message, 'printf( ) prototype mismatch: only 0 arguments required by this format string');
    assert.equal(
      onlyProblem('%*d', [arg(T.int), arg(T.int), arg(T.int)], { action: 'system' }).message,
      'system( ) prototype mismatch: only 2 arguments required by this format string',
    );
  });
});

describe('printf * width and precision', () => {
  it('consumes an int for the width, then one for the precision, then the value', () => {
    assert.deepEqual(checkFormat('[%-*.*s]', [arg(T.int), arg(T.long), arg(T.string)], printf), []);
  });

  it('reports a missing precision argument (D_PRINTF_DYN_PROTO)', () => {
    // dtrace-utils err.D_PRINTF_DYN_PROTO.noprec: printf("%s %.*d\n", "foo")
    assert.deepEqual(onlyProblem('%s %.*d\n', [arg(T.string)]), {
      tag: 'D_PRINTF_DYN_PROTO',
      message: 'printf( ) prototype mismatch: conversion #2 (%d) is missing a corresponding ".*" argument',
      formatOffset: [3, 7],
    });
  });

  it('asks for the width argument first', () => {
    assert.equal(onlyProblem('%*d', []).message, 'printf( ) prototype mismatch: conversion #1 (%d) is missing a corresponding "*" argument');
    assert.equal(
      onlyProblem('%*.*d', [arg(T.int)]).message,
      'printf( ) prototype mismatch: conversion #1 (%d) is missing a corresponding ".*" argument',
    );
  });

  it('reports a non-integer precision (D_PRINTF_DYN_TYPE) and still checks the value', () => {
    // dtrace-utils err.D_PRINTF_DYN_TYPE.badprec: printf("%.*d\n", "foo", 1)
    assert.deepEqual(onlyProblem('%.*d\n', [arg(T.string), arg(T.int)]), {
      tag: 'D_PRINTF_DYN_TYPE',
      message:
        'printf( ) argument #2 is incompatible with conversion #1 prototype:\n\tconversion: % .* d\n\t prototype: int\n\t  argument: string',
      argIndex: 0,
      formatOffset: [0, 4],
    });
  });

  it('reports a non-integer width', () => {
    assert.equal(
      onlyProblem('%*s', [arg(T.double), arg(T.string)]).message,
      'printf( ) argument #2 is incompatible with conversion #1 prototype:\n\tconversion: % * s\n\t prototype: int\n\t  argument: double',
    );
  });
});

describe('%@ (aggregation value)', () => {
  it('is refused outside printa (D_PRINTF_AGG_CONV)', () => {
    // dtrace-utils err.D_PRINTF_AGG_CONV.aggfmt
    assert.deepEqual(onlyProblem('%@d\n', []), {
      tag: 'D_PRINTF_AGG_CONV',
      message: '%@ conversion requires an aggregation and is not for use with printf( )',
      formatOffset: [0, 3],
    });
  });

  it('checks printa keys against the conversions and %@ against the value', () => {
    const ctx: FormatCheckContext = { action: 'printa', aggregatingFunction: 'count' };
    assert.deepEqual(checkFormat('%-20s %@8d\n', [arg(T.string)], ctx), []);
    assert.deepEqual(checkFormat('%s %d %@u %@x\n', [arg(T.string), arg(T.int)], ctx), []);
  });

  it('gives count() values type uint64_t and other aggregations int64_t', () => {
    assert.deepEqual(checkFormat('%@lu', [], { action: 'printa', aggregatingFunction: 'count' }), []);
    assert.deepEqual(onlyProblem('%@s', [], { action: 'printa', aggregatingFunction: 'count' }), {
      tag: 'D_PRINTF_ARG_TYPE',
      message:
        'printa( ) aggregating action is incompatible with conversion #1 prototype:\n\tconversion: %s\n\t prototype: char [] or string (or use stringof)\n\t  argument: uint64_t',
      formatOffset: [0, 3],
    });
    assert.equal(
      onlyProblem('%@lu', [], { action: 'printa', aggregatingFunction: 'sum' }).message,
      'printa( ) aggregating action is incompatible with conversion #1 prototype:\n\tconversion: %lu\n\t prototype: unsigned long\n\t  argument: int64_t',
    );
  });

  it('numbers printa keys from #2 and allows keys the format leaves out', () => {
    const ctx: FormatCheckContext = { action: 'printa', aggregatingFunction: 'sum' };
    assert.deepEqual(checkFormat('%@d\n', [arg(T.string), arg(T.int)], ctx), []);
    assert.deepEqual(onlyProblem('%s %d %@d', [arg(T.string), arg(T.string)], ctx), {
      tag: 'D_PRINTF_ARG_TYPE',
      message: argTypeMessage('printa', 3, 2, 'd', XINT, 'string'),
      argIndex: 1,
      formatOffset: [3, 5],
    });
    assert.equal(
      onlyProblem('%s %s %@d', [arg(T.string)], ctx).message,
      'printa( ) prototype mismatch: conversion #2 (%s) is missing a corresponding value argument',
    );
  });

  it('reports a printa first argument that is neither a string constant nor an aggregation', () => {
    assert.deepEqual(checkFormat(aggregation, [], { action: 'printa' }), []);
    assert.deepEqual(onlyProblem(arg(T.string), [], { action: 'printa' }), {
      tag: 'D_PRINTA_AGGARG',
      message: 'printa( ) argument #1 is incompatible with prototype:\n\tprototype: aggregation\n\t argument: string',
    });
  });
});

describe('format string itself', () => {
  it('must be a string constant (D_PRINTF_ARG_FMT)', () => {
    // dtrace-utils err.D_PRINTF_ARG_FMT.badfmt: printf(123)
    assert.deepEqual(onlyProblem(arg(T.int), []), {
      tag: 'D_PRINTF_ARG_FMT',
      message: 'printf( ) argument #1 is incompatible with prototype:\n\tprototype: string constant\n\t argument: int',
    });
    assert.equal(
      onlyProblem(arg(T.string), [arg(T.int)], { action: 'system' }).message,
      'system( ) argument #1 is incompatible with prototype:\n\tprototype: string constant\n\t argument: string',
    );
  });

  it('may not be empty (D_PRINTF_FMT_EMPTY)', () => {
    assert.deepEqual(onlyProblem('', []), { tag: 'D_PRINTF_FMT_EMPTY', message: 'printf( ) format string is empty', formatOffset: [0, 0] });
    assert.equal(onlyProblem('', [], { action: 'printa' }).message, 'printa( ) format string is empty');
    assert.equal(onlyProblem('\0x', [], { action: 'system' }).message, 'system( ) format string is empty');
  });

  it('may be empty for freopen(), which then restores stdout', () => {
    assert.deepEqual(checkFormat('', [], { action: 'freopen' }), []);
  });

  it('may not be "." for freopen() (D_FREOPEN_INVALID)', () => {
    assert.deepEqual(onlyProblem('.', [], { action: 'freopen' }), {
      tag: 'D_FREOPEN_INVALID',
      message: 'freopen( ) argument #1 cannot be "."',
      formatOffset: [0, 1],
    });
    assert.deepEqual(checkFormat('/tmp/out.%d', [arg(T.int)], { action: 'freopen' }), []);
  });
});

describe('problem order', () => {
  it('returns every problem in the order DTrace meets them, the first being the one it reports', () => {
    const problems = checkFormat('%@d %*s %lld', [arg(T.string), arg(T.int), arg(T.int), arg(T.int)], printf);
    assert.deepEqual(
      problems.map((p) => [p.tag, p.argIndex, p.formatOffset]),
      [
        ['D_PRINTF_AGG_CONV', undefined, [0, 3]],
        ['D_PRINTF_DYN_TYPE', 0, [4, 7]],
        ['D_PRINTF_ARG_TYPE', 1, [4, 7]],
        ['D_PRINTF_ARG_TYPE', 2, [8, 12]],
        ['D_PRINTF_ARG_EXTRA', 3, undefined],
      ],
    );
  });

  it('uses the caller-given number for the first argument', () => {
    assert.equal(
      onlyProblem('%d', [arg(T.string)], { action: 'printf', firstArgumentNumber: 5 }).message,
      argTypeMessage('printf', 5, 1, 'd', XINT, 'string'),
    );
  });
});

describe('conversion table', () => {
  it('has a description and a prototype for every entry', () => {
    for (const c of CONVERSIONS) {
      assert.ok(c.description.length > 0, c.name);
      assert.ok(c.prototype.length > 0, c.name);
    }
  });

  it('holds 49 conversions on illumos and 51 on FreeBSD and OpenDTrace', () => {
    assert.equal(conversionTable('illumos').size, 49);
    assert.equal(conversionTable('freebsd').size, 51);
    assert.equal(conversionTable('opendtrace').size, 51);
  });
});
