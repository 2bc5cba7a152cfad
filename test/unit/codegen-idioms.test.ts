// Exact DIF for representative D expressions, through `dtvm -e -S` (the listing dtrace -S
// writes to stderr): DTrace's code-generation idioms (setx for every constant, lowest free
// register first, cmp/scmp/tst with forward branches to a setx-1 label, shift pairs for casts,
// flushts + pushtv/pushtr before calls and associative arrays), and what the code generator
// refuses (D_NOREG) and how much each firing records.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { dtvm } from '../support/runDtvm';
import { createDParser } from '../../server/src/parse/dParser';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { desugarProgram } from '../../server/src/desugar/ifDesugar';
import { CodegenError, generateProgram } from '../../server/src/codegen/index';
import { ACT, type CompiledProgram } from '../../server/src/codegen/program';
import { verifyDifo } from '../../server/src/dif/verifier';

let parser: Parser;

function compile(text: string, options = new OptionSet()): CompiledProgram {
  const result = compileProgram(parser, { text, programName: 'test.d', options });
  assert.ok(result.analysis && !result.firstError, 'the front end accepts the program');
  assert.deepEqual(result.analysis.diagnostics.filter((d) => d.severity === 'error'), []);
  const program = generateProgram(result, desugarProgram(result.analysis.clauses.map((c) => c.clause)).clauses, options);
  for (const e of program.enablings) {
    for (const d of [e.predicate, ...e.actions.map((a) => a.difo)]) if (d) assert.ok(verifyDifo(structuredClone(d)).ok);
  }
  return program;
}

