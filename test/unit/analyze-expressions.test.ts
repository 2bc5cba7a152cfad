// Expression typing as DTrace's parser does it (dt_parser.c's cook rules): each case compiles a
// small script with `dtvm -e -x errtags` and checks the exact first error DTrace reports, or
// that the script compiles.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dtvm } from '../support/runDtvm';
import { charLiteral, integerLiteral } from '../../server/src/analyze/literals';
import { T } from '../../server/src/analyze/types/ctype';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { createDParser } from '../../server/src/parse/dParser';
import { checkCodegen, cook } from '../../server/src/analyze/expressions';

let dir = '';
let n = 0;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'analyze-expressions-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The first error of a script as `TAG line N: message`, or 'ok'. */
async function verdict(script: string, args: string[] = []): Promise<string> {
  const file = join(dir, `case${n++}.d`);
  writeFileSync(file, script);
  const r = await dtvm(['-e', '-x', 'errtags', ...args, '-s', file]);
  if (r.status === 0 && r.stderr === '') return 'ok';
  return r.stderr.replace(`dtrace: failed to compile script ${file}: `, '').replace(/^\[(\w+)\] /, '$1 ').trim();
}

describe('constants', () => {
  it('types a character constant like a decimal constant, without sign extension', () => {
    assert.deepEqual(charLiteral("'a'"), { ok: true, value: { value: 97n, type: T.int } });
    assert.deepEqual(charLiteral("'\\377'"), { ok: true, value: { value: 255n, type: T.int } });
    assert.deepEqual(charLiteral("'\\377\\377\\377\\377'"), { ok: true, value: { value: 0xffffffffn, type: T.long } });
  });

  it('climbs the integer ladder by the rules of C99 as DTrace applies them', () => {
    assert.deepEqual(integerLiteral('2147483648'), { ok: true, value: { value: 2147483648n, type: T.long } });
    assert.deepEqual(integerLiteral('0x80000000'), { ok: true, value: { value: 0x80000000n, type: T.uint } });
    assert.deepEqual(integerLiteral('1u'), { ok: true, value: { value: 1n, type: T.uint } });
    assert.deepEqual(integerLiteral('0xffffffffffffffff'), { ok: true, value: { value: 0xffffffffffffffffn, type: T.ulong } });
  });

  it('gives a character constant the type int', async () => {
    assert.equal(await verdict('BEGIN\n{\n\tc = \'a\';\n\tc = "a";\n}\n'), 'D_OP_INCOMPAT line 4: operands have incompatible types: "int" = "string"');
  });

  it('gives sizeof the type size_t, named so', async () => {
    assert.equal(await verdict('BEGIN\n{\n\tsz = sizeof (int);\n\tsz = "four";\n}\n'), 'D_OP_INCOMPAT line 4: operands have incompatible types: "size_t" = "string"');
  });

  it('does not promote to int: the wider operand wins, char + char is char', async () => {
    assert.equal(await verdict('BEGIN\n{\n\tx = (char)1 + (char)2;\n\tx = "s";\n}\n'), 'D_OP_INCOMPAT line 4: operands have incompatible types: "char" = "string"');
  });

  it('folds a constant condition so that only the branch taken is checked', async () => {
    assert.equal(await verdict('BEGIN\n{\n\tx = 1 ? "yes" : 2;\n\ttrace(0 ? trace(1) : 7);\n\texit(0);\n}\n'), 'ok');
  });

  it('finds division by a folded zero while reading, before any clause is checked', async () => {
    assert.equal(await verdict('BEGIN\n{\n\ttotal = 7;\n\ttotal %= (1 - 1);\n}\n'), 'D_DIV_ZERO line 4: expression contains division by zero');
  });
});

