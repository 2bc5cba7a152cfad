import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { atoi, strtoull } from '../../server/src/analyze/options/cNumbers.ts';
import {
  applyCliFlag,
  applyCliOption,
  applyPragmaOption,
  checkPragmaOptionWords,
  classifyPragmaWord,
  cliFlagFailure,
  cliOptionFailure,
  DTRACE_EXIT_ERROR,
  pragmaOptionFailure,
  splitOptionArgument,
  tokenizePragmaArguments,
} from '../../server/src/analyze/options/optionMessages.ts';
import { OptionSet } from '../../server/src/analyze/options/optionSet.ts';
import {
  BOOL_OPTIONS,
  ENUM_OPTIONS,
  FLAG_OPTIONS,
  INT_OPTIONS,
  LIST_OPTIONS,
  OPTIONS,
  SIZE_OPTIONS,
  SWITCH_OPTIONS,
  TEXT_OPTIONS,
  TIME_OPTIONS,
  optionSpec,
} from '../../server/src/analyze/options/optionTable.ts';
import {
  D_VERSIONS,
  DTRACEOPT_UNSET,
  OPTION_ERROR_TEXT,
  parseRate,
  parseSize,
} from '../../server/src/analyze/options/optionValues.ts';

const BADVAL = 'Invalid value for specified option';
const BADNAME = 'Invalid option name';
const BADCTX = 'Option cannot be used from within a D program';

function accepts(name: string, value: string | undefined, set = new OptionSet()): OptionSet {
  assert.deepEqual(set.set(name, value), { ok: true }, `${name}=${value} should be accepted`);
  return set;
}

function rejects(name: string, value: string | undefined, reason = BADVAL, ctx = {}): void {
  const r = new OptionSet().set(name, value, ctx);
  assert.equal(r.ok, false, `${name}=${value} should be rejected`);
  if (!r.ok) assert.equal(r.reason, reason);
}

function rawAfter(name: 'bufsize' | 'strsize' | 'switchrate' | 'quiet' | 'cpu' | 'nspec', value: string | undefined): bigint {
  return accepts(name, value).raw(name);
}

