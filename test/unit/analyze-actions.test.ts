// Actions and aggregation statements as dtvm -e reports them: each rule's exact message, tag
// and line, from scripts run through the real command line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';

/** What `dtvm -e -x errtags -s script` prints after the script's name, or 'ok'. */
async function compile(text: string, flags: string[] = []): Promise<string> {
  const file = scriptFile(text);
  const r = await dtvm(['-e', '-x', 'errtags', ...flags, '-s', file]);
  if (r.status === 0 && r.stderr === '') return 'ok';
  return r.stderr.replace(`dtrace: failed to compile script ${file}: `, '').trimEnd();
}

describe('the order of a clause\'s actions', () => {
  it('refuses data recorded after commit( ), aggregations included', async () => {
    assert.equal(await compile('BEGIN\n{\n\tcommit(1);\n\ttrace(1);\n}\n'), '[D_DREC_COMM] line 4: data-recording actions may not follow commit( )');
    assert.equal(await compile('BEGIN { commit(1); @a = count(); }\n'), '[D_AGG_COMM] line 1: aggregating actions may not follow commit( )');
  });
  it('refuses commit( ) and speculate( ) after data, and twice', async () => {
    assert.equal(await compile('BEGIN\n{\n\ttrace(1);\n\tcommit(1);\n}\n'), '[D_COMM_DREC] line 4: commit( ) may not follow data-recording action(s)');
    assert.equal(await compile('BEGIN\n{\n\t@a = count();\n\tspeculate(1);\n}\n'), '[D_SPEC_DREC] line 4: speculate( ) may not follow data-recording action(s)');
    assert.equal(await compile('BEGIN { commit(1); commit(2); }\n'), '[D_COMM_COMM] line 1: commit( ) may not follow commit( )');
    assert.equal(await compile('BEGIN { speculate(1); speculate(2); }\n'), '[D_SPEC_SPEC] line 1: speculate( ) may not follow speculate( )');
    assert.equal(await compile('BEGIN { commit(1); speculate(2); }\n'), '[D_SPEC_COMM] line 1: speculate( ) may not follow commit( )');
  });
  it('refuses aggregations, destructive actions and exit( ) after speculate( )', async () => {
    assert.equal(await compile('BEGIN { speculate(1); @a = sum(1); }\n'), '[D_AGG_SPEC] line 1: aggregating actions may not follow speculate( )');
    assert.equal(await compile('BEGIN { speculate(1); exit(0); }\n'), '[D_EXIT_SPEC] line 1: exit( ) may not follow speculate( )');
    // An expression that calls copyout( ) is destructive too; the ordering error comes first.
    assert.equal(await compile('BEGIN { speculate(1); copyoutstr("x", arg0, 2); }\n'), '[D_ACT_SPEC] line 1: destructive actions may not follow speculate( )');
    assert.equal(await compile('BEGIN { speculate(1); system("date"); }\n'), '[D_ACT_SPEC] line 1: destructive actions may not follow speculate( )');
  });
  it('lets expression statements, discard( ) and destructive actions follow anything', async () => {
    assert.equal(await compile('BEGIN { x = 1; speculate(1); trace(2); }\nEND { commit(1); discard(2); x = 3; }\n'), 'ok');
    assert.equal(await compile('BEGIN { commit(1); stop(); raise(9); }\n', ['-w']), 'ok');
  });
});

describe('trace( ), print( ) and tracemem( )', () => {
  it('refuse void values, translated pointers and aggregations, in that order', async () => {
    assert.equal(await compile('BEGIN { trace((void)1); }\n'), '[D_TRACE_VOID] line 1: trace( ) may not be applied to a void expression');
    assert.equal(await compile('BEGIN { @a = count(); }\nEND { print(@a); }\n'), '[D_PRINT_AGG] line 2: print( ) may not be applied to an aggregation -- did you mean printa()?');
    const xlate = 'struct i { int a; };\nstruct o { int b; };\ntranslator struct o < struct i *p > { b = p->a; };\n';
    assert.equal(await compile(`${xlate}BEGIN { trace(xlate<struct o *>((struct i *)arg0)); }\n`), '[D_TRACE_DYN] line 4: trace( ) may not be applied to a translated pointer');
  });
  it('checks tracemem( )\'s address, size and dynamic size', async () => {
    assert.equal(
      await compile('BEGIN { tracemem(execname, 4); }\n'),
      '[D_TRACEMEM_ADDR] line 1: tracemem( ) argument #1 is incompatible with prototype:\n\tprototype: pointer or integer\n\t argument: string',
    );
    assert.equal(await compile('BEGIN { tracemem(arg0, 0); }\n'), '[D_TRACEMEM_SIZE] line 1: tracemem( ) argument #2 must be a non-zero positive integral constant expression');
    assert.equal(await compile('BEGIN { tracemem(arg0, 8, arg1, 1); }\n'), '[D_TRACEMEM_ARGS] line 1: tracemem ( ) prototype mismatch: expected at most 3 args');
    assert.equal(await compile('BEGIN { tracemem(arg0, 8, "n"); }\n'), '[D_TRACEMEM_DYNSIZE] line 1: tracemem ( ) dynamic size (argument #3) must be of scalar type');
  });
});