describe('variables', () => {
  it('creates a variable incremented before any assignment as an int64_t', async () => {
    assert.equal(await verdict('BEGIN\n{\n\tn++;\n\tn = "reset";\n}\n'), 'D_OP_INCOMPAT line 4: operands have incompatible types: "int64_t" = "string"');
  });

  it('rejects reading a thread-local variable that has no value yet', async () => {
    assert.equal(await verdict('BEGIN\n{\n\ttrace(self->never);\n}\n'), 'D_VAR_UNDEF line 3: self->never has not yet been declared or assigned');
  });

  it('names local variables used as associative arrays without this->', async () => {
    assert.equal(await verdict('BEGIN\n{\n\tthis->a[0] = 1;\n}\n'), 'D_ARR_LOCAL line 3: local variables may not be used as associative arrays: a');
  });

  it('checks the key types only on the first use, later uses against it', async () => {
    assert.equal(await verdict('BEGIN\n{\n\ta[(void)0] = 1;\n}\n'), 'D_KEY_TYPE line 3: void expression may not be used as associative array index: key #1');
    assert.equal(
      await verdict('BEGIN\n{\n\ta[1] = 1;\n\ta[(void)0] = 2;\n}\n'),
      'D_PROTO_ARG line 4: a[ ] key #1 is incompatible with prototype:\n\tprototype: int\n\t      key: void',
    );
    assert.equal(
      await verdict('BEGIN\n{\n\t@c = count();\n\ta[@c] = 1;\n}\n'),
      'D_KEY_TYPE line 4: aggregation expression may not be used as associative array index: key #1',
    );
  });

  it('names what a tuple subscript was applied to', async () => {
    assert.equal(await verdict('BEGIN { trace(execname[0, 1]); }\n'), 'D_ARR_BADREF line 1: cannot access scalar execname as an associative array');
    assert.equal(await verdict('BEGIN { trace("abc"[1, 2]); }\n'), 'D_ARR_BADREF line 1: cannot access string constant "abc" as an associative array');
    assert.equal(await verdict('BEGIN { trace(strjoin("a", "b")[0, 1]); }\n'), 'D_ARR_BADREF line 1: cannot access function strjoin( ) as an associative array');
  });

  it('reads a name compared with an enum as ambiguous when the enum is declared further down', async () => {
    assert.equal(
      await verdict('BEGIN\n{\n\ttrace(c == RED);\n}\n\nenum color { RED, GREEN };\nenum color c;\n'),
      'D_IDENT_AMBIG line 3: ambiguous use of operator ==: RED is both a enum color enum tag and a global enumerator',
    );
  });
});

describe('operators', () => {
  it('names the resolved type an operator . or -> was applied to', async () => {
    assert.equal(await verdict('BEGIN { trace(execname.len); }\n'), 'D_OP_SOU line 1: operator . cannot be applied to type "char [256]"; must be applied to a struct or union');
    assert.equal(await verdict('BEGIN { trace(timestamp.lo); }\n'), 'D_OP_SOU line 1: operator . cannot be applied to type "unsigned long"; must be applied to a struct or union');
    assert.equal(
      await verdict('BEGIN { trace(((char *)arg0)->c); }\n'),
      'D_OP_SOU line 1: operator -> cannot be applied to pointer to type "char"; must be applied to a struct or union pointer',
    );
  });

  it('rejects members of a struct that is only forward-declared', async () => {
    assert.equal(
      await verdict('struct fx_opaque *h;\n\nBEGIN { trace(h->a); }\n'),
      'D_OP_INCOMPLETE line 3: operator -> cannot be applied to a forward declaration: no struct fx_opaque definition is available',
    );
  });

  it('reads a member named like an integer inline as that constant', async () => {
    assert.equal(
      await verdict('struct fx_point { int x; int y; };\nstruct fx_point pt;\n\nBEGIN { trace(pt.NULL); }\n'),
      'D_OP_IDENT line 4: operator . must be followed by an identifier',
    );
  });

  it('refuses the address of bit-fields, D variables and dynamic objects', async () => {
    const bits = 'struct fx_flags { unsigned int ready : 1; unsigned int mode : 3; };\nstruct fx_flags fl;\n\n';
    assert.equal(await verdict(`${bits}BEGIN { this->p = &fl.ready; }\n`), 'D_ADDROF_BITFIELD line 4: cannot take address of bit-field');
    assert.equal(await verdict('BEGIN\n{\n\t@c = count();\n\ttrace(&@c);\n}\n'), 'D_ADDROF_VAR line 4: cannot take address of dynamic variable');
  });

  it('refuses to assign arrays and to write through constants', async () => {
    assert.equal(
      await verdict('struct fx_rec { char name[16]; };\nstruct fx_rec r;\n\nBEGIN { r.name = "abc"; }\n'),
      'D_OP_ARRFUN line 4: operator = may not be applied to operand of type "char [16]"',
    );
    assert.equal(await verdict('BEGIN\n{\n\t"abc"[0] = \'x\';\n}\n'), 'D_OP_WRITE line 3: operator = can only be applied to a writable variable');
  });

  it('has no pointer arithmetic on void pointers', async () => {
    assert.equal(await verdict('BEGIN\n{\n\tthis->v = alloca(8);\n\tthis->v++;\n}\n'), 'D_OP_VFPTR line 4: operator ++ requires an operand of known size');
    assert.equal(await verdict('BEGIN\n{\n\tthis->v = alloca(8);\n\ttrace(this->v + 1);\n}\n'), 'D_OP_INCOMPAT line 4: operands have incompatible types: "void *" + "int"');
  });

  it('treats strings like pointers for + and -', async () => {
    assert.equal(await verdict('BEGIN\n{\n\ttrace("abcdef" + 2);\n\ttrace(execname - "a");\n\texit(0);\n}\n'), 'ok');
  });

  it('keeps aggregations and actions out of , and ?:', async () => {
    assert.equal(await verdict('BEGIN\n{\n\t@a = count();\n\tx = (@a, 1);\n}\n'), 'D_OP_DYN line 4: operator , operands cannot be of dynamic type');
    assert.equal(await verdict('BEGIN\n{\n\ttrace(1), trace(2);\n}\n'), 'D_OP_ACT line 3: operator , operands cannot be actions');
    assert.equal(await verdict('BEGIN { arg1 ? trace("yes") : trace("no"); }\n'), 'D_OP_ACT line 1: action cannot be used in a conditional context');
    assert.equal(await verdict('BEGIN\n{\n\tx = execname ? 1 : 2;\n}\n'), 'D_OP_SCALAR line 3: operator ?: expression must be of scalar type');
  });
});