describe('option table', () => {
  // Section 8 of the team reference names these; each must exist or `-x` of it would be refused.
  const RUNTIME = [
    'aggsize', 'bufpolicy', 'bufresize', 'bufsize', 'cleanrate', 'cpu', 'destructive', 'dynvarsize', 'grabanon',
    'jstackframes', 'jstackstrsize', 'nspec', 'specsize', 'stackframes', 'statusrate', 'strsize', 'temporal',
    'ustackframes',
  ];
  const DYNAMIC = [
    'agghist', 'aggpack', 'aggrate', 'aggsortkey', 'aggsortkeypos', 'aggsortpos', 'aggsortrev', 'aggzoom',
    'flowindent', 'quiet', 'rawbytes', 'stackindent', 'switchrate',
  ];
  const COMPILE = [
    'aggpercpu', 'amin', 'argref', 'core', 'cpp', 'cpphdrs', 'cpppath', 'ctypes', 'debug', 'defaultargs', 'define',
    'droptags', 'dtypes', 'empty', 'encoding', 'errtags', 'evaltime', 'incdir', 'iregs', 'kdefs', 'knodefs', 'late',
    'lazyload', 'ldpath', 'libdir', 'linkmode', 'linktype', 'nolibs', 'objcopypath', 'oformat', 'pgmax', 'pspec', 'setenv',
    'stdc', 'strip', 'syslibdir', 'tree', 'tregs', 'udefs', 'undef', 'unodefs', 'unsetenv', 'verbose', 'version',
    'zdefs',
  ];

  it('holds exactly the run-time, dynamic and compile-time options, each once', () => {
    const names = OPTIONS.map((o) => o.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(OPTIONS.filter((o) => o.class === 'runtime').map((o) => o.name).sort(), RUNTIME);
    assert.deepEqual(OPTIONS.filter((o) => o.class === 'dynamic').map((o) => o.name).sort(), DYNAMIC);
    assert.deepEqual(OPTIONS.filter((o) => o.class === 'compile').map((o) => o.name).sort(), COMPILE);
    assert.equal(OPTIONS.length, 76);
  });

  it('gives each option the value kind of its libdtrace parser', () => {
    const kindOf = (n: string) => optionSpec(n)!.kind;
    for (const n of SIZE_OPTIONS) assert.equal(kindOf(n), 'size', n);
    for (const n of TIME_OPTIONS) assert.equal(kindOf(n), 'time', n);
    for (const n of BOOL_OPTIONS) assert.equal(kindOf(n), 'bool', n);
    for (const n of INT_OPTIONS) assert.equal(kindOf(n), 'int', n);
    for (const n of ENUM_OPTIONS) assert.equal(kindOf(n), 'enum', n);
    for (const n of TEXT_OPTIONS) assert.equal(kindOf(n), 'string', n);
    for (const n of LIST_OPTIONS) assert.equal(kindOf(n), 'string', n);
    for (const n of SWITCH_OPTIONS) assert.equal(kindOf(n), 'none', n);
    const grouped = [SIZE_OPTIONS, TIME_OPTIONS, BOOL_OPTIONS, INT_OPTIONS, ENUM_OPTIONS, TEXT_OPTIONS, LIST_OPTIONS, SWITCH_OPTIONS];
    assert.equal(grouped.reduce((n, g) => n + g.length, 0), OPTIONS.length);
  });

  it('lists the words of every enum option', () => {
    const words = Object.fromEntries(ENUM_OPTIONS.map((n) => [n, optionSpec(n)!.words]));
    assert.deepEqual(words, {
      bufpolicy: ['ring', 'fill', 'switch'],
      bufresize: ['auto', 'manual'],
      encoding: ['ascii', 'utf8'],
      evaltime: ['exec', 'preinit', 'postinit', 'main'],
      late: ['dynamic', 'static'],
      linkmode: ['kernel', 'primary', 'dynamic', 'static'],
      linktype: ['elf', 'dof'],
      stdc: ['a', 'c', 's', 't'],
    });
  });

  it('maps the dtrace(1) flags to their options', () => {
    assert.deepEqual(Object.fromEntries([...FLAG_OPTIONS].sort()), {
      '-C': 'cpp',
      '-D': 'define',
      '-F': 'flowindent',
      '-H': 'cpphdrs',
      '-I': 'incdir',
      '-L': 'libdir',
      '-S': 'verbose',
      '-U': 'undef',
      '-X': 'stdc',
      '-Z': 'zdefs',
      '-a': 'grabanon',
      '-b': 'bufsize',
      '-q': 'quiet',
      '-w': 'destructive',
    });
  });

  it('describes and documents the default of every option', () => {
    for (const o of OPTIONS) {
      assert.ok(o.description.length > 10 && !o.description.includes('\n'), o.name);
      assert.ok(o.defaultText.length > 0, o.name);
    }
    assert.equal(optionSpec('cleanrate')!.defaultText, '101hz');
    assert.equal(optionSpec('specsize')!.defaultText, '32k');
    assert.equal(optionSpec('objcopypath')!.platform, 'FreeBSD');
  });
});

describe('defaults', () => {
  const set = new OptionSet();

  it('sizes: dtrace(1) buffers and kernel defaults', () => {
    assert.equal(set.bytes('bufsize'), 4 * 1024 * 1024);
    assert.equal(set.bytes('aggsize'), 4 * 1024 * 1024);
    assert.equal(set.bytes('dynvarsize'), 1024 * 1024);
    assert.equal(set.bytes('strsize'), 256);
    assert.equal(set.bytes('specsize'), 32 * 1024);
    assert.equal(set.bytes('jstackstrsize'), 512);
  });

  it('rates: 101 Hz cleaning, 1 Hz for the rest', () => {
    assert.equal(set.nanoseconds('cleanrate'), 9_900_990);
    assert.equal(set.nanoseconds('statusrate'), 1_000_000_000);
    assert.equal(set.nanoseconds('switchrate'), 1_000_000_000);
    assert.equal(set.nanoseconds('aggrate'), 1_000_000_000);
  });

  it('counts', () => {
    assert.equal(set.integer('nspec'), 1);
    assert.equal(set.integer('stackframes'), 20);
    assert.equal(set.integer('ustackframes'), 20);
    assert.equal(set.integer('jstackframes'), 50);
    assert.equal(set.integer('stackindent'), 14);
    assert.equal(set.integer('cpu'), -1);
    assert.equal(set.integer('iregs'), 8);
    assert.equal(set.integer('tregs'), 8);
    assert.equal(set.integer('pgmax'), 8);
    assert.equal(set.integer('tree'), 0);
    assert.equal(set.integer('aggsortpos'), undefined);
    assert.equal(set.integer('aggsortkeypos'), undefined);
  });

  it('booleans: all unset except temporal, which dtrace(1) turns on', () => {
    for (const n of BOOL_OPTIONS) assert.equal(set.flag(n), n === 'temporal', n);
    assert.equal(set.raw('quiet'), DTRACEOPT_UNSET);
    assert.equal(set.raw('temporal'), 1n);
  });

  it('switches: all off except kdefs and udefs', () => {
    for (const n of SWITCH_OPTIONS) assert.equal(set.flag(n), n === 'kdefs' || n === 'udefs', n);
  });

  it('enums', () => {
    assert.deepEqual(
      Object.fromEntries(ENUM_OPTIONS.map((n) => [n, set.word(n)])),
      {
        bufpolicy: 'switch',
        bufresize: 'auto',
        encoding: undefined,
        evaltime: 'postinit',
        late: 'static',
        linkmode: 'kernel',
        linktype: 'elf',
        stdc: 'a',
      },
    );
  });

  it('text and lists', () => {
    assert.deepEqual(
      Object.fromEntries(TEXT_OPTIONS.map((n) => [n, set.text(n)])),
      {
        amin: undefined,
        cpppath: 'cpp',
        ctypes: undefined,
        dtypes: undefined,
        ldpath: 'ld',
        objcopypath: 'objcopy',
        oformat: undefined,
        syslibdir: '/usr/lib/dtrace',
        version: '1.13',
      },
    );
    for (const n of LIST_OPTIONS) assert.deepEqual(set.list(n), [], n);
  });

  it('without dtrace(1), buffers and temporal are unset', () => {
    const bare = new OptionSet({ commandDefaults: false });
    assert.equal(bare.bytes('bufsize'), undefined);
    assert.equal(bare.bytes('aggsize'), undefined);
    assert.equal(bare.flag('temporal'), false);
    assert.equal(bare.bytes('strsize'), 256);
  });

  it('defaults are not explicit settings', () => {
    for (const o of OPTIONS) assert.equal(set.explicitlySet(o.name), false, o.name);
    assert.deepEqual(set.explicitNames(), []);
  });
});

describe('size values', () => {
  it('accepts every suffix in either case, each a factor of 1024', () => {
    const cases: [string, bigint][] = [
      ['0', 0n],
      ['1', 1n],
      ['300', 300n],
      ['1k', 1024n],
      ['1K', 1024n],
      ['3m', 3n << 20n],
      ['3M', 3n << 20n],
      ['2g', 2n << 30n],
      ['2G', 2n << 30n],
      ['5t', 5n << 40n],
      ['5T', 5n << 40n],
    ];
    for (const [text, bytes] of cases) assert.equal(rawAfter('bufsize', text), bytes, text);
  });

  it('reads the number as C does: hex, octal, leading blanks and sign', () => {
    assert.equal(rawAfter('bufsize', '0x10'), 16n);
    assert.equal(rawAfter('bufsize', '0x10k'), 16n * 1024n);
    assert.equal(rawAfter('bufsize', '010'), 8n);
    assert.equal(rawAfter('bufsize', '010m'), 8n << 20n);
    assert.equal(rawAfter('bufsize', ' 4m'), 4n << 20n);
    assert.equal(rawAfter('bufsize', '+4m'), 4n << 20n);
    assert.equal(rawAfter('bufsize', '-0'), 0n);
  });

  it('wraps at 64 bits and only refuses a negative result', () => {
    assert.equal(rawAfter('bufsize', '16777216t'), 0n);
    assert.equal(rawAfter('bufsize', '8388607t'), (1n << 63n) - (1n << 40n));
    rejects('bufsize', '8388608t');
    rejects('bufsize', '9223372036854775808');
    rejects('bufsize', '18446744073709551616');
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'k', 'm', '4q', '4mb', '4 m', '4m ', '4kk', '1.5m', '-1', '-1k', '08', '0x', 'four', '4e3']) {
      rejects('bufsize', bad);
    }
  });

  it('a missing value means 0', () => {
    assert.equal(rawAfter('bufsize', undefined), 0n);
  });

  it('every size option uses the same rules', () => {
    for (const n of SIZE_OPTIONS) {
      const s = accepts(n, '2k');
      assert.equal(s.bytes(n), 2048, n);
      rejects(n, '2q');
    }
  });

  it('strsize must fit an unsigned int', () => {
    assert.equal(rawAfter('strsize', '4294967295'), 4294967295n);
    assert.equal(rawAfter('strsize', '1k'), 1024n);
    rejects('strsize', '4g', 'Value too large to be stored in data type');
    rejects('strsize', '4294967296', 'Value too large to be stored in data type');
    rejects('strsize', 'x');
  });

  it('parseSize is exported for reuse', () => {
    assert.deepEqual(parseSize('64k'), { ok: true, value: 65536n });
    assert.deepEqual(parseSize('64z'), { ok: false, code: 'EDT_BADOPTVAL' });
  });
});

