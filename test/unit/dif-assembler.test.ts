import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assemble, assembleInstruction, AssemblyError } from '../../server/src/dif/assembler.ts';
import { decode, encode } from '../../server/src/dif/encoding.ts';
import { disassemble, instructionText } from '../../server/src/dif/disassembler.ts';
import { OPCODES, type OperandSyntax } from '../../server/src/dif/opcodes.ts';
import { stringAt } from '../../server/src/dif/difo.ts';

const SAMPLE_OPERANDS: Record<OperandSyntax, string> = {
  binary: '%r1, %r2, %r3',
  unary: '%r4, %r5',
  compare: '%r6, %r7',
  test: '%r3',
  branch: '77',
  load: '[%r1], %r2',
  store: '%r1, [%r2]',
  return: '%r1',
  bare: '',
  setx: 'DT_INTEGER[3], %r1',
  sets: 'DT_STRING[7], %r2',
  arrayLoad: 'DT_VAR(2), %r3, %r4',
  varLoad: 'DT_VAR(1280), %r5',
  varStore: '%r6, DT_VAR(1281)',
  call: 'DIF_SUBR(23), %r1',
  pushRef: 'DT_TYPE(1), %r2, %r3',
  pushValue: 'DT_TYPE(0), %r4',
  translate: 'DT_XLREF[2], %r1',
};

/** One line per opcode 1..79, in opcode order. */
const EVERY_OPCODE = OPCODES.filter((i) => i !== undefined)
  .map((info) => `${info.name} ${SAMPLE_OPERANDS[info.syntax]}`.trimEnd())
  .join('\n');

