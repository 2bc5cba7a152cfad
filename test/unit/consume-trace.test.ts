// The consumer's principal-buffer output from hand-made programs and firings: the heading and
// probe prefix, trace() layouts by size, strings and hex dumps, the newline ending each firing,
// -q, -F flowindent, exit status, drop and fault messages, setopt(), system() and freopen().
// Expected texts follow reference §5, §7.2 and §8.
// Run: node --import tsx --test test/unit/consume-trace.test.ts
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OptionSet } from '../../server/src/analyze/options/optionSet.ts';
import { ACT, type ActionDesc, type CompiledProgram, type RecordType } from '../../server/src/codegen/program.ts';
import { Consumer } from '../../server/src/consume/consumer.ts';
import { dropMessage, faultText } from '../../server/src/consume/messages.ts';
import { printBytes, traceInteger } from '../../server/src/consume/traceRecords.ts';
import { VariableState } from '../../server/src/dif/variable-state.ts';
import type { FiringData, RecordValue } from '../../server/src/vm/records.ts';

const SPAN = { start: { row: 0, column: 0 }, end: { row: 0, column: 1 }, startIndex: 0, endIndex: 1 };
let spanIndex = 0;

function action(kind: number, record: RecordType, size: number, extra: Partial<ActionDesc> = {}): ActionDesc {
  return { kind, record, size, span: { ...SPAN, startIndex: spanIndex++ }, line: 1, ...extra };
}
const int = (size: 1 | 2 | 4 | 8 = 8): ActionDesc => action(ACT.DIFEXPR, { k: 'int', size, signed: true }, size);
const string = (size = 32): ActionDesc => action(ACT.DIFEXPR, { k: 'string', size }, size);

function program(...enablings: ActionDesc[][]): CompiledProgram {
  return {
    enablings: enablings.map((actions, i) => ({ epid: i + 1, clause: i, originSpan: SPAN, probes: [1], actions, recordSize: 0, speculative: false })),
    aggregations: [],
    formats: [],
    variables: new VariableState(),
  } as CompiledProgram;
}

const PROBES: Record<number, { provider: string; module: string; function: string; name: string }> = {
  1: { provider: 'dtrace', module: '', function: '', name: 'BEGIN' },
  2: { provider: 'dtrace', module: '', function: '', name: 'END' },
  10: { provider: 'fbt', module: 'kernel', function: 'vm_fault', name: 'entry' },
  11: { provider: 'fbt', module: 'kernel', function: 'vm_fault', name: 'return' },
  12: { provider: 'syscall', module: '', function: 'read', name: 'entry' },
  13: { provider: 'syscall', module: '', function: 'read', name: 'return' },
};

function consumer(p: CompiledProgram, setup: (o: OptionSet) => void = () => {}) {
  const options = new OptionSet();
  setup(options);
  const io = { out: '', err: '', terminal: '' };
  const c = new Consumer(p, {
    options,
    quiet: options.flag('quiet'),
    flowindent: options.flag('flowindent'),
    destructive: true,
    out: (s) => (io.out += s),
    err: (s) => (io.err += s),
    terminal: (s) => (io.terminal += s),
    describeProbe: (id) => PROBES[id],
    runCommand: (cmd) => ({ stdout: `ran ${cmd}\n`, stderr: '' }),
  });
  return { c, io };
}

const firing = (epid: number, records: RecordValue[], probeId = 1, cpu = 0): FiringData => ({ epid, probeId, cpu, timestamp: 0n, walltimestamp: 0n, records });
const bytes = (s: string, size = 32): Uint8Array => {
  const b = new Uint8Array(size);
  b.set(Buffer.from(s, 'latin1'));
  return b;
};
const HEADING = 'CPU     ID                    FUNCTION:NAME\n';