describe('time and rate values', () => {
  it('accepts every unit in any case', () => {
    const cases: [string, bigint][] = [
      ['7ns', 7n],
      ['7nsec', 7n],
      ['7us', 7_000n],
      ['7usec', 7_000n],
      ['7ms', 7_000_000n],
      ['7msec', 7_000_000n],
      ['7s', 7_000_000_000n],
      ['7sec', 7_000_000_000n],
      ['7m', 420_000_000_000n],
      ['7min', 420_000_000_000n],
      ['7h', 25_200_000_000_000n],
      ['7hour', 25_200_000_000_000n],
      ['7d', 604_800_000_000_000n],
      ['7day', 604_800_000_000_000n],
      ['7MS', 7_000_000n],
      ['7Sec', 7_000_000_000n],
      ['7HOUR', 25_200_000_000_000n],
    ];
    for (const [text, ns] of cases) assert.equal(rawAfter('switchrate', text), ns, text);
  });

  it('a bare number is nanoseconds', () => {
    assert.equal(rawAfter('switchrate', '250'), 250n);
    assert.equal(rawAfter('switchrate', '0x100'), 256n);
  });

  it('hz is a frequency turned into its period, truncated', () => {
    assert.equal(rawAfter('switchrate', '1hz'), 1_000_000_000n);
    assert.equal(rawAfter('switchrate', '101hz'), 9_900_990n);
    assert.equal(rawAfter('switchrate', '3hz'), 333_333_333n);
    assert.equal(rawAfter('switchrate', '10HZ'), 100_000_000n);
    assert.equal(rawAfter('switchrate', '2000000000hz'), 0n);
    assert.equal(rawAfter('switchrate', '0hz'), 0n);
  });

  it('takes a unit without a number, or nothing at all, as 0', () => {
    assert.equal(rawAfter('switchrate', 's'), 0n);
    assert.equal(rawAfter('switchrate', 'hz'), 0n);
    assert.equal(rawAfter('switchrate', ''), 0n);
    assert.equal(rawAfter('switchrate', undefined), 0n);
  });

  it('refuses unknown units, blanks before the unit and negative numbers', () => {
    for (const bad of ['5x', '5 s', '5s ', '5seconds', '5k', '-1s', '-1', '1.5s', '5hzz', '18446744073709551616']) {
      rejects('switchrate', bad);
    }
  });

  it('wraps a product that overflows, as libdtrace does', () => {
    assert.deepEqual(parseRate('1000000000000d'), { ok: true, value: BigInt.asIntN(64, 1_000_000_000_000n * 86_400_000_000_000n) });
  });

  it('every time option uses the same rules', () => {
    for (const n of TIME_OPTIONS) {
      const s = accepts(n, '50ms');
      assert.equal(s.nanoseconds(n), 50_000_000, n);
      rejects(n, '50xs');
    }
  });
});

