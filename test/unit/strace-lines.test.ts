// strace's output taken apart: line forms, argument values, string escapes and the symbolic
// constants an imported log may use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constantValue, errnoValue, signalNumber } from '../../server/src/sources/strace/constants';
import { isStackLine, parseStraceLine, StraceLineError } from '../../server/src/sources/strace/lines';
import { readStringLiteral } from '../../server/src/sources/strace/stringLiteral';
import { integerExpression, parseValue, splitArguments } from '../../server/src/sources/strace/values';

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('strace lines', () => {
  it('reads a whole call: pid, -ttt time in ns, arguments, result and -T duration', () => {
    const line = parseStraceLine('19148 1795721242.746509 openat(AT_FDCWD, "hello.txt", O_RDONLY) = 3 <0.000010>');
    assert.deepEqual(line, {
      tid: 19148,
      time: 1795721242746509000n,
      kind: 'call',
      name: 'openat',
      unfinished: false,
      args: ['AT_FDCWD', '"hello.txt"', 'O_RDONLY'],
      result: { value: 3n, errno: 0 },
      duration: 10000n,
    });
  });

  it('reads a failure: -1 with the errno name turned into its number', () => {
    const line = parseStraceLine('19148 1795721242.746749 openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000008>');
    assert.equal(line.kind, 'call');
    assert.deepEqual(line.kind === 'call' && line.result, { value: -1n, errno: 2, errnoName: 'ENOENT' });
  });

  it('keeps nanosecond times and durations exact', () => {
    const line = parseStraceLine('19152 1795721242.759358150 clone(child_stack=NULL, flags=0x1200000|17, child_tidptr=0x7fe458c2ca10) = 19154 <0.000077676>');
    assert.equal(line.time, 1795721242759358150n);
    assert.equal(line.kind === 'call' && line.duration, 77676n);
  });

  it('splits a call printed in two: <unfinished ...> then <... resumed>', () => {
    const start = parseStraceLine('19152 1795721242.755563240 wait4(-1,  <unfinished ...>');
    assert.deepEqual(start, { tid: 19152, time: 1795721242755563240n, kind: 'call', name: 'wait4', args: ['-1'], unfinished: true });
    const end = parseStraceLine('19152 1795721242.759234666 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 19153 <0.003666018>');
    assert.deepEqual(end, {
      tid: 19152,
      time: 1795721242759234666n,
      kind: 'resumed',
      name: 'wait4',
      args: ['[{WIFEXITED(s) && WEXITSTATUS(s) == 1}]', '0', 'NULL'],
      result: { value: 19153n, errno: 0 },
      duration: 3666018n,
    });
  });

  it('reads `[pid N]` prefixes, -Y comm decorations and lines without a pid', () => {
    const bracketed = parseStraceLine('[pid 19165] 1795721242.796335 getppid() = 19164 <0.000008>');
    assert.equal(bracketed.tid, 19165);
    const decorated = parseStraceLine('13742<t.sh> 1795720812.811756158 getpid() = 13742<t.sh> <0.000043926>');
    assert.equal(decorated.tid, 13742);
    assert.equal(decorated.comm, 't.sh');
    assert.deepEqual(decorated.kind === 'call' && decorated.result, { value: 13742n, errno: 0 });
    const bare = parseStraceLine('1795721242.794422 brk(NULL)             = 0x564487201000 <0.000007>');
    assert.equal(bare.tid, undefined);
    assert.deepEqual(bare.kind === 'call' && bare.result, { value: 0x564487201000n, errno: 0 });
  });

  it('reads -tt times as nanoseconds since midnight', () => {
    assert.equal(parseStraceLine('7 10:20:30.000123 close(3) = 0').time, 37230000123000n);
  });

  it('reads calls that never returned and interrupted ones', () => {
    const exit = parseStraceLine('19165 1795721242.799897 exit_group(0)                 = ?');
    assert.deepEqual(exit.kind === 'call' && exit.result, { value: undefined, errno: 0 });
    const restart = parseStraceLine('19152 1795721242.759707822 <... rt_sigsuspend resumed>) = ? ERESTARTNOHAND (To be restarted if no handler) <0.000061302>');
    assert.deepEqual(restart.kind === 'resumed' && restart.result, { value: undefined, errno: 514, errnoName: 'ERESTARTNOHAND' });
  });

  it('reads exits, kills, signals and superseded threads', () => {
    assert.deepEqual(parseStraceLine('19148 1795721242.747149 +++ exited with 1 +++'), { tid: 19148, time: 1795721242747149000n, kind: 'exited', status: 1 });
    assert.deepEqual(parseStraceLine('19154 1795721242.759697416 +++ killed by SIGTERM +++'), { tid: 19154, time: 1795721242759697416n, kind: 'killed', signal: 15, core: false });
    assert.deepEqual(parseStraceLine('9 1.5 +++ killed by SIGSEGV (core dumped) +++'), { tid: 9, time: 1500000000n, kind: 'killed', signal: 11, core: true });
    assert.deepEqual(parseStraceLine('19154 1795721242.759615304 --- SIGTERM {si_signo=15, si_code=0, si_pid=19152, si_uid=0} ---'), {
      tid: 19154,
      time: 1795721242759615304n,
      kind: 'signal',
      signal: 15,
      info: '{si_signo=15, si_code=0, si_pid=19152, si_uid=0}',
    });
    assert.equal(parseStraceLine('9 1.5 --- stopped by SIGSTOP ---').kind, 'other');
    assert.deepEqual(parseStraceLine('10 2.0 +++ superseded by execve in pid 9 +++'), { tid: 10, time: 2000000000n, kind: 'superseded', by: 9 });
  });

  it("reads -i's instruction pointer and knows -k's stack lines", () => {
    const line = parseStraceLine('42 1.5 [00007f1e2a3b4c5d] close(3) = 0 <0.000001>');
    assert.deepEqual([line.kind, line.kind === 'call' && line.name, line.kind === 'call' && line.args], ['call', 'close', ['3']]);
    assert.equal(isStackLine(' > /usr/lib/x86_64-linux-gnu/libc.so.6(__close+0x17) [0x10f1d7]'), true);
    assert.equal(isStackLine('42 1.5 close(3) = 0'), false);
  });

  it('refuses a line without a timestamp, saying how to record one', () => {
    assert.throws(() => parseStraceLine('19148 openat(AT_FDCWD, "x", O_RDONLY) = 3'), (e: unknown) => {
      assert.ok(e instanceof StraceLineError);
      assert.equal(e.message, 'no timestamp: record the log with strace -ttt (or -tt)');
      return true;
    });
  });
});

