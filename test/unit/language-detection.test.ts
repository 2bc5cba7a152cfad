// Telling DTrace `.d` files from D-language programs and Makefile dependency files, on
// realistic samples of each, and the decision table of `dtrace.languageDetection`.
// Run: node --import tsx --test test/unit/language-detection.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DETECTION_LIMITS, detectLanguage, type Verdict } from '../../client/src/languageDetection';
import { chooseLanguage, isDFilePath, type DetectionMode } from '../../client/src/languagePolicy';

interface Sample {
  readonly name: string;
  readonly text: string;
}

const lines = (...l: string[]): string => l.join('\n') + '\n';

const DTRACE: readonly Sample[] = [
  {
    name: 'interpreter line, syscall counts',
    text: lines('#!/usr/sbin/dtrace -s', '', 'syscall:::entry', '{', '\t@num[execname] = count();', '}'),
  },
  {
    name: 'interpreter line with -qs and env',
    text: lines('#!/usr/bin/env -S dtrace -qs', 'BEGIN { trace("hi"); exit(0); }'),
  },
  { name: 'one-line clause, no interpreter', text: lines('syscall:::entry { @[probefunc] = count(); }') },
  {
    name: 'BEGIN and END only',
    text: lines('BEGIN', '{', '\tprintf("hello, world\\n");', '\texit(0);', '}', '', 'END', '{', '\tprintf("bye\\n");', '}'),
  },
  {
    name: '#pragma D option and profile probe with predicate',
    text: lines(
      '#pragma D option quiet',
      '#pragma D option bufsize=16m',
      '',
      'profile-997',
      '/arg1/',
      '{',
      '\t@[ustack()] = count();',
      '}',
      '',
      'tick-30s { exit(0); }',
    ),
  },
  {
    name: 'tick probe and predicate on the next line',
    text: lines('tick-1sec', '/i++ >= 10/', '{', '\texit(0);', '}'),
  },
  {
    name: 'probe list across lines, multi-line predicate',
    text: lines(
      'syscall::read:entry,',
      'syscall::write:entry',
      '/pid == $target &&',
      ' execname == "postgres"/',
      '{',
      '\tself->ts = timestamp;',
      '}',
    ),
  },
  {
    name: 'pid provider with $target, module with dots',
    text: lines(
      'pid$target:libc.so.1:malloc:entry',
      '{',
      '\tself->size = arg0;',
      '}',
      '',
      'pid$target:libc.so.1:malloc:return',
      '/self->size/',
      '{',
      '\t@bytes[ustack(5)] = sum(self->size);',
      '\tself->size = 0;',
      '}',
    ),
  },
  {
    name: 'USDT provider definition',
    text: lines(
      '/*',
      ' * Probes for the query engine.',
      ' */',
      'provider myserv {',
      '\tprobe query__start(char *, int);',
      '\tprobe query__done(int);',
      '};',
      '',
      '#pragma D attributes Evolving/Evolving/Common provider myserv provider',
      '#pragma D attributes Private/Private/Unknown provider myserv module',
    ),
  },
  {
    name: 'DTrace library file: depends_on, inline, translator',
    text: lines(
      '/*',
      ' * Copyright 2005 Sun Microsystems, Inc.  All rights reserved.',
      ' */',
      '#pragma ident\t"%Z%%M%\t%I%\t%E% SMI"',
      '',
      '#pragma D depends_on library procfs.d',
      '#pragma D depends_on module unix',
      '',
      'inline int SIDL = 1;',
      '#pragma D binding "1.0" SIDL',
      'inline int SRUN = 2;',
      '',
      'translator psinfo_t < struct proc *T > {',
      '\tpr_nlwp = T->p_lwpcnt;',
      '\tpr_pid = T->p_pidp->pid_id;',
      '};',
    ),
  },
  {
    name: 'io provider with this-> and globbed fbt',
    text: lines(
      'io:::start',
      '{',
      '\tthis->bytes = args[0]->b_bcount;',
      '\t@io[args[1]->dev_statname] = quantize(this->bytes);',
      '}',
      '',
      'fbt:zfs:*:entry,',
      'fbt::vm_*:return',
      '{',
      '\t@calls[probemod, probefunc] = count();',
      '}',
    ),
  },
  {
    name: 'C preprocessor, no interpreter line',
    text: lines(
      '#include <sys/file.h>',
      '#define\tWANTED(x)\t((x) & FWRITE)',
      '',
      'syscall::openat:entry',
      '/WANTED(arg2)/',
      '{',
      '\tprintf("%s %s\\n", execname, copyinstr(arg1));',
      '}',
    ),
  },
  {
    name: 'comments that mention D-language things do not vote',
    text: lines(
      '/*',
      ' * Not a D program: no import std.stdio; no module foo.bar; no void main() {}',
      ' * writeln("x"); unittest { } class Foo { }',
      ' */',
      '// auto x = 1;',
      'syscall::exec*:return',
      '{',
      '\ttrace(curpsinfo->pr_psargs);',
      '}',
    ),
  },
  {
    name: 'macOS objc provider',
    text: lines('objc$target:NSObject:-init:entry', '{', '\t@[probemod] = count();', '}'),
  },
  {
    name: 'speculations',
    text: lines(
      'syscall::open:entry',
      '{',
      '\tself->spec = speculation();',
      '\tspeculate(self->spec);',
      '\tprintf("%s", copyinstr(arg0));',
      '}',
      '',
      'syscall::open:return',
      '/self->spec && errno != 0/',
      '{',
      '\tcommit(self->spec);',
      '\tself->spec = 0;',
      '}',
    ),
  },
  { name: 'ERROR clause', text: lines('ERROR', '{', '\tprintf("fault at %x\\n", arg4);', '}') },
  {
    name: 'dtrace:::BEGIN and :::END',
    text: lines('dtrace:::BEGIN', '{', '\tstart = timestamp;', '}', '', ':::END', '{', '\tprintf("%d\\n", timestamp - start);', '}'),
  },
  {
    name: 'if/else in clause bodies (illumos 2016+)',
    text: lines(
      'syscall::read:return',
      '{',
      '\tif (arg0 < 0) {',
      '\t\t@errors[execname] = count();',
      '\t} else {',
      '\t\t@bytes[execname] = sum(arg0);',
      '\t}',
      '}',
    ),
  },
  {
    name: 'sched and proc probes with dashes',
    text: lines(
      'sched:::on-cpu',
      '{',
      '\tself->on = vtimestamp;',
      '}',
      'sched:::off-cpu',
      '/self->on/',
      '{',
      '\t@[execname] = sum(vtimestamp - self->on);',
      '}',
      'proc:::exec-success { trace(execname); }',
    ),
  },
  {
    name: 'predicate and block on one line',
    text: lines('syscall::open*:entry /execname == "sshd"/ { printf("%s\\n", copyinstr(arg0)); }'),
  },
  {
    name: 'hotspot USDT with glob provider',
    text: lines(
      '#pragma D option quiet',
      'hotspot$target:::method-entry',
      '{',
      '\tthis->class = (char *)copyin(arg1, arg2 + 1);',
      '\tthis->class[arg2] = \'\\0\';',
      '\t@calls[stringof(this->class)] = count();',
      '}',
      'python*:::function-entry { @[copyinstr(arg1)] = count(); }',
    ),
  },
  {
    name: 'lquantize and printa in END',
    text: lines(
      'syscall::write:entry',
      '{',
      '\t@sizes = lquantize(arg2, 0, 4096, 256);',
      '}',
      '',
      'END',
      '{',
      '\tprinta("%@d\\n", @sizes);',
      '\ttrunc(@sizes);',
      '}',
    ),
  },
  {
    name: 'DTraceToolkit-style header then pragmas',
    text: lines(
      '#!/usr/sbin/dtrace -Zs',
      '/*',
      ' * iosnoop.d - snoop I/O events as they occur.',
      ' *',
      ' * USAGE:       iosnoop.d',
      ' */',
      '#pragma D option quiet',
      '#pragma D option switchrate=10hz',
      'dtrace:::BEGIN { printf("%5s %s\\n", "UID", "COMMAND"); }',
    ),
  },
  {
    name: 'header comment, no interpreter, clause with no space before brace',
    text: lines('/* count system calls by process */', '#pragma D option quiet', 'syscall:::entry{', '\t@[execname] = count();', '}'),
  },
  {
    name: 'CRLF line endings',
    text: 'syscall::read:entry\r\n/pid == $1/\r\n{\r\n\t@ = count();\r\n}\r\n',
  },
  { name: 'byte order mark', text: '\uFEFFBEGIN { exit(0); }\n' },
  {
    name: 'libstdc++ module and glob classes',
    text: lines('pid$target:libstdc++.so.6:*operator*new*:entry { @[ufunc(uregs[R_PC])] = count(); }'),
  },
  {
    name: 'declarations only: self/this variables, associative arrays, inline',
    text: lines(
      'self int depth;',
      'this string path;',
      'int counts[string, int];',
      'inline int MAXDEPTH = 8;',
    ),
  },
  {
    name: 'module-scoped kernel symbols with backquotes',
    text: lines('tick-5sec', '{', '\tprintf("%d free pages\\n", `freemem);', '\tprintf("%d\\n", genunix`ncpus);', '}'),
  },
];

