import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  decode,
  encode,
  fieldMask,
  indexOf,
  labelOf,
  makeBranchWord,
  makeIndexedWord,
  makeWord,
  opcodeOf,
  r1Of,
  r2Of,
  rdOf,
  reservedMask,
} from '../../server/src/dif/encoding.ts';
import {
  BUILTIN_VARIABLES,
  builtinVariableByName,
  DIF_OP_CALL,
  DIF_OP_LDGA,
  DIF_OP_NOP,
  DIF_OP_PUSHTV,
  DIF_OP_RET,
  DIF_OP_SETX,
  DIF_OP_TST,
  DIF_VAR_OTHER_UBASE,
  FAULTS,
  faultMessage,
  LAST_DIF_OPCODE,
  OPCODES,
  opcodeByName,
  opcodeInfo,
  restrictedLoadOf,
  SUBROUTINE_TABLES,
  subroutineCode,
  subroutineName,
} from '../../server/src/dif/opcodes.ts';
import { formatDifType, parseDifType } from '../../server/src/dif/type-text.ts';
import { ctfType, integerType, stringType } from '../../server/src/dif/difo.ts';

// Opcode numbers and mnemonics in reference order (§6), 1..79.
const MNEMONICS = (
  'or xor and sll srl sub add mul sdiv udiv srem urem not mov cmp tst ' +
  'ba be bne bg bgu bge bgeu bl blu ble bleu ldsb ldsh ldsw ldub lduh lduw ldx ret nop ' +
  'setx sets scmp ldga ldgs stgs ldta ldts stts sra call pushtr pushtv popts flushts ' +
  'ldgaa ldtaa stgaa sttaa ldls stls allocs copys stb sth stw stx ' +
  'uldsb uldsh uldsw uldub ulduh ulduw uldx rldsb rldsh rldsw rldub rlduh rlduw rldx xlate xlarg'
).split(' ');

describe('DIF opcode table', () => {
  it('numbers opcodes 1..79 exactly as the reference', () => {
    assert.equal(MNEMONICS.length, 79);
    assert.equal(LAST_DIF_OPCODE, 79);
    MNEMONICS.forEach((name, i) => {
      assert.equal(opcodeInfo(i + 1)?.name, name, `opcode ${i + 1}`);
      assert.equal(opcodeByName(name)?.code, i + 1);
    });
    assert.equal(opcodeInfo(0), undefined);
    assert.equal(opcodeInfo(80), undefined);
    assert.equal(OPCODES.length, 80);
  });

  it('gives each opcode its reference format', () => {
    const formats = new Map<string, string>();
    for (const info of OPCODES) if (info) formats.set(info.name, info.format);
    for (const b of ['ba', 'be', 'bne', 'bg', 'bgu', 'bge', 'bgeu', 'bl', 'blu', 'ble', 'bleu']) {
      assert.equal(formats.get(b), 'B', b);
    }
    for (const w of ['setx', 'sets', 'ldgs', 'stgs', 'ldts', 'stts', 'call', 'ldgaa', 'ldtaa', 'stgaa', 'sttaa', 'ldls', 'stls', 'xlate', 'xlarg']) {
      assert.equal(formats.get(w), 'W', w);
    }
    assert.equal(formats.get('ldga'), 'A');
    assert.equal(formats.get('ldta'), 'A');
    assert.equal(formats.get('pushtr'), 'T');
    assert.equal(formats.get('pushtv'), 'T');
    for (const r of ['add', 'not', 'cmp', 'tst', 'ldx', 'stx', 'ret', 'nop', 'scmp', 'allocs', 'copys', 'uldx', 'rldx', 'popts', 'flushts']) {
      assert.equal(formats.get(r), 'R', r);
    }
  });

  it('lists the operand fields each opcode uses', () => {
    assert.deepEqual(opcodeByName('add')?.fields, ['r1', 'r2', 'rd']);
    assert.deepEqual(opcodeByName('not')?.fields, ['r1', 'rd']);
    assert.deepEqual(opcodeByName('cmp')?.fields, ['r1', 'r2']);
    assert.deepEqual(opcodeByName('tst')?.fields, ['r1']);
    assert.deepEqual(opcodeByName('ret')?.fields, ['rd']);
    assert.deepEqual(opcodeByName('nop')?.fields, []);
    assert.deepEqual(opcodeByName('stw')?.fields, ['r1', 'rd']);
    assert.deepEqual(opcodeByName('setx')?.fields, ['integer', 'rd']);
    assert.deepEqual(opcodeByName('sets')?.fields, ['string', 'rd']);
    assert.deepEqual(opcodeByName('ldga')?.fields, ['array', 'r2', 'rd']);
    assert.deepEqual(opcodeByName('ldgs')?.fields, ['var', 'rd']);
    assert.deepEqual(opcodeByName('stgs')?.fields, ['var', 'rs']);
    assert.deepEqual(opcodeByName('call')?.fields, ['subr', 'rd']);
    assert.deepEqual(opcodeByName('pushtr')?.fields, ['type', 'r2', 'rs']);
    assert.deepEqual(opcodeByName('pushtv')?.fields, ['type', 'r2', 'rs']);
    assert.deepEqual(opcodeByName('ba')?.fields, ['label']);
    assert.deepEqual(opcodeByName('xlate')?.fields, ['xlref', 'rd']);
  });

  it('records the variable scope of each variable access', () => {
    assert.equal(opcodeByName('ldgs')?.scope, 0);
    assert.equal(opcodeByName('stgaa')?.scope, 0);
    assert.equal(opcodeByName('ldts')?.scope, 1);
    assert.equal(opcodeByName('sttaa')?.scope, 1);
    assert.equal(opcodeByName('ldls')?.scope, 2);
    assert.equal(opcodeByName('stls')?.scope, 2);
    assert.equal(opcodeByName('add')?.scope, undefined);
  });

  it('maps plain loads to their checked twins', () => {
    assert.equal(restrictedLoadOf(opcodeByName('ldsb')!.code), opcodeByName('rldsb')!.code);
    assert.equal(restrictedLoadOf(opcodeByName('ldx')!.code), opcodeByName('rldx')!.code);
    assert.equal(restrictedLoadOf(opcodeByName('uldx')!.code), undefined);
  });
});

