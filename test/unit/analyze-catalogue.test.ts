import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import {
  ComposedCatalogue,
  GLOB_TOO_DEEP,
  PROBE_LIST_HEADER,
  ProviderFileError,
  compileFieldMatcher,
  createStandardCatalogue,
  dtraceProvider,
  formatProbeList,
  globMatch,
  isProbeDescriptionError,
  loadProviderFile,
  parseProbeDescription,
  parseAttribute,
  parseProfileProbeName,
  parseProviderFile,
  probeInfo,
  profileProvider,
  zeroMatchMessage,
  type ParseProbeDescriptionOptions,
  type Probe,
  type ProbeDescription,
  type ProbeTemplate,
  type ProviderAttributes,
} from '../../server/src/analyze/catalogue/index.ts';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'catalogues');

function desc(text: string, options?: ParseProbeDescriptionOptions): ProbeDescription {
  const d = parseProbeDescription(text, options);
  if (isProbeDescriptionError(d)) assert.fail(`unexpected error: ${d.error}`);
  return d;
}

function fields(provider: string, module: string, func: string, name: string): ProbeDescription {
  return { provider, module, function: func, name };
}

function parseError(text: string, options?: ParseProbeDescriptionOptions): string {
  const d = parseProbeDescription(text, options);
  if (!isProbeDescriptionError(d)) assert.fail(`expected an error for ${JSON.stringify(text)}`);
  return d.error;
}

const names = (probes: readonly Probe[]) => probes.map((p) => `${p.id} ${p.provider}:${p.module}:${p.function}:${p.name}`);

describe('probe description parsing', () => {
  it('fills fields from the right', () => {
    assert.deepEqual(desc('BEGIN'), fields('', '', '', 'BEGIN'));
    assert.deepEqual(desc('read:entry'), fields('', '', 'read', 'entry'));
    assert.deepEqual(desc('freebsd:read:entry'), fields('', 'freebsd', 'read', 'entry'));
    assert.deepEqual(desc('syscall:freebsd:read:entry'), fields('syscall', 'freebsd', 'read', 'entry'));
    assert.deepEqual(desc('syscall:::'), fields('syscall', '', '', ''));
    assert.deepEqual(desc(':::'), fields('', '', '', ''));
    assert.deepEqual(desc(''), fields('', '', '', ''));
    assert.deepEqual(desc('fbt::*read*:entry'), fields('fbt', '', '*read*', 'entry'));
  });

  it('rejects a fifth field with the compiler message', () => {
    assert.equal(
      parseError('a:b:c:d:e'),
      'invalid probe description "a:b:c:d:e": Overspecified probe description',
    );
    assert.equal(
      parseError(':::::a'),
      'invalid probe description ":::::a": Overspecified probe description',
    );
    const d = parseProbeDescription('a:b:c:d:e');
    assert.ok(isProbeDescriptionError(d));
    assert.equal(d.reason, 'Overspecified probe description');
  });

  it('never looks at the text before a leading colon, as DTrace does', () => {
    // DTrace stops when it reaches the first character, so the empty field before a leading
    // ':' is not a fifth field.
    assert.deepEqual(desc('::::a'), fields('', '', '', 'a'));
    assert.deepEqual(desc(':b:c:d:e'), fields('b', 'c', 'd', 'e'));
    assert.deepEqual(desc(':a'), fields('', '', '', 'a'));
  });

  it('enforces the field sizes in bytes, terminator included', () => {
    const ok = (n: number) => 'x'.repeat(n);
    assert.equal(desc(`${ok(63)}:::`).provider.length, 63);
    assert.equal(desc(`:${ok(63)}::`).module.length, 63);
    assert.equal(desc(`::${ok(191)}:`).function.length, 191);
    assert.equal(desc(`:::${ok(63)}`).name.length, 63);
    for (const text of [`${ok(64)}:::`, `:${ok(64)}::`, `::${ok(192)}:`, `:::${ok(64)}`]) {
      assert.equal(parseError(text), `invalid probe description "${text}": File name too long`);
    }
    // 'é' is two bytes in UTF-8: 31 of them plus one ASCII byte is 63 bytes, 32 is 64.
    assert.equal(desc(`${'é'.repeat(31)}x`).name, `${'é'.repeat(31)}x`);
    assert.match(parseError('é'.repeat(32)), /File name too long$/);
  });

  it('takes the rightmost field as the one the option names (dtrace -P, -m, -f)', () => {
    assert.deepEqual(desc('syscall', { spec: 'provider' }), fields('syscall', '', '', ''));
    assert.deepEqual(desc('syscall:freebsd', { spec: 'module' }), fields('syscall', 'freebsd', '', ''));
    assert.deepEqual(desc('freebsd:read', { spec: 'function' }), fields('', 'freebsd', 'read', ''));
    assert.equal(
      parseError('a:b', { spec: 'provider' }),
      'invalid probe description "a:b": Overspecified probe description',
    );
  });

  it('expands $ macros per field', () => {
    const options = { argv: ['x.d', 'read', 'y'.repeat(64)], macros: new Map([['target', 1234]]) };
    assert.deepEqual(desc('pid$target:::entry', options), fields('pid1234', '', '', 'entry'));
    assert.deepEqual(desc('pid$$target:::entry', options), fields('pid1234', '', '', 'entry'));
    assert.deepEqual(desc('syscall::$1:entry', options), fields('syscall', '', 'read', 'entry'));
    assert.deepEqual(desc('syscall::$$1:entry', options), fields('syscall', '', 'read', 'entry'));
    assert.deepEqual(desc('syscall::$1v:entry', options), fields('syscall', '', 'readv', 'entry'));
    assert.deepEqual(desc('$0', options), fields('', '', '', 'x.d'));
    const undefinedMacro = (text: string) =>
      `invalid probe description "${text}": Undefined macro variable in probe description`;
    for (const text of ['syscall::$3:entry', 'pid$pid:::', 'a$', 'a$$', 'p$99999999999999999999:::']) {
      assert.equal(parseError(text, options), undefinedMacro(text));
    }
    assert.equal(parseError('pid$target:::'), undefinedMacro('pid$target:::'));
    // The expanded value counts against the field size.
    assert.equal(
      parseError('$2:::', options),
      'invalid probe description "$2:::": File name too long',
    );
  });

  it('formats the zero-match message', () => {
    assert.equal(
      zeroMatchMessage(desc('foo:::bar')),
      'probe description foo:::bar does not match any probes',
    );
  });
});

