// What DTrace does while it reads a script, before any clause is checked: control lines and
// pragmas, macro substitution, declarations, translators and the shape of clauses; then its
// checks once the text is read (unused pragmas and operands, an empty program); then the
// order in which a clause's actions and predicate are checked. Messages and lines are
// DTrace's own, so each test asserts the exact text dtvm prints.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';

/** `[TAG] line N: message` for a failing script, `ok` for one that compiles. */
async function compile(text: string, options: { args?: string[]; operands?: string[] } = {}): Promise<string> {
  const file = scriptFile(text);
  const r = await dtvm(['-e', '-x', 'errtags', ...(options.args ?? []), '-s', file, ...(options.operands ?? [])]);
  if (r.status === 0 && r.stderr === '') return 'ok';
  const prefix = `dtrace: failed to compile script ${file}: `;
  assert.ok(r.stderr.startsWith(prefix), r.stderr);
  return r.stderr.slice(prefix.length).replace(/\n$/, '');
}

const BODY = 'BEGIN\n{\n\texit(0);\n}\n';

describe('control lines', () => {
  it('#error joins its words, each followed by a blank, and drops numbers', async () => {
    assert.equal(await compile(`#error version 2 required\n${BODY}`), '[D_PRAGERR] line 1: #error: version required ');
    assert.equal(await compile(`#pragma D error "quoted text"\n${BODY}`), '[D_PRAGERR] line 1: #error: quoted text ');
  });

  it('is honoured at the start of any line, also inside a clause, but not inside a comment', async () => {
    assert.equal(await compile('BEGIN\n{\n\tx = 1;\n#error stop\n\texit(0);\n}\n'), '[D_PRAGERR] line 4: #error: stop ');
    assert.equal(await compile(`/*\n#error hidden\n*/\n${BODY}`), 'ok');
  });

  it('has no effect on the last line of a file without a newline', async () => {
    assert.equal(await compile(`${BODY}#pragma D option nosuch`), 'ok');
  });

  it('reports a token that is not a word at the line after the directive', async () => {
    assert.equal(await compile(`# "file.d"\n${BODY}`), '[D_PRAGCTL_INVAL] line 2: invalid control directive');
  });

  it('accepts bare and ident lines and ignores pragmas of other compilers', async () => {
    assert.equal(await compile(`#\n#pragma\n#pragma D\n#ident "x"\n#pragma once\n${BODY}`), 'ok');
    assert.equal(await compile(`#include <x.h>\n${BODY}`), '[D_PRAGCTL_INVAL] line 1: invalid control directive: #include');
    assert.equal(await compile(`#pragma D opton quiet\n${BODY}`), '[D_PRAGMA_INVAL] line 1: invalid D pragma: opton');
  });

  it('#line numbers the next line one more than it says; a cpp marker numbers it exactly', async () => {
    assert.equal(await compile('#line 100\nBEGIN\n{\n\ttrace(nosuch);\n}\n'), '[D_IDENT_UNDEF] line 103: failed to resolve nosuch: Unknown variable name');
    assert.equal(await compile('# 7\nBEGIN\n{\n\ttrace(nosuch);\n}\n'), '[D_IDENT_UNDEF] line 9: failed to resolve nosuch: Unknown variable name');
  });

  it('#line with a file names the file, except a /dev/fd/ one', async () => {
    assert.equal(await compile('#line 50 "bar.d"\nBEGIN\n{\n\ttrace(nosuch);\n}\n'), '[D_IDENT_UNDEF] "bar.d", line 53: failed to resolve nosuch: Unknown variable name');
    assert.equal(await compile('#line 20 "/dev/fd/3"\nBEGIN\n{\n\ttrace(nosuch);\n}\n'), '[D_IDENT_UNDEF] line 23: failed to resolve nosuch: Unknown variable name');
    assert.equal(await compile('#line 10 prog.d\nBEGIN { exit(0); }\n'), '[D_PRAGMA_MALFORM] line 1: malformed #line <line> [ ["file"] state ]');
  });
});

