// Front-end behaviours real scripts depend on (found by compiling the corpus under each
// flavour): cpp and `#!`, the target's predefined macros, pragmas naming a provider the script
// defines, library bindings and `-x version`, programs compiled together sharing identifiers,
// string bytes, `-p PID` for compiling, Apple's built-ins, sizeof of a kernel structure we have
// no layout for.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { buildAst } from '../../server/src/parse/buildAst';
import { plainTree } from '../../server/src/parse/plainTree';
import { analyze, type SourceUnit } from '../../server/src/analyze/program';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { blankControlLines, scanControlLines } from '../../server/src/analyze/controlLineLexer';

const failed = (path: string, rest: string) => `dtrace: failed to compile script ${path}: ${rest}\n`;

describe('-C and the #! line', () => {
  it('cpp never sees the #! line, and lines keep their numbers', async () => {
    const path = scriptFile('#!/usr/sbin/dtrace -Cs\n/* one */\n#define N 3\n\nBEGIN { x = N; y = z; }\n');
    const r = await dtvm(['-e', '-x', 'errtags', '-C', '-s', path]);
    assert.equal(r.stderr, failed(path, '[D_IDENT_UNDEF] line 5: failed to resolve z: Unknown variable name'));
  });

  it('a #! script with cpp directives compiles', async () => {
    const path = scriptFile('#!/usr/sbin/dtrace -Cqs\n#define PRED /pid != 0/\nsyscall:::entry PRED { @[probefunc] = count(); }\n');
    assert.deepEqual(await dtvm(['--flavour', 'freebsd', '-e', '-C', '-s', path]), { status: 0, stdout: '', stderr: '' });
  });

  it('an #error names the script, its line and column', async () => {
    const path = scriptFile('#!/usr/sbin/dtrace -Cs\n#if 1\n#error "stop here"\n#endif\n');
    const r = await dtvm(['-e', '-C', '-s', path]);
    assert.equal(r.stderr, failed(path, `preprocessor failed: ${path}:3:2: error: #error "stop here"`));
    assert.equal(r.status, 1);
  });

  const which = '#if defined(__APPLE__)\nBEGIN { trace("macos"); }\n#elif defined(__FreeBSD__)\nBEGIN { trace("freebsd"); }\n#elif defined(__sun)\nBEGIN { trace("illumos"); }\n#elif defined(__linux__)\nBEGIN { trace("linux"); }\n#else\nBEGIN { trace("none"); }\n#endif\nBEGIN { trace(__x86_64__ + __LP64__); exit(0); }\n';
  for (const flavour of ['freebsd', 'illumos', 'macos', 'linux']) {
    it(`cpp predefines the macros of ${flavour}'s compiler`, async () => {
      const r = await dtvm(['--flavour', flavour, '-q', '-C', '-s', scriptFile(which)]);
      assert.equal(r.stdout, `${flavour}2\n`);
    });
  }
});

describe('probe descriptions are single tokens', () => {
  it('a blank inside one ends it: the part before is a clause without a body', async () => {
    const path = scriptFile('BEGIN { x = 1; }\n\nBEGIN, dtrace::: BEGIN /x/ { y = 1; }\n');
    assert.equal((await dtvm(['-e', '-x', 'errtags', '-s', path])).stderr, failed(path, '[D_SYNTAX] line 3: expected predicate and/or actions following probe description'));
    const spaced = scriptFile('BEGIN\n{ x = 1; }\nsyscall ::read:entry { y = 1; }\n');
    assert.equal((await dtvm(['--flavour', 'freebsd', '-e', '-x', 'errtags', '-s', spaced])).stderr, failed(spaced, '[D_SYNTAX] line 3: expected predicate and/or actions following probe description'));
  });

  it('descriptions of a list may be on separate lines', async () => {
    const path = scriptFile('syscall::read:entry,\n  syscall::write:entry\n{ @[probefunc] = count(); }\n');
    assert.deepEqual(await dtvm(['--flavour', 'illumos', '-e', '-s', path]), { status: 0, stdout: '', stderr: '' });
  });
});