describe('trace() records', () => {
  it('prints integers by size with a leading space, unpadded under -q', () => {
    assert.equal(traceInteger(BigInt.asUintN(64, -1n), 8, false), '               -1');
    assert.equal(traceInteger(0xffffffffn, 4, false), '       -1');
    assert.equal(traceInteger(0xffffn, 2, false), ' 65535');
    assert.equal(traceInteger(0xffn, 1, false), ' 255');
    assert.equal(traceInteger(0xffffffffn, 4, true), '-1');
  });
  it('prints a C string left-justified in 33 columns after two spaces', () => {
    assert.equal(printBytes(bytes('hello'), -33, false, false), '  hello                            ');
    assert.equal(printBytes(bytes('hello'), -33, true, false), 'hello');
  });
  it('prints printable bytes without a NUL as a string too', () => {
    assert.equal(printBytes(bytes('abcd', 4), -33, false, false), '  abcd                             ');
    // A packed aggregation key (width 16): a terminated string right-justified, an unterminated one left.
    assert.equal(printBytes(bytes('abcd'), 16, false, false), '             abcd');
    assert.equal(printBytes(bytes('abcd', 4), 16, false, false), '  abcd            ');
  });
  it('prints anything else as a hex dump with offsets and an ASCII column', () => {
    const b = Uint8Array.from([0x41, 0x00, 0x42, 0xff, 0x0a]);
    assert.equal(
      printBytes(b, -33, false, false),
      '\n             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef\n' + '         0: 41 00 42 ff 0a                                   A.B..\n',
    );
  });
  it('dumps an empty string (its first byte is the NUL)', () => {
    assert.ok(printBytes(new Uint8Array(4), -33, false, false).startsWith('\n             0  1'));
  });
});

describe('firings', () => {
  it('prints the heading once, the probe prefix, the records and a newline per firing', () => {
    const { c, io } = consumer(program([int(4), string()], [int(8)]));
    c.firings([firing(1, [7n, bytes('x')]), firing(2, [9n], 2, 1)]);
    c.finish();
    // ' %8d' for the int, two spaces and %-33s for the string, ' %16lld' for the long.
    assert.equal(io.out, HEADING + '  0      1                           :BEGIN         7  x                                \n' + '  1      2                             :END                 9\n' + '\n');
  });
  it('prints only the records under -q, and the final newline', () => {
    const { c, io } = consumer(program([int(4), string()]), (o) => o.set('quiet', undefined));
    c.firings([firing(1, [7n, bytes('x')])]);
    c.finish();
    assert.equal(io.out, '7x\n');
  });
  it('reads one value per action when the VM gives every action a slot', () => {
    const nothing = action(ACT.DIFEXPR, { k: 'int', size: 8, signed: true }, 0);
    const { c, io } = consumer(program([nothing, int(4)]), (o) => o.set('quiet', undefined));
    c.firings([firing(1, [0n, 5n])]);
    assert.equal(io.out, '5');
  });
  it('takes exit()s status and prints nothing for it', () => {
    const { c, io } = consumer(program([action(ACT.EXIT, { k: 'int', size: 4, signed: true }, 4)]));
    c.firings([firing(1, [0xfffffffen])]);
    assert.equal(c.exitStatus, -2);
    assert.equal(io.out, HEADING + '  0      1                           :BEGIN \n');
  });
  it('prints formats with the records that follow the printf action', () => {
    const p = program([action(ACT.PRINTF, { k: 'int', size: 4, signed: true }, 4, { format: 0 }), string()]);
    p.formats.push('%d-%s|');
    const { c, io } = consumer(p, (o) => o.set('quiet', undefined));
    c.firings([firing(1, [3n, bytes('ab')])]);
    assert.equal(io.out, '3-ab|');
  });
  it('keeps a UTF-8 character whole when its bytes come from two firings', () => {
    const p = program([action(ACT.PRINTF, { k: 'int', size: 4, signed: true }, 4, { format: 0 })]);
    p.formats.push('%c');
    const { c, io } = consumer(p, (o) => o.set('quiet', undefined));
    c.firings([firing(1, [0xc3n])]);
    assert.equal(io.out, '');
    c.firings([firing(1, [0xa9n])]);
    assert.equal(io.out, 'é');
  });
  it('starts a new line on the first interrupt', () => {
    const { c, io } = consumer(program([int()]), (o) => o.set('quiet', undefined));
    c.interrupted();
    c.finish(true);
    assert.equal(io.out, '\n\n');
  });
});