describe('stacks', () => {
  it('take constant frame counts, as actions and as keys', async () => {
    assert.equal(await compile('profile-97 { stack(1, 2); }\n'), '[D_STACK_PROTO] line 1: stack( ) prototype mismatch: too many arguments');
    assert.equal(await compile('profile-97 { @[stack(0)] = count(); }\n'), '[D_STACK_SIZE] line 1: stack( ) size must be a non-zero positive integral constant expression');
    assert.equal(await compile('profile-97 { jstack(0); }\n'), '[D_USTACK_FRAMES] line 1: ustack( ) argument #1 must be a non-zero positive integer constant');
    assert.equal(await compile('profile-97 { ustack(5, -1); }\n'), '[D_USTACK_STRSIZE] line 1: ustack( ) argument #2 must be a positive integer constant');
    assert.equal(await compile('profile-97 { ustack(5, 0, 1); }\n'), '[D_USTACK_PROTO] line 1: ustack( ) prototype mismatch: too many arguments');
  });
});

describe('clear( ), normalize( ), denormalize( ) and trunc( )', () => {
  it('check the count, the aggregation, the scalar and that it is assigned', async () => {
    assert.equal(await compile('BEGIN { @a = count(); @b = count(); clear(@a, @b); }\n'), '[D_CLEAR_PROTO] line 1: clear( ) prototype mismatch: 2 args passed, 1 expected');
    assert.equal(await compile('BEGIN { trunc(); }\n'), '[D_TRUNC_PROTO] line 1: trunc( ) prototype mismatch: 0 args passed, at least 1 expected');
    assert.equal(
      await compile('BEGIN { normalize(1, 2); }\n'),
      '[D_NORMALIZE_AGGARG] line 1: normalize( ) argument #1 is incompatible with prototype:\n\tprototype: aggregation\n\t argument: int',
    );
    assert.equal(await compile('BEGIN { @a = sum(1); trunc(@a, "x"); }\n'), '[D_TRUNC_SCALAR] line 1: trunc( ) argument #2 must be of scalar type');
    assert.equal(await compile('BEGIN { denormalize(@nope[1]); }\n'), '[D_NORMALIZE_AGGBAD] line 1: undefined aggregation: @nope');
  });
});