const DLANG: readonly Sample[] = [
  { name: 'hello world', text: lines('import std.stdio;', '', 'void main()', '{', '    writeln("Hello, World!");', '}') },
  {
    name: 'module, imports, class (the e2e fixture shape)',
    text: lines(
      'module app.geometry;',
      '',
      'import std.math : sqrt;',
      '',
      'class Point',
      '{',
      '    double x, y;',
      '',
      '    this(double x, double y) { this.x = x; this.y = y; }',
      '',
      '    double norm() const { return sqrt(x * x + y * y); }',
      '}',
    ),
  },
  {
    name: 'module declaration only, struct and functions',
    text: lines(
      'module mylib.util;',
      '',
      'struct Range',
      '{',
      '    int lo, hi;',
      '}',
      '',
      'int clamp(int v, Range r)',
      '{',
      '    return v < r.lo ? r.lo : v > r.hi ? r.hi : v;',
      '}',
    ),
  },
  {
    name: 'unittest blocks',
    text: lines(
      'int twice(int x) { return 2 * x; }',
      '',
      'unittest',
      '{',
      '    assert(twice(2) == 4);',
      '}',
      '',
      '@safe unittest { assert(twice(0) == 0); }',
    ),
  },
  {
    name: 'templates, mixins, static if',
    text: lines(
      'template isSmall(T)',
      '{',
      '    enum isSmall = T.sizeof <= 4;',
      '}',
      '',
      'mixin template Counter()',
      '{',
      '    int count;',
      '}',
      '',
      'struct S { mixin Counter; }',
      '',
      'static if (isSmall!int)',
      '    alias Word = int;',
      'static assert(is(Word == int));',
    ),
  },
  { name: 'rdmd interpreter line', text: lines('#!/usr/bin/env rdmd', 'import std.stdio;', 'void main() { writeln(1); }') },
  {
    name: 'nested comments and auto',
    text: lines(
      '/+ This is a',
      '   /+ nested +/ comment',
      '+/',
      'auto answer = 42;',
      'auto name = "deep thought";',
      'immutable greeting = "hello";',
    ),
  },
  {
    name: 'labels, switch cases and access specifiers',
    text: lines(
      'module parse.lexer;',
      '',
      'struct Lexer',
      '{',
      'private:',
      '    string src;',
      'public:',
      '    int next()',
      '    {',
      '    outer:',
      '        foreach (i, c; src)',
      '        {',
      '            switch (c)',
      '            {',
      '            case \'a\':',
      '                continue outer;',
      '            default:',
      '                {',
      '                    return i;',
      '                }',
      '            }',
      '        }',
      '        return -1;',
      '    }',
      '}',
    ),
  },
  {
    name: 'C bindings with extern(C)',
    text: lines(
      'extern (C):',
      'nothrow:',
      '@nogc:',
      '',
      'int printf(scope const char* format, scope const ...);',
      'extern (C) void* malloc(size_t size);',
      'int puts(scope const char* s);',
    ),
  },
  {
    name: 'scope guards, foreach, template instantiation',
    text: lines(
      'import std.conv : to;',
      'import std.file;',
      '',
      'string readAll(string[] names)',
      '{',
      '    string result;',
      '    foreach (name; names)',
      '    {',
      '        auto f = File(name);',
      '        scope(exit) f.close();',
      '        result ~= to!string(f.size);',
      '    }',
      '    return result;',
      '}',
    ),
  },
  {
    name: 'strings full of DTrace text do not vote',
    text: lines(
      'import std.stdio;',
      '',
      'void main()',
      '{',
      '    writeln("syscall::read:entry { @[execname] = count(); }");',
      '    writeln(`BEGIN { self->x = 1; }`);',
      '}',
    ),
  },
  {
    name: 'vibe.d application',
    text: lines(
      'import vibe.vibe;',
      '',
      'void main()',
      '{',
      '    auto settings = new HTTPServerSettings;',
      '    settings.port = 8080;',
      '    listenHTTP(settings, &hello);',
      '    runApplication();',
      '}',
    ),
  },
  {
    name: 'manifest constants and aliases',
    text: lines(
      'module config;',
      '',
      'enum maxUsers = 100;',
      'alias UserId = uint;',
      'immutable string[] roles = ["admin", "user"];',
    ),
  },
  {
    name: 'interfaces and inheritance',
    text: lines(
      'interface Shape',
      '{',
      '    double area();',
      '}',
      '',
      'final class Square : Shape',
      '{',
      '    private double side;',
      '    override double area() { return side * side; }',
      '}',
    ),
  },
  {
    name: 'attributes and properties',
    text: lines(
      'struct Temperature',
      '{',
      '    private double kelvin;',
      '    @property double celsius() const pure nothrow @safe @nogc { return kelvin - 273.15; }',
      '    @disable this();',
      '}',
    ),
  },
  {
    name: 'betterC main',
    text: lines('extern(C) void main()', '{', '    import core.stdc.stdio : printf;', '    printf("hello\\n");', '}'),
  },
  {
    name: 'compiler test: one-line functions after // directives',
    text: lines(
      '// REQUIRED_ARGS: -O',
      '// DISABLED: win32',
      '',
      'bool isNegative(int v) { return v < 0; }',
      'bool isZero(int v) { return v == 0; }',
      'bool isPositive(long v) { return v > 0; }',
    ),
  },
  {
    name: 'compiler test: layout assertions',
    text: lines(
      'struct Packed',
      '{',
      '    byte[3] b;',
      '    align(1) int i;',
      '}',
      'static assert(Packed.sizeof == 7);',
      '',
      'class Holder',
      '{',
      '    align(16) int field;',
      '}',
      'static assert(Holder.field.offsetof == 16);',
      'alias HolderAlias = Holder;',
    ),
  },
  {
    name: 'version blocks',
    text: lines(
      'version (Posix)',
      '{',
      '    import core.sys.posix.unistd;',
      '}',
      'version (Windows)',
      '{',
      '    import core.sys.windows.windows;',
      '}',
    ),
  },
];

