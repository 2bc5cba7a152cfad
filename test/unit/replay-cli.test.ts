// Replaying trace files through the real dtvm command line (`--trace`): probes matched and
// added from the header, the trace's clock, user memory for copyin and friends, process
// events behind psargs/execargs/progenyof, 64-bit arguments, listing, malformed traces,
// skip mode and recording. Expected outputs are worked out by hand from the fixture.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { dtvm } from '../support/runDtvm';

const FIXTURES = join(__dirname, '..', 'fixtures', 'traces');
/** A Linux trace: sh runs cat /etc/hostname (exec events), bash opens unrecorded memory, myapp's probe is not in the catalogue. */
const LINUX = join(FIXTURES, 'replay-linux.ndjson');
const MALFORMED = join(FIXTURES, 'malformed');

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dtvm-replay-')), name);
  writeFileSync(path, text);
  return path;
}

describe('replay: firings and built-in variables', () => {
  it('counts system calls by execname (probes matched by description; the dtrace provider is not replayed)', async () => {
    const r = await dtvm(['-q', '-n', 'syscall:::entry { @[execname] = count(); } BEGIN { n++; } END { printa("%s %@d\\n", @); printf("BEGIN %d\\n", n); }', '--trace', LINUX]);
    // entries: openat (cat), read (cat, twice), write (cat), openat (bash); the trace's own
    // dtrace:::BEGIN firing does not fire BEGIN a second time.
    assert.equal(r.stderr, '');
    // dtrace(1) ends its output with a newline when tracing stops.
    assert.equal(r.stdout, 'bash 1\ncat 4\nBEGIN 1\n\n');
    assert.equal(r.status, 0);
  });

  it('a program that reads no argument counts the same firings; one that does reads each firing\'s own (dtvm decodes them only then)', async () => {
    const TINY = join(FIXTURES, 'tiny.ndjson');
    const run = async (script: string): Promise<string> => {
      const r = await dtvm(['-q', '-n', script, '--trace', TINY]);
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      return r.stdout;
    };
    // read entries: cat twice (arg2 4096 each), we"ird é once (arg2 1); returns: cat 1043 and 0, we"ird é -1.
    assert.equal(await run('syscall::read:entry /execname == "cat"/ { @n = count(); } END { printa("%@d\\n", @n); }'), '2\n\n');
    assert.equal(await run('syscall::read:entry /execname == "cat"/ { @n = sum(arg2); } END { printa("%@d\\n", @n); }'), '8192\n\n');
    assert.equal(await run('syscall::read:return { @n = sum(arg1); } END { printa("%@d\\n", @n); }'), '1042\n\n');
    assert.equal(await run('syscall::read:entry { @n = sum(arg2); } syscall::read:return { @r = count(); } END { printa("%@d %@d\\n", @n, @r); }'), '8193 3\n\n');
  });

  it('runs on the trace clock: timestamp reads the recorded values, walltimestamp follows the header, END at the end record', async () => {
    const r = await dtvm([
      '-q',
      '-n',
      'BEGIN { printf("%d %d\\n", timestamp, walltimestamp); } syscall::openat:return { printf("%d %d\\n", timestamp, walltimestamp); } tick-100ms { n++; } END { printf("%d %d\\n", timestamp, n); }',
      '--trace',
      LINUX,
    ]);
    // Start 1000000000 (wall 1700000000000000000); openat returns at +2000 ns; the end record
    // is at 2000000000, and tick-100ms fires at 1.1 s ... 1.9 s: 9 times (not at 2.0 s, where
    // the trace has already ended).
    assert.equal(r.stdout, '1000000000 1700000000000000000\n1000002000 1700000000000002000\n2000000000 9\n\n');
    assert.equal(r.status, 0);
  });

  it('passes 64-bit arguments beyond 2^53 exactly, to printf and trace', async () => {
    const r = await dtvm(['-q', '-n', 'myapp:::request /tid == 801/ { printf("%u %d %u %d|", arg0, arg0, arg1, arg1); trace(arg0); trace(args[1]); }', '--trace', LINUX]);
    // arg0 = 2^64-1, arg1 = -2^63; trace() prints an 8-byte value signed.
    assert.equal(r.stdout, '18446744073709551615 -1 9223372036854775808 -9223372036854775808|-1-9223372036854775808\n');
    const big = await dtvm(['-q', '-n', 'myapp:::request /tid == 802/ { printf("%u %d ", arg0, args[1]); trace(args[0] + 1); }', '--trace', LINUX]);
    // 2^53 + 1 = 9007199254740993 (a double would say ...992), and 2^53 + 2.
    assert.equal(big.stdout, '9007199254740993 9007199254740993 9007199254740994\n');
  });

  it('adds probes the catalogue lacks, typed by the header', async () => {
    const r = await dtvm(['-q', '-n', 'myapp:server:handle:request { printf("%s %s\\n", probeprov, copyinstr((uintptr_t)args[2])); }', '--trace', LINUX]);
    // args[2] is a char * (header): both firings are on different CPUs, CPU 0 first.
    assert.equal(r.stdout, 'myapp POST /x\nmyapp GET /\n\n');
    const wrong = await dtvm(['-e', '-n', 'myapp:::request { x = args[3]; }', '--trace', LINUX]);
    assert.equal(wrong.status, 1);
    assert.equal(wrong.stderr, 'dtrace: invalid probe specifier myapp:::request { x = args[3]; }: in action list: index 3 is out of range for myapp:::request args[ ]\n');
  });
});

