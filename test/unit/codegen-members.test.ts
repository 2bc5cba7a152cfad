// Members, bit-fields and translators in generated DIF: bit-fields read with DTrace's shift
// and mask epilogues and written by merging into the containing byte, a translated member
// compiled from its translator's member expression (no scratch copy of the whole struct),
// `*xlate`/`print(*curpsinfo)` built member by member in alloca'd memory, args[] of translated
// probe arguments read raw and translated, narrow args[] values cut to their type.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Parser } from 'web-tree-sitter';
import { dtvm } from '../support/runDtvm';
import { createDParser } from '../../server/src/parse/dParser';
import { compileProgram, type FrontEndRequest } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { desugarProgram } from '../../server/src/desugar/ifDesugar';
import { generateProgram } from '../../server/src/codegen/index';
import { ACT, type CompiledProgram } from '../../server/src/codegen/program';
import { disassemble } from '../../server/src/dif/disassembler';
import { verifyDifo } from '../../server/src/dif/verifier';
import type { Difo } from '../../server/src/dif/difo';

let parser: Parser;

function compile(text: string, extra: Partial<FrontEndRequest> = {}): CompiledProgram {
  const options = new OptionSet();
  const result = compileProgram(parser, { text, programName: 'test.d', options, ...extra });
  assert.ok(result.analysis && !result.firstError);
  assert.deepEqual(result.analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const p = generateProgram(result, desugarProgram(result.analysis.clauses.map((c) => c.clause)).clauses, options);
  for (const e of p.enablings) for (const d of [e.predicate, ...e.actions.map((a) => a.difo)]) if (d) assert.ok(verifyDifo(structuredClone(d), { platform: p.platform ?? 'illumos' }).ok);
  return p;
}

/** The instruction text of an object, one mnemonic line per instruction, without words or comments. */
function code(d: Difo): string[] {
  return disassemble(d)
    .split('\n')
    .filter((l) => /^\d+: [0-9a-f]{8} /.test(l))
    .map((l) => l.replace(/^\d+: [0-9a-f]{8} {4}/, '').replace(/\t.*$/, '').trimEnd());
}

const BITFIELDS = 'struct bf { int a:3; unsigned int b:5; long c; }; this struct bf s;';

describe('members, bit-fields and translators', () => {
  before(async () => {
    parser = await createDParser();
  });

  it('a signed bit-field is shifted to the top and arithmetically back', () => {
    const p = compile(`${BITFIELDS} BEGIN { trace(this->s.a); }`);
    assert.deepEqual(code(p.enablings[0]!.actions[0]!.difo!), [
      'ldls DT_VAR(1280), %r1',
      'ldsb [%r1], %r1',
      'setx DT_INTEGER[0], %r2',
      'sll  %r1, %r2, %r1',
      'setx DT_INTEGER[0], %r2',
      'sra  %r1, %r2, %r1',
      'ret  %r1',
    ]);
    assert.deepEqual(p.enablings[0]!.actions[0]!.difo!.intTable, [61n]);
  });

  it('an unsigned bit-field is shifted down and masked', () => {
    const d = compile(`${BITFIELDS} BEGIN { trace(this->s.b); }`).enablings[0]!.actions[0]!.difo!;
    assert.deepEqual(code(d), ['ldls DT_VAR(1280), %r1', 'ldub [%r1], %r1', 'setx DT_INTEGER[0], %r2', 'srl  %r1, %r2, %r1', 'setx DT_INTEGER[1], %r2', 'and  %r1, %r2, %r1', 'ret  %r1']);
    assert.deepEqual(d.intTable, [3n, 0x1fn]);
  });

  it('storing a bit-field merges the value into the containing byte', () => {
    const d = compile(`${BITFIELDS} BEGIN { this->s.b = 7; }`).enablings[0]!.actions[0]!.difo!;
    assert.deepEqual(code(d), [
      'setx DT_INTEGER[0], %r1',
      'ldls DT_VAR(1280), %r2',
      'ldub [%r2], %r3',
      'setx DT_INTEGER[1], %r4',
      'and  %r3, %r4, %r3',
      'setx DT_INTEGER[2], %r4',
      'and  %r1, %r4, %r4',
      'setx DT_INTEGER[3], %r5',
      'sll  %r4, %r5, %r4',
      'or   %r3, %r4, %r3',
      'stb  %r3, [%r2]',
      'ret  %r1',
    ]);
    assert.deepEqual(d.intTable, [7n, 0xffffffffffffff07n, 0x1fn, 3n]);
  });

  it('a member of a plain struct is reached by its offset; long members load with ldx', () => {
    const d = compile(`${BITFIELDS} BEGIN { this->s.c = 5; trace(this->s.c); }`).enablings[0]!.actions[1]!.difo!;
    assert.deepEqual(code(d), ['ldls DT_VAR(1280), %r1', 'setx DT_INTEGER[0], %r2', 'add  %r1, %r2, %r1', 'ldx  [%r1], %r1', 'ret  %r1']);
    assert.deepEqual(d.intTable, [8n]);
  });

  it('a translated member compiles the translator member expression, without copying the struct', () => {
    const d = compile('BEGIN { trace(curpsinfo->pr_pid); }').enablings[0]!.actions[0]!.difo!;
    const text = code(d);
    assert.ok(!text.some((l) => l.startsWith('call')), text.join('\n'));
    assert.equal(text[0], 'ldgs DT_VAR(256), %r1');
    assert.match(text[text.length - 2]!, /^ldsw /);
    assert.deepEqual(d.returnType, { kind: 0, ckind: 1, flags: 0, size: 4 });
  });

  it('the whole translated struct is built in alloca memory, member by member', () => {
    const p = compile('BEGIN { print(*curpsinfo); }');
    const a = p.enablings[0]!.actions[0]!;
    assert.equal(a.kind, ACT.DIFEXPR);
    assert.equal(a.record.k, 'bytes');
    const text = code(a.difo!);
    // The input (curthread->td_proc) first, then alloca(sizeof (psinfo_t)) into the next register.
    assert.deepEqual(text.slice(0, 6), ['ldgs DT_VAR(256), %r1', 'ldx  [%r1], %r1', 'setx DT_INTEGER[0], %r2', 'flushts', 'pushtv DT_TYPE(0), %r2', 'call DIF_SUBR(15), %r2']);
    assert.equal(a.difo!.intTable[0], BigInt(a.size));
    assert.equal(text[text.length - 1], 'ret  %r2');
    assert.equal(a.difo!.returnType.flags, 1);
    assert.equal(a.size, a.difo!.returnType.size);
  });

  it('an inline array of translated data translates only the member asked for', () => {
    const text = code(compile('BEGIN { trace(fds[0].fi_name); }').enablings[0]!.actions[0]!.difo!);
    assert.ok(!text.some((l) => l.startsWith('call DIF_SUBR(15)')), text.join('\n'));
    assert.equal(text[text.length - 1]!.slice(0, 3), 'ret');
  });

  it('args[] of a translated probe argument is read raw and translated; narrow args are cut to size', async () => {
    const r = await dtvm(['-e', '-S', '--flavour', 'illumos', '-n', 'proc:::signal-send { trace(args[1]->pr_pid); trace(args[2]); }']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^Disassembly of proc:::signal-send\n/m);
    assert.match(r.stderr, /00: 25000001    setx DT_INTEGER\[0\], %r1\t\t! 0x1\n01: 28000101    ldga DT_VAR\(0\), %r1, %r1/);
    assert.match(r.stderr, /ldga DT_VAR\(0\), %r1, %r1\t\t! DT_VAR\(0\) = "args"\n02: 25000102    setx DT_INTEGER\[1\], %r2\t\t! 0x20\n03: 04010201    sll  %r1, %r2, %r1\n04: 2e010201    sra  %r1, %r2, %r1\n/);
    assert.match(r.stderr, /args             0    arr glb r    D type \(integer\) \(size 0\)/);
  });
});