const MAKEFILE: readonly Sample[] = [
  {
    name: 'gcc -MD',
    text: lines(
      'foo.o: foo.c foo.h /usr/include/stdio.h /usr/include/features.h \\',
      ' /usr/include/x86_64-linux-gnu/sys/cdefs.h \\',
      ' /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h',
    ),
  },
  {
    name: 'gcc -MMD -MP phony targets',
    text: lines('build/main.o: src/main.c include/util.h include/log.h', '', 'include/util.h:', '', 'include/log.h:'),
  },
  { name: 'several targets', text: lines('obj/foo.o obj/foo.d: src/foo.c include/foo.h') },
  {
    name: 'dmd -makedeps',
    text: lines('app.o: source/app.d \\', '  /usr/include/dmd/phobos/std/stdio.d \\', '  /usr/include/dmd/druntime/import/object.d'),
  },
  { name: 'Windows drive letters', text: lines('C:/proj/build/foo.o: C:/proj/src/foo.c C:/proj/include/foo.h') },
  { name: 'make variables', text: lines('$(OBJDIR)/foo.o: $(SRCDIR)/foo.c $(SRCDIR)/foo.h') },
  { name: 'escaped spaces', text: lines('my\\ file.o: my\\ file.c common.h') },
  { name: 'prerequisite starting with a slash', text: lines('foo.o: /usr/include/stdio.h') },
  {
    name: 'node-gyp: command assignment, then rules',
    text: lines(
      "cmd_Release/obj.target/addon/src/parser.o := cc -o Release/obj.target/addon/src/parser.o ../src/parser.c '-DNODE_GYP_MODULE_NAME=addon' -MMD -c",
      'Release/obj.target/addon/src/parser.o: ../src/parser.c \\',
      ' ../src/tree_sitter/parser.h',
      '../src/parser.c:',
      '../src/tree_sitter/parser.h:',
    ),
  },
  { name: 'node-gyp: a command assignment alone', text: lines('cmd_Release/addon.node := ln -f "Release/obj.target/addon.node" "Release/addon.node"') },
  {
    name: 'cargo dep-info',
    text: lines(
      '/home/u/proj/target/debug/proj: /home/u/proj/src/main.rs /home/u/proj/src/lib.rs',
      '',
      '/home/u/proj/src/main.rs:',
      '/home/u/proj/src/lib.rs:',
    ),
  },
  {
    name: 'with a comment line',
    text: lines('# Generated by makedepend', 'parser.o: parser.c parser.h lexer.h'),
  },
];