describe('replay: probes the trace fires that the VM would fire itself', () => {
  const PROFILE = join(FIXTURES, 'replay-profile.ndjson');

  it('recorded profile-N firings replace the engine\'s own ticks; a new syscall joins the flavour\'s provider', async () => {
    const r = await dtvm([
      '-q',
      '-n',
      'profile-997 { @[execname, cpu] = count(); } syscall::futex_waitv2:entry { printf("%s %d %s\\n", probefunc, args[0], probemod); } syscall::read:entry { x++; } END { printa("%s %d %@d\\n", @); }',
      '--trace',
      PROFILE,
    ]);
    // Three recorded profile-997 firings (make on CPU 0, cc1 twice on CPU 1) and none of the
    // ~2991 per CPU the engine would tick over the trace's 3 s; read:entry, which the trace
    // does not offer, still compiles (the flavour's provider keeps its probes).
    assert.equal(r.stdout, 'futex_waitv2 7 linux\nmake 0 1\ncc1 1 2\n\n');
    assert.equal(r.status, 0);
  });

  it('-l with a description lists only what the trace offers', async () => {
    const header = '   ID   PROVIDER            MODULE                          FUNCTION NAME\n';
    // futex_waitv2 is appended after the 714 probes of the linux syscall provider (ids 1-16
    // are dtrace and profile's).
    assert.equal((await dtvm(['-l', '-P', 'syscall', '--trace', PROFILE])).stdout, `${header}  715    syscall             linux                      futex_waitv2 entry\n`);
    assert.equal((await dtvm(['-l', '-n', 'syscall::read:entry', '--trace', PROFILE])).stdout, header);
  });
});

