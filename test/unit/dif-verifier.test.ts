import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assemble } from '../../server/src/dif/assembler.ts';
import { createDifo, ctfType, integerType, stringType, type Difo } from '../../server/src/dif/difo.ts';
import { labelOf, opcodeOf } from '../../server/src/dif/encoding.ts';
import { isBranch, DIF_OP_RET } from '../../server/src/dif/opcodes.ts';
import type { DifPlatform } from '../../server/src/dif/platform.ts';
import { VariableState } from '../../server/src/dif/variable-state.ts';
import { verifyDifo, type VerifierSite, type VerifyOptions } from '../../server/src/dif/verifier.ts';

function verify(source: string | Difo, options: VerifyOptions = {}) {
  const difo = typeof source === 'string' ? assemble(source, { platform: options.platform }) : source;
  return { difo, result: verifyDifo(difo, options) };
}

function accepts(source: string | Difo, options: VerifyOptions = {}): Difo {
  const { difo, result } = verify(source, options);
  assert.deepEqual(result.findings, [], 'expected the program to pass');
  assert.equal(result.ok, true);
  return difo;
}

function rejects(
  source: string | Difo,
  message: string,
  index: number,
  site: VerifierSite = 'instruction',
  options: VerifyOptions = {},
) {
  const { result } = verify(source, options);
  assert.equal(result.ok, false, 'expected the program to be rejected');
  assert.deepEqual(result.error, { message, site, index });
  return result;
}

const int8 = 'D type (integer) (size 8)';

describe('DIF verifier: valid programs', () => {
  it('accepts a compiled predicate', () => {
    accepts(`
      .int 1234
      .int 1
      ldgs DT_VAR(278), %r1
      setx DT_INTEGER[0], %r2
      cmp %r1, %r2
      be yes
      mov %r0, %r1
      ba done
      yes: setx DT_INTEGER[1], %r1
      done: nop
      ret %r1`);
  });

  it('accepts every legal instruction kind together', () => {
    const difo = accepts(`
      .rtype string (unknown) by ref (size 256)
      .int 8
      .string "s"
      .var g 0x500 scl glb r/w ${int8}
      .var a 0x500 arr glb r ${int8}
      .var t 0x500 scl tls r/w ${int8}
      .var ta 0x501 arr tls r/w ${int8}
      .var l 0x500 scl loc r/w string (unknown) by ref (size 256)
      setx DT_INTEGER[0], %r1
      sets DT_STRING[0], %r2
      add %r1, %r1, %r3
      or %r1, %r3, %r3
      xor %r1, %r3, %r3
      and %r1, %r3, %r3
      sll %r1, %r1, %r3
      srl %r1, %r1, %r3
      sra %r1, %r1, %r3
      sub %r1, %r1, %r3
      mul %r1, %r1, %r3
      sdiv %r1, %r1, %r3
      udiv %r1, %r1, %r3
      srem %r1, %r1, %r3
      urem %r1, %r1, %r3
      not %r3, %r4
      mov %r4, %r5
      tst %r5
      bne n1
      n1: scmp %r2, %r2
      ble n2
      n2: ldga DT_VAR(0), %r1, %r6
      ldta DT_VAR(3), %r1, %r6
      ldgs DT_VAR(257), %r6
      stgs %r6, DT_VAR(1280)
      ldgs DT_VAR(1280), %r6
      stts %r6, DT_VAR(1280)
      ldts DT_VAR(1280), %r6
      stls %r2, DT_VAR(1280)
      ldls DT_VAR(1280), %r2
      flushts
      pushtv DT_TYPE(0), %r1
      pushtr DT_TYPE(1), %r1, %r2
      ldgaa DT_VAR(1280), %r6
      stgaa %r6, DT_VAR(1280)
      ldtaa DT_VAR(1281), %r6
      sttaa %r6, DT_VAR(1281)
      popts
      allocs %r1, %r7
      copys %r2, %r1, %r7
      stb %r1, [%r7]
      sth %r1, [%r7]
      stw %r1, [%r7]
      stx %r1, [%r7]
      ldsb [%r7], %r1
      ldx [%r7], %r1
      uldsb [%r7], %r1
      uldx [%r7], %r1
      rldsb [%r7], %r1
      rldx [%r7], %r1
      call DIF_SUBR(strjoin), %r2
      ret %r2`);
    assert.equal(difo.destructive, false);
  });

  it('accepts by-reference and 0/1/2/4/8-byte return types', () => {
    for (const size of [0, 1, 2, 4, 8]) accepts(`.rtype 0 1 0 ${size}\nret %r0`);
    accepts('.rtype D type (struct) by ref (size 24)\nret %r1');
  });
});