describe('glob matching', () => {
  const yes = (s: string, p: string) => assert.equal(globMatch(s, p), 1, `${p} should match ${JSON.stringify(s)}`);
  const no = (s: string, p: string) => assert.equal(globMatch(s, p), 0, `${p} should not match ${JSON.stringify(s)}`);

  it('* matches any run, including none', () => {
    yes('', '*');
    yes('anything', '*');
    yes('read', 'r*');
    yes('r', 'r*');
    yes('pread', '*read');
    yes('readv', '*ea*');
    no('write', '*ea*');
    yes('abc', 'a**c');
    no('ab', 'a*c');
  });

  it('? matches exactly one character', () => {
    yes('abc', 'a?c');
    no('ac', 'a?c');
    no('abbc', 'a?c');
    no('', '?');
  });

  it('sets, ranges and negation', () => {
    yes('b', '[abc]');
    no('d', '[abc]');
    yes('b', '[a-c]');
    no('d', '[a-c]');
    yes('d', '[!a-c]');
    no('b', '[!a-c]');
    no('', '[a-c]');
    no('', '[!a]');
    yes('-', '[a-]'); // a '-' before ']' is a member
    yes('-', '[-a]'); // so is a leading one
    yes(']', '[]a]'); // a ']' right after '[' is a member
    yes('a', '[!]]');
    no(']', '[!]]');
    yes('d', '[a-c-e]'); // after a range, '-' extends from its end
    yes('a', '[z-a]'); // a reversed range holds only its end character
    no('m', '[z-a]');
    no('a', '[!z-a]');
    yes('m', '[!z-a]');
  });

  it('backslash escapes, in and out of sets', () => {
    yes('a*', 'a\\*');
    no('ab', 'a\\*');
    yes('?', '\\?');
    no('x', '\\?');
    yes(']', '[a\\]]');
    yes('-', '[a\\-z]');
    no('m', '[a\\-z]');
  });

  it('unterminated sets and trailing backslashes match nothing', () => {
    no('[ab', '[ab');
    no('a', '[ab');
    no('a', 'a\\');
    no('a\\', 'a\\');
    no('x', '*[');
  });

  it('decides exact and empty patterns the kernel way', () => {
    const empty = compileFieldMatcher('');
    assert.equal(empty.kind, 'any');
    assert.equal(empty.match('whatever'), 1);
    const exact = compileFieldMatcher('a]!');
    assert.equal(exact.kind, 'exact'); // '!' and ']' alone are not metacharacters
    assert.equal(exact.match('a]!'), 1);
    assert.equal(exact.match('a]'), 0);
    assert.equal(compileFieldMatcher('a\\b').kind, 'glob');
    assert.equal(compileFieldMatcher('a\\b').match('ab'), 1);
    assert.equal(compileFieldMatcher('a\\b').match('a\\b'), 0);
  });

  it('fails at more than 8 levels of * recursion, only once the match gets that deep', () => {
    const nine = '*a*b*c*d*e*f*g*h*i*';
    assert.equal(globMatch('abcdefghij', nine), -1);
    assert.equal(globMatch('xyz', nine), 0);
    assert.equal(compileFieldMatcher(nine).match('abcdefghij'), -1);
    assert.equal(compileFieldMatcher(nine).canHitDepthLimit, true);
    const eight = '*a*b*c*d*e*f*g*h*';
    assert.equal(globMatch('abcdefgh', eight), 1);
    assert.equal(compileFieldMatcher(eight).canHitDepthLimit, false);
  });

  it('compiled matchers agree with the reference algorithm on random patterns', () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pick = (alphabet: string, max: number) => {
      let s = '';
      for (let n = random(max + 1); n > 0; n--) s += alphabet[random(alphabet.length)];
      return s;
    };
    for (let k = 0; k < 3000; k++) {
      const pattern = pick('ab-]![*?\\', 7);
      const matcher = compileFieldMatcher(pattern);
      for (let j = 0; j < 8; j++) {
        const subject = pick('ab-]![*?\\', 6);
        const expected = pattern === '' ? 1 : globMatch(subject, pattern);
        const got = matcher.kind === 'exact' ? (subject === pattern ? 1 : 0) : matcher.match(subject);
        if (matcher.kind !== 'exact') assert.equal(got, expected, `${pattern} vs ${subject}`);
      }
    }
  });
});

