// DIF subroutines' documented edge cases, compiled from D and run through the engine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { runD, text, type VmRun } from '../support/vmRun.ts';

/** The first firing's data records (statements that record nothing left out), as text. */
function data(r: VmRun): string[] {
  const e = r.compiled.program.enablings[0]!;
  return r.sink.firings()[0]!.records.flatMap((v, i) => {
    const rec = e.actions[i]!.record;
    if (e.actions[i]!.size === 0) return [];
    if (typeof v !== 'bigint') return [text(v)];
    return [rec.k === 'int' && rec.signed ? BigInt.asIntN(rec.size * 8, v).toString() : v.toString()];
  });
}

/** BEGIN { trace(expr) ... }: each traced value (strings decoded up to their NUL). */
async function traced(...exprs: string[]): Promise<string[]> {
  const r = await runD(`BEGIN { ${exprs.map((e) => `trace(${e});`).join(' ')} }`);
  assert.deepEqual(r.sink.faults(), []);
  return data(r);
}

async function faultOf(expr: string) {
  const r = await runD(`BEGIN { trace(${expr}); }`);
  return r.sink.faults()[0];
}

describe('VM subroutines: strings', () => {
  it('strlen, strjoin, toupper, tolower', async () => {
    assert.deepEqual(await traced('strlen("")', 'strlen("hello")', 'strjoin("foo", "bar")', 'toupper("aBc-1")', 'tolower("AbC-1")'), [
      '0',
      '5',
      'foobar',
      'ABC-1',
      'abc-1',
    ]);
  });

  it('substr: negative index counts from the end, negative length trims the end', async () => {
    assert.deepEqual(
      await traced(
        'substr("hello world", 6)',
        'substr("hello world", 0, 5)',
        'substr("hello world", -5)',
        'substr("hello world", -5, 2)',
        'substr("hello world", 2, -3)',
        'substr("hello", 10)',
        'substr("hello", -10, 7)',
        'substr("hello", -10, 3)',
      ),
      ['world', 'hello', 'world', 'wo', 'llo wo', '', 'he', ''],
    );
  });

  it('index and rindex with positions, and the empty substring', async () => {
    assert.deepEqual(
      await traced(
        'index("foobarfoo", "foo")',
        'index("foobarfoo", "foo", 1)',
        'index("foobarfoo", "baz")',
        'index("foo", "", 10)',
        'index("foo", "o", -4)',
        'rindex("foobarfoo", "foo")',
        'rindex("foobarfoo", "foo", 5)',
        'rindex("foo", "", -1)',
        'rindex("foo", "o", -1)',
        'index("", "")',
      ),
      ['0', '6', '-1', '3', '1', '6', '0', '0', '-1', '0'],
    );
  });

  it('strchr, strrchr and strstr return the rest of the string, or NULL', async () => {
    assert.deepEqual(await traced('strchr("a/b/c", \'/\')', 'strrchr("a/b/c", \'/\')', 'strstr("hello", "ll")'), ['/b/c', '/c', 'llo']);
    const r = await runD('BEGIN { trace(strchr("abc", \'z\') == NULL); trace(strstr("abc", "zz") == NULL); }');
    assert.deepEqual(r.sink.firings()[0]!.records, [1n, 1n]);
  });

  it('strtok continues from where it stopped within one firing', async () => {
    const r = await runD('BEGIN { a = strtok("  one, two,three", ", "); b = strtok(NULL, ", "); c = strtok(NULL, ", "); trace(a); trace(b); trace(c); trace(strtok(NULL, ", ") == NULL); }');
    assert.deepEqual(data(r), ['one', 'two', 'three', '1']);
  });

  it('lltostr in every base; bad bases fault illop', async () => {
    assert.deepEqual(
      await traced('lltostr(0)', 'lltostr(-42)', 'lltostr(255, 16)', 'lltostr(0, 16)', 'lltostr(8, 8)', 'lltostr(5, 2)', 'lltostr(-1, 16)', 'lltostr(35, 36)'),
      ['0', '-42', '0xff', '0x0', '010', '101', '0xffffffffffffffff', 'z'],
    );
    assert.equal((await faultOf('lltostr(1, 1)'))?.fault, 3);
    assert.equal((await faultOf('lltostr(1, 37)'))?.fault, 3);
  });

  it('strtoll skips blanks, takes a sign and 0x in base 16', async () => {
    assert.deepEqual(
      await traced('strtoll("  -123abc")', 'strtoll("ff", 16)', 'strtoll("0x1F", 16)', 'strtoll("777", 8)', 'strtoll("zz", 36)', 'strtoll("junk")'),
      ['-123', '255', '31', '511', '1295', '0'],
    );
  });

  it('basename, dirname and cleanpath follow the kernel rules', async () => {
    assert.deepEqual(
      await traced(
        'basename("/usr/lib/libc.so")',
        'dirname("/usr/lib/libc.so")',
        'basename("/usr/lib/")',
        'dirname("/usr/lib/")',
        'basename("file")',
        'dirname("file")',
        'basename("/")',
        'dirname("/")',
        'basename("")',
        'dirname("/file")',
        'cleanpath("/a//b/./c/../d")',
        'cleanpath("/a/b/..")',
        'cleanpath("/../x")',
      ),
      ['libc.so', '/usr/lib', 'lib', '/usr', 'file', '.', '/', '/', '.', '/', '/a/b/d', '/a/', '/x'],
    );
  });

  it('json looks values up by dotted and indexed keys', async () => {
    const doc = '"{\\"a\\": {\\"b\\": [1, {\\"c\\": \\"x\\"}]}, \\"n\\": 4.5, \\"t\\": true}"';
    assert.deepEqual(await traced(`json(${doc}, "a.b[1].c")`, `json(${doc}, "n")`, `json(${doc}, "t")`, `json(${doc}, "a.b[0]")`, `json(${doc}, "a")`), [
      'x',
      '4.5',
      'true',
      '1',
      '{"b": [1, {"c": "x"}]}',
    ]);
    const r = await runD(`BEGIN { trace(json(${doc}, "nope") == NULL); }`);
    assert.deepEqual(r.sink.firings()[0]!.records, [1n]);
  });

  it('a result longer than strsize faults noscratch in strjoin', async () => {
    const r = await runD('BEGIN { trace(strjoin("0123456789", "0123456789")); }', { x: { strsize: '16' } });
    assert.equal(r.sink.faults()[0]?.fault, 5);
  });
});

