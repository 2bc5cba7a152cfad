// The workload file: what it means (defaults, units, distributions) and how its mistakes are
// reported, at file:line:column of the value that is wrong.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Random } from '../../server/src/sources/workload/prng.ts';
import { parseWorkload, WorkloadError } from '../../server/src/sources/workload/index.ts';
import { scalar, wordSampler } from '../../server/src/sources/workload/values.ts';

const FILE = 'w.json';

function problem(text: string): string {
  try {
    parseWorkload(text, FILE);
  } catch (e) {
    assert.ok(e instanceof WorkloadError, String(e));
    return e.message;
  }
  assert.fail('the workload was accepted');
}

const minimal = (process: string): string => `{"workload": 1, "processes": [${process}]}`;

describe('workload file: meaning', () => {
  it('fills in defaults: illumos, one CPU, one second, seed 1, 10ms quantum, start at 1s / Nov 2023', () => {
    const w = parseWorkload(minimal('{"execname": "a", "syscalls": [{"name": "getpid", "rate": 10}]}'), FILE);
    assert.equal(w.flavour, 'illumos');
    assert.equal(w.ncpus, 1);
    assert.equal(w.duration, 1e9);
    assert.equal(w.seed, 1);
    assert.equal(w.quantum, 10e6);
    assert.equal(w.timestamp, 1_000_000_000n);
    assert.equal(w.walltimestamp, 1_700_000_000_000_000_000n);
    const p = w.processes[0]!;
    assert.deepEqual([p.count, p.threads, p.ppid, p.uid, p.gid, p.pid], [1, 1, 1, 0, 0, undefined]);
    assert.equal(p.syscalls[0]!.blocks, 0);
  });

  it('reads durations and sizes with units', () => {
    const at = {};
    assert.equal(scalar('20us', 'duration', at, undefined), 20_000);
    assert.equal(scalar('1.5ms', 'duration', at, undefined), 1_500_000);
    assert.equal(scalar('2s', 'duration', at, undefined), 2e9);
    assert.equal(scalar(750, 'duration', at, undefined), 750);
    assert.equal(scalar('4k', 'size', at, undefined), 4096);
    assert.equal(scalar('1MiB', 'size', at, undefined), 1 << 20);
    assert.equal(scalar('512', 'size', at, undefined), 512);
  });

  it('compiles distributions into samplers (a choice follows its weights)', () => {
    const w = parseWorkload(
      minimal('{"execname": "a", "syscalls": [{"name": "read", "rate": 10, "args": [{"choice": [3, 4], "weights": [3, 1]}, "pointer", {"uniform": ["1k", "2k"]}], "latency": {"fixed": "7us"}}]}'),
      FILE,
    );
    const call = w.processes[0]!.syscalls[0]!;
    const rng = new Random(5);
    assert.equal(call.latency(rng), 7000);
    const fd = call.args[0]!;
    assert.equal(fd.kind, 'value');
    let threes = 0;
    for (let i = 0; i < 40_000; i++) if (fd.kind === 'value' && fd.sample(rng) === 3n) threes++;
    assert.ok(Math.abs(threes / 40_000 - 0.75) < 0.01, `share of 3: ${threes / 40_000}`);
    const size = call.args[2]!;
    for (let i = 0; i < 1000; i++) {
      const v = size.kind === 'value' ? size.sample(rng) : -1n;
      assert.ok(typeof v === 'bigint' && v >= 1024n && v <= 2048n, String(v));
    }
  });
});

describe('workload file: 64-bit values', () => {
  it('computed draws (doubles) are rounded and kept within 64 bits', () => {
    const rng = new Random(3);
    const wide = wordSampler({ uniform: ['0', '18446744073709551615'] }, {}, undefined);
    const huge = wordSampler({ lognormal: { median: '1g', sigma: 40 } }, {}, undefined);
    const low = wordSampler({ normal: { mean: -1e30, stddev: 1 } }, {}, undefined);
    for (let i = 0; i < 2000; i++) {
      for (const v of [wide(rng), huge(rng)]) assert.ok(v >= 0n && v <= (1n << 64n) - 1n, String(v));
      assert.equal(low(rng), 0n); // a size: the tail below zero is cut at zero
    }
  });
});