describe('code generation idioms (dtvm -S)', () => {
  before(async () => {
    parser = await createDParser();
  });

  it("relational and logical operators: cmp + bl, tst + bne/be, forward branches only", async () => {
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', "BEGIN { x = 2; } BEGIN { trace(x < 3 || !x); }"]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns D type (integer) (size 0)",
        "OFF OPCODE      INSTRUCTION",
        "00: 25000001    setx DT_INTEGER[0], %r1\t\t! 0x2",
        "01: 2a050001    stgs %r1, DT_VAR(1280)\t\t! DT_VAR(1280) = \"x\"",
        "02: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "x                500  scl glb w    D type (integer) (size 4)",
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns D type (integer) (size 4)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29050001    ldgs DT_VAR(1280), %r1\t\t! DT_VAR(1280) = \"x\"",
        "01: 25000002    setx DT_INTEGER[0], %r2\t\t! 0x3",
        "02: 0f010200    cmp  %r1, %r2",
        "03: 18000006    bl   6",
        "04: 0e000001    mov  %r0, %r1",
        "05: 11000007    ba   7",
        "06: 25000101    setx DT_INTEGER[1], %r1\t\t! 0x1",
        "07: 24000000    nop",
        "08: 10010000    tst  %r1",
        "09: 13000013    bne  19",
        "10: 29050001    ldgs DT_VAR(1280), %r1\t\t! DT_VAR(1280) = \"x\"",
        "11: 10010000    tst  %r1",
        "12: 1200000f    be   15",
        "13: 0e000001    mov  %r0, %r1",
        "14: 11000010    ba   16",
        "15: 25000101    setx DT_INTEGER[1], %r1\t\t! 0x1",
        "16: 24000000    nop",
        "17: 10010000    tst  %r1",
        "18: 12000015    be   21",
        "19: 25000101    setx DT_INTEGER[1], %r1\t\t! 0x1",
        "20: 11000016    ba   22",
        "21: 0e000001    mov  %r0, %r1",
        "22: 24000000    nop",
        "23: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "x                500  scl glb r    D type (integer) (size 4)",
        "",
      ].join('\n'),
    );
  });

  it("unsigned comparison: bgu", async () => {
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', "BEGIN { trace(timestamp > 5); }"]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns D type (integer) (size 4)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29010101    ldgs DT_VAR(257), %r1\t\t! DT_VAR(257) = \"timestamp\"",
        "01: 25000002    setx DT_INTEGER[0], %r2\t\t! 0x5",
        "02: 0f010200    cmp  %r1, %r2",
        "03: 15000006    bgu  6",
        "04: 0e000001    mov  %r0, %r1",
        "05: 11000007    ba   7",
        "06: 25000101    setx DT_INTEGER[1], %r1\t\t! 0x1",
        "07: 24000000    nop",
        "08: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "timestamp        101  scl glb r    D type (integer) (size 8)",
        "",
      ].join('\n'),
    );
  });

  it("string comparison and ?: with the patched mov", async () => {
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', "BEGIN { trace(execname == \"init\" ? 1 : 0); }"]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns D type (integer) (size 4)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29011801    ldgs DT_VAR(280), %r1\t\t! DT_VAR(280) = \"execname\"",
        "01: 26000102    sets DT_STRING[1], %r2\t\t! \"init\"",
        "02: 27010200    scmp %r1, %r2",
        "03: 12000006    be   6",
        "04: 0e000001    mov  %r0, %r1",
        "05: 11000007    ba   7",
        "06: 25000001    setx DT_INTEGER[0], %r1\t\t! 0x1",
        "07: 24000000    nop",
        "08: 10010000    tst  %r1",
        "09: 1200000d    be   13",
        "10: 25000001    setx DT_INTEGER[0], %r1\t\t! 0x1",
        "11: 0e010001    mov  %r1, %r1",
        "12: 1100000f    ba   15",
        "13: 24000000    nop",
        "14: 25000101    setx DT_INTEGER[1], %r1\t\t! 0x0",
        "15: 24000000    nop",
        "16: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "execname         118  scl glb r    string (unknown) by ref (size 256)",
        "",
      ].join('\n'),
    );
  });

  it("narrowing cast to unsigned char: sll + srl", async () => {
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', "BEGIN { trace((unsigned char)arg0); }"]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns D type (integer) (size 1)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29010601    ldgs DT_VAR(262), %r1\t\t! DT_VAR(262) = \"arg0\"",
        "01: 25000002    setx DT_INTEGER[0], %r2\t\t! 0x38",
        "02: 04010201    sll  %r1, %r2, %r1",
        "03: 05010201    srl  %r1, %r2, %r1",
        "04: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "arg0             106  scl glb r    D type (integer) (size 8)",
        "",
      ].join('\n'),
    );
  });

  it("pointer arithmetic scaled by the pointee size, then a signed 4-byte load", async () => {
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', "BEGIN { this->p = (int *)arg0; trace(*(this->p + 2)); }"]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns D type (integer) (size 0)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29010601    ldgs DT_VAR(262), %r1\t\t! DT_VAR(262) = \"arg0\"",
        "01: 39050001    stls %r1, DT_VAR(1280)\t\t! DT_VAR(1280) = \"p\"",
        "02: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "arg0             106  scl glb r    D type (integer) (size 8)",
        "p                500  scl loc w    D type (pointer) (size 8)",
        "",
        "DIFO 0x0 returns D type (integer) (size 4)",
        "OFF OPCODE      INSTRUCTION",
        "00: 38050001    ldls DT_VAR(1280), %r1\t\t! DT_VAR(1280) = \"p\"",
        "01: 25000002    setx DT_INTEGER[0], %r2\t\t! 0x2",
        "02: 25000103    setx DT_INTEGER[1], %r3\t\t! 0x4",
        "03: 08020302    mul  %r2, %r3, %r2",
        "04: 07010201    add  %r1, %r2, %r1",
        "05: 1e010001    ldsw [%r1], %r1",
        "06: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "p                500  scl loc r    D type (pointer) (size 8)",
        "",
      ].join('\n'),
    );
  });

  it("subroutine call through the tuple stack", async () => {
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', "BEGIN { trace(strjoin(execname, \"x\")); }"]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns string (unknown) by ref (size 256)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29011801    ldgs DT_VAR(280), %r1\t\t! DT_VAR(280) = \"execname\"",
        "01: 26000102    sets DT_STRING[1], %r2\t\t! \"x\"",
        "02: 33000000    flushts",
        "03: 25000003    setx DT_INTEGER[0], %r3\t\t! 0x100",
        "04: 30010301    pushtr DT_TYPE(1), %r3, %r1\t! DT_TYPE(1) = string",
        "05: 25000001    setx DT_INTEGER[0], %r1\t\t! 0x100",
        "06: 30010102    pushtr DT_TYPE(1), %r1, %r2\t! DT_TYPE(1) = string",
        "07: 2f001701    call DIF_SUBR(23), %r1\t\t! strjoin",
        "08: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "execname         118  scl glb r    string (unknown) by ref (size 256)",
        "",
      ].join('\n'),
    );
  });

  it("post-increment of a thread-local; aggregation keys (count( ) has no value object)", async () => {
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', "BEGIN { self->n++; @c[execname, pid] = count(); }"]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns D type (integer) (size 0)",
        "OFF OPCODE      INSTRUCTION",
        "00: 2c050001    ldts DT_VAR(1280), %r1\t\t! DT_VAR(1280) = \"n\"",
        "01: 25000002    setx DT_INTEGER[0], %r2\t\t! 0x1",
        "02: 07010202    add  %r1, %r2, %r2",
        "03: 2d050002    stts %r2, DT_VAR(1280)\t\t! DT_VAR(1280) = \"n\"",
        "04: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "n                500  scl tls r/w  D type (integer) (size 8)",
        "",
        "DIFO 0x0 returns string (unknown) by ref (size 256)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29011801    ldgs DT_VAR(280), %r1\t\t! DT_VAR(280) = \"execname\"",
        "01: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "execname         118  scl glb r    string (unknown) by ref (size 256)",
        "",
        "DIFO 0x0 returns D type (integer) (size 4)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29011601    ldgs DT_VAR(278), %r1\t\t! DT_VAR(278) = \"pid\"",
        "01: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "pid              116  scl glb r    D type (integer) (size 4)",
        "",
      ].join('\n'),
    );
  });

  it("associative array store with flushts, pushtv and pushtr; casts as shift pairs", async () => {
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', "BEGIN { self->x[pid, \"a\"] = (int)(char)arg0; }"]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        "",
        "Disassembly of :::BEGIN",
        "",
        "DIFO 0x0 returns D type (integer) (size 0)",
        "OFF OPCODE      INSTRUCTION",
        "00: 29010601    ldgs DT_VAR(262), %r1\t\t! DT_VAR(262) = \"arg0\"",
        "01: 25000002    setx DT_INTEGER[0], %r2\t\t! 0x38",
        "02: 04010201    sll  %r1, %r2, %r1",
        "03: 2e010201    sra  %r1, %r2, %r1",
        "04: 25000002    setx DT_INTEGER[0], %r2\t\t! 0x38",
        "05: 04010201    sll  %r1, %r2, %r1",
        "06: 2e010201    sra  %r1, %r2, %r1",
        "07: 29011602    ldgs DT_VAR(278), %r2\t\t! DT_VAR(278) = \"pid\"",
        "08: 26000103    sets DT_STRING[1], %r3\t\t! \"a\"",
        "09: 33000000    flushts",
        "10: 31000002    pushtv DT_TYPE(0), %r2\t\t! DT_TYPE(0) = D type",
        "11: 25000102    setx DT_INTEGER[1], %r2\t\t! 0x100",
        "12: 30010203    pushtr DT_TYPE(1), %r2, %r3\t! DT_TYPE(1) = string",
        "13: 37050001    sttaa %r1, DT_VAR(1280)\t\t! DT_VAR(1280) = \"x\"",
        "14: 23000001    ret  %r1",
        "",
        "NAME             ID   KND SCP FLAG TYPE",
        "arg0             106  scl glb r    D type (integer) (size 8)",
        "pid              116  scl glb r    D type (integer) (size 4)",
        "x                500  arr tls w    D type (integer) (size 4)",
        "",
      ].join('\n'),
    );
  });

  it('inline arrays expand in place, a subscript seeing the names of the definition it was written in', async () => {
    const prog = 'inline int inner[int k] = k * 2; inline int outer[int k] = inner[k + 1]; BEGIN { trace(outer[3]); }';
    const r = await dtvm(['-e', '-S', '-x', 'nolibs', '-n', prog]);
    assert.equal(r.status, 0);
    assert.equal(
      r.stderr,
      [
        '',
        'Disassembly of :::BEGIN',
        '',
        'DIFO 0x0 returns D type (integer) (size 4)',
        'OFF OPCODE      INSTRUCTION',
        '00: 25000001    setx DT_INTEGER[0], %r1\t\t! 0x3',
        '01: 25000102    setx DT_INTEGER[1], %r2\t\t! 0x1',
        '02: 07010201    add  %r1, %r2, %r1',
        '03: 25000202    setx DT_INTEGER[2], %r2\t\t! 0x2',
        '04: 08010201    mul  %r1, %r2, %r1',
        '05: 23000001    ret  %r1',
        '',
      ].join('\n'),
    );
  });

  it('an if/else becomes predicated clauses over self->%error and this->%condition_N', async () => {
    const r = await dtvm(['-e', '-S', '-n', 'BEGIN { if (pid > 1) trace(1); else trace(2); }']);
    assert.equal(r.status, 0);
    const headers = r.stderr.split('\n').filter((l) => l.startsWith('Disassembly of'));
    assert.deepEqual(headers, [
      'Disassembly of dtrace:::ERROR',
      'Disassembly of :::BEGIN',
      'Disassembly of :::BEGIN',
      'Disassembly of :::BEGIN',
      'Disassembly of :::BEGIN',
      'Disassembly of :::BEGIN',
    ]);
    assert.match(r.stderr, /stts %r1, DT_VAR\(1280\)\t\t! DT_VAR\(1280\) = "%error"/);
    assert.match(r.stderr, /stls %r1, DT_VAR\(1280\)\t\t! DT_VAR\(1280\) = "%condition_1"/);
    assert.match(r.stderr, /%condition_2     501  scl loc w    D type \(integer\) \(size 4\)/);
  });

  it('printf heads its first argument object with the format', async () => {
    const r = await dtvm(['-e', '-S', '-n', 'BEGIN { printf("%d %s\\n", pid, execname); printf("done"); }']);
    assert.equal(r.status, 0);
    const heads = r.stderr.split('\n').filter((l) => l.startsWith('DIFO'));
    assert.deepEqual(heads, [
      'DIFO 0x0 returning D type (integer) (size 4) for action printf(), format string %d %s',
      'DIFO 0x0 returning string (unknown) by ref (size 256) for action printf(), format string %d %s',
      'DIFO 0x0 returning D type (integer) (size 8) for action printf(), format string done',
    ]);
    assert.match(r.stderr, /\n00: 23000000    ret  %r0\n/);
  });

  it('actions without DIF objects are named', async () => {
    const r = await dtvm(['-e', '-S', '-n', 'BEGIN { stack(); ustack(5); }']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '\nDisassembly of :::BEGIN\n\nAction, without DIFO, stack()\n\nAction, without DIFO, ustack()\n');
  });

  it('running out of registers is D_NOREG at the statement being compiled', async () => {
    const prog = 'BEGIN { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; g = 7; h = 8; } BEGIN { trace(a + (b + (c + (d + (e + (f + (g + h))))))); }';
    const r = await dtvm(['-e', '-S', '-x', 'errtags', '-n', prog]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `dtrace: invalid probe specifier ${prog}: [D_NOREG] in action list: Insufficient registers to generate code\n`);
    const result = compileProgram(parser, { text: prog, programName: 'x', options: new OptionSet() });
    assert.throws(
      () => generateProgram(result, desugarProgram(result.analysis!.clauses.map((c) => c.clause)).clauses, new OptionSet()),
      (e: unknown) => e instanceof CodegenError && e.tag === 'D_NOREG' && e.span.startIndex === prog.indexOf('trace(') && !e.inPredicate,
    );
  });

  it('a D_NOREG in a script names the line where the statement ends; in a predicate, the predicate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
    const path = join(dir, 'noreg.d');
    writeFileSync(path, 'BEGIN { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; g = 7; h = 8; }\n\nBEGIN\n{\n\ttrace(a + (b + (c + (d +\n\t    (e + (f + (g + h)))))));\n}\n');
    const r = await dtvm(['-e', '-S', '-s', path]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `dtrace: failed to compile script ${path}: line 6: Insufficient registers to generate code\n`);
    const pred = 'BEGIN { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; g = 7; h = 8; } BEGIN /a + (b + (c + (d + (e + (f + (g + h))))))/ { }';
    const p = await dtvm(['-e', '-S', '-n', pred]);
    assert.equal(p.stderr, `dtrace: invalid probe specifier ${pred}: in predicate: Insufficient registers to generate code\n`);
  });

  it('every subscript holds a register until the tuple is pushed: nine keys run out of registers first', async () => {
    const prog = 'BEGIN { a[1, 2, 3, 4, 5, 6, 7, 8, 9] = 1; }';
    const r = await dtvm(['-e', '-S', '-n', prog]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `dtrace: invalid probe specifier ${prog}: in action list: Insufficient registers to generate code\n`);
  });

  it('the iregs and tregs options set the registers and tuple entries the code may use', async () => {
    const few = 'BEGIN { trace(1 + (timestamp + (pid + tid))); }';
    assert.equal((await dtvm(['-e', '-S', '-n', few])).status, 0);
    const r = await dtvm(['-e', '-S', '-x', 'iregs=4', '-n', few]);
    assert.equal(r.stderr, `dtrace: invalid probe specifier ${few}: in action list: Insufficient registers to generate code\n`);
    const keys = 'BEGIN { a[1, 2, 3] = 1; }';
    const t = await dtvm(['-e', '-S', '-x', 'tregs=2', '-n', keys]);
    assert.equal(t.status, 1);
    // A library error: no region, no line.
    assert.equal(t.stderr, `dtrace: invalid probe specifier ${keys}: Insufficient tuple registers to generate code\n`);
  });

  it('record sizes and layout follow the kernel: header, natural alignment, nothing for pure assignments', () => {
    const p = compile('BEGIN { x = 1; } BEGIN { } BEGIN { trace(1); } BEGIN { trace((char)1); trace(2ULL); } BEGIN { printf("%s", execname); exit(0); } BEGIN { @a[execname] = sum(1); }');
    assert.deepEqual(
      p.enablings.map((e) => e.recordSize),
      [0, 12, 16, 24, 276, 0],
    );
    const kinds = p.enablings[4]!.actions.map((a) => [a.kind, a.size, a.format]);
    assert.deepEqual(kinds, [
      [ACT.PRINTF, 256, 0],
      [ACT.EXIT, 4, undefined],
    ]);
    const agg = p.enablings[5]!.actions;
    assert.deepEqual(
      agg.map((a) => [a.kind, a.keys, a.aggregation]),
      [
        [ACT.DIFEXPR, undefined, undefined],
        [ACT.AGG_SUM, 1, 0],
      ],
    );
    assert.deepEqual(p.aggregations, [{ id: 1, name: 'a', fn: 'sum', keys: [{ k: 'string', size: 256 }] }]);
  });

  it('lquantize and llquantize carry DTrace\'s encoded parameter word', () => {
    const p = compile('BEGIN { @l = lquantize(pid, 0, 100, 10); @ll = llquantize(pid, 10, 0, 6, 20); }');
    const [l, ll] = p.enablings[0]!.actions.filter((a) => a.kind === ACT.AGG_LQUANTIZE || a.kind === ACT.AGG_LLQUANTIZE);
    assert.equal(l!.arg, (10n << 48n) | (10n << 32n));
    assert.equal(l!.size, 10 * 8 + 24);
    assert.equal(ll!.arg, (10n << 48n) | (0n << 32n) | (6n << 16n) | 20n);
    // Bucket 0 (below 1), 9 more for 1..9, then 20 - 2 for each of the orders 1..6: the last is 118.
    assert.equal(ll!.size, (118 + 2) * 8);
    assert.equal(p.aggregations[0]!.param, l!.arg);
  });
});