describe('#pragma D', () => {
  it('option: one identifier per line', async () => {
    assert.equal(await compile(`#pragma D option quiet flowindent\n${BODY}`), '[D_PRAGMA_MALFORM] line 1: superfluous arguments specified for #pragma option');
    assert.equal(await compile(`#pragma D option "quiet"\n${BODY}`), '[D_PRAGMA_MALFORM] line 1: malformed #pragma option <option>=<val>');
    assert.equal(await compile(`#pragma D option =5\n${BODY}`), "[D_PRAGMA_OPTSET] line 1: failed to set option '' to '5': Invalid option name");
  });

  it('attributes and binding: valid names and versions', async () => {
    assert.equal(await compile(`#pragma D attributes Stable/Stable/Common/Common v\n${BODY}`), '[D_PRAGMA_INVAL] line 1: invalid attributes specified by #pragma attributes');
    assert.equal(await compile(`#pragma D binding "1.x" v\n${BODY}`), '[D_PRAGMA_INVAL] line 1: invalid version string specified by #pragma binding');
    assert.equal(await compile(`#pragma D binding 1.0 v\n${BODY}`), '[D_PRAGMA_MALFORM] line 1: malformed #pragma binding "version" <ident>');
  });

  it('may not change a built-in, and must find a global of the program', async () => {
    assert.equal(await compile(`#pragma D attributes Stable trace\n${BODY}`), '[D_PRAGMA_SCOPE] line 1: #pragma attributes cannot modify entity defined outside program scope');
    assert.equal(await compile(`#pragma D binding "1.0" helper\n${BODY}`), '[D_PRAGMA_UNUSED] line 1: unused #pragma binding');
    assert.equal(await compile(`#pragma D attributes Evolving total\nint total;\n${BODY}`), 'ok');
    // Variables created by assignment come too late, and thread-locals never count.
    assert.equal(await compile('#pragma D attributes Evolving total\nBEGIN\n{\n\ttotal = 1;\n}\n'), '[D_PRAGMA_UNUSED] line 1: unused #pragma attributes');
  });

  it('attributes of a provider name the provider as the component', async () => {
    assert.equal(
      await compile(`#pragma D attributes Stable/Stable/Common provider dtrace probes\n${BODY}`),
      '[D_PRAGMA_INVAL] line 1: invalid component "dtrace" in attribute #pragma for provider probes',
    );
  });

  it('depends_on', async () => {
    assert.equal(await compile(`#pragma D depends_on provider nosuchprov\n${BODY}`), '[D_PRAGMA_DEPEND] line 1: program requires provider nosuchprov');
    assert.equal(await compile(`#pragma D depends_on module nosuchmodule\n${BODY}`), '[D_PRAGMA_DEPEND] line 1: program requires module nosuchmodule');
    assert.equal(await compile(`#pragma D depends_on library procfs.d\n${BODY}`), '[D_PRAGMA_DEPEND] line 1: main program may not explicitly depend on a library');
    assert.equal(await compile(`#pragma D depends_on kernel x\n${BODY}`), '[D_PRAGMA_INVAL] line 1: invalid class kernel specified by #pragma depends_on');
    assert.equal(await compile(`#pragma D depends_on provider profile\n${BODY}`), 'ok');
  });
});

describe('macros and operands', () => {
  it('only the last operand must be referenced, reported at the end of the file', async () => {
    assert.equal(await compile(BODY, { operands: ['a', 'b'] }), "[D_MACRO_UNUSED] line 5: extraneous argument 'b' ($2 is not referenced)");
    assert.equal(await compile('BEGIN\n{\n\ttrace($2);\n\texit(0);\n}\n', { operands: ['a', '5'] }), 'ok');
  });

  it('the operand check comes before any clause is checked', async () => {
    assert.equal(await compile('BEGIN\n{\n\ttrace(nosuch);\n}\n', { operands: ['x'] }), "[D_MACRO_UNUSED] line 5: extraneous argument 'x' ($1 is not referenced)");
  });

  it('macros are substituted while the text is read, before clauses are checked', async () => {
    assert.equal(await compile('tick-1sec\n/++n > $1/\n{\n\texit(0);\n}\n'), '[D_MACRO_UNDEF] line 2: macro argument $1 is not defined');
  });

  it('#pragma D option defaultargs applies to the macros after it', async () => {
    assert.equal(await compile('#pragma D option defaultargs\nBEGIN\n{\n\ttrace($1);\n\texit(0);\n}\n'), 'ok');
  });

  it('defaultargs does not apply in probe descriptions', async () => {
    assert.equal(
      await compile('dtrace:::$1\n{\n\texit(0);\n}\n', { args: ['-x', 'defaultargs'] }),
      '[D_PDESC_INVAL] line 1: invalid probe description "dtrace:::$1": Undefined macro variable in probe description',
    );
    assert.equal(await compile('dtrace:::$1\n{\n\texit(0);\n}\n', { operands: ['BEGIN'] }), 'ok');
  });
});