describe('strace argument values', () => {
  it('splits at top-level commas only: strings, structures and comments are whole', () => {
    const text = 'execve("/bin/a,b", ["x(", "y"], 0x7ffe /* 39 vars, really */) = 0';
    assert.deepEqual(splitArguments(text, 'execve('.length), { args: ['"/bin/a,b"', '["x(", "y"]', '0x7ffe'], end: text.indexOf(' = ') });
    assert.deepEqual(splitArguments('f(3</tmp/a,b)>, {st_mode=S_IFREG|0644, ...})', 2).args, ['3</tmp/a,b)>', '{st_mode=S_IFREG|0644, ...}']);
    assert.deepEqual(splitArguments('vfork()', 6), { args: [], end: 7 });
  });

  it('decodes C escapes, octal and hex, byte for byte', () => {
    assert.deepEqual(readStringLiteral('"a\\n\\t\\"\\\\\\0\\177\\3779\\x41"', 0), { bytes: Uint8Array.from([97, 10, 9, 34, 92, 0, 127, 255, 57, 65]), truncated: false, end: 26 });
    assert.deepEqual(readStringLiteral('"# Locale"..., 4096', 0), { bytes: bytes('# Locale'), truncated: true, end: 13 });
  });

  it('turns numbers, constants and flag sets into values', () => {
    assert.deepEqual(parseValue('AT_FDCWD'), { kind: 'number', value: -100n });
    assert.deepEqual(parseValue('O_RDONLY|O_CLOEXEC'), { kind: 'number', value: 0x80000n });
    assert.deepEqual(parseValue('O_WRONLY|O_CREAT|O_TRUNC'), { kind: 'number', value: 0x241n });
    assert.deepEqual(parseValue('S_IFREG|0644'), { kind: 'number', value: 0o100644n });
    assert.deepEqual(parseValue('0x1200000|17'), { kind: 'number', value: 0x1200011n });
    assert.deepEqual(parseValue('flags=CLONE_VM|CLONE_VFORK|SIGCHLD'), { kind: 'number', value: 0x4111n });
    assert.deepEqual(parseValue('3</etc/passwd>'), { kind: 'number', value: 3n });
    assert.deepEqual(parseValue('1<<20'), { kind: 'number', value: 1048576n });
    assert.deepEqual(parseValue('NULL'), { kind: 'number', value: 0n });
    assert.deepEqual(parseValue('0xffffffffffffffff'), { kind: 'number', value: 0xffffffffffffffffn });
    assert.deepEqual(parseValue('MADV_SOMETHING_NEW'), { kind: 'unknown', text: 'MADV_SOMETHING_NEW' });
  });

  it('tells strings, string arrays and structures apart', () => {
    assert.deepEqual(parseValue('"hello.txt"'), { kind: 'string', bytes: bytes('hello.txt'), truncated: false });
    assert.deepEqual(parseValue('["cat", "hello.txt"]'), {
      kind: 'array',
      items: [
        { kind: 'string', bytes: bytes('cat'), truncated: false },
        { kind: 'string', bytes: bytes('hello.txt'), truncated: false },
      ],
    });
    assert.deepEqual(parseValue('{st_mode=S_IFREG|0644, st_size=14, ...}'), { kind: 'structure' });
    assert.deepEqual(parseValue('[3, 4]'), { kind: 'structure' });
    assert.deepEqual(parseValue('~[RTMIN RT_1]'), { kind: 'structure' });
    assert.deepEqual(parseValue('[]'), { kind: 'structure' });
  });

  it('knows errno, signal and flag names from the Linux flavour library and strace-only ones', () => {
    assert.equal(errnoValue('ENOENT'), 2);
    assert.equal(errnoValue('EWOULDBLOCK'), 11);
    assert.equal(errnoValue('ERESTARTSYS'), 512);
    assert.equal(signalNumber('SIGCHLD'), 17);
    assert.equal(signalNumber('SIGRTMIN'), 32);
    assert.equal(signalNumber('SIGRT_2'), 34);
    assert.equal(signalNumber('15'), 15);
    assert.equal(constantValue('O_NDELAY'), 0x800n);
    assert.equal(constantValue('MAP_PRIVATE'), 2n);
    assert.equal(integerExpression('PROT_READ|PROT_WRITE'), 3n);
  });
});
