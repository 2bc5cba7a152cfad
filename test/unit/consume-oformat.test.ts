// Structured output through the real command line (reference §10): `-x oformat=json` and `xml`
// (compact and `pretty`, as libxo writes them), `html`, our `ndjson`, trace/printf records,
// aggregations and their buckets, drops as the dtrace:INTERNAL:INTERNAL:DROP pseudo-probe, -O,
// exact 64-bit values and the option's value check. Replays test/fixtures/oformat/words.ndjson,
// whose wall clock starts at 1700000000 s, so every timestamp is known.
// Run: node --import tsx --test test/unit/consume-oformat.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm.ts';

const WORDS = 'test/fixtures/oformat/words.ndjson';
const TINY = 'test/fixtures/traces/tiny.ndjson';

/** The probe fields of a test:::words firing on `cpu` at `ts` (libxo compact JSON). */
function words(ts: string, cpu: number, output: string): string {
  return `{"timestamp":${ts},"cpu":${cpu},"id":17,"provider":"test","module":"","function":"","name":"words", "output": [${output}]}`;
}

/** The whole compact JSON document around the given probes instances. */
function jsonDocument(...probes: string[]): string {
  return `{"dtrace": {"probes": [${probes.join(', ')}]}\n}\n`;
}

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return dtvm([...args, '--trace', WORDS]);
}

describe('oformat=json (libxo compact)', () => {
  it('writes trace() values, printf messages with one value per argument, and a no-argument printf as value 0', async () => {
    const r = await run(['-x', 'oformat=json', '-n', 'test:::words /cpu == 1/ { trace(args[1]); trace(args[2]); printf("%s has %d", execname, args[3]); printf("done"); }']);
    assert.equal(r.status, 0);
    assert.equal(
      r.stdout,
      jsonDocument(words('1700000000.000001', 1, '{"value":9007199254740993}, {"value":-9223372036854775808}, {"message":"app has 3"}, {"value":"app"}, {"value":3}, {"message":"done"}, {"value":0}')),
    );
    assert.equal(r.stderr, "dtrace: description 'test:::words ' matched 1 probe\n");
  });

  it('keeps every 64-bit value exact, unsigned ones unsigned', async () => {
    const r = await run(['-x', 'oformat=json', '-n', 'test:::words { trace(args[0]); trace(args[1]); trace(args[2]); }']);
    assert.equal(
      r.stdout,
      jsonDocument(
        words('1700000000.000000', 0, '{"value":-1}, {"value":18446744073709551615}, {"value":-9007199254740993}'),
        words('1700000000.002500', 0, '{"value":5}, {"value":1}, {"value":2}'),
        words('1700000000.000001', 1, '{"value":9223372036854775807}, {"value":9007199254740993}, {"value":-9223372036854775808}'),
      ),
    );
    // The document is JSON; the digits beyond 2^53 are in the text as written.
    const parsed = JSON.parse(r.stdout) as { dtrace: { probes: { output: unknown[] }[] } };
    assert.equal(parsed.dtrace.probes.length, 3);
    for (const digits of ['18446744073709551615', '-9007199254740993', '9223372036854775807', '9007199254740993', '-9223372036854775808']) {
      assert.ok(r.stdout.includes(`{"value":${digits}}`), digits);
    }
  });

  it('escapes quotes, backslashes and control characters in strings', async () => {
    const r = await run(['-x', 'oformat=json', '-n', 'test:::words /cpu == 1/ { printf("a\\"b\\\\c\\td\\n"); }']);
    assert.equal(r.stdout, jsonDocument(words('1700000000.000001', 1, '{"message":"a\\"b\\\\c\\td\\n"}, {"value":0}')));
    assert.equal((JSON.parse(r.stdout) as { dtrace: { probes: { output: { message?: string }[] }[] } }).dtrace.probes[0]!.output[0]!.message, 'a"b\\c\td\n');
  });

  it('keeps UTF-8 strings as text and gives other bytes as hex, never as U+FFFD', async () => {
    const r = await run(['-x', 'oformat=json', '-x', 'strsize=4', '-n', 'test:::words /cpu == 1/ { trace("\\xff\\xfe"); trace("é"); }']);
    assert.equal(r.stdout, jsonDocument(words('1700000000.000001', 1, '{"value":"0xfffe0000"}, {"value":"é"}')));
  });

  it('shows stacks, symbols and traced memory under their own names', async () => {
    const r = await run(['-x', 'oformat=json', '-n', 'test:::words /cpu == 1/ { stack(2); sym(args[1]); mod(args[1]); ustack(2); tracemem(curthread, 4); }']);
    assert.equal(
      r.stdout,
      jsonDocument(words('1700000000.000001', 1, '{"stack-frames": []}, {"sym":"0x20000000000001","offset":"0x20000000000001"}, {"mod":"0x20000000000001"}, {"ustack-frames": []}, {"tracemem":"0x08010000"}')),
    );
  });

  it('writes an empty probes list when nothing fires, and exit() still sets the status', async () => {
    const none = await run(['-x', 'oformat=json', '-n', 'test:::words /cpu == 7/ { trace(1); }']);
    assert.equal(none.stdout, '{"dtrace": {"probes": []}\n}\n');
    const exit = await run(['-x', 'oformat=json', '-n', 'test:::words { exit(3); }']);
    assert.equal(exit.status, 3);
    assert.equal(exit.stdout, jsonDocument(words('1700000000.000000', 0, '')));
  });

  it('prints no aggregation at the end unless -O asks for them', async () => {
    const script = 'test:::words { @c[execname] = count(); @m = max(args[2]); }';
    const quiet = await run(['-x', 'oformat=json', '-n', script]);
    assert.equal(quiet.stdout, jsonDocument());
    const all = await run(['-O', '-x', 'oformat=json', '-n', script]);
    assert.equal(
      all.stdout,
      jsonDocument(
        '{"aggregation-data": [{"keys": [{"value":"cat"}],"count":1}, {"keys": [{"value":"app"}],"count":2}],"aggregation-name":"c"}',
        '{"aggregation-data": [{"keys": [],"max":2}],"aggregation-name":"m"}',
      ),
    );
  });

  it('applies libxo underscores to field names', async () => {
    const r = await run(['-O', '-x', 'oformat=json,underscores', '-n', 'test:::words { @ = sum(args[3]); }']);
    assert.equal(r.stdout, jsonDocument('{"aggregation_data": [{"keys": [],"sum":1010}],"aggregation_name":"_"}'));
  });
});