describe('boolean and count values', () => {
  it('accepts every yes/no word in any case', () => {
    for (const word of ['yes', 'enable', 'enabled', 'true', 'on', 'set', 'YES', 'On', 'TRUE']) {
      const s = accepts('quiet', word);
      assert.equal(s.raw('quiet'), 1n, word);
      assert.equal(s.flag('quiet'), true, word);
    }
    for (const word of ['no', 'disable', 'disabled', 'false', 'off', 'unset', 'NO', 'Off', 'False', '']) {
      const s = accepts('quiet', word);
      assert.equal(s.raw('quiet'), DTRACEOPT_UNSET, JSON.stringify(word));
      assert.equal(s.flag('quiet'), false, word);
    }
  });

  it('no value, or even 0, turns a boolean on', () => {
    assert.equal(rawAfter('quiet', undefined), 0n);
    assert.equal(accepts('quiet', undefined).flag('quiet'), true);
    assert.equal(accepts('quiet', '0').flag('quiet'), true);
  });

  it('takes a whole non-negative number in C syntax', () => {
    assert.equal(rawAfter('cpu', '3'), 3n);
    assert.equal(rawAfter('cpu', '0x10'), 16n);
    assert.equal(rawAfter('cpu', '010'), 8n);
    assert.equal(rawAfter('cpu', ' 2'), 2n);
    assert.equal(rawAfter('nspec', 'yes'), 1n);
    assert.equal(rawAfter('nspec', undefined), 0n);
    assert.equal(accepts('nspec', 'no').integer('nspec'), undefined);
  });

  it('refuses junk, negatives and overflow', () => {
    for (const bad of ['maybe', 'y', '1x', '2 ', '-1', '08', '1.0', '0x', '9223372036854775808', '18446744073709551616']) {
      rejects('cpu', bad);
    }
    rejects('quiet', 'maybe');
  });

  it('every boolean and dt_opt_runtime count uses the same rules', () => {
    for (const n of BOOL_OPTIONS) assert.equal(accepts(n, 'on').flag(n), true, n);
    for (const n of ['aggsortkeypos', 'aggsortpos', 'cpu', 'jstackframes', 'nspec', 'stackframes', 'stackindent', 'ustackframes'] as const) {
      assert.equal(accepts(n, '12').integer(n), 12, n);
      assert.equal(accepts(n, 'on').integer(n), 1, n);
      rejects(n, 'twelve');
    }
  });

  it('compiler register counts are read with atoi and must be positive', () => {
    assert.equal(accepts('iregs', '4').integer('iregs'), 4);
    assert.equal(accepts('iregs', '4abc').integer('iregs'), 4);
    assert.equal(accepts('tregs', ' +6').integer('tregs'), 6);
    assert.equal(accepts('tree', '8').integer('tree'), 8);
    for (const n of ['iregs', 'tregs', 'tree']) {
      rejects(n, '0');
      rejects(n, '-2');
      rejects(n, '0x10');
      rejects(n, 'abc');
      rejects(n, undefined);
    }
  });

  it('pgmax may be zero but not negative', () => {
    assert.equal(accepts('pgmax', '0').integer('pgmax'), 0);
    assert.equal(accepts('pgmax', 'abc').integer('pgmax'), 0);
    assert.equal(accepts('pgmax', '16').integer('pgmax'), 16);
    rejects('pgmax', '-1');
    rejects('pgmax', undefined);
  });
});