describe('DIF word encoding', () => {
  it('puts the opcode in bits 31..24 and stays unsigned', () => {
    const w = makeWord(0xff, 0xff, 0xff, 0xff);
    assert.equal(w, 0xffffffff);
    assert.ok(w > 0);
    assert.equal(opcodeOf(w), 0xff);
    assert.equal(makeWord(DIF_OP_RET, 0, 0, 1), 0x23000001);
    assert.equal(makeWord(0x80, 1, 2, 3), 0x80010203);
    assert.equal(makeBranchWord(0xfe, 0xffffff), 0xfeffffff);
    assert.equal(makeIndexedWord(0x81, 0xffff, 7), 0x81ffff07);
  });

  it('extracts every field layout', () => {
    const w = 0x2f1234a7;
    assert.equal(opcodeOf(w), 0x2f);
    assert.equal(r1Of(w), 0x12);
    assert.equal(r2Of(w), 0x34);
    assert.equal(rdOf(w), 0xa7);
    assert.equal(labelOf(w), 0x1234a7);
    assert.equal(indexOf(w), 0x1234);
    assert.equal(fieldMask('label'), 0xffffff);
    assert.equal(fieldMask('var'), 0xffff00);
    assert.equal(fieldMask('r1'), 0xff0000);
  });

  it('encodes the reference examples', () => {
    assert.equal(encode({ opcode: DIF_OP_SETX, integer: 0, rd: 1 }), 0x25000001);
    assert.equal(encode({ opcode: DIF_OP_CALL, subr: 23, rd: 1 }), 0x2f001701);
    assert.equal(encode({ opcode: DIF_OP_LDGA, array: 0, r2: 1, rd: 2 }), 0x28000102);
    assert.equal(encode({ opcode: DIF_OP_PUSHTV, type: 0, r2: 0, rs: 3 }), 0x31000003);
    assert.equal(encode({ opcode: DIF_OP_NOP }), 0x24000000);
  });

  it('round-trips every opcode through encode and decode with extreme operands', () => {
    for (const info of OPCODES) {
      if (!info) continue;
      for (const fill of ['low', 'high'] as const) {
        const operands: Record<string, number> = {};
        for (const field of info.fields) {
          const width = fieldMask(field).toString(2).replace(/0/g, '').length;
          operands[field] = fill === 'low' ? 1 : 2 ** width - 1;
        }
        const word = encode({ opcode: info.code, ...operands });
        assert.ok(word >= 0 && word <= 0xffffffff);
        const decoded = decode(word);
        assert.equal(decoded.info, info);
        assert.equal(decoded.reserved, 0);
        const again: Record<string, number> = {};
        for (const field of info.fields) again[field] = decoded[field]!;
        assert.deepEqual(again, operands, info.name);
        assert.equal(encode({ opcode: decoded.opcode, ...again }), word, info.name);
      }
    }
  });

  it('knows which bits each opcode reserves', () => {
    assert.equal(reservedMask(opcodeByName('not')!), 0x00ff00);
    assert.equal(reservedMask(opcodeByName('ldx')!), 0x00ff00);
    assert.equal(reservedMask(opcodeByName('stx')!), 0x00ff00);
    assert.equal(reservedMask(opcodeByName('cmp')!), 0x0000ff);
    assert.equal(reservedMask(opcodeByName('tst')!), 0x00ffff);
    assert.equal(reservedMask(opcodeByName('ret')!), 0xffff00);
    assert.equal(reservedMask(opcodeByName('nop')!), 0xffffff);
    assert.equal(reservedMask(opcodeByName('add')!), 0);
    assert.equal(reservedMask(opcodeByName('setx')!), 0);
    assert.equal(decode(makeWord(DIF_OP_TST, 1, 2, 3)).reserved, 0x0203);
  });

  it('decodes illegal opcodes without guessing operands', () => {
    for (const word of [0x00000000, 0x50000000, 0xff123456]) {
      const d = decode(word);
      assert.equal(d.info, undefined);
      assert.equal(d.opcode, word >>> 24);
      assert.equal(d.word, word);
    }
  });

  it('refuses operands that do not fit or do not exist', () => {
    assert.throws(() => encode({ opcode: DIF_OP_SETX, integer: 0x10000, rd: 1 }), /integer 65536 does not fit in 16 bits/);
    assert.throws(() => encode({ opcode: DIF_OP_RET, rd: 256 }), /rd 256 does not fit in 8 bits/);
    assert.throws(() => encode({ opcode: DIF_OP_TST, r1: 1, rd: 2 }), /tst has no rd operand/);
    assert.throws(() => encode({ opcode: 0 }), /unknown DIF opcode 0/);
    assert.throws(() => encode({ opcode: 80 }), /unknown DIF opcode 80/);
    assert.throws(() => makeWord(256, 0, 0, 0), /opcode 256/);
    assert.throws(() => makeBranchWord(DIF_OP_RET, 1 << 24), /branch label/);
    assert.throws(() => decode(-1), /instruction word/);
  });
});

