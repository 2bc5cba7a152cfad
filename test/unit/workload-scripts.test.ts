// Synthetic workloads through the real dtvm command line (`--workload`, `--seed`, `--record`):
// the classic scripts on a tiny fixed workload whose every firing is worked out by hand
// (test/fixtures/workloads/tiny.json, see workload-generator.test.ts), block I/O structures on
// each flavour with an io provider, drops from a high-rate workload, recording, and errors.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm';

const FIXTURES = join(__dirname, '..', 'fixtures', 'workloads');
const TINY = join(FIXTURES, 'tiny.json');
const DROPS = join(FIXTURES, 'drops.json');
const DATABASE = join(FIXTURES, 'database.json');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dtvm-workload-'));
}

function workloadFile(json: object): string {
  const path = join(tempDir(), 'w.json');
  writeFileSync(path, JSON.stringify({ workload: 1, ...json }));
  return path;
}

/** A workload file written exactly as given (for errors at line:column). */
function workloadText(text: string, name = 'w.json'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

/** What dtvm says about a wrong workload file (stdout stays empty, exit status 1). */
async function workloadError(path: string): Promise<string> {
  const r = await dtvm(['--workload', path, '-n', 'BEGIN { exit(0); }']);
  assert.equal(r.stdout, '');
  assert.equal(r.status, 1, r.stderr);
  return r.stderr;
}

describe('workload: classic scripts, exact output', () => {
  it('read sizes by process: syscall::read:return { @[execname] = quantize(arg0); }', async () => {
    const r = await dtvm(['--workload', TINY, '-n', 'syscall::read:return { @[execname] = quantize(arg0); }']);
    assert.equal(r.stderr, "dtrace: description 'syscall::read:return ' matched 1 probe\n");
    // sh's 9 reads return 100, cat's 33 return 8192 (aggregations print in increasing value order).
    assert.equal(
      r.stdout,
      [
        '',
        '  sh                                                ',
        '           value  ------------- Distribution ------------- count    ',
        '              32 |                                         0        ',
        '              64 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 9        ',
        '             128 |                                         0        ',
        '',
        '  cat                                               ',
        '           value  ------------- Distribution ------------- count    ',
        '            4096 |                                         0        ',
        '            8192 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 33       ',
        '           16384 |                                         0        ',
        '',
        '',
      ].join('\n'),
    );
    assert.equal(r.status, 0);
  });

  it('bytes by device: io:::start { @[args[1]->dev_statname] = sum(args[0]->b_bcount); }', async () => {
    const r = await dtvm(['--workload', TINY, '-n', 'io:::start { @[args[1]->dev_statname] = sum(args[0]->b_bcount); }']);
    // 33 requests of 8192 bytes to sd0.
    assert.equal(r.stdout, '\n  sd0                                                          270336\n');
    assert.equal(r.status, 0);
  });

  it('time on CPU: sched:::on-cpu { self->ts = timestamp; } sched:::off-cpu /self->ts/ { ... }', async () => {
    const r = await dtvm([
      '--workload',
      TINY,
      '-q',
      '-n',
      'sched:::on-cpu { self->ts = timestamp; } sched:::off-cpu /self->ts/ { @ = quantize(timestamp - self->ts); @t = sum(timestamp - self->ts); @n = count(); } END { printa("total %@d ns in %@d stretches\\n", @t, @n); }',
    ]);
    // cat's first stretch runs from 0 to 101us (100us of user time, 1us in read); the 32 others
    // from a wake-up to the next sleep: 0.5us + 100us + 1us. sh never leaves its CPU, and its
    // thread (LWP 1 too) does not share cat's self->ts.
    assert.equal(
      r.stdout,
      [
        'total 3349000 ns in 33 stretches',
        '',
        '',
        '           value  ------------- Distribution ------------- count    ',
        '           32768 |                                         0        ',
        '           65536 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 33       ',
        '          131072 |                                         0        ',
        '',
        '',
      ].join('\n'),
    );
  });

  it('illumos: a CPU with nothing else to run switches to its idle thread', async () => {
    const r = await dtvm(['--workload', TINY, '-q', '-n', 'sched:::off-cpu { @[execname, args[1]->pr_fname, args[1]->pr_pid, args[0]->pr_onpro] = count(); }']);
    assert.equal(r.stdout, '\n  cat                                                 sched                                                     0        0               33\n');
  });

  it('preemption: two threads share one CPU in 10ms quanta; off-cpu names the next thread', async () => {
    const path = workloadFile({
      ncpus: 1,
      duration: '35ms',
      processes: ['a', 'b'].map((execname, i) => ({ execname, pid: 10 * (i + 1), think: { fixed: '1ms' }, syscalls: [{ name: 'getpid', rate: 1, latency: '1us' }] })),
    });
    const r = await dtvm([
      '--workload',
      path,
      '-q',
      '-n',
      'sched:::off-cpu { printf("%d %s -> %s %d %d\\n", timestamp - 1000000000, execname, args[1]->pr_fname, args[1]->pr_pid, args[0]->pr_lwpid); } sched:::on-cpu { printf("%d on %s\\n", timestamp - 1000000000, execname); } syscall::getpid:entry { @[execname] = count(); }',
    ]);
    // a runs from 0 (calls at 1ms + 1.001ms k: 9 before 10ms), b from 10ms (9), a from 20ms
    // (0.009ms of its think left: 10 calls from 20.009ms), b from 30ms (5 calls from 30.009ms).
    assert.equal(
      r.stdout,
      [
        '0 on a',
        '10000000 a -> b 20 1',
        '10000000 on b',
        '20000000 b -> a 10 1',
        '20000000 on a',
        '30000000 a -> b 20 1',
        '30000000 on b',
        '',
        '  b                                                                14',
        '  a                                                                19',
        '',
      ].join('\n'),
    );
  });

  it('off-cpu\'s next thread on FreeBSD (struct thread, struct proc) and macOS (lwpsinfo_t, psinfo_t)', async () => {
    const two = (flavour: string): string =>
      workloadFile({
        flavour,
        ncpus: 1,
        duration: '35ms',
        processes: ['a', 'b'].map((execname, i) => ({ execname, pid: 10 * (i + 1), think: { fixed: '1ms' }, syscalls: [{ name: 'getpid', rate: 1, latency: '1us' }] })),
      });
    // FreeBSD and macOS number threads from one counter: a's is 100000, b's 100001.
    const freebsd = await dtvm(['--workload', two('freebsd'), '-q', '-n', 'sched:::off-cpu { printf("%s -> %s %d %d\\n", execname, stringof(args[1]->p_comm), args[1]->p_pid, args[0]->td_tid); }']);
    assert.equal(freebsd.stdout, 'a -> b 20 100001\nb -> a 10 100000\na -> b 20 100001\n\n');
    const macos = await dtvm(['--workload', two('macos'), '-q', '-n', 'sched:::off-cpu { printf("%s -> %s %d %d\\n", execname, args[1]->pr_fname, args[1]->pr_pid, args[0]->pr_lwpid); }']);
    assert.equal(macos.stdout, 'a -> b 20 100001\nb -> a 10 100000\na -> b 20 100001\n\n');
  });

  it('profile-N fired by the workload lands in the thread on the CPU: user or kernel PC', async () => {
    const path = workloadFile({
      ncpus: 1,
      duration: '35ms',
      profile: ['profile-1ms'],
      processes: ['a', 'b'].map((execname, i) => ({ execname, pid: 10 * (i + 1), think: { fixed: '1ms' }, syscalls: [{ name: 'getpid', rate: 1, latency: '1us' }] })),
    });
    const r = await dtvm(['--workload', path, '-q', '-n', 'profile-1ms { @[execname, arg0 != 0 ? "kernel" : "user"] = count(); }']);
    // 35 samples: a has the CPU at 1..9ms and 20..29ms, b at 10..19ms and 30..35ms. Each
    // thread's first call starts exactly at a sample (a at 1ms, b at 11ms): in the kernel.
    assert.equal(
      r.stdout,
      [
        '',
        '  a                                                   kernel                                                            1',
        '  b                                                   kernel                                                            1',
        '  b                                                   user                                                             15',
        '  a                                                   user                                                             18',
        '',
      ].join('\n'),
    );
  });

  it('read latency including the disk, and the files opened (strings recorded as user memory)', async () => {
    const lat = await dtvm(['--workload', TINY, '-q', '-n', 'syscall::read:entry { self->ts = timestamp; } syscall::read:return /self->ts/ { @[execname] = avg(timestamp - self->ts); self->ts = 0; }']);
    // cat: 1us to leave the CPU, 200us of disk, 0.5us back on the CPU; sh: 5us.
    assert.equal(lat.stdout, '\n  sh                                                             5000\n  cat                                                          201500\n');
    const opens = await dtvm(['--workload', DATABASE, '-q', '-n', 'syscall::open:entry { @[copyinstr(arg0)] = count(); } END { printa("%s %@d\\n", @); }']);
    assert.equal(opens.stdout, '/etc/nginx/mime.types 17\n/var/www/logo.png 62\n/var/www/index.html 103\n\n');
  });
});

describe('workload: block I/O structures on each flavour', () => {
  const io = (flavour: string, write: boolean): string =>
    workloadFile({
      flavour,
      duration: '10ms',
      devices: [{ name: flavour === 'freebsd' ? 'ada' : 'disk', instance: 2, major: 7, minor: 130 }],
      processes: [
        {
          execname: 'dd',
          think: { fixed: '100us' },
          syscalls: [{ name: write ? 'write' : 'read', rate: 1, args: [3, 'pointer', 4096], returns: 'arg2', io: { device: flavour === 'freebsd' ? 'ada2' : 'disk2', size: 'arg2', latency: { fixed: '400us' }, write, ...(flavour === 'illumos' ? { file: '/data/log' } : {}) } }],
        },
      ],
    });

  it('illumos: buf_t and dev_info behind bufinfo_t and devinfo_t', async () => {
    const r = await dtvm([
      '--workload',
      io('illumos', true),
      '-q',
      '-n',
      'io:::done /n++ == 1/ { printf("%s %s %d %d %d %d %s %s %d\\n", args[1]->dev_statname, args[1]->dev_name, args[1]->dev_major, args[1]->dev_minor, args[0]->b_bcount, args[0]->b_flags & B_WRITE, args[2]->fi_pathname, args[2]->fi_name, args[2]->fi_offset); exit(0); }',
    ]);
    assert.equal(r.stderr, '');
    // The second request of the thread's sequential writes to /data/log: at offset 4096.
    assert.equal(r.stdout, 'disk2 disk 7 130 4096 256 /data/log log 4096\n\n');
  });

  it('FreeBSD: struct bio and struct devstat, natively and through the translators', async () => {
    const r = await dtvm([
      '--workload',
      io('freebsd', false),
      '-q',
      '-n',
      'io:::start { printf("%s%d %d %d %s %s\\n", stringof(args[1]->device_name), args[1]->unit_number, args[0]->bio_bcount, args[0]->bio_cmd, xlate<devinfo_t *>(args[1])->dev_pathname, bio_cmd_string[xlate<bufinfo_t *>(args[0])->b_cmd]); exit(0); }',
    ]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'ada2 4096 1 /dev/ada2 READ\n\n');
  });

  it('illumos: a request with no file has no vnode', async () => {
    const path = workloadFile({ duration: '1ms', devices: [{ name: 'sd' }], processes: [{ execname: 'a', think: { fixed: '10us' }, syscalls: [{ name: 'read', rate: 1, io: { device: 'sd0' } }] }] });
    const r = await dtvm(['--workload', path, '-q', '-n', 'io:::start { printf("%s %s %d\\n", args[2]->fi_pathname, args[2]->fi_fs, args[2]->fi_offset); exit(0); }']);
    assert.equal(r.stdout, '<unknown> <none> -1\n\n');
  });

  it('macOS: struct buf, its device as a dev_t', async () => {
    const r = await dtvm(['--workload', io('macos', false), '-q', '-n', 'io:::start { printf("%s %d %d\\n", args[1]->dev_statname, args[1]->dev_major, args[0]->b_flags & B_READ); exit(0); }']);
    assert.equal(r.stderr, '');
    // dev_t on macOS: major in the top byte, minor below: 7 << 24 | 130.
    assert.equal(r.stdout, `${(7 << 24) | 130} 7 1\n\n`);
  });
});

describe('workload: Linux', () => {
  it('typed system call arguments from the flavour\'s catalogue, paths read with copyinstr, no sched provider', async () => {
    const path = workloadFile({
      flavour: 'linux',
      duration: '10ms',
      processes: [{ execname: 'make', pid: 3000, think: { fixed: '1ms' }, syscalls: [{ name: 'openat', rate: 1, args: [-100, { string: '/usr/include/stdio.h' }, 0], returns: 3, latency: '3us' }] }],
    });
    const r = await dtvm(['--workload', path, '-q', '-n', 'syscall::openat:entry { printf("%d %d %s %d\\n", pid, tid, copyinstr(arg1), args[0]); } syscall::openat:return { @ = count(); } END { printa("%@d returns\\n", @); }']);
    assert.equal(r.stderr, '');
    // entries at 1ms + k * 1.003ms: k = 0..8 within 10ms (returns too).
    assert.equal(r.stdout, '3000 3000 /usr/include/stdio.h -100\n'.repeat(9) + '9 returns\n\n');
    const sched = await dtvm(['--workload', path, '-n', 'sched:::on-cpu { }']);
    assert.match(sched.stderr, /probe description sched:::on-cpu does not match any probes/);
  });
});

describe('workload: drops', () => {
  it('100000 calls a second overflow a 4 KiB buffer switched ten times a second', async () => {
    // Without the tuning hint (its re-simulations are tested with the tuning code).
    const hints = process.env.DTVM_HINTS;
    process.env.DTVM_HINTS = '0';
    let r;
    try {
      r = await dtvm(['--workload', DROPS, '-q', '-x', 'bufsize=4k', '-x', 'switchrate=10hz', '-n', 'syscall::getpid:entry { trace(arg0); }']);
    } finally {
      if (hints === undefined) delete process.env.DTVM_HINTS;
      else process.env.DTVM_HINTS = hints;
    }
    // getpid enters every 10us from 9us: 10000 times per 100ms switch interval. A record is
    // a 12-byte header padded to 16 plus the 8-byte value: 24 bytes, so 4096 / 24 = 170 fit and
    // 9830 are dropped, in each of the 10 intervals.
    assert.equal(r.stderr, 'dtrace: 9830 drops on CPU 0\n'.repeat(10));
    assert.equal(r.stdout, '0'.repeat(1700) + '\n');
  });
});

describe('workload: seeds and recording', () => {
  it('--record writes the same trace for the same seed, another for another seed; the trace replays to the same output', async () => {
    const dir = tempDir();
    const script = 'syscall::read:return { @[execname] = quantize(arg0); } io:::start { @b[args[1]->dev_statname] = sum(args[0]->b_bcount); }';
    const run = (file: string, seed: string): ReturnType<typeof dtvm> => dtvm(['--workload', DATABASE, '--seed', seed, '--record', join(dir, file), '-n', script]);
    const a = await run('a.ndjson', '5');
    await run('b.ndjson', '5');
    await run('c.ndjson', '6');
    const [ta, tb, tc] = ['a', 'b', 'c'].map((n) => readFileSync(join(dir, `${n}.ndjson`)));
    assert.ok(ta!.length > 1_000_000);
    assert.ok(ta!.equals(tb!));
    assert.ok(!ta!.equals(tc!));
    assert.match(ta!.toString('utf8', 0, 400), /"source":"dtvm workload database.json seed 5"/);
    const replay = await dtvm(['--trace', join(dir, 'a.ndjson'), '-n', script]);
    assert.equal(replay.stdout, a.stdout);
    assert.match(a.stdout, /sd0 +\d+\n/);
  });
});

describe('workload: errors', () => {
  it('a mistake in the file: file:line:column and exit status 1', async () => {
    const path = join(tempDir(), 'bad.json');
    writeFileSync(path, '{\n  "workload": 1,\n  "ncpus": "four",\n  "processes": []\n}\n');
    const r = await dtvm(['--workload', path, '-n', 'BEGIN { exit(0); }']);
    assert.equal(r.stderr, `${path}:3:12: "ncpus" must be an integer from 1 to 1024\n`);
    assert.equal(r.stdout, '');
    assert.equal(r.status, 1);
  });

  it('a system call the flavour does not have (at its name), and a missing file', async () => {
    const path = workloadText('{"workload": 1, "processes": [{"execname": "a",\n  "syscalls": [{"name": "frobnicate", "rate": 1}]}]}');
    assert.equal(await workloadError(path), `${path}:2:25: "frobnicate" is not a system call of illumos\n`);
    const missing = await dtvm(['--workload', '/nonexistent/w.json', '-n', 'BEGIN { exit(0); }']);
    assert.equal(missing.stderr, 'dtvm: failed to open workload /nonexistent/w.json: No such file or directory\n');
    assert.equal(missing.status, 1);
  });

  it('io on a flavour without an io provider (at the "io")', async () => {
    const path = workloadText('{"workload": 1, "flavour": "linux", "devices": [{"name": "sda"}],\n  "processes": [{"execname": "a", "syscalls": [{"name": "read", "rate": 1, "io": {"device": "sda0"}}]}]}');
    assert.equal(await workloadError(path), `${path}:2:82: linux has no io provider; remove "io" or choose another flavour\n`);
  });

  it('more arguments than the flavour\'s catalogue gives the call (at the first one too many)', async () => {
    const path = workloadText('{"workload": 1, "flavour": "linux",\n  "processes": [{"execname": "a", "syscalls": [{"name": "read", "rate": 1, "args": [3, "pointer", 10, 4]}]}]}');
    assert.equal(await workloadError(path), `${path}:2:103: read() takes 3 arguments on linux; the workload gives 4\n`);
  });

  it('JSON nested without end: a located error, not a stack overflow', async () => {
    const path = workloadText('['.repeat(200_000), 'deep.json');
    assert.equal(await workloadError(path), `${path}:1:257: arrays and objects nested more than 256 deep\n`);
  });

  it('a number beyond a double\'s range is refused as written, not read as infinity', async () => {
    const path = workloadText('{"workload": 1, "processes": [{"execname": "a", "syscalls": [{"name": "read", "rate": 1e400}]}]}', 'inf.json');
    assert.equal(await workloadError(path), `${path}:1:87: the number 1e400 is beyond the range of a double (about ±1.8e308)\n`);
    const negative = workloadText('{"workload": 1, "duration": -2E+999, "processes": []}', 'inf.json');
    assert.equal(await workloadError(negative), `${negative}:1:29: the number -2E+999 is beyond the range of a double (about ±1.8e308)\n`);
  });
});

describe('workload: 64-bit argument and return values', () => {
  const BIG = '{"workload": 1, "duration": "10ms", "processes": [{"execname": "a", "think": {"fixed": "4ms"}, "syscalls": [{"name": "read", "rate": 1,\n  "args": ["9007199254740993", "18446744073709551615", 3], "returns": "arg1"}, {"name": "write", "rate": 1e-9, "args": [{"choice": ["-9223372036854775808"]}, "4k", "1.5k"], "returns": {"fixed": "9223372036854775807"}}]}]}';
  const SCRIPT = 'syscall::read:entry { printf("%d %u %d\\n", arg0, arg1, arg2); } syscall::read:return { printf("%u %d\\n", arg0, arg1); }';
  const EXPECTED = '9007199254740993 18446744073709551615 3\n18446744073709551615 -1\n'.repeat(2) + '\n';

  it('integer strings are exact: replayed and recorded as written', async () => {
    const path = workloadText(BIG);
    const r = await dtvm(['--workload', path, '-q', '-n', SCRIPT]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, EXPECTED);
    assert.equal(r.status, 0);

    const trace = join(tempDir(), 'big.ndjson');
    const recorded = await dtvm(['--workload', path, '--record', trace, '-q', '-n', SCRIPT]);
    assert.equal(recorded.stderr, '');
    assert.equal(recorded.stdout, EXPECTED);
    assert.equal(recorded.status, 0);
    const lines = readFileSync(trace, 'utf8').split('\n');
    assert.ok(lines.includes('[0,1004000000,0,100,1,1,0,0,"a",0,["9007199254740993","18446744073709551615",3]]'), lines.join('\n'));
    assert.ok(lines.includes('[1,1004001000,0,100,1,1,0,0,"a",0,["18446744073709551615","18446744073709551615"]]'), lines.join('\n'));
    const replay = await dtvm(['--trace', trace, '-q', '-n', SCRIPT]);
    assert.equal(replay.stderr, '');
    assert.equal(replay.stdout, EXPECTED);
  });

  it('the extremes, sizes and exact choices of a word', async () => {
    const path = workloadText(BIG.replace('"rate": 1e-9', '"rate": 1e9').replace('"name": "read", "rate": 1,', '"name": "read", "rate": 1e-9,'));
    const r = await dtvm(['--workload', path, '-q', '-n', 'syscall::write:entry { printf("%d %d %d\\n", arg0, arg1, arg2); } syscall::write:return { printf("%d %x\\n", arg0, arg1); }']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '-9223372036854775808 4096 1536\n9223372036854775807 7fffffffffffffff\n'.repeat(2) + '\n');
  });

  it('values beyond 64 bits, non-integers and rounded JSON numbers are refused at their place', async () => {
    const call = (member: string): string => workloadText(`{"workload": 1, "processes": [{"execname": "a", "syscalls": [{"name": "read", "rate": 1,\n  ${member}}]}]}`);
    const beyond = call('"args": [3, "18446744073709551616"]');
    assert.equal(await workloadError(beyond), `${beyond}:2:15: expected a 64-bit integer (from -2^63 to 2^64-1), found "18446744073709551616"\n`);
    const below = call('"returns": "-9223372036854775809"');
    assert.equal(await workloadError(below), `${below}:2:14: expected a 64-bit integer (from -2^63 to 2^64-1), found "-9223372036854775809"\n`);
    const fraction = call('"args": [1.5]');
    assert.equal(await workloadError(fraction), `${fraction}:2:12: expected an integer, found 1.5\n`);
    const rounded = call('"args": [9007199254740993]');
    assert.equal(await workloadError(rounded), `${rounded}:2:12: a JSON number beyond 2^53-1, which JSON readers round: write it as a decimal string\n`);
    const size = call('"returns": {"choice": ["1.3k", 1]}');
    assert.equal(await workloadError(size), `${size}:2:26: expected an integer, found "1.3k"\n`);
    const junk = call('"args": ["many"]');
    assert.equal(await workloadError(junk), `${junk}:2:12: expected a 64-bit integer (from -2^63 to 2^64-1) or a size ("4k"), found "many"\n`);
  });
});