describe('replay: user memory', () => {
  it('copyinstr reads the recorded path; unrecorded memory faults with DTrace\'s message', async () => {
    const r = await dtvm(['-q', '-n', 'syscall::openat:entry { printf("%s %s\\n", execname, copyinstr(arg1)); }', '--trace', LINUX]);
    assert.equal(r.stdout, 'cat /etc/hostname\n\n');
    // bash's arg1 = 140737488356000 = 0x8000000002a0 was not recorded. The copyinstr is the
    // printf's second argument (action #2); its DIF: ldgs 0, flushts 4, pushtv 8, call 12.
    // Probe 513 is syscall:linux:openat:entry (see the listing test).
    assert.equal(r.stderr, 'dtrace: error on enabled probe ID 1 (ID 513: syscall:linux:openat:entry): invalid address (0x8000000002a0) in action #2 at DIF offset 12\n');
    assert.equal(r.status, 0);
  });

  const memoryTrace = [
    '{"type":"header","format":"dtvm-trace","version":1,"platform":"linux-x86_64","ncpus":1,"timestamp":0,"walltimestamp":0,"probes":[{"provider":"syscall","module":"linux","function":"read","name":"return","args":["long","long"]}]}',
    // 8 bytes 01..08 at 4096 (base64), "hello" + NUL at 8192 (text), "hello" without NUL at 12288.
    '[0,10,0,5,5,1,0,0,"t",0,[4096,8192],{"4096":{"base64":"AQIDBAUGBwg="},"8192":"hello","12288":{"base64":"aGVsbG8="}}]',
    '{"type":"end","timestamp":20,"firings":1,"events":0}',
  ].join('\n');

  it('copyin, copyinstr with a limit, copyinto read the recorded bytes', async () => {
    const trace = tempFile('memory.ndjson', memoryTrace);
    const r = await dtvm([
      '-q',
      '-n',
      'syscall::read:return { printf("%x %s %s %s|", *(int *)copyin(arg0, 4), copyinstr(arg1, 3), copyinstr(arg1 + 2), copyinstr(arg1, 0)); this->p = alloca(2); copyinto(arg0 + 6, 2, this->p); printf("%x", *(short *)this->p); }',
      '--trace',
      trace,
    ]);
    // Little-endian 01 02 03 04 = 0x4030201; copyinstr(a, 3) copies 4 bytes and keeps 3;
    // "llo" from the middle; a limit of 0 gives the empty string; bytes 07 08 = 0x807.
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '4030201 hel llo |807\n');
  });

  it('faults at the first byte the trace does not have', async () => {
    const trace = tempFile('memory.ndjson', memoryTrace);
    const r = await dtvm(['-q', '-n', 'syscall::read:return { trace(*(char *)copyin(arg0, 12)); }', '-n', 'syscall::read:return { trace(copyinstr(12288)); }', '--trace', trace]);
    // 8 of the 12 bytes are there: the copy faults at 4096 + 8 = 0x1008. The unterminated
    // "hello" at 12288 runs into missing memory at 12293 = 0x3005. Probe 25 is read:return
    // (the linux catalogue's 25th probe: nothing is added for this trace). The calls are the
    // 9th and 7th instructions of their DIF (the int constants are sign-extended with
    // setx/sll/sra before they are pushed): offsets 32 and 24.
    assert.equal(
      r.stderr,
      'dtrace: error on enabled probe ID 1 (ID 25: syscall:linux:read:return): invalid address (0x1008) in action #1 at DIF offset 32\n' +
        'dtrace: error on enabled probe ID 2 (ID 25: syscall:linux:read:return): invalid address (0x3005) in action #1 at DIF offset 24\n',
    );
    assert.equal(r.stdout, '\n');
  });
});

describe('replay: process events', () => {
  it('exec events give psargs and the ancestry progenyof() walks; execname stays the firing\'s', async () => {
    const r = await dtvm([
      '-q',
      '-n',
      'syscall::read:entry, syscall::openat:entry { printf("%s|%s|%d|%d %d %d\\n", curpsinfo->pr_psargs, execname, curpsinfo->pr_ppid, progenyof(700), progenyof(1), progenyof(702)); }',
      '--trace',
      LINUX,
    ]);
    // cat (701) was exec'd by sh (700), itself a child of 1: progenyof(1) walks 701 -> 700 -> 1.
    // bash (702) had no exec event: its psargs is its name; it descends from 1 (and is 702).
    assert.equal(
      r.stdout,
      'cat /etc/hostname|cat|700|1 1 0\ncat /etc/hostname|cat|700|1 1 0\ncat /etc/hostname|cat|700|1 1 0\nbash|bash|1|0 1 1\n\n',
    );
  });

  it('FreeBSD traces give execargs from exec events', async () => {
    const r = await dtvm(['-q', '-n', 'syscall::read:entry /pid == 501/ { printf("%s|%s\\n", execargs, execname); }', '--trace', join(FIXTURES, 'tiny.ndjson')]);
    assert.equal(r.stdout, 'cat /etc/motd|cat\ncat /etc/motd|cat\n\n');
  });
});