describe('flowindent', () => {
  it('indents between entry and return and marks them -> and <-', () => {
    const { c, io } = consumer(program([], []), (o) => o.set('flowindent', undefined));
    c.firings([firing(1, [], 10), firing(1, [], 12), firing(1, [], 13), firing(1, [], 11)]);
    assert.equal(
      io.out,
      'CPU FUNCTION                                 \n' +
        `  0 ${' -> vm_fault'.padEnd(41)} \n` +
        `  0 ${'   => read'.padEnd(41)} \n` +
        `  0 ${'   <= read'.padEnd(41)} \n` +
        `  0 ${' <- vm_fault'.padEnd(41)} \n`,
    );
  });
  it('shows other probes as func:name after "| "', () => {
    const { c, io } = consumer(program([]), (o) => o.set('flowindent', undefined));
    c.firings([firing(1, [], 1)]);
    assert.equal(io.out, 'CPU FUNCTION                                 \n' + `  0 ${'| :BEGIN'.padEnd(41)} \n`);
  });
});

describe('messages', () => {
  it('reports every kind of drop, pluralised, with droptags on request', () => {
    assert.equal(dropMessage('PRINCIPAL', 2, 1, false), '1 drop on CPU 2\n');
    assert.equal(dropMessage('PRINCIPAL', 0, 5, false), '5 drops on CPU 0\n');
    assert.equal(dropMessage('AGGREGATION', 1, 3, false), '3 aggregation drops on CPU 1\n');
    assert.equal(dropMessage('DYNAMIC', -1, 2, false), '2 dynamic variable drops\n');
    assert.equal(dropMessage('DYNRINSE', -1, 1, false), '1 dynamic variable drop with non-empty rinsing list\n');
    assert.equal(dropMessage('DYNDIRTY', -1, 4, false), '4 dynamic variable drops with non-empty dirty list\n');
    assert.equal(dropMessage('SPEC', -1, 1, false), '1 speculative drop\n');
    assert.equal(dropMessage('SPECBUSY', -1, 2, false), '2 failed speculations (available buffer(s) still busy)\n');
    assert.equal(dropMessage('SPECUNAVAIL', -1, 1, false), '1 failed speculation (no speculative buffer available)\n');
    assert.equal(dropMessage('STKSTROVERFLOW', -1, 2, false), '2 jstack()/ustack() string table overflows\n');
    assert.equal(dropMessage('DBLERROR', -1, 1, false), '1 error in ERROR probe enabling\n');
    assert.equal(dropMessage('DYNAMIC', -1, 1, true), '[DTRACEDROP_DYNAMIC] 1 dynamic variable drop\n');
  });
  it('reports drops through the sink on stderr', () => {
    const { c, io } = consumer(program([]));
    c.drops('PRINCIPAL', 0, 3);
    assert.equal(io.err, 'dtrace: 3 drops on CPU 0\n');
  });
  it('formats faults with the address only for address faults and the place', () => {
    const probe = PROBES[1];
    assert.equal(
      faultText({ epid: 1, probeId: 1, cpu: 0, fault: 1, action: 0, difOffset: 16, value: 0n }, probe),
      'error on enabled probe ID 1 (ID 1: dtrace:::BEGIN): invalid address (0x0) in action #1 at DIF offset 16\n',
    );
    assert.equal(faultText({ epid: 3, probeId: 1, cpu: 0, fault: 4, action: -1, difOffset: 8, value: 0n }, probe), 'error on enabled probe ID 3 (ID 1: dtrace:::BEGIN): divide-by-zero in predicate at DIF offset 8\n');
    assert.equal(faultText({ epid: 2, probeId: 1, cpu: 0, fault: 2, action: 1, difOffset: -1, value: 0x1001n }, probe), 'error on enabled probe ID 2 (ID 1: dtrace:::BEGIN): invalid alignment (0x1001) in action #2\n');
    assert.equal(faultText({ epid: 2, probeId: 1, cpu: 0, fault: 5, action: 2, difOffset: 4, value: 9n }, probe), 'error on enabled probe ID 2 (ID 1: dtrace:::BEGIN): out of scratch space in action #3 at DIF offset 4\n');
  });
});

