// The actions each D statement becomes, with the kinds, arguments and record sizes DTrace's
// compiler and kernel give them (dt_cc.c's dt_action_*, dtrace_ecb_action_add): what the VM
// records and the consumer reads, and what decides when buffers overflow.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Parser } from 'web-tree-sitter';
import { createDParser } from '../../server/src/parse/dParser';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { applyCliOption } from '../../server/src/analyze/options/optionMessages';
import { desugarProgram } from '../../server/src/desugar/ifDesugar';
import { generateProgram } from '../../server/src/codegen/index';
import { ACT, type ActionDesc, type CompiledProgram } from '../../server/src/codegen/program';
import { verifyDifo } from '../../server/src/dif/verifier';

let parser: Parser;

function compile(text: string, settings: string[] = []): CompiledProgram {
  const options = new OptionSet();
  for (const s of settings) applyCliOption(options, s, 'dtrace');
  applyCliOption(options, 'destructive', 'dtrace');
  const result = compileProgram(parser, { text, programName: 'test.d', options });
  assert.ok(result.analysis && !result.firstError);
  assert.deepEqual(result.analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const p = generateProgram(result, desugarProgram(result.analysis.clauses.map((c) => c.clause)).clauses, options);
  for (const e of p.enablings) for (const d of [e.predicate, ...e.actions.map((a) => a.difo)]) if (d) assert.ok(verifyDifo(structuredClone(d)).ok);
  return p;
}

/** kind, size and (when set) arg, format and library of each action of the first enabling. */
function shape(p: CompiledProgram, n = 0): unknown[] {
  return p.enablings[n]!.actions.map((a: ActionDesc) => {
    const s: Record<string, unknown> = { kind: a.kind, size: a.size };
    if (a.arg !== undefined) s['arg'] = a.arg;
    if (a.format !== undefined) s['format'] = a.format;
    if (a.library !== undefined) s['library'] = a.library;
    if (a.difo === undefined) s['nodifo'] = true;
    return s;
  });
}

describe('actions and their records', () => {
  before(async () => {
    parser = await createDParser();
  });

  it('stack(), ustack() and jstack() take their frame counts from the arguments or the options', () => {
    const p = compile('BEGIN { stack(); stack(5); ustack(); ustack(3, 100); jstack(); }');
    assert.deepEqual(shape(p), [
      { kind: ACT.STACK, size: 160, arg: 20n, nodifo: true },
      { kind: ACT.STACK, size: 40, arg: 5n, nodifo: true },
      { kind: ACT.USTACK, size: 168, arg: 20n, nodifo: true },
      { kind: ACT.USTACK, size: 136, arg: (100n << 32n) | 3n, nodifo: true },
      { kind: ACT.JSTACK, size: 920, arg: (512n << 32n) | 50n, nodifo: true },
    ]);
    const q = compile('BEGIN { stack(); ustack(); }', ['stackframes=7', 'ustackframes=2']);
    assert.deepEqual(shape(q).map((a) => (a as { size: number }).size), [56, 24]);
  });

  it('symbols take a 64-bit record in the kernel, two (pid and address) for user symbols', () => {
    const p = compile('BEGIN { sym(arg0); func(arg0); mod(arg0); usym(arg0); ufunc(arg0); umod(arg0); uaddr(arg0); }');
    assert.deepEqual(
      p.enablings[0]!.actions.map((a) => [a.kind, a.size, a.record]),
      [
        [ACT.SYM, 8, { k: 'symbol', user: false, what: 'sym' }],
        [ACT.SYM, 8, { k: 'symbol', user: false, what: 'sym' }],
        [ACT.MOD, 8, { k: 'symbol', user: false, what: 'mod' }],
        [ACT.USYM, 16, { k: 'symbol', user: true, what: 'sym' }],
        [ACT.USYM, 16, { k: 'symbol', user: true, what: 'sym' }],
        [ACT.UMOD, 16, { k: 'symbol', user: true, what: 'mod' }],
        [ACT.UADDR, 16, { k: 'symbol', user: true, what: 'addr' }],
      ],
    );
    assert.equal(p.enablings[0]!.recordSize, 12 + 4 + 3 * 8 + 4 * 16);
  });

  it('tracemem() records its constant size; a dynamic size comes first as its own record', () => {
    const p = compile('BEGIN { tracemem(arg0, 10); tracemem(arg0, 32, arg1); }');
    assert.deepEqual(shape(p), [
      { kind: ACT.TRACEMEM, size: 10, arg: 10n },
      { kind: ACT.TRACEMEM_DYNSIZE, size: 8 },
      { kind: ACT.TRACEMEM, size: 32, arg: 32n },
    ]);
    assert.deepEqual(p.enablings[0]!.actions[0]!.difo!.returnType, { kind: 0, ckind: 1, flags: 1, size: 10 });
  });

  it('speculations record nothing themselves; a clause that only speculates keeps its header', () => {
    const p = compile('BEGIN { s = speculation(); } BEGIN { speculate(s); } BEGIN { speculate(s); trace(1); } BEGIN { commit(s); } BEGIN { discard(s); }');
    assert.deepEqual(
      p.enablings.map((e) => [e.speculative, e.recordSize, e.actions.map((a) => [a.kind, a.size])]),
      [
        [false, 0, [[ACT.DIFEXPR, 0]]],
        [true, 12, [[ACT.SPECULATE, 0]]],
        [true, 16, [[ACT.SPECULATE, 0], [ACT.DIFEXPR, 4]]],
        [false, 0, [[ACT.COMMIT, 0]]],
        [false, 0, [[ACT.DISCARD, 0]]],
      ],
    );
  });

  it('destructive actions: system and freopen are printf-like; raise and chill take a value; stop, panic, breakpoint none', () => {
    const p = compile('BEGIN { system("echo %d", pid); freopen("/tmp/x"); raise(9); chill(100); stop(); breakpoint(); panic(); }');
    assert.deepEqual(shape(p), [
      { kind: ACT.SYSTEM, size: 4, format: 0 },
      { kind: ACT.FREOPEN, size: 8, format: 1 },
      { kind: ACT.RAISE, size: 0 },
      { kind: ACT.CHILL, size: 0 },
      { kind: ACT.STOP, size: 0, nodifo: true },
      { kind: ACT.BREAKPOINT, size: 0, nodifo: true },
      { kind: ACT.PANIC, size: 0, nodifo: true },
    ]);
    assert.deepEqual(p.formats, ['echo %d', '/tmp/x']);
  });

  it('aggregation control: the aggregation id, then the factor as a second record', () => {
    const p = compile('BEGIN { @a = count(); @b = sum(1); } END { clear(@a); normalize(@b, 10); denormalize(@b); trunc(@a); trunc(@b, 3); printa(@a); printa("%@d\\n", @a, @b); }');
    assert.deepEqual(shape(p, 1), [
      { kind: ACT.LIBACT, size: 8, library: 'clear' },
      { kind: ACT.LIBACT, size: 8, library: 'normalize' },
      { kind: ACT.LIBACT, size: 4, library: 'normalize' },
      { kind: ACT.LIBACT, size: 8, library: 'denormalize' },
      { kind: ACT.LIBACT, size: 8, library: 'trunc' },
      { kind: ACT.LIBACT, size: 8, library: 'trunc' },
      { kind: ACT.LIBACT, size: 8, library: 'trunc' },
      { kind: ACT.LIBACT, size: 4, library: 'trunc' },
      { kind: ACT.PRINTA, size: 8 },
      { kind: ACT.PRINTA, size: 8, format: 0 },
      { kind: ACT.PRINTA, size: 8 },
    ]);
    const ids = p.enablings[1]!.actions.map((a) => a.aggregation);
    assert.deepEqual(ids, [0, 1, undefined, 1, 0, undefined, 1, undefined, 0, 0, 1]);
    // The id a library action carries is the aggregation's DTrace id (1-based) in its one integer.
    assert.deepEqual(p.enablings[1]!.actions[1]!.difo!.intTable, [2n]);
  });

  it('setopt() records the option name and value as strings, the integer 0 for a value left out', () => {
    const p = compile('BEGIN { setopt("quiet"); setopt("bufsize", "8m"); }');
    assert.deepEqual(
      p.enablings[0]!.actions.map((a) => [a.library, a.size, a.record.k]),
      [
        ['setopt', 256, 'string'],
        ['setopt', 8, 'int'],
        ['setopt', 256, 'string'],
        ['setopt', 256, 'string'],
      ],
    );
  });

  it('aggregations: each key a record, an increment after the keys, the value object last', () => {
    const p = compile('BEGIN { @q[execname, pid] = quantize(arg0, 3); @c = count(); @s[probefunc] = avg(arg1); @d = stddev(arg1); }');
    const acts = p.enablings[0]!.actions;
    assert.deepEqual(
      acts.map((a) => [a.kind, a.size, a.keys, a.increment, a.aggregation]),
      [
        [ACT.DIFEXPR, 256, undefined, undefined, undefined],
        [ACT.DIFEXPR, 4, undefined, undefined, undefined],
        [ACT.DIFEXPR, 4, undefined, undefined, undefined],
        [ACT.AGG_QUANTIZE, 127 * 8, 2, true, 0],
        [ACT.AGG_COUNT, 8, 0, undefined, 1],
        [ACT.DIFEXPR, 256, undefined, undefined, undefined],
        [ACT.AGG_AVG, 16, 1, undefined, 2],
        [ACT.AGG_STDDEV, 32, 0, undefined, 3],
      ],
    );
    assert.equal(acts[4]!.difo, undefined);
    // Keys and values go to the aggregation buffer: the principal buffer gets nothing.
    assert.equal(p.enablings[0]!.recordSize, 0);
    assert.deepEqual(
      p.aggregations.map((a) => [a.id, a.name, a.fn, a.keys.length]),
      [
        [1, 'q', 'quantize', 2],
        [2, 'c', 'count', 0],
        [3, 's', 'avg', 1],
        [4, 'd', 'stddev', 0],
      ],
    );
  });

  it('stack() and symbols as aggregation keys record what the action records', () => {
    const p = compile('BEGIN { @k[stack(), ufunc(arg0)] = count(); printf("%d\\n", 1); }');
    assert.deepEqual(
      p.enablings[0]!.actions.map((a) => [a.kind, a.size, a.format]),
      [
        [ACT.STACK, 160, undefined],
        [ACT.USYM, 16, undefined],
        [ACT.AGG_COUNT, 8, undefined],
        [ACT.PRINTF, 4, 0],
      ],
    );
  });

  it('trace() of memory records raw bytes; print() names the type for the consumer', () => {
    const p = compile('struct s { int a; long b; }; this struct s v; BEGIN { trace(this->v); print(this->v); print(pid); }');
    assert.deepEqual(
      p.enablings[0]!.actions.map((a) => [a.kind, a.size, a.record]),
      [
        [ACT.DIFEXPR, 16, { k: 'bytes', size: 16 }],
        [ACT.DIFEXPR, 16, { k: 'bytes', size: 16, ctype: 'struct s' }],
        [ACT.DIFEXPR, 4, { k: 'bytes', size: 4, ctype: 'pid_t' }],
      ],
    );
  });

  it('one EPID per probe a clause enables, numbered clause by clause', () => {
    const p = compile('BEGIN, END { trace(1); } tick-1s { exit(0); } BEGIN { }');
    assert.deepEqual(
      p.enablings.map((e) => [e.epid, e.epids, e.probes.length]),
      [
        [1, [1, 2], 2],
        [3, [3], 1],
        [4, [4], 1],
      ],
    );
  });

  it('each action carries its statement and line', () => {
    const p = compile('BEGIN\n{\n\ttrace(1);\n\tprintf("%d %d\\n",\n\t    1, 2);\n}\n');
    assert.deepEqual(
      p.enablings[0]!.actions.map((a) => [a.statement, a.line]),
      [
        [0, 3],
        [1, 5],
        [1, 5],
      ],
    );
  });
});