describe('USDT provider files', () => {
  it('#pragma D attributes may name a provider the file defines', async () => {
    const path = scriptFile('provider myprov { probe p(int); };\n#pragma D attributes Evolving/Evolving/Common provider myprov provider\n#pragma D attributes Private/Private/Unknown provider myprov module\n#pragma D attributes Evolving/Evolving/Common provider myprov args\n');
    assert.deepEqual(await dtvm(['-e', '-s', path]), { status: 0, stdout: '', stderr: '' });
  });

  it('... with one of the five components', async () => {
    const path = scriptFile('provider myprov { probe p(int); };\n#pragma D attributes Evolving/Evolving/Common provider myprov nosuch\n');
    // dt_pragma.c swaps the two names in this message.
    assert.equal((await dtvm(['-e', '-x', 'errtags', '-s', path])).stderr, failed(path, '[D_PRAGMA_INVAL] line 2: invalid component "myprov" in attribute #pragma for provider nosuch'));
  });

  it('... but not before the provider is defined', async () => {
    const path = scriptFile('#pragma D attributes Evolving/Evolving/Common provider myprov provider\nprovider myprov { probe p(int); };\n');
    assert.equal((await dtvm(['-e', '-x', 'errtags', '-s', path])).stderr, failed(path, '[D_PRAGMA_UNUSED] line 1: unused #pragma attributes'));
  });

  it('#pragma D depends_on provider is met by a provider the file defines', async () => {
    const path = scriptFile('provider myprov { probe p(int); };\n#pragma D depends_on provider myprov\n#pragma D depends_on provider otherprov\n');
    assert.equal((await dtvm(['-e', '-x', 'errtags', '-s', path])).stderr, failed(path, '[D_PRAGMA_DEPEND] line 3: program requires provider otherprov'));
  });

  it('translated (output) parameters need names; native ones do not', async () => {
    const ok = scriptFile('provider myprov { probe p(char *, int); probe q(char *s) : (string s); };\n');
    assert.equal((await dtvm(['-e', '-s', ok])).status, 0);
    const bad = scriptFile('provider myprov { probe p(char *) : (string); };\n');
    assert.equal((await dtvm(['-e', '-x', 'errtags', '-s', bad])).stderr, failed(bad, '[D_DECL_PROTO_NAME] line 1: parameter declaration requires a name: parameter #1'));
  });
});