const UNKNOWN: readonly Sample[] = [
  { name: 'empty', text: '' },
  { name: 'blank lines', text: '\n\n   \n\t\n' },
  { name: 'only a comment', text: lines('/* nothing here yet */') },
  { name: 'C-like struct shared by both languages', text: lines('struct foo {', '\tint a;', '\tint b;', '};') },
  { name: 'a lone aggregation statement', text: lines('@counts = count();') },
  { name: 'prose', text: lines('This file lists the things to trace next week.', 'Ask Bob about it.') },
  {
    name: 'mixed evidence',
    text: lines('import std.stdio;', 'BEGIN { writeln("?"); }'),
  },
  { name: 'shell interpreter line, nothing else', text: lines('#!/bin/sh', 'echo hello') },
  {
    name: 'a Perl script named like an rc.d tool',
    text: lines('#!/usr/bin/perl', 'use strict;', 'my @links = ();', '@links = grep { -l } @files;'),
  },
  { name: 'DTrace array declarations alone', text: lines('int a[foo_t];', 'int c[string];') },
];

function check(samples: readonly Sample[], expected: Verdict): void {
  for (const s of samples) {
    it(s.name, () => {
      const d = detectLanguage(s.text);
      assert.equal(d.verdict, expected, `${s.name}: ${d.reason}`);
    });
  }
}