describe('enum, text and switch values', () => {
  it('accepts each enum word exactly as spelled', () => {
    for (const n of ENUM_OPTIONS) {
      for (const w of optionSpec(n)!.words!) assert.equal(accepts(n, w).word(n), w, `${n}=${w}`);
    }
    rejects('bufpolicy', 'SWITCH');
    rejects('bufpolicy', 'switch ');
    rejects('bufresize', 'Auto');
    rejects('evaltime', 'Main');
    rejects('linkmode', 'KERNEL');
    rejects('stdc', 'A');
    rejects('late', 'Dynamic');
    rejects('encoding', 'UTF8');
  });

  it('only linktype ignores case', () => {
    assert.equal(accepts('linktype', 'DOF').word('linktype'), 'dof');
    assert.equal(accepts('linktype', 'Elf').word('linktype'), 'elf');
    rejects('linktype', 'coff');
  });

  it('every enum needs a value', () => {
    for (const n of ENUM_OPTIONS) {
      rejects(n, undefined);
      rejects(n, '');
    }
  });

  it('switches refuse any value, even an empty one', () => {
    for (const n of SWITCH_OPTIONS) {
      if (n === 'droptags' || n === 'lazyload') continue;
      assert.equal(accepts(n, undefined).flag(n), true, n);
      rejects(n, '');
      rejects(n, '1');
      rejects(n, 'yes');
    }
  });

  it('droptags and lazyload ignore their value', () => {
    assert.equal(accepts('droptags', 'whatever').flag('droptags'), true);
    assert.equal(accepts('lazyload', '').flag('lazyload'), true);
  });

  it('kdefs/knodefs and udefs/unodefs undo each other', () => {
    const s = accepts('knodefs', undefined);
    assert.equal(s.flag('knodefs'), true);
    assert.equal(s.flag('kdefs'), false);
    accepts('kdefs', undefined, s);
    assert.equal(s.flag('knodefs'), false);
    assert.equal(s.flag('kdefs'), true);
    accepts('unodefs', undefined, s);
    assert.equal(s.flag('udefs'), false);
  });

  it('text options need a value but accept any, including empty', () => {
    // oformat takes only libxo's words: test/unit/consume-oformat-writers.test.ts.
    for (const n of ['cpppath', 'ctypes', 'dtypes', 'ldpath', 'objcopypath', 'syslibdir'] as const) {
      assert.equal(accepts(n, '/x/y').text(n), '/x/y', n);
      assert.equal(accepts(n, '').text(n), '', n);
      rejects(n, undefined);
    }
  });

  it('list options accumulate in order', () => {
    const s = accepts('define', 'FOO=1');
    accepts('define', 'BAR', s);
    accepts('incdir', '/inc', s);
    accepts('undef', 'BAZ', s);
    accepts('libdir', '/lib/d', s);
    assert.deepEqual(s.list('define'), ['FOO=1', 'BAR']);
    assert.deepEqual(s.list('incdir'), ['/inc']);
    assert.deepEqual(s.list('undef'), ['BAZ']);
    assert.deepEqual(s.list('libdir'), ['/lib/d']);
    for (const n of ['define', 'incdir', 'undef', 'libdir']) rejects(n, undefined);
  });

  it('setenv replaces, unsetenv removes, and unsetenv refuses =', () => {
    const s = accepts('setenv', 'A=1');
    accepts('setenv', 'B=2', s);
    accepts('setenv', 'A=3', s);
    assert.deepEqual(s.list('setenv'), ['B=2', 'A=3']);
    accepts('unsetenv', 'B', s);
    assert.deepEqual(s.list('setenv'), ['A=3']);
    assert.deepEqual(s.list('unsetenv'), ['A=3']);
    rejects('unsetenv', 'A=1');
    rejects('setenv', undefined);
    rejects('unsetenv', undefined);
  });

  it('amin takes stability attributes in any case, trailing parts optional', () => {
    assert.equal(accepts('amin', 'stable/evolving/isa').text('amin'), 'Stable/Evolving/ISA');
    assert.equal(accepts('amin', 'Unstable').text('amin'), 'Unstable/Standard/Common');
    assert.equal(accepts('amin', 'Private/Private').text('amin'), 'Private/Private/Common');
    assert.equal(accepts('amin', 'Evolving/').text('amin'), 'Evolving/Standard/Common');
    assert.equal(accepts('amin', '').text('amin'), 'Standard/Standard/Common');
    for (const bad of ['Solid', 'Stable//Common', 'Stable/Stable/Common/Stable', 'Common', 'Stable/Stable/Stable']) {
      rejects('amin', bad);
    }
    rejects('amin', undefined);
  });
});

describe('version option', () => {
  it('accepts every defined D version and normalizes it', () => {
    for (const v of D_VERSIONS) assert.equal(accepts('version', v).text('version'), v);
    assert.equal(accepts('version', '1').text('version'), '1.0');
    assert.equal(accepts('version', '1.').text('version'), '1.0');
    assert.equal(accepts('version', '1.2.0').text('version'), '1.2');
  });

  it('refuses malformed, unknown and raised versions with their own texts', () => {
    rejects('version', '1.2.3.4', 'Version is not properly formatted or is too large');
    rejects('version', 'v1.0', 'Version is not properly formatted or is too large');
    rejects('version', '256.0', 'Version is not properly formatted or is too large');
    rejects('version', '1.4096', 'Version is not properly formatted or is too large');
    rejects('version', '1.14', 'Requested version is not supported by compiler');
    rejects('version', '2.0', 'Requested version is not supported by compiler');
    rejects('version', '', 'Requested version is not supported by compiler');
    rejects('version', undefined);
    const s = accepts('version', '1.5');
    assert.deepEqual(s.set('version', '1.6'), {
      ok: false,
      reason: 'Requested version conflicts with earlier setting',
      code: 'EDT_VERSREDUCED',
    });
    accepts('version', '1.4', s);
    accepts('version', '1.4', s);
    assert.equal(s.text('version'), '1.4');
  });
});

