import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assemble } from '../../server/src/dif/assembler.ts';
import { createDifo, ctfType, integerType, stringType } from '../../server/src/dif/difo.ts';
import { disassemble, instructionText, variableFlagsText } from '../../server/src/dif/disassembler.ts';

// Expected texts are written out by hand from dt_dis()'s formats: "%02lu: %08x    " line
// prefixes, "%-4s" mnemonics, "\t\t! " comments ("\t! " after pushtr), and the vartab row
// "%-16s %-4x|u %-3s %-3s %-4s %s".

describe('DIF disassembler', () => {
  it('prints a predicate the way dtrace -S does (illumos)', () => {
    // /pid == 1234/ as the compiler lays it out.
    const difo = createDifo({
      instructions: [
        0x29011601, 0x25000002, 0x0f010200, 0x12000006, 0x0e000001, 0x11000007, 0x25000101, 0x24000000,
        0x23000001,
      ],
      intTable: [1234, 1],
      stringTable: new TextEncoder().encode('pid\0'),
      variables: [{ name: 0, id: 0x116, kind: 1, scope: 0, flags: 1, type: ctfType(1, 4) }],
      returnType: integerType(4),
    });
    const expected = [
      '',
      'DIFO 0x8076a60 returns D type (integer) (size 4)',
      'OFF OPCODE      INSTRUCTION',
      '00: 29011601    ldgs DT_VAR(278), %r1\t\t! DT_VAR(278) = "pid"',
      '01: 25000002    setx DT_INTEGER[0], %r2\t\t! 0x4d2',
      '02: 0f010200    cmp  %r1, %r2',
      '03: 12000006    be   6',
      '04: 0e000001    mov  %r0, %r1',
      '05: 11000007    ba   7',
      '06: 25000101    setx DT_INTEGER[1], %r1\t\t! 0x1',
      '07: 24000000    nop',
      '08: 23000001    ret  %r1',
      '',
      'NAME             ID   KND SCP FLAG TYPE',
      'pid              116  scl glb r    D type (integer) (size 4)',
      '',
    ].join('\n');
    assert.equal(disassemble(difo, { address: 0x8076a60 }), expected);
  });

  it('prints strings, tuple pushes, calls and thread-locals per platform', () => {
    const difo = assemble(`
      .rtype string (unknown) by ref (size 256)
      .string "hello, "
      .var who 1280 scl tls r string (unknown) by ref (size 256)
      sets DT_STRING[0], %r1
      ldts DT_VAR(1280), %r2
      flushts
      pushtr DT_TYPE(1), %r0, %r1
      pushtr DT_TYPE(1), %r0, %r2
      call DIF_SUBR(23), %r1
      pushtv DT_TYPE(0), %r1
      call DIF_SUBR(47), %r3
      popts
      ret %r1`);
    const body = (json: string) => [
      'OFF OPCODE      INSTRUCTION',
      '00: 26000001    sets DT_STRING[0], %r1\t\t! "hello, "',
      '01: 2c050002    ldts DT_VAR(1280), %r2\t\t! DT_VAR(1280) = "who"',
      '02: 33000000    flushts',
      '03: 30010001    pushtr DT_TYPE(1), %r0, %r1\t! DT_TYPE(1) = string',
      '04: 30010002    pushtr DT_TYPE(1), %r0, %r2\t! DT_TYPE(1) = string',
      '05: 2f001701    call DIF_SUBR(23), %r1\t\t! strjoin',
      '06: 31000001    pushtv DT_TYPE(0), %r1\t\t! DT_TYPE(0) = D type',
      `07: 2f002f03    call DIF_SUBR(47), %r3\t\t! ${json}`,
      '08: 32000000    popts',
      '09: 23000001    ret  %r1',
      '',
      'NAME             ID   KND SCP FLAG TYPE',
    ];
    assert.equal(
      disassemble(difo, { address: 0xfeedbee0 }),
      [
        '',
        'DIFO 0xfeedbee0 returns string (unknown) by ref (size 256)',
        ...body('json'),
        'who              500  scl tls r    string (unknown) by ref (size 256)',
        '',
      ].join('\n'),
    );
    assert.equal(
      disassemble(difo, { address: 0x801c2a000n, platform: 'freebsd' }),
      [
        '',
        'DIFO 0x0x801c2a000 returns string (unknown) by ref (size 256)',
        ...body('typeref'),
        'who              1280 scl tls r    string (unknown) by ref (size 256)',
        '',
      ].join('\n'),
    );
    assert.equal(
      disassemble(difo, { platform: 'opendtrace' }),
      [
        '',
        'DIFO 0x0 returns string (unknown) by ref (size 256)',
        ...body('sx_shared_held'),
        'who              1280 scl tls r    string (unknown) by ref (size 256)',
        '',
      ].join('\n'),
    );
  });

  it('prints what it cannot name without comments', () => {
    const difo = createDifo({
      instructions: [
        0x00000000, // opcode 0
        0x50000102, // opcode 80
        0xff000000, // opcode 255
        0x25000901, // setx past the integer table
        0x26002001, // sets past the string table
        0x29060003, // ldgs of a variable without a vartab entry
        0x2d050102, // stts: the vartab names this id only for the global scope
        0x28020304, // ldga of an unnamed array
        0x31020001, // pushtv of type 2
        0x2f006301, // call of an unknown subroutine
        0x4e000201, // xlate
        0x3a020003, // allocs
        0x3b010203, // copys
        0x3c010002, // stb
        0x40010002, // uldsb
        0x23000001,
      ],
      intTable: [7],
      stringTable: new TextEncoder().encode('x\0'),
      variables: [
        { name: 0, id: 0x501, kind: 1, scope: 0, flags: 0, type: integerType() },
        { name: 99, id: 0x502, kind: 7, scope: 9, flags: 0x7, type: ctfType(6, 24, 2) },
        { name: 0, id: 0x503, kind: 0, scope: 2, flags: 2, type: { kind: 5, ckind: 42, flags: 0, size: 3 } },
      ],
      returnType: ctfType(3, 8, 3),
    });
    const expected = [
      '',
      'DIFO 0x0 returns D type (pointer) by user ref (size 8)',
      'OFF OPCODE      INSTRUCTION',
      '00: 00000000    (illegal opcode)',
      '01: 50000102    (illegal opcode)',
      '02: ff000000    (illegal opcode)',
      '03: 25000901    setx DT_INTEGER[9], %r1',
      '04: 26002001    sets DT_STRING[32], %r1',
      '05: 29060003    ldgs DT_VAR(1536), %r3',
      '06: 2d050102    stts %r2, DT_VAR(1281)',
      '07: 28020304    ldga DT_VAR(2), %r3, %r4',
      '08: 31020001    pushtv DT_TYPE(2), %r1',
      '09: 2f006301    call DIF_SUBR(99), %r1\t\t! unknown',
      '10: 4e000201    xlate DT_XLREF[2], %r1',
      '11: 3a020003    allocs %r2, %r3',
      '12: 3b010203    copys %r1, %r2, %r3',
      '13: 3c010002    stb  %r1, [%r2]',
      '14: 40010002    uldsb [%r1], %r2',
      '15: 23000001    ret  %r1',
      '',
      'NAME             ID   KND SCP FLAG TYPE',
      'x                501  scl glb      D type (integer) (size 8)',
      '                 502  7   9   0x4/r/w D type (struct) by user ref (size 24)',
      'x                503  arr loc w    0x5 (0x2a) (size 3)',
      '',
    ].join('\n');
    assert.equal(disassemble(difo), expected);
  });

  it('widens the offset column past 99 instructions', () => {
    const difo = createDifo({ instructions: [...new Array(100).fill(0x24000000), 0x23000001] });
    const lines = disassemble(difo).split('\n');
    assert.equal(lines[3], '00: 24000000    nop');
    assert.equal(lines[102], '99: 24000000    nop');
    assert.equal(lines[103], '100: 23000001    ret  %r1');
    assert.equal(lines.length, 105);
  });

  it('prints single instructions without a DIFO', () => {
    assert.equal(instructionText(0x25000001), 'setx DT_INTEGER[0], %r1');
    assert.equal(instructionText(0x29050002), 'ldgs DT_VAR(1280), %r2');
    assert.equal(instructionText(0x2f001701), 'call DIF_SUBR(23), %r1\t\t! strjoin');
    assert.equal(instructionText(0x10030000), 'tst  %r3');
    assert.equal(instructionText(0x27010200), 'scmp %r1, %r2');
    assert.equal(instructionText(0x2a050306), 'stgs %r6, DT_VAR(1283)');
    assert.equal(instructionText(0x22040005), 'ldx  [%r4], %r5');
  });

  it('formats the FLAG column like dt_dis', () => {
    assert.equal(variableFlagsText(0), '');
    assert.equal(variableFlagsText(1), 'r');
    assert.equal(variableFlagsText(2), 'w');
    assert.equal(variableFlagsText(3), 'r/w');
    assert.equal(variableFlagsText(0x10), '0x10');
    assert.equal(variableFlagsText(0x13), '0x10/r/w');
  });

  it('leaves the variable table out when there is none', () => {
    const text = disassemble(createDifo({ instructions: [0x23000000], returnType: stringType(128) }));
    assert.equal(text, '\nDIFO 0x0 returns string (unknown) by ref (size 128)\nOFF OPCODE      INSTRUCTION\n00: 23000000    ret  %r0\n');
  });
});