describe('programs compiled together share one handle', () => {
  it('a global, a thread-local and an aggregation of one -n program are known in the next', async () => {
    const r = await dtvm(['-q', '-n', 'BEGIN { x = 41; self->t = "tls"; @c = count(); }', '-n', 'BEGIN { printf("%d %s\\n", x + 1, self->t); exit(0); }', '-n', 'END { printa("%@d\\n", @c); }']);
    assert.deepEqual({ status: r.status, stderr: r.stderr, lines: r.stdout.split('\n').slice(0, 2) }, { status: 0, stderr: '', lines: ['42 tls', '1'] });
  });

  it('a later program may not change the type an earlier one gave', async () => {
    const r = await dtvm(['-e', '-x', 'errtags', '-n', 'BEGIN { x = 1; }', '-n', 'BEGIN { x = "s"; }']);
    assert.equal(r.stderr, 'dtrace: invalid probe specifier BEGIN { x = "s"; }: [D_OP_INCOMPAT] in action list: operands have incompatible types: "int" = "string"\n');
  });

  it('clause-locals belong to each program; earlier programs are outside its scope', async () => {
    const r = await dtvm(['-q', '-n', 'BEGIN { this->a = 1; printf("%d\\n", this->a); }', '-n', 'BEGIN { this->a = "s"; printf("%s\\n", this->a); exit(0); }']);
    assert.deepEqual({ status: r.status, stderr: r.stderr, lines: r.stdout.split('\n').slice(0, 2) }, { status: 0, stderr: '', lines: ['1', 's'] });
    const scoped = await dtvm(['-e', '-x', 'errtags', '-n', 'BEGIN { x = 1; }', '-n', '#pragma D binding "1.0" x\nBEGIN { x = 2; }']);
    assert.match(scoped.stderr, /\[D_PRAGMA_SCOPE\] .*#pragma binding cannot modify entity defined outside program scope\n$/);
  });

  it('a script and a -n program share declarations', async () => {
    const path = scriptFile('inline int LIMIT = 7;\nstruct pair { int a; int b; };\nBEGIN { p = (struct pair *)alloca(sizeof (struct pair)); }\n');
    const r = await dtvm(['-q', '-s', path, '-n', 'BEGIN { printf("%d %d\\n", LIMIT, sizeof (struct pair)); exit(0); }']);
    assert.deepEqual({ status: r.status, stderr: r.stderr, first: r.stdout.split('\n')[0] }, { status: 0, stderr: '', first: '7 8' });
  });
});

describe('#pragma D binding in D library files', () => {
  let parser: Parser;
  before(async () => {
    parser = await createDParser();
  });

  const unit = (text: string, file?: string): SourceUnit => {
    const blanked = blankControlLines(text, scanControlLines(text));
    const tree = parser.parse(blanked)!;
    const program = buildAst(plainTree(tree, blanked), blanked);
    tree.delete();
    return { program, source: text, ...(file ? { file } : {}) };
  };

  /** The diagnostics of `program` compiled after library files, with these options. */
  function compile(libraries: string[], program: string, options: Record<string, string> = {}): string[] {
    const set = new OptionSet();
    for (const [k, v] of Object.entries(options)) assert.deepEqual(set.set(k, v), { ok: true });
    const begin = { id: 1, provider: 'dtrace', module: '', function: '', name: 'BEGIN', args: [] };
    const a = analyze({
      ...unit(program),
      libraries: libraries.map((text, i) => unit(text, `lib${i}.d`)),
      settings: { destructive: false, zdefs: false, strsize: 256, defaultargs: false, argref: false, boundedLoops: 0 },
      macros: { program: 'x.d', operands: [], defaultargs: false, process: {} },
      probes: { match: () => [begin] },
      pragmas: { hasDependency: () => false },
      options: set,
      parseDescription: (name) => ({ provider: 'dtrace', module: '', function: '', name }),
    });
    return a.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`);
  }

  const LIB = '#pragma D binding "1.6" later\ninline int later = 3;\ninline int early = 4;\n#pragma D binding "1.0" early\n';

  it('binds identifiers of the same file, before or after their definition', () => {
    assert.deepEqual(compile([LIB], 'BEGIN { trace(later + early); }'), []);
  });

  it('a program compiled for an older D version does not see identifiers bound later', () => {
    assert.deepEqual(compile([LIB], 'BEGIN { trace(early); }', { version: '1.5' }), []);
    assert.deepEqual(compile([LIB], 'BEGIN { trace(later); }', { version: '1.5' }), ['error D_IDENT_UNDEF failed to resolve later: Unknown variable name']);
    // The name is free again for the program's own use.
    assert.deepEqual(compile([LIB], 'BEGIN { later = "mine"; trace(later); }', { version: '1.5' }), []);
  });

  it('#pragma D option version in the program hides them from there on', () => {
    assert.deepEqual(compile([LIB], '#pragma D option version=1.2\nBEGIN { trace(later); }'), ['error D_IDENT_UNDEF failed to resolve later: Unknown variable name']);
  });

  it('another file (or the program) may not rebind a library identifier', () => {
    assert.deepEqual(compile([LIB, '#pragma D binding "1.0" later\n'], 'BEGIN { trace(later); }'), ['warning D_PRAGMA_SCOPE #pragma binding cannot modify entity defined outside program scope']);
    assert.deepEqual(compile([LIB], '#pragma D binding "1.0" later\nBEGIN { trace(later); }'), ['error D_PRAGMA_SCOPE #pragma binding cannot modify entity defined outside program scope']);
  });
});

describe('-p PID (compile only: there is no live process)', () => {
  const uaddr = 'pid$target::malloc:entry { @[arg0] = count(); } END { printa("%A %@d\\n", @); }';

  it('gives $target its value and lets %A take a plain user address', async () => {
    assert.deepEqual(await dtvm(['-e', '-p', '4242', '-n', uaddr]), { status: 0, stdout: '', stderr: '' });
    const listed = await dtvm(['-l', '-p', '77', '-n', 'pid$target::malloc:entry']);
    assert.match(listed.stdout, /pid77 +malloc entry\n$/);
  });

  it('without it, %A needs a _usymaddr', async () => {
    const r = await dtvm(['-e', '-x', 'errtags', '-n', uaddr]);
    assert.match(r.stderr, /\[D_PRINTF_ARG_TYPE\] .*printa\( \) argument #2 is incompatible with conversion #1 prototype:\n\tconversion: %A\n/);
  });

  it('grabs a live process when the program runs (like dtrace, a missing one fails), and must be a process id', async () => {
    assert.deepEqual(await dtvm(['-p', '4194303', '-n', 'BEGIN { exit(0); }']), {
      status: 1,
      stdout: '',
      stderr: 'dtrace: failed to grab pid 4194303: No such process\n',
    });
    assert.deepEqual(await dtvm(['-e', '-p', 'abc', '-n', 'BEGIN { exit(0); }']), { status: 1, stdout: '', stderr: 'dtrace: failed to grab pid abc: No such process\n' });
  });
});

describe('strings are bytes', () => {
  it('UTF-8 source text and \\x escapes come out as exactly those bytes', async () => {
    const r = await dtvm(['-q', '-n', 'BEGIN { printf("%s|%s|%d\\n", "café", "\\xc3\\xa9", strlen("é")); exit(0); }']);
    assert.deepEqual(Buffer.from(r.stdout.split('\n')[0]!, 'utf8'), Buffer.from('café|é|2', 'utf8'));
  });

  it('so do the bytes of a printf format', async () => {
    const r = await dtvm(['-q', '-n', 'BEGIN { printf("é→%s|\\xc3\\xa9|%d\\n", "ü", strlen("\\xff")); exit(0); }']);
    assert.equal(r.stdout.split('\n')[0], 'é→ü|é|1');
  });
});

describe('flavour built-ins and kernel types', () => {
  it("Apple's machtimestamp is a uint64_t", async () => {
    const r = await dtvm(['--flavour', 'macos', '-q', '-n', 'BEGIN { t = machtimestamp; t = 0ULL; printf("%d\\n", sizeof (machtimestamp)); exit(0); }']);
    assert.deepEqual({ status: r.status, stderr: r.stderr, first: r.stdout.split('\n')[0] }, { status: 0, stderr: '', first: '8' });
  });

  it('sizeof a kernel structure the library leaves undefined is accepted (a word stands in)', async () => {
    const r = await dtvm(['--flavour', 'freebsd', '-q', '-n', 'BEGIN { trace(sizeof (struct taskqueue)); exit(0); }']);
    assert.deepEqual({ status: r.status, stderr: r.stderr, first: r.stdout.split('\n')[0] }, { status: 0, stderr: '', first: '8' });
  });

  it('... but sizeof a structure no kernel has stays an error', async () => {
    const r = await dtvm(['--flavour', 'freebsd', '-e', '-x', 'errtags', '-n', 'BEGIN { trace(sizeof (struct no_such_thing)); }']);
    assert.equal(r.stderr, 'dtrace: invalid probe specifier BEGIN { trace(sizeof (struct no_such_thing)); }: [D_SIZEOF_TYPE] in action list: cannot apply sizeof to an operand of unknown size\n');
  });
});