describe('lexical errors', () => {
  it('a string running into a newline is reported unless a syntax error comes before it', async () => {
    assert.equal(await compile('BEGIN\n{\n\ttrace(1 "abc\n\t);\n}\n'), '[D_STR_NL] line 3: newline encountered in string literal');
    assert.equal(await compile("BEGIN\n{\n\tx = 1 +\n\t'abc\n\t;\n}\n"), '[D_CHR_NL] line 4: newline encountered in character constant');
    assert.equal(await compile('BEGIN\n{\n\ttrace(1 2, "abc\n\t);\n}\n'), '[D_SYNTAX] line 3: syntax error near "2"');
  });
});

describe('programs and clauses', () => {
  it('a program of declarations and pragmas only is empty, reported at the end of the file', async () => {
    assert.equal(await compile('int x;\nstruct s { int a; };\n'), '[D_EMPTY] line 3: empty D program translation unit');
    assert.equal(await compile('#pragma D option quiet\n'), '[D_EMPTY] line 2: empty D program translation unit');
  });

  it('a description needs a predicate or a body, a predicate a body', async () => {
    assert.equal(await compile('BEGIN\n'), '[D_SYNTAX] line 1: expected predicate and/or actions following probe description');
    assert.equal(await compile('BEGIN\nEND\n{\n\ttrace(1);\n}\n'), '[D_SYNTAX] line 1: expected predicate and/or actions following probe description');
    assert.equal(await compile('tick-1sec\n/1/\n'), '[D_SYNTAX] line 2: expected actions { } following probe description and predicate');
    assert.equal(await compile('BEGIN\n/(1 > 0/ {\n\texit(0);\n}\n'), '[D_SYNTAX] line 2: closing ) expected in predicate before /');
  });

  it('an overspecified description', async () => {
    assert.equal(await compile('a:b:c:d:e\n{\n\ttrace(1);\n}\n'), '[D_PDESC_INVAL] line 1: invalid probe description "a:b:c:d:e": Overspecified probe description');
  });

  it('the predicate is checked first when the actions fail on an undefined name', async () => {
    assert.equal(await compile('tick-1sec\n/n++ == 0/\n{\n\ttrace(n);\n}\n'), 'ok');
    assert.equal(await compile('tick-1sec\n/nosuch/\n{\n\ttrace(other);\n}\n'), '[D_IDENT_UNDEF] line 2: failed to resolve nosuch: Unknown variable name');
  });

  it('args[] of several probes needs a provider that promises stable arguments', async () => {
    assert.equal(
      await compile('dtrace:::*\n{\n\ttrace(args[0]);\n}\n'),
      '[D_ARGS_MULTI] line 3: args[ ] may not be referenced because probe description dtrace:::* matches an unstable set of probes',
    );
  });
});