describe('dtrace provider', () => {
  it('has BEGIN, END and ERROR as probes 1, 2 and 3 without argument types', () => {
    const c = createStandardCatalogue();
    assert.deepEqual(names(c.match(desc('dtrace:::'))), ['1 dtrace:::BEGIN', '2 dtrace:::END', '3 dtrace:::ERROR']);
    assert.deepEqual(names(c.match(desc('BEGIN'))), ['1 dtrace:::BEGIN']);
    assert.deepEqual(c.probe(3)?.args, []);
  });

  it('is not matched by an all-empty description, which needs a function', () => {
    const c = createStandardCatalogue([
      { name: 'fbt', probes: [{ module: 'kernel', function: 'read', name: 'entry' }] },
    ]);
    assert.deepEqual(names(c.match(desc(':::'))), ['17 fbt:kernel:read:entry']);
    assert.equal(c.match(desc('*:::')).length, 17);
  });
});

describe('profile provider', () => {
  const defaults = [
    'profile-97', 'profile-199', 'profile-499', 'profile-997', 'profile-1999', 'profile-4001',
    'profile-4999', 'tick-1', 'tick-10', 'tick-100', 'tick-500', 'tick-1000', 'tick-5000',
  ];

  it('lists its 13 default probes with empty module and function', () => {
    const c = createStandardCatalogue();
    const probes = c.match(desc('profile:::'));
    assert.deepEqual(probes.map((p) => p.name), defaults);
    assert.deepEqual(probes.map((p) => p.id), [...Array(13).keys()].map((i) => i + 4));
    assert.ok(probes.every((p) => p.module === '' && p.function === '' && p.args.length === 0));
  });

  it('creates a probe named in a description, once, with a fresh id', () => {
    const c = createStandardCatalogue();
    assert.deepEqual(names(c.match(desc('profile:::tick-1sec'))), ['17 profile:::tick-1sec']);
    assert.deepEqual(names(c.match(desc('tick-1sec'))), ['17 profile:::tick-1sec']);
    assert.deepEqual(names(c.match(desc('profile-10ms'))), ['18 profile:::profile-10ms']);
    assert.equal(c.size, 18);
  });

  it('accepts every unit, without case, and a bare number as hertz', () => {
    const ns = (name: string) => parseProfileProbeName(name)?.intervalNs;
    assert.equal(ns('tick-1sec'), 1_000_000_000n);
    assert.equal(ns('tick-1s'), 1_000_000_000n);
    assert.equal(ns('tick-1SEC'), 1_000_000_000n);
    assert.equal(ns('tick-200000ns'), 200_000n);
    assert.equal(ns('tick-200000nsec'), 200_000n);
    assert.equal(ns('tick-200us'), 200_000n);
    assert.equal(ns('tick-200usec'), 200_000n);
    assert.equal(ns('tick-10ms'), 10_000_000n);
    assert.equal(ns('tick-10msec'), 10_000_000n);
    assert.equal(ns('tick-2m'), 120_000_000_000n);
    assert.equal(ns('tick-2min'), 120_000_000_000n);
    assert.equal(ns('tick-1h'), 3_600_000_000_000n);
    assert.equal(ns('tick-1hour'), 3_600_000_000_000n);
    assert.equal(ns('tick-1d'), 86_400_000_000_000n);
    assert.equal(ns('tick-1day'), 86_400_000_000_000n);
    assert.equal(ns('tick-5000hz'), 200_000n);
    assert.equal(ns('profile-97'), 10_309_278n); // NANOSEC / 97, truncated
    assert.equal(parseProfileProbeName('profile-97')?.kind, 'profile');
    assert.equal(parseProfileProbeName('tick-97')?.kind, 'tick');
  });

  it('refuses intervals under 200 us, zero, and names of the wrong shape', () => {
    for (const name of [
      'tick-5001', 'tick-5001hz', 'tick-199us', 'tick-199999ns', 'profile-0', 'tick-00s', 'tick-',
      'tick-sec', 'tick-1x', 'tick-1.5s', 'profile-1a2', 'tick--1', 'tick-1 s', 'Tick-1', 'ticks-1',
      'tick-*', 'tick-1*', 'tick-[1]s', 'tick-?',
    ]) {
      assert.equal(parseProfileProbeName(name), undefined, name);
    }
    const c = createStandardCatalogue();
    assert.deepEqual(c.match(desc('profile:::tick-5001')), []);
    assert.equal(c.size, 16);
  });

  it('only matches listed or already created probes with a glob', () => {
    const c = createStandardCatalogue();
    assert.deepEqual(
      c.match(desc('profile:::tick-*')).map((p) => p.name),
      ['tick-1', 'tick-10', 'tick-100', 'tick-500', 'tick-1000', 'tick-5000'],
    );
    c.match(desc('tick-3s'));
    assert.deepEqual(c.match(desc('profile:::tick-?s')).map((p) => p.name), ['tick-3s']);
    assert.equal(c.size, 17);
  });

  it('creates from any description naming such a probe, even one that cannot match it', () => {
    const c = createStandardCatalogue();
    assert.deepEqual(c.match(desc('syscall:::tick-7')), []);
    assert.deepEqual(c.match(desc('profile:kernel::tick-8')), []);
    assert.deepEqual(names(c.list().probes.slice(16)), ['17 profile:::tick-7', '18 profile:::tick-8']);
    assert.deepEqual(names(c.match(desc('p*e:::tick-9'))), ['19 profile:::tick-9']);
  });

  it('stops creating probes at its maximum', () => {
    const c = new ComposedCatalogue([profileProvider({ maxProbes: 14 })]);
    assert.equal(c.match(desc('tick-2')).length, 1);
    assert.equal(c.match(desc('tick-3')).length, 0);
    assert.equal(c.size, 14);
  });
});

