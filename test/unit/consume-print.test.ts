// print() by type (dt_print.c's layout, in the manner of mdb's ::print -tn): scalars on one
// line, structs and unions member by member with 4 columns of indentation per level and the
// closing brace left without a newline, arrays inline as `[ a, b ]` (arrays of structs one
// element per block), char arrays holding a string as `"..."` (bracketed below the top level),
// enums by enumerator name. End-to-end cases are test/fixtures/run/print-*.d.
// Run: node --import tsx --test test/unit/consume-print.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { array, pointer, T, typedef, type CType, type StructType } from '../../server/src/analyze/types/ctype.ts';
import { printTyped } from '../../server/src/consume/printAction.ts';

function bytes(size: number, set: Record<number, number> = {}): Uint8Array {
  const b = new Uint8Array(size);
  for (const [at, v] of Object.entries(set)) b[Number(at)] = v;
  return b;
}

function struct(tag: string | undefined, members: [string, CType, number][], size: number, kind: 'struct' | 'union' = 'struct'): StructType {
  return { kind, tag, members: members.map(([name, type, offset]) => ({ name, type, offset })), size, align: 8 };
}

describe('print() of aggregates', () => {
  it('prints an array of arrays inline, innermost first', () => {
    const m = array(array(T.int, 3), 2);
    assert.equal(printTyped('int [2][3]', bytes(24, { 20: 5 }), m), 'int [2][3] [ [ 0, 0, 0 ], [ 0, 0, 0x5 ] ]\n');
  });

  it('shows a struct declared but never defined as a forward declaration', () => {
    const opaque: StructType = { kind: 'struct', tag: 'opaque', members: undefined, size: 0, align: 1 };
    assert.equal(printTyped('struct opaque', bytes(8), opaque), 'struct opaque <forward decl>\n');
  });

  it('names pointers without a space before the member and prints them in hex', () => {
    const s = struct('node', [['next', pointer(T.void), 0], ['val', T.uchar, 8]], 16);
    assert.equal(printTyped('struct node', bytes(16, { 1: 0x10, 8: 0xff }), s), 'struct node {\n    void *next = 0x1000\n    unsigned char val = 0xff\n}');
  });

  it('quotes signed chars, escaping the unprintable in octal of the promoted int', () => {
    const s = struct('c', [['a', T.char, 0], ['b', T.char, 1], ['z', T.char, 2]], 3);
    assert.equal(printTyped('struct c', bytes(3, { 0: 0x41, 1: 0xff }), s), "struct c {\n    char a = 'A'\n    char b = '\\37777777777'\n    char z = '\\0'\n}");
  });

  it('keeps a typedef name for a struct and closes nested braces level by level', () => {
    const inner = struct(undefined, [['k', T.short, 0]], 2);
    const outer = typedef('outer_t', struct('outer', [['in', inner, 0], ['after', T.int, 4]], 8));
    assert.equal(
      printTyped('outer_t', bytes(8, { 0: 2, 4: 1 }), outer),
      'outer_t {\n    struct in = {\n        short k = 0x2\n    }\n    int after = 0x1\n}',
    );
  });

  it('prints a char array without a NUL as an array of chars', () => {
    const a = array(T.char, 2);
    assert.equal(printTyped('char [2]', bytes(2, { 0: 0x61, 1: 0x62 }), a), "char [2] [ 'a', 'b' ]\n");
  });

  it('prints a string that is not all printable as its strsize chars', () => {
    assert.equal(printTyped('string', bytes(6, { 0: 0x61, 1: 9, 2: 0x62 }), T.string), "string [ 'a', '\\011', 'b', '\\0', '\\0', '\\0' ]\n");
    assert.equal(printTyped('string', bytes(6, { 0: 0x61 }), T.string), 'string "a"\n');
  });

  it('falls back to trace() for aggregates when the type is not given', () => {
    assert.equal(printTyped('struct s', bytes(4)), undefined);
  });
});