describe('DIF verifier: section 7.1 rules, one by one', () => {
  it('invalid register N', () => {
    rejects('add %r1, %r8, %r3\nret %r3', 'invalid register 8', 0);
    rejects('nop\nret %r9', 'invalid register 9', 1);
    rejects('ldga DT_VAR(0), %r200, %r1\nret %r1', 'invalid register 200', 0);
    rejects('stgs %r8, DT_VAR(1280)\nret %r0', 'invalid register 8', 0);
    rejects('pushtv DT_TYPE(0), %r8, %r1\nret %r0', 'invalid register 8', 0);
    rejects('cmp %r255, %r1\nret %r0', 'invalid register 255', 0);
    rejects('ldx [%r8], %r1\nret %r1', 'invalid register 8', 0);
  });

  it('cannot write to %r0', () => {
    rejects('add %r1, %r2, %r0\nret %r0', 'cannot write to %r0', 0);
    rejects('.int 1\nsetx DT_INTEGER[0], %r0\nret %r0', 'cannot write to %r0', 0);
    rejects('mov %r1, %r0\nret %r0', 'cannot write to %r0', 0);
    rejects('ldgs DT_VAR(256), %r0\nret %r0', 'cannot write to %r0', 0);
    rejects('call DIF_SUBR(0), %r0\nret %r0', 'cannot write to %r0', 0);
    rejects('ldx [%r1], %r0\nret %r0', 'cannot write to %r0', 0);
  });

  it('cannot write to 0 address', () => {
    rejects('stx %r1, [%r0]\nret %r0', 'cannot write to 0 address', 0);
  });

  it('non-zero reserved bits', () => {
    const cases = [
      '.word 0x0d010203', // not with r2
      '.word 0x3a010203', // allocs with r2
      '.word 0x22010203', // ldx with r2
      '.word 0x46010203', // uldx with r2
      '.word 0x4d010203', // rldx with r2
      '.word 0x3f010203', // stx with r2
      '.word 0x0f010203', // cmp with rd
      '.word 0x27010203', // scmp with rd
      '.word 0x10010100', // tst with r2
      '.word 0x10010001', // tst with rd
      '.word 0x23010001', // ret with r1
      '.word 0x24000001', // nop with rd
      '.word 0x32010000', // popts with r1
      '.word 0x33000100', // flushts with r2
    ];
    for (const word of cases) rejects(`${word}\nret %r0`, 'non-zero reserved bits', 0);
  });

  it('invalid branch target N (a branch past the end)', () => {
    rejects('ba 2\nret %r0', 'invalid branch target 2', 0);
    rejects('nop\nbe 16777215\nret %r0', 'invalid branch target 16777215', 1);
  });

  it('backward branch to N', () => {
    rejects('nop\nnop\nba 0\nret %r0', 'backward branch to 0', 2);
  });

  it('backward branch to N (a branch to itself)', () => {
    rejects('nop\nloop: bne loop\nret %r0', 'backward branch to 1', 1);
  });

  it('invalid integer ref N', () => {
    rejects('.int 5\nsetx DT_INTEGER[1], %r1\nret %r1', 'invalid integer ref 1', 0);
  });

  it('invalid string ref N', () => {
    rejects('.string "ab"\nsets DT_STRING[3], %r1\nret %r1', 'invalid string ref 3', 0);
    accepts('.string "ab"\nsets DT_STRING[2], %r1\nret %r1');
  });

  it('invalid array N: unreachable, since the array id is a byte and the limit is 0xff', () => {
    accepts('ldga DT_VAR(255), %r1, %r2\nret %r2');
    accepts('ldta DT_VAR(255), %r1, %r2\nret %r2');
  });

  it('invalid variable N (loads below 0x100, stores below 0x500)', () => {
    rejects('ldgs DT_VAR(255), %r1\nret %r1', 'invalid variable 255', 0);
    rejects('ldls DT_VAR(0), %r1\nret %r1', 'invalid variable 0', 0);
    rejects('stgs %r1, DT_VAR(278)\nret %r1', 'invalid variable 278', 0);
    rejects('sttaa %r1, DT_VAR(1279)\nret %r1', 'invalid variable 1279', 0);
  });

  it('invalid subr N', () => {
    rejects('call DIF_SUBR(49), %r1\nret %r1', 'invalid subr 49', 0);
    accepts('call DIF_SUBR(48), %r1\nret %r1');
    rejects('call DIF_SUBR(54), %r1\nret %r1', 'invalid subr 54', 0, 'instruction', { platform: 'opendtrace' });
    accepts('call DIF_SUBR(54), %r1\nret %r1', { platform: 'freebsd' });
    rejects('call DIF_SUBR(55), %r1\nret %r1', 'invalid subr 55', 0, 'instruction', { platform: 'freebsd' });
  });

  it('getf() not supported (FreeBSD kernels only)', () => {
    rejects('call DIF_SUBR(getf), %r1\nret %r1', 'getf() not supported', 0, 'instruction', { platform: 'freebsd' });
    accepts('call DIF_SUBR(getf), %r1\nret %r1');
  });

  it('invalid ref type N', () => {
    rejects('pushtr DT_TYPE(2), %r1, %r2\nret %r0', 'invalid ref type 2', 0);
  });

  it('invalid val type N', () => {
    rejects('pushtv DT_TYPE(1), %r2\nret %r0', 'invalid val type 1', 0);
  });

  it('invalid opcode N (0, xlate, xlarg, 80 and above)', () => {
    rejects('.word 0\nret %r0', 'invalid opcode 0', 0);
    rejects('xlate DT_XLREF[0], %r1\nret %r1', 'invalid opcode 78', 0);
    rejects('xlarg DT_XLREF[0], %r1\nret %r1', 'invalid opcode 79', 0);
    rejects('.word 0x50000000\nret %r0', 'invalid opcode 80', 0);
    rejects('nop\n.word 0xff000000\nret %r0', 'invalid opcode 255', 1);
  });

  it("expected 'ret' as last DIF instruction (a missing final ret)", () => {
    rejects('nop\nmov %r1, %r2', "expected 'ret' as last DIF instruction", 1);
  });

  it('bad return size', () => {
    rejects('.rtype 0 1 0 3\nnop\nret %r1', 'bad return size', 1);
    rejects('.rtype D type (struct) (size 16)\nret %r1', 'bad return size', 0);
    // A by-user-reference result is a reference for the BSD kernels only.
    rejects('.rtype D type (struct) by user ref (size 16)\nret %r1', 'bad return size', 0);
    accepts('.rtype D type (struct) by user ref (size 16)\nret %r1', { platform: 'freebsd' });
  });

  it('unrecognized variable scope N', () => {
    rejects(`.var v 0x500 scl 3 r ${int8}\nret %r0`, 'unrecognized variable scope 3', 0, 'variable');
  });

  it('unrecognized variable type N', () => {
    rejects(`.var ok 0x500 scl glb r ${int8}\n.var v 0x501 2 glb r ${int8}\nret %r0`, 'unrecognized variable type 2', 1, 'variable');
  });

  it('N exceeds variable id limit', () => {
    rejects(`.var v 65536 scl glb r ${int8}\nret %r0`, '65536 exceeds variable id limit', 0, 'variable');
    rejects(`.var v 0x80000000 scl glb r ${int8}\nret %r0`, '-2147483648 exceeds variable id limit', 0, 'variable');
  });

  it('zero-sized variable', () => {
    rejects(`.var v 0x500 scl tls r D type (struct) by ref (size 0)\nret %r0`, 'zero-sized variable', 0, 'variable');
  });

  it('oversized by-ref static', () => {
    const big = 'D type (struct) by ref (size 16385)';
    rejects(`.var v 0x500 scl glb r ${big}\nret %r0`, 'oversized by-ref static', 0, 'variable');
    rejects(`.var v 0x500 scl loc r ${big}\nret %r0`, 'oversized by-ref static', 0, 'variable');
    accepts(`.var v 0x500 scl tls r ${big}\nret %r0`);
    accepts(`.var v 0x500 scl glb r D type (struct) by ref (size 16384)\nret %r0`);
  });

  it('N changed variable kind / type flags / type size', () => {
    const state = new VariableState();
    accepts(`.var v 0x500 scl glb r ${int8}\n.var s 0x501 scl glb r string (unknown) by ref (size 256)\nret %r0`, { state });
    rejects(`.var v 0x500 arr glb r ${int8}\nret %r0`, '1280 changed variable kind', 0, 'variable', { state });
    const both = rejects(`.var v 0x500 arr glb r D type (integer) by ref (size 8)\nret %r0`, '1280 changed variable kind', 0, 'variable', { state });
    assert.deepEqual(both.findings.map((f) => f.message), ['1280 changed variable kind', '1280 changed variable type flags']);
    rejects(`.var v 0x500 scl glb r D type (integer) by ref (size 8)\nret %r0`, '1280 changed variable type flags', 0, 'variable', { state });
    rejects(`.var s 0x501 scl glb r string (unknown) by ref (size 512)\nret %r0`, '1281 changed variable type size', 0, 'variable', { state });
    // Size 0 means "as before"; other scopes have their own ids.
    accepts(`.var v 0x500 scl glb r D type (integer) (size 0)\n.var s 0x501 scl glb r string (unknown) by ref (size 0)\n.var v 0x500 arr tls r ${int8}\nret %r0`, { state });
  });

  it('invalid variable N (second pass: a user id the vartab does not declare)', () => {
    rejects(`.var x 0x500 scl glb r/w ${int8}\nldgs DT_VAR(1280), %r1\nldgs DT_VAR(1281), %r2\nret %r2`, 'invalid variable 1281', 1);
    rejects('ldts DT_VAR(1280), %r1\nret %r1', 'invalid variable 1280', 0);
    rejects(`.var x 0x500 scl glb r ${int8}\nstls %r1, DT_VAR(1280)\nret %r1`, 'invalid variable 1280', 0);
    accepts(`.var x 0x502 scl loc w ${int8}\nstls %r1, DT_VAR(1281)\nret %r1`);
  });
});