describe('declaration specifiers', () => {
  it('one storage class, one type, each attribute at most once or twice', async () => {
    assert.equal(await compile(`static extern int x;\n${BODY}`), '[D_DECL_CLASS] line 1: only one storage class allowed in a declaration');
    assert.equal(await compile(`int char x;\n${BODY}`), '[D_DECL_COMBO] line 1: invalid type combination');
    assert.equal(await compile(`long long long x;\n${BODY}`), "[D_DECL_COMBO] line 1: the attribute 'long' may only be used at most twice in a declaration");
    assert.equal(await compile(`unsigned unsigned x;\n${BODY}`), "[D_DECL_COMBO] line 1: the attribute 'unsigned' may only be used at most once in a declaration");
  });

  it('attributes must suit the type', async () => {
    assert.equal(await compile(`short char c;\n${BODY}`), '[D_DECL_CHARATTR] line 1: invalid type declaration: short and long may not be used with char type');
    assert.equal(await compile(`unsigned void *p;\n${BODY}`), '[D_DECL_VOIDATTR] line 1: invalid type declaration: attributes may not be used with void type');
    assert.equal(await compile(`unsigned float f;\n${BODY}`), '[D_DECL_SIGNINT] line 1: invalid type declaration: signed and unsigned may only be used with integer type');
    assert.equal(
      await compile(`long string s;\n${BODY}`),
      '[D_DECL_LONGINT] line 1: invalid type declaration: long and long long may only be used with integer or floating-point type',
    );
  });

  it('a typedef name after attributes only is the type', async () => {
    assert.equal(
      await compile(`typedef long int64_t;\n${BODY}`),
      '[D_DECL_LONGINT] line 1: invalid type declaration: long and long long may only be used with integer or floating-point type',
    );
    assert.equal(await compile(`unsigned uint64_t v;\n${BODY}`), '[D_DECL_SIGNINT] line 1: invalid type declaration: signed and unsigned may only be used with integer type');
  });

  it('a typedef name after a tag is the declared name', async () => {
    assert.equal(await compile(`struct pair { int a; };\nstruct pair size_t x;\n${BODY}`), '[D_DECL_IDENT] line 2: old-style declaration or incorrect type specified');
    assert.equal(await compile(`struct pair { int a; };\nstruct pair uint8_t;\n${BODY}`), '[D_DECL_IDRED] line 2: typedef identifier redeclared: uint8_t');
    assert.equal(await compile(`struct s { int a; };\ntypedef struct s size_t;\n${BODY}`), '[D_DECL_IDRED] line 2: identifier redeclared: size_t');
  });

  it('a name after the type is a type only where the lexer has seen no type name yet', async () => {
    // After `int` or a typedef name DTrace's lexer reads any name as an identifier, which then
    // declares the name: what follows it cannot.
    assert.equal(await compile(`typedef int myint;\nint myint count;\n${BODY}`), '[D_SYNTAX] line 2: syntax error near "count"');
    assert.equal(await compile(`long nosuch x;\n${BODY}`), '[D_SYNTAX] line 1: syntax error near "x"');
    assert.equal(await compile(`int myint *p = 0;\n${BODY}`), '[D_SYNTAX] line 1: syntax error near "*"');
    // A tag is applied when the parser reads the token after it: not before a qualifier.
    assert.equal(await compile(`struct pair { int a; };\nstruct pair const size_t x;\n${BODY}`), '[D_SYNTAX] line 2: syntax error near "x"');
    // An anonymous body leaves no type name, so the typedef name is a second type.
    assert.equal(await compile(`struct { int a; } size_t x;\n${BODY}`), '[D_DECL_COMBO] line 1: invalid type combination');
  });

  it('keywords after a tag or typedef name still apply', async () => {
    assert.equal(await compile(`struct s { int a; };\nstruct s int x;\n${BODY}`), '[D_DECL_COMBO] line 2: invalid type combination');
    assert.equal(await compile(`size_t unsigned x;\n${BODY}`), '[D_DECL_SIGNINT] line 1: invalid type declaration: signed and unsigned may only be used with integer type');
    assert.equal(await compile(`int typedef myint;\nmyint m;\n${BODY}`), 'ok');
    assert.equal(await compile(`int char x = 5;\n${BODY}`), '[D_DECL_COMBO] line 1: invalid type combination');
  });

  it('a declaration must declare something', async () => {
    assert.equal(await compile(`typedef int;\n${BODY}`), '[D_DECL_USELESS] line 1: useless declaration');
    assert.equal(await compile(`const int;\n${BODY}`), '[D_DECL_USELESS] line 1: useless declaration');
  });
});

