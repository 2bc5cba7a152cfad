// dtvm's compile-side options, as dtrace(1) has them: probe specifiers, -l listings, -x and
// its errors, -w and destructive actions, -Z, macro operands, -C, #! scripts, -q, -v.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';

describe('probe specifiers', () => {
  it('compiles -n programs and names them in the matched notice', async () => {
    const r = await dtvm(['-n', 'BEGIN { trace(1); exit(0); }']);
    assert.deepEqual([r.status, r.stderr], [0, "dtrace: description 'BEGIN ' matched 1 probe\n"]);
  });
  it('accepts a bare description on the command line', async () => {
    // (dtvm now runs what it compiles: a bare tick-1sec would tick until Ctrl-C.)
    const r = await dtvm(['-n', 'BEGIN']);
    assert.deepEqual([r.status, r.stderr], [0, "dtrace: description 'BEGIN' matched 1 probe\n"]);
  });
  it('reads -P, -m, -f and -i specifiers with their own field positions', async () => {
    assert.equal((await dtvm(['-P', 'dtrace'])).stderr, "dtrace: description 'dtrace' matched 3 probes\n");
    assert.equal((await dtvm(['-f', 'BEGIN', '-e'])).stderr, "dtrace: invalid probe specifier BEGIN: probe description ::BEGIN: does not match any probes\n");
    assert.equal((await dtvm(['-i', '2'])).stderr, "dtrace: description '2' matched 1 probe\n");
  });
  it('reports a description that matches nothing, unless -Z', async () => {
    const r = await dtvm(['-n', 'foo:::bar']);
    assert.deepEqual([r.status, r.stderr], [1, 'dtrace: invalid probe specifier foo:::bar: probe description foo:::bar does not match any probes\n']);
    assert.equal((await dtvm(['-Z', '-n', 'foo:::bar'])).stderr, "dtrace: description 'foo:::bar' matched 0 probes\n");
  });
  it('places an error of a -n program in its predicate or action list', async () => {
    const r = await dtvm(['-x', 'errtags', '-n', 'BEGIN /"x"/ { trace(1); }']);
    assert.equal(r.stderr, 'dtrace: invalid probe specifier BEGIN /"x"/ { trace(1); }: [D_PRED_SCALAR] in predicate: predicate result must be of scalar type\n');
  });
});

describe('-l', () => {
  it('lists the probes a specifier matches, in dtrace -l columns', async () => {
    const r = await dtvm(['-l', '-n', 'profile:::tick-1*']);
    assert.equal(r.status, 0);
    assert.equal(
      r.stdout,
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
        '   11    profile                                                     tick-1\n' +
        '   12    profile                                                     tick-10\n' +
        '   13    profile                                                     tick-100\n' +
        '   15    profile                                                     tick-1000\n',
    );
  });
  it("lists every probe of the flavour's catalogue without a specifier", async () => {
    const r = await dtvm(['--flavour', 'linux', '-l']);
    const providers = r.stdout.split('\n').filter((l) => l !== '').slice(1).map((l) => l.trim().split(/\s+/)[1]);
    assert.deepEqual(providers.slice(0, 16), [...Array(3).fill('dtrace'), ...Array(13).fill('profile')]);
    assert.ok(providers.includes('syscall'));
  });
});

describe('-x and option flags', () => {
  it('rejects an unknown option and a bad value the way dtrace(1) does', async () => {
    assert.deepEqual(await dtvm(['-x', 'nosuchoption', '-n', 'BEGIN']), { status: 1, stdout: '', stderr: 'dtrace: failed to set -x nosuchoption: Invalid option name\n' });
    assert.equal((await dtvm(['-x', 'bufsize=4q', '-n', 'BEGIN'])).stderr, 'dtrace: failed to set -x bufsize: Invalid value for specified option\n');
  });
  it('-q silences the matched notice', async () => {
    assert.equal((await dtvm(['-q', '-n', 'BEGIN'])).stderr, '');
  });
  it('-v reports stability attributes', async () => {
    const r = await dtvm(['-v', '-e', '-s', scriptFile('BEGIN { trace(1); }\n', 'v.d')]);
    assert.match(r.stderr, /^Stability attributes for script .*v\.d:\n\n\tMinimum Probe Description Attributes\n\t\tIdentifier Names: Evolving\n/);
  });
  it('usage errors exit 2', async () => {
    assert.equal((await dtvm([])).status, 2);
    assert.equal((await dtvm(['-k'])).status, 2);
  });
});