describe('replay: listing and choosing', () => {
  it('-l --trace lists the probes the trace offers', async () => {
    const r = await dtvm(['-l', '--trace', LINUX]);
    assert.equal(
      r.stdout,
      [
        '   ID   PROVIDER            MODULE                          FUNCTION NAME',
        '    1     dtrace                                                     BEGIN',
        '   17      myapp            server                            handle request',
        '   25    syscall             linux                              read entry',
        '   27    syscall             linux                             write entry',
        '  513    syscall             linux                            openat entry',
        '  514    syscall             linux                            openat return',
        '',
      ].join('\n'),
    );
    const matching = await dtvm(['-l', '-n', 'syscall::openat:', '--trace', LINUX]);
    assert.equal(matching.stdout.split('\n').slice(1).join('\n'), '  513    syscall             linux                            openat entry\n  514    syscall             linux                            openat return\n');
  });

  it('the trace decides the flavour; a different --flavour is an error', async () => {
    const r = await dtvm(['-q', '--flavour', 'freebsd', '-n', 'BEGIN { exit(0); }', '--trace', LINUX]);
    assert.equal(r.stderr, 'dtvm: --flavour freebsd does not match the trace, recorded on linux-x86_64 (flavour linux)\n');
    assert.equal(r.status, 2);
    // The same flavour, said explicitly, is fine; a Linux-only type proves which library compiled.
    const same = await dtvm(['-q', '--flavour', 'linux', '-n', 'BEGIN { printf("%d", sizeof (umode_t)); exit(0); }', '--trace', LINUX]);
    assert.deepEqual(same, { status: 0, stdout: '2\n', stderr: '' });
    const auto = await dtvm(['-q', '-n', 'BEGIN { printf("%d", sizeof (umode_t)); exit(0); }', '--trace', LINUX]);
    assert.deepEqual(auto, { status: 0, stdout: '2\n', stderr: '' });
  });

  it('refuses two sources, a missing file, and options without their source', async () => {
    assert.deepEqual(await dtvm(['-n', 'BEGIN', '--trace', LINUX, '--workload', 'w.json']), {
      status: 2,
      stdout: '',
      stderr: 'dtvm: --trace and --workload cannot be used together: give one source of firings\n',
    });
    assert.deepEqual(await dtvm(['-n', 'BEGIN', '--trace', '/nonexistent/t.ndjson']), {
      status: 1,
      stdout: '',
      stderr: 'dtvm: failed to open trace /nonexistent/t.ndjson: No such file or directory\n',
    });
    assert.equal((await dtvm(['-n', 'BEGIN', '--skip-bad-records'])).stderr, 'dtvm: --skip-bad-records applies to --trace only\n');
    assert.equal((await dtvm(['--record', '/tmp/x.ndjson'])).stderr, 'dtvm: --record needs a source of firings (--trace, --strace-log, --workload, -c or -p)\n');
  });
});