describe('DIF constant tables', () => {
  it('keeps built-in variable ids', () => {
    assert.equal(DIF_VAR_OTHER_UBASE, 0x500);
    const ids = Object.fromEntries(BUILTIN_VARIABLES.map((v) => [v.name, v.id]));
    assert.equal(ids.args, 0);
    assert.equal(ids.uregs, 2);
    assert.equal(ids.curthread, 0x100);
    assert.equal(ids.arg0, 0x106);
    assert.equal(ids.arg9, 0x10f);
    assert.equal(ids.probename, 0x115);
    assert.equal(ids.execname, 0x118);
    assert.equal(ids.errno, 0x120);
    assert.equal(ids.jailname, 0x123);
    assert.equal(ids.cpu, 0x200);
    assert.deepEqual(builtinVariableByName('execargs')?.platforms, ['freebsd', 'opendtrace']);
    assert.equal(builtinVariableByName('self'), undefined);
  });

  it('numbers subroutines per platform', () => {
    for (const t of Object.values(SUBROUTINE_TABLES)) {
      assert.equal(t.names[0], 'rand');
      assert.equal(t.names[23], 'strjoin');
      assert.equal(t.names[45], 'tolower');
    }
    assert.equal(SUBROUTINE_TABLES.illumos.max, 48);
    assert.equal(SUBROUTINE_TABLES.opendtrace.max, 53);
    assert.equal(SUBROUTINE_TABLES.freebsd.max, 54);
    assert.deepEqual(SUBROUTINE_TABLES.illumos.names.slice(46), ['getf', 'json', 'strtoll']);
    assert.equal(subroutineCode('memref', 'opendtrace'), 46);
    assert.equal(subroutineCode('memstr', 'opendtrace'), 50);
    assert.equal(subroutineCode('typeref', 'freebsd'), 47);
    assert.equal(subroutineCode('strtoll', 'freebsd'), 54);
    assert.equal(subroutineCode('memref'), undefined);
    assert.equal(subroutineName(47), 'json');
    assert.equal(subroutineName(47, 'freebsd'), 'typeref');
    assert.equal(subroutineName(49), 'unknown');
  });

  it('keeps fault codes and texts', () => {
    assert.deepEqual(
      FAULTS.map((f) => [f.code, f.message]),
      [
        [0, 'unknown fault'],
        [1, 'invalid address'],
        [2, 'invalid alignment'],
        [3, 'illegal operation'],
        [4, 'divide-by-zero'],
        [5, 'out of scratch space'],
        [6, 'invalid kernel access'],
        [7, 'invalid user access'],
        [8, 'tuple stack overflow'],
        [9, 'bad stack'],
        [1000, 'library-level fault'],
      ],
    );
    assert.equal(faultMessage(42), 'unknown fault');
  });

  it('prints and reads DIF types as dtrace -S does', () => {
    assert.equal(formatDifType(integerType()), 'D type (integer) (size 8)');
    assert.equal(formatDifType(stringType()), 'string (unknown) by ref (size 256)');
    assert.equal(formatDifType(ctfType(6, 24, 2)), 'D type (struct) by user ref (size 24)');
    assert.equal(formatDifType({ kind: 7, ckind: 99, flags: 0, size: 1 }), '0x7 (0x63) (size 1)');
    for (const t of [integerType(4), stringType(64), ctfType(3, 8, 1), ctfType(6, 24, 2), { kind: 7, ckind: 99, flags: 0, size: 1 }]) {
      assert.deepEqual(parseDifType(formatDifType(t)), t);
    }
    assert.equal(parseDifType('D type (integer)'), undefined);
  });
});