describe('destructive actions', () => {
  it('are refused without -w, as when dtrace enables the program', async () => {
    const r = await dtvm(['-n', 'BEGIN { system("date"); }']);
    assert.deepEqual([r.status, r.stderr], [1, 'dtrace: could not enable tracing: Destructive actions not allowed\n']);
  });
  it('are allowed with -w or #pragma D option destructive', async () => {
    assert.equal((await dtvm(['-w', '-e', '-n', 'BEGIN { system("date"); }'])).status, 0);
    assert.equal((await dtvm(['-e', '-s', scriptFile('#pragma D option destructive\nBEGIN { raise(9); }\n')])).status, 0);
  });
});

describe('macro operands', () => {
  const text = 'BEGIN\n{\n\ttrace($1);\n}\n';
  it('substitutes operands after the script', async () => {
    assert.equal((await dtvm(['-e', '-s', scriptFile(text), '42'])).status, 0);
  });
  it('reports a missing operand unless -x defaultargs', async () => {
    const file = scriptFile(text);
    assert.equal((await dtvm(['-e', '-x', 'errtags', '-s', file])).stderr, `dtrace: failed to compile script ${file}: [D_MACRO_UNDEF] line 3: macro argument $1 is not defined\n`);
    assert.equal((await dtvm(['-e', '-x', 'defaultargs', '-s', file])).status, 0);
  });
  it('reports an operand nothing references unless -x argref', async () => {
    const file = scriptFile(text);
    const r = await dtvm(['-e', '-x', 'errtags', '-s', file, '1', 'two']);
    assert.match(r.stderr, /\[D_MACRO_UNUSED\] .*extraneous argument 'two' \(\$2 is not referenced\)\n$/);
    assert.equal((await dtvm(['-e', '-x', 'argref', '-s', file, '1', 'two'])).status, 0);
  });
});

describe('scripts', () => {
  it('runs the C preprocessor with -C, -D and -U', async () => {
    const file = scriptFile('#if WANT\nBEGIN { trace(LIMIT); }\n#else\nBEGIN { trace(unknown_var); }\n#endif\n');
    assert.equal((await dtvm(['-C', '-D', 'WANT', '-D', 'LIMIT=5', '-e', '-s', file])).stderr, '');
    const r = await dtvm(['-C', '-e', '-x', 'errtags', '-s', file]);
    assert.equal(r.stderr, `dtrace: failed to compile script ${file}: [D_IDENT_UNDEF] line 4: failed to resolve unknown_var: Unknown variable name\n`);
  });
  it('without -C a cpp directive is an invalid control directive', async () => {
    const file = scriptFile('#include <stdio.h>\nBEGIN { trace(1); }\n');
    assert.equal((await dtvm(['-e', '-x', 'errtags', '-s', file])).stderr, `dtrace: failed to compile script ${file}: [D_PRAGCTL_INVAL] line 1: invalid control directive: #include\n`);
  });
  it('ignores a #! interpreter line', async () => {
    assert.equal((await dtvm(['-e', '-s', scriptFile('#!/usr/sbin/dtrace -qs\nBEGIN { trace(1); }\n')])).status, 0);
  });
});

describe('providers described by data', () => {
  const file = 'test/fixtures/catalogues/freebsd-sample.json';
  it('lists and types the probes of a --providers file', async () => {
    const r = await dtvm(['--providers', file, '-l', '-n', 'syscall::read:']);
    assert.equal(
      r.stdout,
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
        '   17    syscall           freebsd                              read entry\n' +
        '   18    syscall           freebsd                              read return\n',
    );
    const bad = await dtvm(['--providers', file, '-e', '-n', 'syscall::read:entry { trace(args[9]); }']);
    assert.equal(bad.stderr, 'dtrace: invalid probe specifier syscall::read:entry { trace(args[9]); }: in action list: index 9 is out of range for syscall::read:entry args[ ]\n');
  });
  it('names the file and the JSON path of a bad provider file', async () => {
    const r = await dtvm(['--providers', 'test/fixtures/catalogues/bad-json.json', '-n', 'BEGIN']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^dtvm: test\/fixtures\/catalogues\/bad-json\.json: \$: not valid JSON: /);
  });
});