function errorOf(fn: () => unknown): AssemblyError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AssemblyError, `expected AssemblyError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an AssemblyError');
}

describe('DIF assembler: round trips', () => {
  it('assembles one word per opcode, in opcode order', () => {
    const difo = assemble(EVERY_OPCODE);
    assert.equal(difo.instructions.length, 79);
    difo.instructions.forEach((word, i) => assert.equal(word >>> 24, i + 1));
  });

  it('assemble -> encode -> decode -> disassemble -> assemble gives the same words, for every opcode', () => {
    const words = Array.from(assemble(EVERY_OPCODE).instructions);
    for (const word of words) {
      const decoded = decode(word);
      assert.equal(encode(decoded), word);
      const text = instructionText(word);
      assert.equal(assembleInstruction(text), word, text);
    }
    const listing = disassemble(assemble(EVERY_OPCODE));
    assert.deepEqual(Array.from(assemble(listing).instructions), words);
  });

  it('round-trips the largest operands of every opcode', () => {
    const high: Record<OperandSyntax, string> = {
      binary: '%r255, %r254, %r253',
      unary: '%r255, %r7',
      compare: '%r255, %r255',
      test: '%r255',
      branch: '16777215',
      load: '[%r255], %r255',
      store: '%r255, [%r255]',
      return: '%r255',
      bare: '',
      setx: 'DT_INTEGER[65535], %r255',
      sets: 'DT_STRING[65535], %r255',
      arrayLoad: 'DT_VAR(255), %r255, %r255',
      varLoad: 'DT_VAR(65535), %r255',
      varStore: '%r255, DT_VAR(65535)',
      call: 'DIF_SUBR(65535), %r255',
      pushRef: 'DT_TYPE(255), %r255, %r255',
      pushValue: 'DT_TYPE(255), %r255',
      translate: 'DT_XLREF[65535], %r255',
    };
    for (const info of OPCODES) {
      if (!info) continue;
      const word = assembleInstruction(`${info.name} ${high[info.syntax]}`);
      assert.ok(word > 0 && word <= 0xffffffff);
      assert.equal(assembleInstruction(instructionText(word)), word, info.name);
    }
  });

  it('round-trips a listing with its tables, comments and variable table', () => {
    const source = `
      .rtype string (unknown) by ref (size 256)
      .int 0x2a
      .int -1
      .string "hello"
      .var x 0x500 scl glb r/w D type (integer) (size 8)
      .var counts 0x501 arr tls r D type (integer) (size 4)
      setx DT_INTEGER[1], %r1
      sets DT_STRING[0], %r2
      ldgs DT_VAR(1280), %r3
      ldtaa DT_VAR(1281), %r4
      ret %r2`;
    const difo = assemble(source);
    for (const platform of ['illumos', 'opendtrace', 'freebsd'] as const) {
      const listing = disassemble(difo, { platform, address: 0xfeedface });
      const again = assemble(listing, { platform });
      assert.deepEqual(Array.from(again.instructions), Array.from(difo.instructions));
      assert.deepEqual(again.returnType, difo.returnType);
      assert.deepEqual(again.intTable.slice(1), [0xffffffffffffffffn]);
      assert.equal(stringAt(again.stringTable, 0), 'hello');
      assert.deepEqual(again.variables, difo.variables);
      assert.equal(disassemble(again, { platform, address: 0xfeedface }), listing);
    }
  });

  it('keeps listing words whose reserved bits the text cannot show', () => {
    const listing = '00: 0d010203    not  %r1, %r3\n01: 00000000    (illegal opcode)\n02: ff000001    (illegal opcode)';
    assert.deepEqual(Array.from(assemble(listing).instructions), [0x0d010203, 0, 0xff000001]);
  });
});

describe('DIF assembler: syntax', () => {
  it('reads the documented examples', () => {
    assert.equal(assembleInstruction('setx DT_INTEGER[0], %r1'), 0x25000001);
    assert.equal(assembleInstruction('ldgs DT_VAR(1280), %r2'), 0x29050002);
    assert.equal(assembleInstruction('ba 12'), 0x1100000c);
    assert.equal(assembleInstruction('pushtr DT_TYPE(1), %r2, %r3'), 0x30010203);
    assert.equal(assembleInstruction('call DIF_SUBR(23), %r1'), 0x2f001701);
    assert.equal(assembleInstruction('ret %r1'), 0x23000001);
    assert.equal(assembleInstruction('  ret   %r1   ! trailing comment'), 0x23000001);
    assert.equal(assembleInstruction('pushtv DT_TYPE(0), %r5, %r4'), 0x31000504);
  });

  it('names subroutines by the chosen platform', () => {
    assert.equal(assembleInstruction('call DIF_SUBR(strjoin), %r1'), 0x2f001701);
    assert.equal(assembleInstruction('call DIF_SUBR(strtoll), %r1'), 0x2f003001);
    assert.equal(assembleInstruction('call DIF_SUBR(strtoll), %r1', { platform: 'freebsd' }), 0x2f003601);
  });

  it('resolves labels forwards and backwards', () => {
    const difo = assemble(`
      start: tst %r1
             be yes
             ba start        ; assembles: only the verifier refuses it
      yes:   ret %r1`);
    assert.deepEqual(Array.from(difo.instructions), [0x10010000, 0x12000003, 0x11000000, 0x23000001]);
  });

  it('accepts raw words, integers and strings', () => {
    const difo = assemble(`
      .word 0xdeadbeef
      .word 0
      .int -2
      .int 18446744073709551615
      .string "a!b;c"
      .string "tab\\tquote\\"x\\x41"
      .string "a!b;c"`);
    assert.deepEqual(Array.from(difo.instructions), [0xdeadbeef, 0]);
    assert.deepEqual(difo.intTable, [0xfffffffffffffffen, 0xffffffffffffffffn]);
    assert.equal(stringAt(difo.stringTable, 0), 'a!b;c');
    assert.equal(stringAt(difo.stringTable, 6), 'tab\tquote"xA');
    assert.equal(difo.stringTable.length, 6 + 13);
  });

  it('defaults the return type to a 64-bit integer', () => {
    assert.deepEqual(assemble('ret %r0').returnType, { kind: 0, ckind: 1, flags: 0, size: 8 });
    assert.deepEqual(assemble('.rtype 0 3 0 8\nret %r0').returnType, { kind: 0, ckind: 3, flags: 0, size: 8 });
  });
});

describe('DIF assembler: errors name the line and column', () => {
  const cases: Array<[string, string, number, number]> = [
    ['nop\nfrob %r1', "unknown instruction 'frob'", 2, 1],
    ['  add %r1, %r2', "expected ',', found end of line", 1, 15],
    ['ret %r256', 'register number 256 out of range (0-255)', 1, 7],
    ['ret r1', "expected a register, found 'r1'", 1, 5],
    ['setx DT_INTEGER[65536], %r1', 'DT_INTEGER operand 65536 out of range (0-65535)', 1, 17],
    ['setx DT_STRING[0], %r1', "expected DT_INTEGER[...], found 'DT_STRING[0],'", 1, 6],
    ['ldga DT_VAR(256), %r1, %r2', 'DT_VAR operand 256 out of range (0-255)', 1, 13],
    ['ret %r1 %r2', "unexpected '%r2'", 1, 9],
    ['ba nowhere', "undefined label 'nowhere'", 1, 4],
    ['x: nop\nx: nop', "label 'x' is already defined", 2, 1],
    ['ba 16777216', 'a branch target (instruction index or label) 16777216 out of range (0-16777215)', 1, 4],
    ['call DIF_SUBR(memref), %r1', "unknown subroutine 'memref' on illumos", 1, 15],
    ['.bogus 1', "unknown directive '.bogus'", 1, 1],
    ['.int 18446744073709551616', '18446744073709551616 does not fit in 64 bits', 1, 6],
    ['.string "open', 'unterminated string', 1, 9],
    ['.word 0x100000000', 'a 32-bit word 4294967296 out of range (0-4294967295)', 1, 7],
    ['.rtype D type (integer)', "unreadable type 'D type (integer)'", 1, 8],
    ['.var x 0x500 scl nowhere D type (integer) (size 8)', "unknown variable scope 'nowhere'", 1, 18],
    ['00: 23000001    ret  %r2', 'instruction does not match word 23000001', 1, 17],
    ['03: 23000001    ret  %r1', 'listing offset 03 is not instruction 0', 1, 1],
    ['00: 23000001    (illegal opcode)', "word 23000001 has a valid opcode, not '(illegal opcode)'", 1, 17],
  ];
  for (const [source, reason, line, column] of cases) {
    it(reason, () => {
      const e = errorOf(() => assemble(source));
      assert.equal(e.reason, reason);
      assert.equal(e.line, line);
      assert.equal(e.column, column);
      assert.equal(e.message, `line ${line}, column ${column}: ${reason}`);
    });
  }
});

describe('DIF assembler: labels and raw words', () => {
  it('lets a label name a raw word', () => {
    const difo = assemble('ba odd\nodd: .word 0x24000000\nret %r0');
    assert.deepEqual(Array.from(difo.instructions), [0x11000001, 0x24000000, 0x23000000]);
  });
});