describe('declared names', () => {
  it('redeclarations say what the name was and is', async () => {
    assert.equal(await compile(`int x;\nlong x;\n${BODY}`), '[D_DECL_IDRED] line 2: identifier redeclared: x\n\t current: scalar long\n\tprevious: scalar int');
    assert.equal(
      await compile(`int a[int];\nint a[int, int];\n${BODY}`),
      '[D_DECL_IDRED] line 2: identifier redeclared: a\n\t current: associative array of int, tuple length 2\n\tprevious: associative array of int, tuple length 1',
    );
    assert.equal(await compile(`int timestamp;\n${BODY}`), '[D_DECL_IDRED] line 1: built-in identifier redeclared: timestamp');
    assert.equal(await compile(`typedef int int32_t;\n${BODY}`), '[D_DECL_IDRED] line 1: typedef redeclared: int32_t');
    assert.equal(await compile(`typedef int timestamp;\n${BODY}`), '[D_DECL_IDRED] line 1: global variable identifier redeclared: timestamp');
    assert.equal(await compile(`int x;\nint x;\n${BODY}`), 'ok');
  });

  it('inlines are redefinitions of any global name', async () => {
    assert.equal(await compile(`inline int pid = 0;\n${BODY}`), '[D_DECL_IDRED] line 1: identifier redefined: pid\n\t current: inline definition\n\tprevious: scalar ');
    assert.equal(
      await compile(`inline int limit = 1;\ninline int limit = 2;\n${BODY}`),
      '[D_DECL_IDRED] line 2: identifier redefined: limit\n\t current: inline definition\n\tprevious: scalar inline',
    );
    assert.equal(await compile(`inline self int limit = 10;\n${BODY}`), '[D_DECL_BADCLASS] line 1: specified storage class not appropriate for inline declaration');
    assert.equal(await compile(`inline int table[4] = 1;\n${BODY}`), '[D_DECL_ARRNULL] line 1: inline declaration cannot be of scalar array type: table');
    assert.equal(await compile(`inline void nothing = 0;\n${BODY}`), '[D_DECL_VOIDOBJ] line 1: cannot declare void inline: nothing');
  });

  it('arrays need a positive dimension up to UINT_MAX, or keys', async () => {
    assert.equal(await compile(`int a[];\n${BODY}`), '[D_DECL_ARRNULL] line 1: array declaration requires array dimension or tuple signature: a');
    assert.equal(
      await compile(`int a[4 - 4];\n${BODY}`),
      '[D_DECL_ARRSUB] line 1: positive integral constant expression or tuple signature expected as array declaration subscript',
    );
    assert.equal(await compile(`int a[4294967296];\n${BODY}`), '[D_DECL_ARRBIG] line 1: array dimension too big');
    assert.equal(await compile(`int a[4294967295];\n${BODY}`), 'ok');
    assert.equal(await compile(`int a[3][int];\n${BODY}`), '[D_DECL_DYNOBJ] line 1: cannot declare array of associative arrays');
    assert.equal(await compile(`void m[int];\n${BODY}`), '[D_DECL_VOIDOBJ] line 1: cannot declare array of void');
    assert.equal(await compile(`this int c[int];\n${BODY}`), '[D_DECL_LOCASSC] line 1: associative arrays may not be declared as local variables: c');
  });

  it('prototypes of keys, functions and probes', async () => {
    assert.equal(await compile(`int a[...];\n${BODY}`), '[D_DECL_PROTO_VARARGS] line 1: array prototype may not use a variable-length argument list');
    assert.equal(await compile(`int a[int, void];\n${BODY}`), '[D_DECL_PROTO_TYPE] line 1: array prototype may not use parameter of type void: (anonymous), parameter #2');
    assert.equal(await compile(`int a[int k, int k];\n${BODY}`), '[D_DECL_PROTO_FORM] line 1: parameter is already declared in array prototype: k, parameter #2');
    assert.equal(await compile(`int a[static int];\n${BODY}`), '[D_DECL_PARMCLASS] line 1: inappropriate storage class for function or associative array parameter');
    assert.equal(await compile(`int a[register int];\n${BODY}`), 'ok');
    assert.equal(await compile(`int f(void x);\n${BODY}`), '[D_DECL_PROTO_NAME] line 1: void parameter may not have a name: x');
    assert.equal(await compile(`int f(void, int);\n${BODY}`), '[D_DECL_PROTO_VOID] line 1: void must be sole parameter');
    assert.equal(
      await compile(`provider p {\n\tprobe start(int a) : (int b);\n};\n${BODY}`),
      '[D_DECL_PROTO_FORM] line 2: parameter is not declared in probe output prototype: b, parameter #1',
    );
    assert.equal(await compile(`provider p {\n\tprobe start(...);\n};\n${BODY}`), '[D_DECL_PROTO_VARARGS] line 2: probe input prototype may not use a variable-length argument list');
  });

  it('objects must be complete and not void; forward tags are named as structs', async () => {
    assert.equal(await compile(`void nothing;\n${BODY}`), '[D_DECL_VOIDOBJ] line 1: cannot have void object: nothing');
    assert.equal(await compile(`union nosuch u;\n${BODY}`), '[D_DECL_INCOMPLETE] line 1: incomplete struct/union/enum struct nosuch: u');
    assert.equal(await compile(`struct later x;\nstruct later { int a; };\n${BODY}`), '[D_DECL_INCOMPLETE] line 1: incomplete struct/union/enum struct later: x');
    assert.equal(await compile(`int foo\`bar;\n${BODY}`), '[D_DECL_SCOPE] line 1: D scoping operator may not be used in a declaration name (foo`bar)');
  });
});