describe('aggregations in structured output', () => {
  it('prints printa() of every scalar function with its keys, sorted as printa sorts', async () => {
    const r = await run([
      '-x',
      'oformat=ndjson',
      '-n',
      'test:::words { @s[execname, cpu] = sum(args[3]); @a = avg(args[3]); @sd = stddev(args[3]); @mn = min(args[2]); @mx = max(args[1]); } END { printa(@s); printa(@a); printa(@sd); printa(@mn); printa(@mx); }',
    ]);
    const lines = r.stdout.split('\n');
    assert.equal(lines.pop(), '');
    const end = lines.find((l) => l.includes('"name":"END"'))!;
    assert.equal(
      end,
      '{"timestamp":1700000000.003000,"cpu":0,"id":2,"provider":"dtrace","module":"","function":"","name":"END","output":[' +
        '{"aggregation-data":[{"keys":[{"value":"app"},{"value":1}],"sum":3},{"keys":[{"value":"app"},{"value":0}],"sum":7},{"keys":[{"value":"cat"},{"value":0}],"sum":1000}],"aggregation-name":"s"},' +
        '{"aggregation-data":[{"keys":[],"avg":336}],"aggregation-name":"a"},' +
        '{"aggregation-data":[{"keys":[],"stddev":469}],"aggregation-name":"sd"},' +
        '{"aggregation-data":[{"keys":[],"min":-9223372036854775808}],"aggregation-name":"mn"},' +
        '{"aggregation-data":[{"keys":[],"max":9007199254740993}],"aggregation-name":"mx"}]}',
    );
  });

  it('gives quantize buckets from one below the first count to one above the last', async () => {
    const r = await run(['-x', 'oformat=json', '-n', 'test:::words { @q = quantize(args[3]); } END { printa(@q); }']);
    // 7 → [4, 8), 3 → [2, 4), 1000 → [512, 1024)
    const b = (v: number, c: number): string => `{"value":${v},"count":${c}}`;
    const buckets = [b(1, 0), b(2, 1), b(4, 1), b(8, 0), b(16, 0), b(32, 0), b(64, 0), b(128, 0), b(256, 0), b(512, 1), b(1024, 0)].join(', ');
    assert.ok(r.stdout.includes(`{"aggregation-data": [{"keys": [], "buckets": [${buckets}]}],"aggregation-name":"q"}`), r.stdout);
  });

  it('gives lquantize its under-range bucket as INT64_MIN and its over-range bucket at the limit', async () => {
    const r = await run(['-x', 'oformat=json', '-n', 'test:::words { @l = lquantize(args[3], 0, 10, 5); } END { printa(@l); }']);
    assert.ok(
      r.stdout.includes('{"aggregation-data": [{"keys": [], "buckets": [{"value":-9223372036854775808,"count":0}, {"value":0,"count":1}, {"value":5,"count":1}, {"value":10,"count":1}]}],"aggregation-name":"l"}'),
      r.stdout,
    );
  });

  it('gives llquantize the lower bound of each printed bucket', async () => {
    const r = await run(['-x', 'oformat=ndjson', '-n', 'test:::words { @ll = llquantize(args[3], 10, 0, 1, 10); } END { printa(@ll); }']);
    // factor 10, magnitudes 0..1, 10 steps: 1..9 by 1, 10..90 by 10, then >= 100; 3, 7 and 1000
    // land in 3, 7 and >= 100, so the print starts one below 3.
    const end = r.stdout.split('\n').find((l) => l.includes('"name":"END"'));
    const counts: Record<number, number> = { 3: 1, 7: 1, 100: 1 };
    const bounds = [2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const buckets = bounds.map((v) => `{"value":${v},"count":${counts[v] ?? 0}}`).join(',');
    assert.ok(end?.includes(`{"aggregation-data":[{"keys":[],"buckets":[${buckets}]}],"aggregation-name":"ll"}`), r.stdout + r.stderr);
  });

  it('prints a joined printa as one object per aggregation over the joined keys', async () => {
    const r = await run(['-x', 'oformat=ndjson', '-n', 'test:::words { @c[execname] = count(); @t[execname] = sum(args[3]); } END { printa(@c, @t); }']);
    const end = r.stdout.split('\n').find((l) => l.includes('"name":"END"'))!;
    assert.ok(
      end.endsWith(
        '"output":[{"aggregation-data":[{"keys":[{"value":"cat"}],"count":1},{"keys":[{"value":"app"}],"count":2}],"aggregation-name":"c"},' +
          '{"aggregation-data":[{"keys":[{"value":"cat"}],"sum":1000},{"keys":[{"value":"app"}],"sum":10}],"aggregation-name":"t"}]}',
      ),
      end,
    );
  });
});

describe('drops in structured output', () => {
  it('reports a principal-buffer drop as the DROP pseudo-probe on its CPU, not on stderr', async () => {
    const r = await dtvm(['-x', 'oformat=json', '-x', 'bufsize=40', '-n', 'syscall::read:entry { trace(arg2); trace(arg0) }', '--trace', TINY]);
    const read = (ts: string, cpu: number): string =>
      `{"timestamp":${ts},"cpu":${cpu},"id":869,"provider":"syscall","module":"freebsd","function":"read","name":"entry", "output": [{"value":4096}, {"value":3}]}`;
    assert.equal(
      r.stdout,
      jsonDocument(
        read('1718000000.123460', 0),
        '{"cpu":1,"id":-1,"provider":"dtrace","module":"INTERNAL","function":"INTERNAL","name":"DROP","timestamp":1718000000.123460,"count":1,"total":0,"kind":0,"msg":"1 drop on CPU 1\\n"}',
        read('1718000000.123458', 1),
      ),
    );
    assert.ok(!r.stderr.includes('dtrace: 1 drop'), r.stderr);
  });

  it('reports dynamic variable drops for every CPU (-1) with their running total and droptags', async () => {
    const r = await run(['-x', 'oformat=ndjson', '-x', 'droptags', '-x', 'dynvarsize=64', '-n', 'test:::words { x[timestamp] = 1; trace(cpu) }']);
    const drop = JSON.parse(r.stdout.split('\n')[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(drop), ['cpu', 'id', 'provider', 'module', 'function', 'name', 'timestamp', 'count', 'total', 'kind', 'msg']);
    // Before any firing reached the consumer, the time is the trace's recorded start (the same on every run).
    assert.deepEqual(drop, { cpu: -1, id: -1, provider: 'dtrace', module: 'INTERNAL', function: 'INTERNAL', name: 'DROP', timestamp: 1700000000, count: 2, total: 2, kind: 2, msg: '[DTRACEDROP_DYNAMIC] 2 dynamic variable drops\n' });
    assert.ok(!r.stderr.includes('dtrace: [DTRACEDROP'), r.stderr);
  });
});

describe('oformat=xml', () => {
  it('writes compact XML with both tags for empty fields (as libxo does) and no trailing newline', async () => {
    const r = await run(['-x', 'oformat=xml', '-n', 'test:::words /cpu == 1/ { trace(args[3]); printf("<%s & co>", execname); }']);
    assert.equal(
      r.stdout,
      '<dtrace><probes><timestamp>1700000000.000001</timestamp><cpu>1</cpu><id>17</id><provider>test</provider><module></module><function></function><name>words</name>' +
        '<output><value>3</value></output><output><message>&lt;app &amp; co&gt;</message></output><output><value>app</value></output></probes></dtrace>',
    );
  });

  it('indents pretty XML by element depth (a list adds no level)', async () => {
    const r = await run(['-O', '-x', 'oformat=xml,pretty', '-n', 'test:::words /cpu == 1/ { trace(args[3]); @[execname] = count(); }']);
    assert.equal(
      r.stdout,
      [
        '<dtrace>',
        '  <probes>',
        '    <timestamp>1700000000.000001</timestamp>',
        '    <cpu>1</cpu>',
        '    <id>17</id>',
        '    <provider>test</provider>',
        '    <module></module>',
        '    <function></function>',
        '    <name>words</name>',
        '    <output>',
        '      <value>3</value>',
        '    </output>',
        '  </probes>',
        '  <probes>',
        '    <aggregation-data>',
        '      <keys>',
        '        <value>app</value>',
        '      </keys>',
        '      <count>1</count>',
        '    </aggregation-data>',
        '    <aggregation-name>_</aggregation-name>',
        '  </probes>',
        '</dtrace>',
        '',
      ].join('\n'),
    );
  });
});

describe('oformat=json,pretty', () => {
  it('writes one item per line, two spaces per level, and closes with the outer brace', async () => {
    const r = await run(['-x', 'oformat=json,pretty', '-n', 'test:::words /cpu == 1/ { trace(args[3]); }']);
    assert.equal(
      r.stdout,
      [
        '{',
        '  "dtrace": {',
        '    "probes": [',
        '      {',
        '        "timestamp": 1700000000.000001,',
        '        "cpu": 1,',
        '        "id": 17,',
        '        "provider": "test",',
        '        "module": "",',
        '        "function": "",',
        '        "name": "words",',
        '        "output": [',
        '          {',
        '            "value": 3',
        '          }',
        '        ]',
        '      }',
        '    ]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(JSON.parse(r.stdout), { dtrace: { probes: [{ timestamp: 1700000000.000001, cpu: 1, id: 17, provider: 'test', module: '', function: '', name: 'words', output: [{ value: 3 }] }] } });
  });

  it('takes libxo indent=N', async () => {
    const r = await run(['-x', 'oformat=json,pretty,indent=1', '-n', 'test:::words /cpu == 7/ { trace(1); }']);
    assert.equal(r.stdout, '{\n "dtrace": {\n  "probes": [\n  ]\n }\n}\n');
  });
});

describe('oformat=ndjson (one object per line)', () => {
  it('writes each firing as one line of plain JSON, each line written as it is produced', async () => {
    const chunks: string[] = [];
    const { runDtvm } = await import('../../server/src/cli/run.ts');
    const status = await runDtvm(['-x', 'oformat=ndjson', '-n', 'test:::words { trace(args[1]); }', '--trace', WORDS], { out: (s) => chunks.push(s), err: () => {} });
    assert.equal(status, 0);
    assert.deepEqual(chunks, [
      '{"timestamp":1700000000.000000,"cpu":0,"id":17,"provider":"test","module":"","function":"","name":"words","output":[{"value":18446744073709551615}]}\n',
      '{"timestamp":1700000000.002500,"cpu":0,"id":17,"provider":"test","module":"","function":"","name":"words","output":[{"value":1}]}\n',
      '{"timestamp":1700000000.000001,"cpu":1,"id":17,"provider":"test","module":"","function":"","name":"words","output":[{"value":9007199254740993}]}\n',
    ]);
    for (const c of chunks) assert.equal(typeof JSON.parse(c), 'object');
  });
});

describe('oformat=html', () => {
  it('writes each probe as a line of flat data divs, text divs between the probe fields', async () => {
    const r = await run(['-x', 'oformat=html', '-n', 'test:::words /cpu == 1/ { trace(args[3]); printf("<x>"); }']);
    const d = (tag: string, v: string): string => `<div class="data" data-tag="${tag}">${v}</div>\n`;
    const t = '<div class="text"></div>\n';
    assert.equal(
      r.stdout,
      '<div class="line">\n' +
        [d('timestamp', '1700000000.000001'), d('cpu', '1'), d('id', '17'), d('provider', 'test'), d('module', ''), d('function', ''), d('name', 'words')].join(t) +
        d('value', '3') +
        d('message', '&lt;x&gt;') +
        d('value', '0') +
        '</div>\n',
    );
  });
});

describe('the oformat option value', () => {
  it('refuses a value libxo would refuse, as any invalid option value', async () => {
    const r = await run(['-x', 'oformat=yaml', '-n', 'test:::words { trace(1); }']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^dtrace: failed to set -x oformat.*: Invalid value for specified option\n$/);
  });

  it('is refused in a pragma the same way', async () => {
    const r = await run(['-n', '#pragma D option oformat=nope\ntest:::words { trace(1); }']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Invalid value for specified option/);
  });

  it('comes from --libxo as from -x oformat (FreeBSD dtrace(1)), in both spellings', async () => {
    const script = ['-n', 'test:::words /cpu == 1/ { trace(args[3]); }'];
    const viaOption = await run(['-x', 'oformat=json,pretty', ...script]);
    assert.equal((await run(['--libxo', 'json,pretty', ...script])).stdout, viaOption.stdout);
    assert.equal((await run(['--libxo=json,pretty', ...script])).stdout, viaOption.stdout);
    const missing = await dtvm(['--libxo']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^dtvm: option requires an argument -- libxo\n/);
  });

  it('text keeps the classic output (and its newline when tracing stops)', async () => {
    const r = await run(['-q', '-x', 'oformat=text', '-n', 'test:::words /cpu == 1/ { printf("%d\\n", args[3]); }']);
    assert.equal(r.stdout, '3\n\n');
  });
});