describe('workload file: errors at file:line:column', () => {
  it('JSON syntax errors', () => {
    assert.equal(problem('{"workload": 1,\n  "ncpus": 2,\n}'), 'w.json:3:1: expected a member name in double quotes, found \'}\'');
    assert.equal(problem('{"workload": 1, "ncpus": 2} x'), "w.json:1:29: unexpected 'x' after the JSON value");
    assert.equal(problem('{"a": 1, "a": 2}'), 'w.json:1:10: duplicate member "a"');
  });

  it('the format version', () => {
    assert.equal(problem('{"processes": []}'), 'w.json:1:1: missing "workload": 1 (the format version)');
    assert.equal(problem('{"workload": 2}'), 'w.json:1:14: unsupported workload format version 2 (this dtvm reads version 1)');
  });

  it('unknown members name what is allowed', () => {
    assert.equal(
      problem('{"workload": 1,\n "cpus": 4}'),
      'w.json:2:10: unknown member "cpus" (expected one of "workload", "description", "flavour", "ncpus", "duration", "seed", "quantum", "start", "devices", "profile", "processes")',
    );
  });

  it('bad values point at the value', () => {
    assert.equal(problem('{"workload": 1, "flavour": "solaris", "processes": []}'), 'w.json:1:28: "flavour" must be one of freebsd, illumos, macos, linux');
    assert.equal(problem('{"workload": 1, "ncpus": 0, "processes": []}'), 'w.json:1:26: "ncpus" must be an integer from 1 to 1024');
    assert.equal(problem('{"workload": 1, "duration": "5 parsecs", "processes": []}'), 'w.json:1:29: expected a duration: nanoseconds, or a number with ns, us, ms or s ("20us"), found "5 parsecs"');
    assert.equal(problem('{"workload": 1, "processes": []}'), 'w.json:1:30: "processes" must list at least one process');
  });

  it('system calls: rate, distributions, errors, devices', () => {
    const call = (c: string): string => problem(minimal(`{"execname": "a",\n "syscalls": [${c}]}`));
    assert.equal(call('{"name": "read"}'), 'w.json:2:15: missing "rate" (calls per second of each thread)');
    assert.equal(call('{"name": "read", "rate": -1}'), 'w.json:2:40: "rate" must be positive');
    assert.equal(call('{"name": "read", "rate": 1, "latency": {"gaussian": 3}}'), 'w.json:2:54: expected one distribution (fixed, uniform, exponential, lognormal, normal, choice), found "gaussian"');
    assert.equal(call('{"name": "read", "rate": 1, "latency": {"lognormal": {"median": "1us"}}}'), 'w.json:2:68: missing "sigma"');
    assert.equal(call('{"name": "read", "rate": 1, "latency": {"uniform": ["2us", "1us"]}}'), 'w.json:2:74: high must not be below low');
    assert.equal(call('{"name": "read", "rate": 1, "latency": "arg2"}'), 'w.json:2:54: "arg2" (an entry argument) cannot be used here');
    assert.equal(call('{"name": "read", "rate": 1, "errors": {"probability": 1.5, "errno": 5}}'), 'w.json:2:69: "probability" must be a probability from 0 to 1');
    assert.equal(call('{"name": "read", "rate": 1, "io": {"device": "sd0"}}'), 'w.json:2:60: no "devices" are declared (add {"name": "sd", "instance": 0})');
  });

  it('profile probes are the profile provider\'s names', () => {
    assert.equal(
      problem('{"workload": 1, "profile": ["profile-997", "profile-0"], "processes": []}'),
      'w.json:1:44: expected a profile provider probe name: "profile-997", "profile-10ms", "tick-1s"',
    );
    assert.equal(problem('{"workload": 1, "profile": ["tick-1s", "tick-1s"], "processes": []}'), 'w.json:1:40: "tick-1s" is listed twice');
  });

  it('an unknown device names the declared ones', () => {
    assert.equal(
      problem('{"workload": 1, "devices": [{"name": "sd"}, {"name": "sd", "instance": 1}],\n "processes": [{"execname": "a", "syscalls": [{"name": "read", "rate": 1, "io": {"device": "sd2"}}]}]}'),
      'w.json:2:92: "sd2" is not a declared device (sd0, sd1)',
    );
  });
});