describe('struct, union and enum bodies', () => {
  it('a tag is defined once', async () => {
    assert.equal(await compile(`struct rec { int a; };\nstruct rec { int a; };\n${BODY}`), '[D_DECL_TYPERED] line 2: type redeclared: struct rec');
    assert.equal(await compile(`enum state { A };\nenum state { B };\n${BODY}`), '[D_DECL_TYPERED] line 2: type redeclared: enum state');
  });

  it('members: complete, not void, not dynamic', async () => {
    assert.equal(await compile(`struct rec {\n\tint id;\n\tvoid pad;\n};\n${BODY}`), '[D_DECL_VOIDOBJ] line 3: cannot have void member: pad');
    assert.equal(await compile(`struct rec { int n[int]; };\n${BODY}`), '[D_DECL_DYNOBJ] line 1: cannot have dynamic member: n');
    assert.equal(await compile(`struct o {\n\tstruct i in;\n};\n${BODY}`), '[D_DECL_INCOMPLETE] line 2: incomplete struct/union/enum struct i: in');
  });

  it('bit-fields: a positive width that fits an integer type', async () => {
    assert.equal(await compile(`struct f { int a : 0; };\n${BODY}`), '[D_DECL_BFCONST] line 1: positive integral constant expression expected as bit-field size');
    assert.equal(await compile(`struct f { char c : 9; };\n${BODY}`), '[D_DECL_BFSIZE] line 1: bit-field too big for type: c');
    assert.equal(await compile(`struct f { double : 3; };\n${BODY}`), '[D_DECL_BFTYPE] line 1: invalid type for bit-field: (anon)');
    assert.equal(await compile(`struct f { unsigned int a : 1; int : 0; int b : 32; };\n${BODY}`), 'ok');
  });

  it('enumerators: integer constants within int, new global names', async () => {
    assert.equal(await compile(`enum e { A = 2147483648 };\n${BODY}`), "[D_DECL_ENOFLOW] line 1: enumerator 'A' value overflows INT_MAX (2147483647)");
    assert.equal(await compile(`enum e { A = timestamp };\n${BODY}`), "[D_DECL_ENCONST] line 1: enumerator 'A' must be assigned to an integral constant expression");
    assert.equal(await compile(`enum fields { pid };\n${BODY}`), '[D_DECL_IDRED] line 1: identifier redeclared: pid');
    assert.equal(await compile(`enum e { A, B = A + 10, C = -2147483648 };\n${BODY}`), 'ok');
  });
});

describe('translators', () => {
  it('are checked at their closing line: redeclaration, then the output type', async () => {
    const out = 'struct out { int x; };\n';
    assert.equal(
      await compile(`${out}translator struct out < int v >\n{\n\tx = v;\n};\ntranslator struct out < int w >\n{\n\tx = w;\n};\n${BODY}`),
      '[D_XLATE_REDECL] line 9: translator from int to struct out has already been declared',
    );
    assert.equal(await compile(`translator struct later < int v >\n{\n\tx = v;\n};\n${BODY}`), '[D_XLATE_SOU] line 4: incomplete struct/union/enum struct later');
    assert.equal(
      await compile(`${out}translator struct out < int v >\n{\n\ty = v;\n};\n${BODY}`),
      '[D_XLATE_MEMB] line 5: translator member y is not a member of struct out',
    );
  });
});