describe('names, context and bookkeeping', () => {
  it('unknown and miscased names are refused', () => {
    for (const bad of ['bogus', 'Quiet', 'BUFSIZE', '', ' quiet', 'quiet ', 'sympath', 'buf-size']) {
      assert.deepEqual(new OptionSet().set(bad, '1'), { ok: false, reason: BADNAME, code: 'EDT_BADOPTNAME' }, bad);
    }
    assert.equal(new OptionSet().get('bogus'), undefined);
  });

  it('an unknown name is refused before its value is looked at', () => {
    assert.deepEqual(new OptionSet().set('nosuch', undefined, { tracing: true }), {
      ok: false,
      reason: BADNAME,
      code: 'EDT_BADOPTNAME',
    });
  });

  it('only run-time options are frozen while tracing, even with a bad value', () => {
    for (const o of OPTIONS.filter((x) => x.class === 'runtime')) {
      rejects(o.name, 'garbage!', 'Operation illegal when tracing is active', { tracing: true });
    }
    assert.deepEqual(new OptionSet().set('quiet', undefined, { tracing: true }), { ok: true });
    assert.deepEqual(new OptionSet().set('switchrate', '10hz', { tracing: true }), { ok: true });
    assert.deepEqual(new OptionSet().set('zdefs', undefined, { tracing: true }), { ok: true });
  });

  it('preprocessor, linker and environment options cannot come from a D program', () => {
    const inProgram = { fromProgram: true };
    for (const [n, v] of [
      ['cpphdrs', undefined],
      ['cpppath', '/bin/cpp'],
      ['define', 'X'],
      ['incdir', '/i'],
      ['undef', 'X'],
      ['ldpath', '/bin/ld'],
      ['objcopypath', '/bin/objcopy'],
      ['setenv', 'A=1'],
      ['unsetenv', 'A'],
      ['stdc', 't'],
    ] as const) {
      rejects(n, v, BADCTX, inProgram);
      accepts(n, v);
    }
    assert.deepEqual(new OptionSet().set('libdir', '/l', inProgram), { ok: true });
    assert.deepEqual(new OptionSet().set('bufsize', '8m', inProgram), { ok: true });
  });

  it('checks the value before the context except for setenv/unsetenv', () => {
    const inProgram = { fromProgram: true };
    rejects('cpphdrs', '1', BADVAL, inProgram);
    rejects('cpppath', undefined, BADVAL, inProgram);
    rejects('define', undefined, BADVAL, inProgram);
    rejects('stdc', undefined, BADVAL, inProgram);
    rejects('setenv', undefined, BADCTX, inProgram);
    rejects('unsetenv', 'A=1', BADCTX, inProgram);
  });

  it('a failed set changes nothing', () => {
    const s = new OptionSet();
    s.set('bufsize', '4q');
    s.set('strsize', '8g');
    assert.equal(s.bytes('bufsize'), 4 << 20);
    assert.equal(s.bytes('strsize'), 256);
    assert.equal(s.explicitlySet('bufsize'), false);
  });

  it('records explicit settings, including ones that restore the default', () => {
    const s = accepts('bufsize', '4m');
    accepts('quiet', undefined, s);
    accepts('unsetenv', 'X', s);
    assert.equal(s.explicitlySet('bufsize'), true);
    assert.equal(s.explicitlySet('unsetenv'), true);
    assert.equal(s.explicitlySet('setenv'), false);
    assert.deepEqual(s.explicitNames(), ['bufsize', 'quiet', 'unsetenv']);
  });

  it('getters of the wrong kind are programming errors', () => {
    const s = new OptionSet();
    assert.throws(() => s.word('bufsize' as never), TypeError);
    assert.throws(() => s.flag('bufpolicy' as never), TypeError);
  });

  it('every error code has its dt_error.c text', () => {
    assert.deepEqual(OPTION_ERROR_TEXT, {
      EDT_BADOPTNAME: 'Invalid option name',
      EDT_BADOPTVAL: 'Invalid value for specified option',
      EDT_BADOPTCTX: 'Option cannot be used from within a D program',
      EDT_ACTIVE: 'Operation illegal when tracing is active',
      EDT_VERSINVAL: 'Version is not properly formatted or is too large',
      EDT_VERSUNDEF: 'Requested version is not supported by compiler',
      EDT_VERSREDUCED: 'Requested version conflicts with earlier setting',
      EOVERFLOW: 'Value too large to be stored in data type',
    });
  });
});