describe('replay: malformed traces', () => {
  const script = 'syscall::read:entry { @ = count(); } END { printa("%@d\\n", @); }';

  it('a malformed record stops the run with file:line: what is wrong, status 1, no END', async () => {
    const file = join(MALFORMED, 'not-json.ndjson');
    const r = await dtvm(['-q', '-n', script, '--trace', file]);
    assert.deepEqual(r, { status: 1, stdout: '', stderr: `${file}:3: not valid JSON\n` });
    const header = join(MALFORMED, 'version-2.ndjson');
    assert.deepEqual(await dtvm(['-q', '-n', script, '--trace', header]), {
      status: 1,
      stdout: '',
      stderr: `${header}:1: unsupported format version 2 (this reader reads version 1)\n`,
    });
  });

  it('--skip-bad-records replays the good records and reports what it skipped', async () => {
    const file = join(MALFORMED, 'several-bad.ndjson');
    const r = await dtvm(['-q', '-n', script, '--trace', file, '--skip-bad-records']);
    // Lines 4 (1 argument), 6 (not JSON) and 8 (cpu 9 of 4) are skipped; lines 3, 5, 7, 9 are
    // read entries. The end record counted the bad firings too.
    assert.equal(r.stdout, '4\n\n');
    assert.equal(
      r.stderr,
      `dtvm: skipped 3 malformed records\ndtvm: warning: ${file}:10: the end record counts 7 firings, but the trace has 5 (3 bad records were skipped)\n`,
    );
    assert.equal(r.status, 0);
  });

  it('a bad user memory map found when the firing is replayed is an error too, or skipped', async () => {
    const trace = tempFile(
      'bad-memory.ndjson',
      [
        '{"type":"header","format":"dtvm-trace","version":1,"platform":"linux-x86_64","ncpus":1,"timestamp":0,"walltimestamp":0,"probes":[{"provider":"syscall","module":"linux","function":"read","name":"return","args":["long","long"]}]}',
        '[0,10,0,5,5,1,0,0,"t",0,[4096,0],{"4096":{"base64":"!!"}}]',
        '[0,11,0,5,5,1,0,0,"t",0,[4096,0]]',
        '{"type":"end","timestamp":20,"firings":2,"events":0}',
      ].join('\n'),
    );
    const strict = await dtvm(['-q', '-n', 'syscall::read:return { @ = count(); }', '--trace', trace]);
    assert.deepEqual(strict, { status: 1, stdout: '', stderr: `${trace}:2: memory at address 4096: "base64" must be non-empty standard padded base64\n` });
    const skip = await dtvm(['-q', '-n', 'syscall::read:return { @ = count(); } END { printa("%@d\\n", @); }', '--trace', trace, '--skip-bad-records']);
    assert.deepEqual(skip, { status: 0, stdout: '1\n\n', stderr: 'dtvm: skipped 1 malformed record\n' });
  });
});

describe('replay: recording', () => {
  it('--record without a script copies the trace (gzip by name); replaying the copy gives the same output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtvm-record-'));
    const copy = join(dir, 'copy.ndjson.gz');
    assert.deepEqual(await dtvm(['--record', copy, '--trace', LINUX]), { status: 0, stdout: '', stderr: '' });
    assert.equal(gunzipSync(readFileSync(copy)).toString('utf8'), readFileSync(LINUX, 'utf8'));
    const script = 'syscall:::entry { @[execname] = count(); } END { printa("%s %@d\\n", @); }';
    const again = await dtvm(['-q', '-n', script, '--trace', copy]);
    assert.equal(again.stdout, 'bash 1\ncat 4\n\n');
    // With a script, the run is replayed and recorded at once.
    const plain = join(dir, 'tee.ndjson');
    const tee = await dtvm(['-q', '-n', script, '--trace', copy, '--record', plain]);
    assert.equal(tee.stdout, 'bash 1\ncat 4\n\n');
    assert.equal(readFileSync(plain, 'utf8'), readFileSync(LINUX, 'utf8'));
  });
});

describe('-c: the command\'s end', () => {
  it('says how the command ended, as dtrace(1) does, and stops tracing', async () => {
    const ok = await dtvm(['-n', 'BEGIN { n = 0; } END { printf("%d", $target > 0); }', '-c', 'true']);
    assert.match(ok.stderr, /^dtrace: description 'BEGIN ' matched 2 probes\ndtrace: pid \d+ has exited\n$/);
    const failed = await dtvm(['-n', 'BEGIN { n = 0; }', '-c', 'false']);
    assert.match(failed.stderr, /\ndtrace: pid \d+ exited with status 1\n$/);
    // -q suppresses dtrace(1)'s notices.
    const quiet = await dtvm(['-q', '-n', 'END { printf("%d\\n", $target > 0); }', '-c', 'false']);
    assert.deepEqual(quiet, { status: 0, stdout: '1\n\n', stderr: '' });
  });
});