describe('composed catalogue', () => {
  const probe = (module: string, func: string, name: string): ProbeTemplate => ({ module, function: func, name });

  it('a fork shares its providers until it adds a probe to one, then that provider is its own', () => {
    // An fbt-like provider that makes a function's entry probe when a description names one it lacks.
    const made: string[] = [];
    const onDemand = {
      name: 'fbt',
      probes: [probe('kernel', 'read', 'entry')],
      provide(d: { provider: string; function: string }, context: { find(m: string, f: string, n: string): unknown; probes: readonly unknown[] }): ProbeTemplate[] {
        if (d.provider !== 'fbt' || d.function === '' || context.find('kernel', d.function, 'entry') !== undefined) return [];
        made.push(`${d.function} (${context.probes.length} before)`);
        return [probe('kernel', d.function, 'entry')];
      },
    };
    // Return probes so that matches go through the index lists (shorter than the list of all probes).
    const returns = ['read', 'write', 'open', 'close', 'stat'].map((f) => probe('freebsd', f, 'return'));
    const base = new ComposedCatalogue([{ name: 'syscall', probes: [probe('freebsd', 'read', 'entry')] }, onDemand, { name: 'proc', probes: returns }]);
    const fork = base.fork();
    assert.deepEqual(names(fork.match(desc('fbt::vn_write:entry'))), ['8 fbt:kernel:vn_write:entry']);
    // The fork finds the probe it made (no second one), and the original never saw it.
    assert.deepEqual(names(fork.match(desc('fbt::vn_write:entry'))), ['8 fbt:kernel:vn_write:entry']);
    assert.deepEqual(names(fork.match(desc('fbt:::entry'))), ['2 fbt:kernel:read:entry', '8 fbt:kernel:vn_write:entry']);
    assert.deepEqual(names(base.match(desc('fbt:::entry'))), ['2 fbt:kernel:read:entry']);
    assert.deepEqual(base.providerProbes('fbt').length, 1);
    // The original makes its own, with the same next id; the fork does not see it.
    assert.deepEqual(names(base.match(desc('fbt::vn_open:entry'))), ['8 fbt:kernel:vn_open:entry']);
    assert.deepEqual(names(fork.match(desc('fbt::vn_open:entry'))), ['9 fbt:kernel:vn_open:entry']);
    assert.deepEqual(made, ['vn_write (1 before)', 'vn_open (1 before)', 'vn_open (2 before)']);
    assert.deepEqual(names(fork.match(desc('syscall:::'))), ['1 syscall:freebsd:read:entry']);
    // Neither sees what the other added to the lists they shared (by provider, by name).
    assert.deepEqual(names(fork.match(desc('fbt:::entry'))), ['2 fbt:kernel:read:entry', '8 fbt:kernel:vn_write:entry', '9 fbt:kernel:vn_open:entry']);
    assert.deepEqual(names(base.match(desc('fbt:::entry'))), ['2 fbt:kernel:read:entry', '8 fbt:kernel:vn_open:entry']);
    const later = base.fork();
    assert.deepEqual(names(base.match(desc('fbt::vn_close:entry'))), ['9 fbt:kernel:vn_close:entry']);
    assert.deepEqual(names(later.match(desc(':::entry'))), ['1 syscall:freebsd:read:entry', '2 fbt:kernel:read:entry', '8 fbt:kernel:vn_open:entry']);
  });

  it('numbers probes in provider order and matches in id order', () => {
    const c = new ComposedCatalogue([
      dtraceProvider(),
      { name: 'syscall', probes: [probe('freebsd', 'read', 'entry'), probe('freebsd', 'read', 'return')] },
      { name: 'fbt', probes: [probe('kernel', 'read', 'entry'), probe('kernel', 'vn_read', 'entry')] },
    ]);
    assert.deepEqual(c.providers(), ['dtrace', 'syscall', 'fbt']);
    assert.deepEqual(names(c.match(desc('::read:entry'))), ['4 syscall:freebsd:read:entry', '6 fbt:kernel:read:entry']);
    assert.deepEqual(names(c.match(desc(':::entry'))), [
      '4 syscall:freebsd:read:entry',
      '6 fbt:kernel:read:entry',
      '7 fbt:kernel:vn_read:entry',
    ]);
    assert.deepEqual(names(c.match(desc('s*:[e-g]*::'))), ['4 syscall:freebsd:read:entry', '5 syscall:freebsd:read:return']);
    assert.deepEqual(c.match(desc('nosuch:::')), []);
    assert.equal(c.probe(5)?.name, 'return');
    assert.equal(c.probe(0), undefined);
    assert.equal(c.probe(99), undefined);
  });

  it('refuses duplicate and invalid provider names', () => {
    const c = new ComposedCatalogue([dtraceProvider()]);
    assert.throws(() => c.add(dtraceProvider()), { message: 'provider dtrace is already in the catalogue' });
    assert.throws(() => c.add({ name: '9p' }), { message: "failed to register provider '9p': invalid provider name" });
    assert.throws(() => c.add({ name: '' }), { message: "failed to register provider '': invalid provider name" });
  });

  it('lists until a glob recurses too deep, where enabling skips the probe', () => {
    const c = new ComposedCatalogue([
      { name: 'x', probes: [probe('', 'f', 'abc'), probe('', 'f', 'abcdefghij'), probe('', 'f', 'abz')] },
    ]);
    const deep = fields('', '', '', '*a*b*c*d*e*f*g*h*i*');
    assert.deepEqual(c.list(deep), { probes: [], error: GLOB_TOO_DEEP });
    assert.equal(GLOB_TOO_DEEP, 'Probe description has too many globbing characters');
    assert.deepEqual(c.match(deep), []);
    const partly = fields('', '', '', 'a[bz]*');
    assert.deepEqual(names(c.list(partly).probes), ['1 x::f:abc', '2 x::f:abcdefghij', '3 x::f:abz']);
    // A provider that fails first hides the deep name glob, as the kernel checks fields in order.
    assert.deepEqual(c.list(fields('y', '', '', '*a*b*c*d*e*f*g*h*i*')), { probes: [] });
  });

  it('matches 100k probes in a few milliseconds', () => {
    const templates: ProbeTemplate[] = [];
    for (let i = 0; i < 50_000; i++) {
      templates.push(probe(`mod${i % 300}`, `func_${i}_read`, 'entry'), probe(`mod${i % 300}`, `func_${i}_read`, 'return'));
    }
    const c = createStandardCatalogue([{ name: 'fbt', probes: templates }]);
    const cases: [ProbeDescription, number][] = [
      [desc('fbt::func_777_read:entry'), 1],
      [desc('fbt:mod1::'), 334],
      [desc('fbt::*_1234*:entry'), 11],
      [desc('f?t:mod[0-9]:*read:e*'), 1670],
      [desc('fbt::f*_[!0-4]*_r*d:'), 11_110],
      [desc(':::'), 100_000],
    ];
    // Correct counts on 100k probes; the speed is measured by `npm run bench`, not here.
    for (const [d, count] of cases) {
      assert.equal(c.match(d).length, count);
    }
  });
});