describe('aggregation statements', () => {
  it('need the same aggregating function every time, named with the line of the first', async () => {
    assert.equal(
      await compile('BEGIN\n{\n\t@a = count();\n\t@a = sum(1);\n}\n'),
      '[D_AGG_REDEF] line 4: aggregation redefined: @a\n\t current: @a = sum( )\n\tprevious: @a = count( ) : line 3',
    );
    assert.equal(await compile('BEGIN { @a = rand(); }\n'), '[D_AGG_FUNC] line 1: @a must be assigned the result of an aggregating function');
  });
  it('fix the key types at the first assignment', async () => {
    assert.equal(await compile('BEGIN { @a[(void)0] = count(); }\n'), '[D_KEY_TYPE] line 1: void expression may not be used as aggregation index: key #1');
    assert.equal(
      await compile('BEGIN { @a[1] = count(); @a["x"] = count(); }\n'),
      '[D_PROTO_ARG] line 1: @a[ ] key #1 is incompatible with prototype:\n\tprototype: int\n\t      key: string',
    );
    assert.equal(await compile('BEGIN { @a[1][2] = count(); }\n'), '[D_AGG_MDIM] line 1: improper attempt to reference @a as a multi-dimensional array');
  });
  it('refuse a bare aggregation as having no effect', async () => {
    assert.equal(await compile('BEGIN { @k[1] = count(); @k[1, 2]; }\n'), '[D_AGG_NULL] line 1: expression has null effect: @k');
  });
  it('check the value, then lquantize( )\'s parameters, then the increment', async () => {
    assert.equal(await compile('BEGIN { @a = sum("x"); }\n'), '[D_AGG_SCALAR] line 1: sum( ) argument #1 must be of scalar type');
    assert.equal(await compile('BEGIN { @l = lquantize(arg0, 10, 0); }\n'), '[D_LQUANT_MISMATCH] line 1: lquantize( ) base (argument #1) must be less than limit (argument #2)');
    assert.equal(await compile('BEGIN { @l = lquantize(arg0, 5, 5); }\n'), '[D_LQUANT_STEPLARGE] line 1: lquantize( ) step (argument #3) too large: must have at least one quantization level');
    assert.equal(await compile('BEGIN { @q = quantize(arg0, "one"); }\n'), '[D_PROTO_ARG] line 1: quantize( ) increment value (argument #2) must be of scalar type');
    assert.equal(await compile('BEGIN { @q = quantize(arg0, 1, 2); }\n'), '[D_PROTO_LEN] line 1: quantize( ) prototype mismatch: 3 args passed, at most 2 expected');
  });
  it('compare lquantize( ) levels with earlier uses: the same levels are the same', async () => {
    assert.equal(await compile('BEGIN { @l = lquantize(arg0, 0, 100, 10); @l = lquantize(arg0, 0, 105, 10); }\n'), 'ok');
    assert.equal(
      await compile('BEGIN { @l = lquantize(arg0, 0, 100, 10); @l = lquantize(arg0, 0, 110, 10); }\n'),
      "[D_LQUANT_MATCHLIM] line 1: lquantize( ) limit (argument #2) doesn't match previous declaration: expected 100, found 110",
    );
  });
  it('check llquantize( )\'s factor, magnitudes and steps', async () => {
    assert.equal(
      await compile('BEGIN { @l = llquantize(arg0, 10, 0, 6, 15); }\n'),
      '[D_LLQUANT_FACTOREVEN] line 1: llquantize( ) factor (argument #1) must evenly divide the number of steps per magnitude (argument #4), and the number of steps per magnitude must evenly divide a power of the factor',
    );
    assert.equal(
      await compile('BEGIN { @l = llquantize(arg0, 2, 0, 62, 2); }\n'),
      '[D_LLQUANT_MAGTOOBIG] line 1: llquantize( ) factor (2) raised to power of high magnitude (62) plus 1 overflows 64-bits',
    );
    assert.equal(
      await compile('BEGIN { @l = llquantize(arg0, 10, 0, 6, 20); @l = llquantize(arg0, 10, 0, 5, 20); }\n'),
      "[D_LLQUANT_HIGHMATCH] line 1: llquantize( ) high magnitude (argument #3) doesn't match previous declaration: expected 6, found 5",
    );
  });
});

describe('printf-like actions and printa( )', () => {
  it('need a string constant format', async () => {
    assert.equal(
      await compile('BEGIN { printf(execname); }\n'),
      '[D_PRINTF_ARG_FMT] line 1: printf( ) argument #1 is incompatible with prototype:\n\tprototype: string constant\n\t argument: string',
    );
  });
  it('check the conversions against the arguments before generating their code', async () => {
    assert.equal(
      await compile('profile-97 { printf("%d\\n", stack()); }\n'),
      '[D_PRINTF_ARG_TYPE] line 1: printf( ) argument #2 is incompatible with conversion #1 prototype:\n\tconversion: %d\n\t prototype: char, short, int, long, or long long\n\t  argument: stack',
    );
  });
  it('check printa( )\'s aggregations: assigned, with matching keys', async () => {
    assert.equal(await compile('BEGIN { printa(@x[0]); }\n'), '[D_PRINTA_AGGBAD] line 1: undefined aggregation: @x');
    assert.equal(
      await compile('BEGIN { @a[1] = count(); @b["x"] = count(); }\nEND { printa("%d %@d\\n", @a, @b); }\n'),
      '[D_PRINTA_AGGPROTO] line 2: printa( ): @b[ ] key #1 is incompatible with @a:\n        a key #1: int\n        b key #1: string',
    );
    assert.equal(
      await compile('BEGIN { @a = count(); }\nEND { printa("%d %@d\\n", @a); }\n'),
      '[D_PRINTF_ARG_PROTO] line 2: printa( ) prototype mismatch: conversion #1 (%d) is missing a corresponding value argument',
    );
  });
});

// DTrace cooks a whole clause (every statement, then the predicate) before it generates any of
// its code; the driver marks those passes with beginClauseActions and compileClauseActions.

describe("a clause's two passes", () => {
  it('reports a type error of a later statement before an action check of an earlier one', async () => {
    assert.equal(
      await compile('BEGIN\n{\n\t@a = count();\n\ttrace(@a);\n\ty = nothing + 1;\n}\n'),
      '[D_IDENT_UNDEF] line 5: failed to resolve nothing: Unknown variable name',
    );
  });
  it("names the probe description's line for printa( ) key mismatches without a format", async () => {
    assert.equal(
      await compile('BEGIN { @a[1] = count(); @b[1, 2] = count(); }\n\nEND\n{\n\tprinta(@a, @b);\n}\n'),
      '[D_PRINTA_AGGKEY] line 3: printa( ): @a and @b do not have matching key signatures: @a has 1 key, @b has 2 keys',
    );
  });
});