describe('#pragma D option', () => {
  it('splits name and value at the first =', () => {
    assert.deepEqual(checkPragmaOptionWords(['quiet']), { ok: true, name: 'quiet', value: undefined });
    assert.deepEqual(checkPragmaOptionWords(['bufsize=16m']), { ok: true, name: 'bufsize', value: '16m' });
    assert.deepEqual(checkPragmaOptionWords(['define=A=B']), { ok: true, name: 'define', value: 'A=B' });
    assert.deepEqual(checkPragmaOptionWords(['strsize=']), { ok: true, name: 'strsize', value: '' });
  });

  it('needs exactly one identifier word', () => {
    const malformed = { ok: false, code: 'D_PRAGMA_MALFORM', message: 'malformed #pragma option <option>=<val>' };
    const superfluous = {
      ok: false,
      code: 'D_PRAGMA_MALFORM',
      message: 'superfluous arguments specified for #pragma option',
    };
    assert.deepEqual(checkPragmaOptionWords([]), malformed);
    assert.deepEqual(checkPragmaOptionWords(['"quiet"']), malformed);
    assert.deepEqual(checkPragmaOptionWords(['123']), malformed);
    assert.deepEqual(checkPragmaOptionWords(['0x1fUL']), malformed);
    assert.deepEqual(checkPragmaOptionWords(['"quiet"', 'x']), malformed);
    assert.deepEqual(checkPragmaOptionWords(['bufsize', '=', '4m']), superfluous);
    assert.deepEqual(checkPragmaOptionWords(['quiet', '"x"']), superfluous);
    assert.deepEqual(checkPragmaOptionWords(['quiet', '1']), superfluous);
    assert.deepEqual(checkPragmaOptionWords([{ kind: 'string', text: 'quiet' }]), malformed);
  });

  it('classifies words as the control-line lexer does', () => {
    assert.deepEqual(classifyPragmaWord('42'), { kind: 'int', text: '42' });
    assert.deepEqual(classifyPragmaWord('0XffLL'), { kind: 'int', text: '0XffLL' });
    assert.deepEqual(classifyPragmaWord('4m'), { kind: 'ident', text: '4m' });
    assert.deepEqual(classifyPragmaWord('"s p"'), { kind: 'string', text: 's p' });
    assert.deepEqual(classifyPragmaWord('a=b'), { kind: 'ident', text: 'a=b' });
  });

  it('tokenizes the rest of the line', () => {
    assert.deepEqual(tokenizePragmaArguments('  bufsize=4m\t'), { ok: true, words: [{ kind: 'ident', text: 'bufsize=4m' }] });
    assert.deepEqual(tokenizePragmaArguments('a "b c" 7'), {
      ok: true,
      words: [
        { kind: 'ident', text: 'a' },
        { kind: 'string', text: 'b c' },
        { kind: 'int', text: '7' },
      ],
    });
    assert.deepEqual(tokenizePragmaArguments('x"y"'), {
      ok: true,
      words: [
        { kind: 'ident', text: 'x' },
        { kind: 'string', text: 'y' },
      ],
    });
    assert.deepEqual(tokenizePragmaArguments('"a\\"b"'), { ok: true, words: [{ kind: 'string', text: 'a\\"b' }] });
    assert.deepEqual(tokenizePragmaArguments('"open'), {
      ok: false,
      code: 'D_STR_NL',
      message: 'newline encountered in string literal',
    });
    assert.deepEqual(tokenizePragmaArguments(''), { ok: true, words: [] });
  });

  it('formats D_PRAGMA_OPTSET with and without a value', () => {
    assert.equal(pragmaOptionFailure('foo', undefined, BADNAME), "failed to set option 'foo': Invalid option name");
    assert.equal(
      pragmaOptionFailure('bufsize', '4q', BADVAL),
      "failed to set option 'bufsize' to '4q': Invalid value for specified option",
    );
    assert.equal(pragmaOptionFailure('x', '', BADNAME), "failed to set option 'x' to '': Invalid option name");
  });

  it('applies the option from inside the program', () => {
    const s = new OptionSet();
    assert.deepEqual(applyPragmaOption(s, ['quiet']), { ok: true, name: 'quiet', value: undefined });
    assert.deepEqual(applyPragmaOption(s, ['switchrate=10hz']), { ok: true, name: 'switchrate', value: '10hz' });
    assert.equal(s.flag('quiet'), true);
    assert.equal(s.nanoseconds('switchrate'), 100_000_000);
    assert.deepEqual(applyPragmaOption(s, ['bogus']), {
      ok: false,
      code: 'D_PRAGMA_OPTSET',
      message: "failed to set option 'bogus': Invalid option name",
    });
    assert.deepEqual(applyPragmaOption(s, ['bufpolicy=wrap']), {
      ok: false,
      code: 'D_PRAGMA_OPTSET',
      message: "failed to set option 'bufpolicy' to 'wrap': Invalid value for specified option",
    });
    assert.deepEqual(applyPragmaOption(s, ['bufpolicy']), {
      ok: false,
      code: 'D_PRAGMA_OPTSET',
      message: "failed to set option 'bufpolicy': Invalid value for specified option",
    });
    assert.deepEqual(applyPragmaOption(s, ['cpp=1']), {
      ok: false,
      code: 'D_PRAGMA_OPTSET',
      message: "failed to set option 'cpp' to '1': Invalid value for specified option",
    });
    assert.deepEqual(applyPragmaOption(s, ['incdir=/usr/include']), {
      ok: false,
      code: 'D_PRAGMA_OPTSET',
      message: "failed to set option 'incdir' to '/usr/include': Option cannot be used from within a D program",
    });
    assert.deepEqual(applyPragmaOption(s, ['strsize=5g']), {
      ok: false,
      code: 'D_PRAGMA_OPTSET',
      message: "failed to set option 'strsize' to '5g': Value too large to be stored in data type",
    });
    assert.deepEqual(applyPragmaOption(s, ['version=9.9']), {
      ok: false,
      code: 'D_PRAGMA_OPTSET',
      message: "failed to set option 'version' to '9.9': Requested version is not supported by compiler",
    });
    assert.deepEqual(applyPragmaOption(s, ['bufsize=1m'], { tracing: true }), {
      ok: false,
      code: 'D_PRAGMA_OPTSET',
      message: "failed to set option 'bufsize' to '1m': Operation illegal when tracing is active",
    });
    assert.deepEqual(applyPragmaOption(s, ['quiet', 'extra']), {
      ok: false,
      code: 'D_PRAGMA_MALFORM',
      message: 'superfluous arguments specified for #pragma option',
    });
  });
});