describe('provider files', () => {
  it('loads providers, attributes and typed arguments', async () => {
    const providers = await loadProviderFile(path.join(FIXTURES, 'freebsd-sample.json'));
    assert.deepEqual(providers.map((p) => p.name), ['syscall', 'proc', 'sdt_undescribed']);
    const c = createStandardCatalogue(providers);
    const [create] = c.match(desc('proc:::create'));
    assert.deepEqual(create.args, [
      { native: 'struct proc *', translated: 'psinfo_t *' },
      { native: 'struct proc *', translated: 'psinfo_t *' },
      { native: 'int' },
    ]);
    assert.deepEqual(c.providerAttributes('proc')?.provider, { name: 'Evolving', data: 'Evolving', class: 'ISA' });
    assert.deepEqual(names(c.match(desc('syscall::read:'))), ['17 syscall:freebsd:read:entry', '18 syscall:freebsd:read:return']);
    assert.deepEqual(c.providerAttributes('sdt_undescribed')?.args, { name: 'Private', data: 'Private', class: 'Unknown' });
  });

  it('reports every problem with the file and JSON path', async () => {
    const file = path.join(FIXTURES, 'bad-shapes.json');
    await assert.rejects(loadProviderFile(file), (e: unknown) => {
      assert.ok(e instanceof ProviderFileError);
      assert.deepEqual(
        e.problems.map((p) => `${path.basename(p.file)}: ${p.path}: ${p.message}`),
        [
          "bad-shapes.json: $.providers[0].name: failed to register provider '9lives': invalid provider name",
          'bad-shapes.json: $.providers[0].attributes.provider: expected "Name/Data/Class" (e.g. "Evolving/Evolving/Common"), got "Evolving/Evolving"',
          'bad-shapes.json: $.providers[0].attributes.args: expected "Name/Data/Class" (e.g. "Evolving/Evolving/Common"), got "Private/Bogus/ISA"',
          'bad-shapes.json: $.providers[0].probes[0].name: a probe name may not be empty',
          "bad-shapes.json: $.providers[0].probes[1].function: a probe function may not contain ':'",
          'bad-shapes.json: $.providers[0].probes[1].args[0]: expected a type name or an object with "native", got number 42',
          'bad-shapes.json: $.providers[0].probes[1].args[1]: missing "native"',
          'bad-shapes.json: $.providers[0].probes[1].args[2]: a type name may not be empty',
          'bad-shapes.json: $.providers[0].probes[2].arguments: unknown key "arguments" (expected "module", "function", "name", "args")',
          'bad-shapes.json: $.providers[0].probes[2]: missing "function"',
          'bad-shapes.json: $.providers[1].probes: expected an array, got the string "none"',
          'bad-shapes.json: $.providers[3].name: provider ok is already defined at $.providers[2]',
        ],
      );
      assert.equal(e.message.split('\n')[0], `${file}: $.providers[0].name: failed to register provider '9lives': invalid provider name`);
      return true;
    });
  });

  it('reports text that is not JSON', async () => {
    const file = path.join(FIXTURES, 'bad-json.json');
    await assert.rejects(loadProviderFile(file), (e: unknown) => {
      assert.ok(e instanceof ProviderFileError);
      assert.equal(e.problems.length, 1);
      assert.equal(e.problems[0].file, file);
      assert.equal(e.problems[0].path, '$');
      assert.match(e.problems[0].message, /^not valid JSON: /);
      return true;
    });
  });

  it('checks the top level, field sizes and key spelling', () => {
    const problems = (text: string) => {
      try {
        parseProviderFile(text, 'p.json');
      } catch (e) {
        assert.ok(e instanceof ProviderFileError);
        return e.problems.map((p) => `${p.path}: ${p.message}`);
      }
      return assert.fail('expected a ProviderFileError');
    };
    assert.deepEqual(problems('[]'), ['$: expected an object, got an array']);
    assert.deepEqual(problems('{}'), ['$: missing "providers"']);
    assert.deepEqual(problems('{"providers": [], "a b": 1}'), [
      '$["a b"]: unknown key "a b" (expected "providers", "description")',
    ]);
    const long = JSON.stringify({
      providers: [{ name: 'p', probes: [{ module: 'm'.repeat(64), function: 'f'.repeat(192), name: 'n'.repeat(64) }] }],
    });
    assert.deepEqual(problems(long), [
      '$.providers[0].probes[0].module: a probe module may not exceed 63 bytes',
      '$.providers[0].probes[0].function: a probe function may not exceed 191 bytes',
      '$.providers[0].probes[0].name: a probe name may not exceed 63 bytes',
    ]);
    assert.deepEqual(problems('{"providers": [{"name": "p", "probes": [{"module": 1, "function": "", "name": "n"}]}]}'), [
      '$.providers[0].probes[0].module: expected a string, got number 1',
    ]);
  });
});