describe('DIF verifier: behaviour around the rules', () => {
  it('stops at the first failing instruction but reports all of its faults', () => {
    const r = rejects('nop\nadd %r9, %r8, %r0\nba 0\nret %r0', 'invalid register 9', 1);
    assert.deepEqual(
      r.findings.map((f) => [f.message, f.index]),
      [
        ['invalid register 9', 1],
        ['invalid register 8', 1],
        ['cannot write to %r0', 1],
      ],
    );
  });

  it('still checks the last instruction and the return size after a failure', () => {
    const r = rejects('.rtype 0 1 0 5\nba 0\nnop', 'backward branch to 0', 0);
    assert.deepEqual(r.findings.map((f) => f.message), [
      'backward branch to 0',
      "expected 'ret' as last DIF instruction",
      'bad return size',
    ]);
  });

  it('marks the object destructive when it calls copyout or copyoutstr', () => {
    for (const subr of ['copyout', 'copyoutstr']) {
      const difo = accepts(`call DIF_SUBR(${subr}), %r1\nret %r1`);
      assert.equal(difo.destructive, true, subr);
    }
    const quiet = assemble('call DIF_SUBR(copyin), %r1\nret %r1');
    quiet.destructive = true;
    verifyDifo(quiet);
    assert.equal(quiet.destructive, false);
  });

  it('refuses what the DOF loader refuses', () => {
    rejects(createDifo(), 'missing DIF text', -1, 'object');
    rejects(createDifo({ instructions: [0x23000000], stringTable: new Uint8Array([0x61]) }), 'non-terminating string table', -1, 'object');
    rejects(createDifo({ instructions: new Array(65537).fill(0x23000000) }), 'exceeds maximum size', -1, 'object');
  });

  it('turns plain loads into checked loads for consumers without kernel visibility', () => {
    const visible = accepts('ldx [%r1], %r2\nldsb [%r1], %r2\nret %r2');
    assert.deepEqual(Array.from(visible.instructions), [0x22010002, 0x1c010002, 0x23000002]);
    const hidden = accepts('ldx [%r1], %r2\nldsb [%r1], %r2\nret %r2', { kernelVisible: false });
    assert.deepEqual(Array.from(hidden.instructions), [0x4d010002, 0x47010002, 0x23000002]);
  });

  it('gives zero-sized string variables the strsize before checking them', () => {
    const difo = accepts('.var s 0x500 scl glb r string (unknown) by ref (size 0)\nret %r0', { strsize: 512 });
    assert.equal(difo.variables[0]!.type.size, 512);
  });

  it('lets built-in variables through the second pass', () => {
    accepts('ldgs DT_VAR(1279), %r1\nret %r1');
  });

  it('never lets a backward or out-of-range branch through (random programs)', () => {
    let seed = 0x2545f491;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let accepted = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const length = 1 + rand(12);
      const words: number[] = [];
      for (let pc = 0; pc < length; pc++) {
        const opcode = rand(3) === 0 ? 17 + rand(11) : 1 + rand(80);
        const low = rand(4) === 0 ? rand(1 << 24) : (rand(4) << 16) | (rand(3) << 8) | (rand(4) + (rand(2) ? 1 : 0));
        words.push(((opcode << 24) | (opcode >= 17 && opcode <= 27 ? rand(length + 2) : low)) >>> 0);
      }
      if (rand(2)) words[length - 1] = 0x23000001;
      const difo = createDifo({ instructions: words, intTable: [1n, 2n], stringTable: new Uint8Array([0x61, 0]) });
      if (!verifyDifo(difo).ok) continue;
      accepted++;
      words.forEach((w, pc) => {
        if (isBranch(opcodeOf(w))) assert.ok(labelOf(w) > pc && labelOf(w) < words.length, `branch at ${pc}`);
      });
      assert.equal(opcodeOf(words[words.length - 1]!), DIF_OP_RET);
    }
    assert.ok(accepted > 100, `only ${accepted} random programs passed`);
  });

  for (const platform of ['illumos', 'opendtrace', 'freebsd'] as DifPlatform[]) {
    it(`accepts a string-returning clause on ${platform}`, () => {
      const difo = createDifo({ instructions: [0x26000001, 0x23000001], stringTable: new TextEncoder().encode('hi\0'), returnType: stringType() });
      assert.equal(verifyDifo(difo, { platform }).ok, true);
      assert.equal(verifyDifo(createDifo({ instructions: [0x23000001], returnType: ctfType(6, 3) }), { platform }).ok, false);
      assert.equal(verifyDifo(createDifo({ instructions: [0x23000001], returnType: integerType(2) }), { platform }).ok, true);
    });
  }
});