describe('language detection: DTrace scripts', () => check(DTRACE, 'dtrace'));
describe('language detection: D-language programs', () => check(DLANG, 'd'));
describe('language detection: Makefile dependency files', () => check(MAKEFILE, 'makefile'));
describe('language detection: nothing plain', () => check(UNKNOWN, 'unknown'));

describe('language detection: summary', () => {
  // The measured confusion matrix over all samples above; DETECTION_REPORT=1 lists every sample.
  it('classifies every sample as expected', (t) => {
    const groups: ReadonlyArray<[Verdict, readonly Sample[]]> = [
      ['dtrace', DTRACE],
      ['d', DLANG],
      ['makefile', MAKEFILE],
      ['unknown', UNKNOWN],
    ];
    let wrong = 0;
    for (const [expected, samples] of groups) {
      const got = new Map<Verdict, number>();
      for (const s of samples) {
        const d = detectLanguage(s.text);
        got.set(d.verdict, (got.get(d.verdict) ?? 0) + 1);
        if (d.verdict !== expected) wrong++;
        if (process.env['DETECTION_REPORT']) t.diagnostic(`${expected.padEnd(8)} ${s.name}: ${d.reason}`);
      }
      t.diagnostic(`${expected}: ${samples.length} samples -> ${[...got].map(([v, n]) => `${v} ${n}`).join(', ')}`);
    }
    assert.equal(wrong, 0);
  });
});

describe('language detection: scoring', () => {
  it('counts a probe clause as plain DTrace on its own', () => {
    const d = detectLanguage('syscall::read:entry { }\n');
    assert.equal(d.verdict, 'dtrace');
    assert.equal(d.dtraceScore, 10);
    assert.deepEqual(
      d.signals.map((s) => [s.rule, s.line]),
      [['probe clause', 1]],
    );
  });

  it('caps a repeated weak signal', () => {
    const d = detectLanguage(Array.from({ length: 50 }, () => 'x = execname;').join('\n'));
    assert.equal(d.dtraceScore, 6);
    assert.equal(d.verdict, 'unknown');
  });

  it('reports line numbers that survive blanked multi-line comments', () => {
    const d = detectLanguage(lines('/*', ' * a', ' * b', ' */', 'module x.y;'));
    assert.deepEqual(
      d.signals.map((s) => [s.rule, s.line]),
      [['module declaration', 5]],
    );
  });

  it('reads only the head of the text', () => {
    const filler = 'int x;\n'.repeat(DETECTION_LIMITS.maxLines);
    assert.equal(detectLanguage(filler + 'BEGIN { exit(0); }\n').verdict, 'unknown');
    assert.equal(detectLanguage('BEGIN { exit(0); }\n' + filler).verdict, 'dtrace');
  });

  it('stays fast on a huge file', () => {
    const huge = 'syscall:::entry { @[probefunc] = count(); }\n' + '/* padding */ int x;\n'.repeat(400_000);
    const start = performance.now();
    for (let i = 0; i < 10; i++) detectLanguage(huge);
    const perCall = (performance.now() - start) / 10;
    assert.ok(perCall < 50, `took ${perCall.toFixed(1)} ms per call`);
  });

  it('stays fast on pathological lines (no regular-expression backtracking blow-up)', () => {
    const texts = ['$('.repeat(30_000), 'a '.repeat(32_000), 'a:'.repeat(32_000), 'int ' + 'a '.repeat(30_000) + 'f(', '"'.repeat(65_000)];
    for (const text of texts) {
      const start = performance.now();
      detectLanguage(text);
      const took = performance.now() - start;
      assert.ok(took < 200, `${JSON.stringify(text.slice(0, 8))}...: ${took.toFixed(1)} ms`);
    }
  });

  it('does not mistake labels, cases or URLs for probe descriptions', () => {
    for (const text of ['default:\n{\n}\n', 'retry:\nfoo();\n', 'case 1: {\n}\n', 'see http://example.invalid/x\n{\n}\n']) {
      assert.equal(
        detectLanguage(text).signals.filter((s) => s.rule === 'probe clause').length,
        0,
        JSON.stringify(text),
      );
    }
  });

  it('survives an unterminated comment or string', () => {
    assert.equal(detectLanguage('BEGIN { printf("oops); }\n').verdict, 'dtrace');
    assert.equal(detectLanguage('BEGIN { }\n/* never closed\nmodule a.b;\n').verdict, 'dtrace');
  });
});