describe('destructive and library actions', () => {
  it('runs system() after what came before and sends its output to the terminal', () => {
    const p = program([action(ACT.PRINTF, { k: 'int', size: 8, signed: true }, 8, { format: 0 }), action(ACT.SYSTEM, { k: 'int', size: 8, signed: true }, 8, { format: 1 })]);
    p.formats.push('before\n', 'echo hi');
    const { c, io } = consumer(p, (o) => o.set('quiet', undefined));
    c.firings([firing(1, [0n, 0n])]);
    assert.equal(io.out, 'before\n');
    assert.equal(io.terminal, 'ran echo hi\n');
  });
  it('redirects output with freopen() and restores it with freopen("")', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtvm-freopen-'));
    const file = join(dir, 'out.txt');
    const p = program(
      [action(ACT.FREOPEN, { k: 'int', size: 8, signed: true }, 8, { format: 0 })],
      [action(ACT.PRINTF, { k: 'int', size: 8, signed: true }, 8, { format: 1 })],
      [action(ACT.FREOPEN, { k: 'int', size: 8, signed: true }, 8, { format: 2 })],
    );
    p.formats.push(file, 'to the file\n', '');
    const { c, io } = consumer(p, (o) => o.set('quiet', undefined));
    c.firings([firing(1, [0n]), firing(2, [0n]), firing(3, [0n]), firing(2, [0n])]);
    assert.equal(readFileSync(file, 'utf8'), 'to the file\n');
    assert.equal(io.out, 'to the file\n');
  });
  it('empties the output file with ftruncate()', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtvm-ftruncate-'));
    const file = join(dir, 'out.txt');
    const p = program([action(ACT.PRINTF, { k: 'int', size: 8, signed: true }, 8, { format: 0 }), action(ACT.LIBACT, { k: 'int', size: 8, signed: true }, 8, { library: 'ftruncate' }), action(ACT.PRINTF, { k: 'int', size: 8, signed: true }, 8, { format: 1 })]);
    p.formats.push('gone\n', 'kept\n');
    const options = new OptionSet();
    options.set('quiet', undefined);
    const c = new Consumer(p, { options, quiet: true, flowindent: false, destructive: true, out: (s) => appendFileSync(file, s), err: () => {}, describeProbe: () => undefined, outputFile: file });
    c.firings([firing(1, [0n, 0n, 0n])]);
    assert.equal(readFileSync(file, 'utf8'), 'kept\n');
  });
  it('reports a setopt() dtrace refuses as a library fault on the probe', () => {
    const name = string(16);
    const value = string(16);
    name.kind = ACT.LIBACT;
    name.library = 'setopt';
    value.kind = ACT.LIBACT;
    value.library = 'setopt';
    const { c, io } = consumer(program([name, value]), (o) => o.set('quiet', undefined));
    c.firings([firing(1, [bytes('bufsize', 16), bytes('1m', 16)])]);
    assert.equal(io.err, 'dtrace: error on enabled probe ID 1 (ID 1: dtrace:::BEGIN): couldn\'t set option "bufsize" to "1m": Operation illegal when tracing is active\n\n');
  });
});