describe('calls', () => {
  it('requires a plain function name as the designator', async () => {
    assert.equal(await verdict('BEGIN\n{\n\ttrace(NULL(1));\n}\n'), 'D_FUNC_IDENT line 3: function designator is not of function type');
    assert.equal(await verdict('BEGIN\n{\n\ttrace(pid(1));\n}\n'), "D_FUNC_IDKIND line 3: scalar 'pid' may not be referenced as a function");
    assert.equal(await verdict('BEGIN { Trace(1); }\n'), 'D_FUNC_UNDEF line 1: undefined function name: Trace');
  });

  it('does not know variables created by assignment as function names', async () => {
    assert.equal(await verdict('BEGIN\n{\n\tx = 1;\n\tx(2);\n}\n'), 'D_FUNC_UNDEF line 4: undefined function name: x');
  });

  it('prints prototypes with their qualifiers', async () => {
    assert.equal(
      await verdict('BEGIN\n{\n\ttrace(strlen(arg0));\n}\n'),
      'D_PROTO_ARG line 3: strlen( ) argument #1 is incompatible with prototype:\n\tprototype: const char *\n\t argument: int64_t',
    );
    assert.equal(
      await verdict('BEGIN\n{\n\ttrace(strchr(execname, "/"));\n}\n'),
      'D_PROTO_ARG line 3: strchr( ) argument #2 is incompatible with prototype:\n\tprototype: char\n\t argument: string',
    );
  });

  it('accepts the constant 0 for a pointer parameter, and any integer for an integer one', async () => {
    assert.equal(await verdict('BEGIN\n{\n\ttrace(strlen(0));\n\ttrace(htonl(timestamp));\n\texit(0);\n}\n'), 'ok');
  });

  it('rejects actions and aggregating functions inside expressions, naming their kind', async () => {
    assert.equal(
      await verdict('profile-97\n{\n\tx = stack();\n}\n'),
      'D_CG_EXPR line 3: tracing function stack( ) may not be called from a D expression (D program context required)',
    );
    assert.equal(
      await verdict('BEGIN\n{\n\ttrace(count());\n}\n'),
      'D_CG_EXPR line 3: aggregating function count( ) may not be called from a D expression (D program context required)',
    );
  });
});

describe('cook options', () => {
  /** Cooks the predicate of the script's first clause again, with options, and returns the error. */
  async function recookPredicate(text: string, options: Parameters<typeof cook>[2], generate = true): Promise<string> {
    const parser = await createDParser();
    const r = compileProgram(parser, { text, programName: 'case.d', options: new OptionSet(), noLibraries: true });
    const c = r.analysis!.compilation;
    const clause = r.program.items.find((i) => i.k === 'clause');
    assert.ok(clause && clause.k === 'clause' && clause.predicate);
    const mark = c.diagnostics.length;
    c.clause = { index: 0, probes: [], description: ':::BEGIN', argTypes: [], speculated: false, committed: false, recordedData: false };
    c.attempt(() => {
      cook(c, clause.predicate!, options);
      if (generate) checkCodegen(c, clause.predicate!);
    });
    const d = c.diagnostics[mark];
    return d ? `${d.code} line ${d.line}: ${d.message}` : 'ok';
  }

  it("reports an operator built after the lexer read past the predicate's end at the given line", async () => {
    const text = 'BEGIN\n/c == RED/\n{\n\texit(0);\n}\n\nenum color { RED, GREEN };\nenum color c;\n';
    assert.equal(await recookPredicate(text, { line: 3 }), 'D_IDENT_AMBIG line 3: ambiguous use of operator ==: RED is both a enum color enum tag and a global enumerator');
    assert.equal(await recookPredicate(text, {}), 'D_IDENT_AMBIG line 2: ambiguous use of operator ==: RED is both a enum color enum tag and a global enumerator');
  });

  it('keeps the line of a name, which the parser builds without looking further', async () => {
    assert.equal(await recookPredicate('BEGIN\n/self->armed/\n{\n\texit(0);\n}\n', { line: 3 }), 'D_VAR_UNDEF line 2: self->armed has not yet been declared or assigned');
  });

  it('leaves calls of actions to the code generator when asked to', async () => {
    const text = 'BEGIN\n/(x = stack()) == (x = stack())/\n{\n\texit(0);\n}\n';
    assert.equal(await recookPredicate(text, { codegen: false }, false), 'ok');
    assert.equal(
      await recookPredicate(text, {}, false),
      'D_CG_EXPR line 2: tracing function stack( ) may not be called from a D expression (D program context required)',
    );
  });
});