describe('dtrace(1) command line', () => {
  it('splits -x arguments at the first =', () => {
    assert.deepEqual(splitOptionArgument('quiet'), { name: 'quiet', value: undefined });
    assert.deepEqual(splitOptionArgument('a=b=c'), { name: 'a', value: 'b=c' });
    assert.deepEqual(splitOptionArgument('=5'), { name: '', value: '5' });
    assert.deepEqual(splitOptionArgument('x='), { name: 'x', value: '' });
  });

  it('prints only the option name when -x fails, and exits 1', () => {
    assert.equal(DTRACE_EXIT_ERROR, 1);
    assert.equal(cliOptionFailure('bufsize', BADVAL), 'dtrace: failed to set -x bufsize: Invalid value for specified option');
    const s = new OptionSet();
    assert.deepEqual(applyCliOption(s, 'bufsize=4q'), {
      ok: false,
      message: 'dtrace: failed to set -x bufsize: Invalid value for specified option',
      exitStatus: 1,
    });
    assert.deepEqual(applyCliOption(s, 'nosuch=1'), {
      ok: false,
      message: 'dtrace: failed to set -x nosuch: Invalid option name',
      exitStatus: 1,
    });
    assert.deepEqual(applyCliOption(s, 'quiet=maybe', 'dtrace'), {
      ok: false,
      message: 'dtrace: failed to set -x quiet: Invalid value for specified option',
      exitStatus: 1,
    });
    assert.deepEqual(applyCliOption(s, 'version=1.0.1'), {
      ok: false,
      message: 'dtrace: failed to set -x version: Requested version is not supported by compiler',
      exitStatus: 1,
    });
  });

  it('the command line may set what a program may not', () => {
    const s = new OptionSet();
    assert.deepEqual(applyCliOption(s, 'define=DEBUG=1'), { ok: true });
    assert.deepEqual(applyCliOption(s, 'evaltime=main'), { ok: true });
    assert.deepEqual(applyCliOption(s, 'quiet'), { ok: true });
    assert.deepEqual(s.list('define'), ['DEBUG=1']);
    assert.equal(s.word('evaltime'), 'main');
    assert.equal(s.explicitlySet('quiet'), true);
  });

  it('flags echo their argument when they have one', () => {
    assert.equal(cliFlagFailure('-b', '4q', BADVAL), 'dtrace: failed to set -b 4q: Invalid value for specified option');
    assert.equal(cliFlagFailure('-q', undefined, BADVAL), 'dtrace: failed to set -q: Invalid value for specified option');
    const s = new OptionSet();
    assert.deepEqual(applyCliFlag(s, '-b', '4q'), {
      ok: false,
      message: 'dtrace: failed to set -b 4q: Invalid value for specified option',
      exitStatus: 1,
    });
    assert.deepEqual(applyCliFlag(s, '-X', 'z'), {
      ok: false,
      message: 'dtrace: failed to set -X z: Invalid value for specified option',
      exitStatus: 1,
    });
    assert.deepEqual(applyCliFlag(s, '-b', '16m'), { ok: true });
    assert.deepEqual(applyCliFlag(s, '-q'), { ok: true });
    assert.deepEqual(applyCliFlag(s, '-w'), { ok: true });
    assert.deepEqual(applyCliFlag(s, '-D', 'X'), { ok: true });
    assert.deepEqual(applyCliFlag(s, '-Z'), { ok: true });
    assert.equal(applyCliFlag(s, '-n', 'BEGIN'), undefined);
    assert.equal(s.bytes('bufsize'), 16 << 20);
    assert.equal(s.flag('quiet'), true);
    assert.equal(s.flag('destructive'), true);
    assert.equal(s.flag('zdefs'), true);
    assert.deepEqual(s.list('define'), ['X']);
  });
});

describe('C number conversions', () => {
  it('strtoull follows the BSD libc', () => {
    assert.deepEqual(strtoull('42'), { value: 42n, end: 2, errno: 0 });
    assert.deepEqual(strtoull('0x1F!'), { value: 31n, end: 4, errno: 0 });
    assert.deepEqual(strtoull('0x'), { value: 0n, end: 1, errno: 0 });
    assert.deepEqual(strtoull('017'), { value: 15n, end: 3, errno: 0 });
    assert.deepEqual(strtoull('-1'), { value: (1n << 64n) - 1n, end: 2, errno: 0 });
    assert.deepEqual(strtoull(''), { value: 0n, end: 0, errno: 'EINVAL' });
    assert.deepEqual(strtoull('  +'), { value: 0n, end: 0, errno: 'EINVAL' });
    assert.deepEqual(strtoull('99999999999999999999x'), { value: (1n << 64n) - 1n, end: 20, errno: 'ERANGE' });
  });

  it('atoi clamps to long, then truncates to int', () => {
    assert.equal(atoi('12abc'), 12);
    assert.equal(atoi('  -7'), -7);
    assert.equal(atoi('0x10'), 0);
    assert.equal(atoi(''), 0);
    assert.equal(atoi('4294967297'), 1);
    assert.equal(atoi('99999999999999999999'), -1);
  });
});