describe('dtrace -l output', () => {
  it('prints the header and right-aligned columns', () => {
    const c = createStandardCatalogue([
      {
        name: 'syscall',
        probes: [{ module: 'freebsd', function: 'read', name: 'entry', args: [{ native: 'int' }] }],
      },
    ]);
    const out = formatProbeList([...c.match(desc('BEGIN')), ...c.match(desc('syscall:::')), ...c.match(desc('tick-1'))]);
    assert.equal(
      out,
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
        '    1     dtrace                                                     BEGIN\n' +
        '   17    syscall           freebsd                              read entry\n' +
        '   11    profile                                                     tick-1\n',
    );
    assert.equal(PROBE_LIST_HEADER, '   ID   PROVIDER            MODULE                          FUNCTION NAME\n');
    assert.equal(formatProbeList([]), PROBE_LIST_HEADER);
  });

  it('lets long fields and ids push the columns out, as printf does', () => {
    const p: Probe = {
      id: 123456,
      provider: 'javascript123',
      module: 'a-module-name-of-20c',
      function: 'a_function_name_that_is_longer_than_33',
      name: 'n',
      args: [],
    };
    assert.equal(
      formatProbeList([p]).split('\n')[1],
      '123456 javascript123 a-module-name-of-20c a_function_name_that_is_longer_than_33 n',
    );
    // Widths count bytes: 'é' takes two of the ten provider columns.
    assert.equal(formatProbeList([{ ...p, id: 1, provider: 'pé', module: '', function: '' }]).split('\n')[1].slice(0, 16), '    1        pé ');
  });

  it('adds attributes and argument types with -v', () => {
    const c = createStandardCatalogue([
      {
        name: 'proc',
        attributes: probeAttributes(),
        probes: [
          {
            module: 'kernel',
            function: '',
            name: 'create',
            args: [{ native: 'struct proc *', translated: 'psinfo_t *' }, { native: 'int' }],
          },
        ],
      },
    ]);
    const out = formatProbeList([...c.match(desc('BEGIN')), ...c.match(desc('proc:::create'))], true);
    assert.equal(
      out,
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
        '    1     dtrace                                                     BEGIN\n' +
        '\n' +
        '\tProbe Description Attributes\n' +
        '\t\tIdentifier Names: Stable\n' +
        '\t\tData Semantics:   Stable\n' +
        '\t\tDependency Class: Common\n' +
        '\n' +
        '\tArgument Attributes\n' +
        '\t\tIdentifier Names: Stable\n' +
        '\t\tData Semantics:   Stable\n' +
        '\t\tDependency Class: Common\n' +
        '\n' +
        '\tArgument Types\n' +
        '\t\tNone\n' +
        '\n' +
        '   17       proc            kernel                                   create\n' +
        '\n' +
        '\tProbe Description Attributes\n' +
        '\t\tIdentifier Names: Private\n' +
        '\t\tData Semantics:   Private\n' +
        '\t\tDependency Class: Unknown\n' +
        '\n' +
        '\tArgument Attributes\n' +
        '\t\tIdentifier Names: Evolving\n' +
        '\t\tData Semantics:   Evolving\n' +
        '\t\tDependency Class: ISA\n' +
        '\n' +
        '\tArgument Types\n' +
        '\t\targs[0]: psinfo_t *\n' +
        '\t\targs[1]: int\n' +
        '\n',
    );
  });

  it('computes description attributes from the fields given', () => {
    const attrs = probeAttributes();
    // A given module (Private/Private/Unknown) lowers everything; the empty function is skipped.
    assert.deepEqual(probeInfo(fields('proc', 'kernel', '', 'create'), attrs).attr, {
      name: 'Private',
      data: 'Private',
      class: 'Unknown',
    });
    assert.deepEqual(probeInfo(fields('proc', '', '', 'create'), attrs).attr, {
      name: 'Evolving',
      data: 'Evolving',
      class: 'ISA',
    });
    // An empty or glob provider uses Unstable/Unstable/Common throughout.
    for (const provider of ['', 'pr*']) {
      const info = probeInfo(fields(provider, 'kernel', '', 'create'), attrs);
      assert.deepEqual(info.attr, { name: 'Unstable', data: 'Unstable', class: 'Common' });
      assert.deepEqual(info.arga, { name: 'Unstable', data: 'Unstable', class: 'Common' });
    }
  });
});

function probeAttributes(): ProviderAttributes {
  const parse = (s: string) => parseAttribute(s) ?? assert.fail(s);
  return {
    provider: parse('Evolving/Evolving/ISA'),
    module: parse('Private/Private/Unknown'),
    function: parse('Private/Private/Unknown'),
    name: parse('Evolving/Evolving/ISA'),
    args: parse('Evolving/Evolving/ISA'),
  };
}