describe('VM subroutines: numbers and addresses', () => {
  it('byte order conversions', async () => {
    assert.deepEqual(await traced('htons(0x1234)', 'ntohs(0x1234)', 'htonl(0x12345678)', 'htonll(0x0102030405060708)'), [
      String(0x3412),
      String(0x3412),
      String(0x78563412),
      String(0x0807060504030201n),
    ]);
  });

  it('inet_ntoa, inet_ntop and inet_ntoa6', async () => {
    const r = await runD(`BEGIN {
      this->a = (ipaddr_t *)alloca(4); *this->a = htonl(0xc0a80101); trace(inet_ntoa(this->a)); trace(inet_ntop(2, this->a));
      this->b = (uint8_t *)alloca(16);
      this->b[0] = 0xfe; this->b[1] = 0x80; this->b[14] = 0x12; this->b[15] = 0x34;
      trace(inet_ntop(26, (in6_addr_t *)this->b));
      this->b[0] = 0; this->b[1] = 0; this->b[10] = 0xff; this->b[11] = 0xff; this->b[12] = 10; this->b[13] = 1; this->b[14] = 2; this->b[15] = 3;
      trace(inet_ntop(26, (in6_addr_t *)this->b)); trace(inet_ntoa6((in6_addr_t *)this->b));
    }`);
    assert.deepEqual(r.sink.faults(), []);
    assert.deepEqual(data(r), ['192.168.1.1', '192.168.1.1', 'fe80::1234', '::ffff:10.1.2.3', '10.1.2.3']);
  });

  it('getmajor and getminor split a 64-bit dev_t', async () => {
    assert.deepEqual(await traced('getmajor(0x500000007)', 'getminor(0x500000007)'), ['5', '7']);
  });

  it('progenyof is true for the process itself and its parent', async () => {
    const r = await runD('BEGIN { trace(progenyof(pid)); trace(progenyof(1)); trace(progenyof(99999)); }');
    assert.deepEqual(r.sink.firings()[0]!.records, [1n, 1n, 0n]);
  });

  it('rand is derived from the virtual clock', async () => {
    const r = await runD('BEGIN { trace(rand()); }');
    assert.deepEqual(r.sink.firings()[0]!.records, [374441n]);
  });

  it('copyin and copyinstr fault badaddr at the user address', async () => {
    const f = await faultOf('copyinstr(0x1000)');
    assert.deepEqual([f?.fault, f?.value], [1, 0x1000n]);
    const g = await runD('BEGIN { trace(*(int *)copyin(0x2000, 4)); }');
    assert.deepEqual([g.sink.faults()[0]?.fault, g.sink.faults()[0]?.value], [1, 0x2000n]);
  });

  it('mutex and rwlock introspection fault on addresses we do not have', async () => {
    const f = await faultOf('mutex_owned((kmutex_t *)0x1000)');
    assert.deepEqual([f?.fault, f?.value], [1, 0x1000n]);
  });

  it('bcopy only writes into scratch', async () => {
    const r = await runD('BEGIN { this->p = (char *)alloca(8); bcopy("abcdefg", this->p, 8); trace(stringof(this->p)); }');
    assert.deepEqual(r.sink.faults(), []);
    assert.deepEqual(data(r), ['abcdefg']);
    const bad = await runD('BEGIN { bcopy("abc", (void *)0x1000, 4); }');
    assert.deepEqual([bad.sink.faults()[0]?.fault, bad.sink.faults()[0]?.value], [1, 0x1000n]);
  });
});