describe('language detection: the end-to-end fixtures', () => {
  // test/e2e/suite opens these in a real VS Code; their verdicts must not drift.
  const fixtures = join(__dirname, '..', 'e2e', 'fixtures');
  const expected: ReadonlyArray<[string, Verdict]> = [
    ['probe.d', 'dtrace'],
    ['clause.d', 'dtrace'],
    ['broken.d', 'dtrace'],
    ['dlang.d', 'd'],
    ['deps.d', 'makefile'],
  ];
  for (const [file, verdict] of expected) {
    it(`${file} is ${verdict}`, () => {
      assert.equal(detectLanguage(readFileSync(join(fixtures, file), 'utf8')).verdict, verdict);
    });
  }
});

describe('dtrace.languageDetection policy', () => {
  const withD = new Set(['plaintext', 'makefile', 'dtrace', 'd']);
  const withoutD = new Set(['plaintext', 'makefile', 'dtrace']);
  const cases: ReadonlyArray<[DetectionMode, string, Verdict, ReadonlySet<string>, string | undefined]> = [
    ['never', 'd', 'dtrace', withD, undefined],
    ['never', 'dtrace', 'd', withD, undefined],
    ['always', 'd', 'd', withD, 'dtrace'],
    ['always', 'makefile', 'makefile', withD, 'dtrace'],
    ['always', 'dtrace', 'd', withD, undefined],
    ['auto', 'd', 'dtrace', withD, 'dtrace'],
    ['auto', 'plaintext', 'dtrace', withoutD, 'dtrace'],
    ['auto', 'dtrace', 'dtrace', withD, undefined],
    ['auto', 'dtrace', 'd', withD, 'd'],
    ['auto', 'dtrace', 'd', withoutD, undefined],
    ['auto', 'd', 'd', withD, undefined],
    ['auto', 'dtrace', 'makefile', withD, 'makefile'],
    ['auto', 'd', 'makefile', withD, undefined],
    ['auto', 'dtrace', 'unknown', withD, undefined],
    ['auto', 'd', 'unknown', withD, undefined],
  ];
  for (const [mode, current, verdict, registered, expected] of cases) {
    it(`${mode}: ${current} judged ${verdict}${registered.has('d') ? '' : ' (no d language)'} -> ${expected ?? 'unchanged'}`, () => {
      assert.equal(
        chooseLanguage({ mode, currentLanguageId: current, verdict: () => verdict, registeredLanguages: registered }),
        expected,
      );
    });
  }

  it('does not read the text when the setting decides alone', () => {
    const never = (): Verdict => assert.fail('verdict asked');
    chooseLanguage({ mode: 'never', currentLanguageId: 'd', verdict: never, registeredLanguages: withD });
    chooseLanguage({ mode: 'always', currentLanguageId: 'd', verdict: never, registeredLanguages: withD });
  });

  it('applies to .d paths only', () => {
    assert.ok(isDFilePath('/src/probe.d'));
    assert.ok(isDFilePath('/src/PROBE.D'));
    assert.ok(!isDFilePath('/src/probe.dtrace'));
    assert.ok(!isDFilePath('/src/read.md'));
  });
});
