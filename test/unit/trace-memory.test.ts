// User memory recorded with firings: what copyin()/copyinstr() will read, what is a fault
// (unrecorded bytes), lazy decoding (errors still name file:line), and the fixture with real
// shapes (a path, a read buffer, execve's argv array of pointers).
// Run: node --import tsx --test test/unit/trace-memory.test.ts
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openTrace, TraceFormatError, TraceMemory, type TraceFiring } from '../../server/src/trace/index.ts';

const FIXTURES = join(__dirname, '..', 'fixtures', 'traces');
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

describe('TraceMemory', () => {
  const memory = new TraceMemory(
    { '1000': 'abc', '1004': { base64: Buffer.from('xyz').toString('base64') }, '2000': { base64: 'AAECAw==' } },
    'm.ndjson',
    7,
  );

  it('reads recorded bytes; text values carry their NUL', () => {
    assert.deepEqual([...memory.read(1000n, 4)!], [0x61, 0x62, 0x63, 0]);
    assert.deepEqual([...memory.read(2001n, 3)!], [1, 2, 3]);
    assert.deepEqual([...memory.read(2000n, 0)!], []);
  });

  it('joins adjacent segments, and reads across them', () => {
    assert.equal(text(memory.read(1002n, 5)), 'c\0xyz');
    assert.deepEqual(
      memory.segments().map((s) => [s.address, s.bytes.length]),
      [
        [1000n, 4],
        [1004n, 3],
        [2000n, 4],
      ],
    );
  });

  it('gives undefined for any unrecorded byte (where a replayed copyin faults)', () => {
    assert.equal(memory.read(999n, 2), undefined);
    assert.equal(memory.read(1005n, 3), undefined);
    assert.equal(memory.read(3000n, 1), undefined);
    assert.equal(memory.read(2000n, -1), undefined);
  });

  it('readCString stops at the NUL or after max bytes, and needs the bytes up to there', () => {
    assert.equal(text(memory.readCString(1000n, 256)), 'abc');
    assert.equal(text(memory.readCString(1001n, 256)), 'bc');
    assert.equal(text(memory.readCString(1000n, 2)), 'ab');
    assert.equal(text(memory.readCString(1000n, 0)), '');
    assert.equal(text(memory.readCString(1004n, 3)), 'xyz'); // exactly the recorded bytes, no NUL needed
    assert.equal(memory.readCString(1004n, 4), undefined); // a 4th byte would be unrecorded
    assert.equal(memory.readCString(1500n, 1), undefined);
    assert.equal(text(memory.readCString(2000n, 10)), ''); // starts with a NUL
  });

  it('decodes on first use, and reports bad content with the record\'s file:line', () => {
    const bad = new TraceMemory({ '5': { base64: 'A===' } }, 'm.ndjson', 9);
    assert.throws(() => bad.read(5n, 1), (error: unknown) => {
      assert.ok(error instanceof TraceFormatError);
      assert.equal(error.message, 'm.ndjson:9: memory at address 5: "base64" must be non-empty standard padded base64');
      return true;
    });
    const past = new TraceMemory({ '18446744073709551614': 'ab' }, 'm.ndjson', 10);
    assert.throws(() => past.segments(), { message: 'm.ndjson:10: memory at address 18446744073709551614: its 3 bytes run past the end of the address space' });
  });
});

describe('the user-memory fixture', () => {
  it('holds a path, a binary read buffer, execve argv and a UTF-8 write buffer', async () => {
    const reader = await openTrace(join(FIXTURES, 'user-memory.ndjson'));
    const firings: TraceFiring[] = [];
    for await (const record of reader) if (record.kind === 'firing') firings.push(record);
    const [openat, read, execve, write] = firings;

    assert.equal(text(openat!.memory!.readCString(openat!.args[1]!, 256)), '/etc/passwd');
    assert.equal(openat!.args[0], -100n); // AT_FDCWD

    assert.deepEqual(
      [...read!.memory!.read(read!.args[1]!, Number(read!.args[0]))!],
      [0x72, 0x6f, 0x6f, 0x74, 0x3a, 0x78, 0x3a, 0x30, 0x00, 0xff, 0xfe, 0x01, 0x02, 0x03, 0x0a, 0x00],
    );

    // argv: an array of pointers ending in NULL, each pointing at a C string.
    const m = execve!.memory!;
    assert.equal(text(m.readCString(execve!.args[0]!, 256)), '/bin/ls');
    const argv: string[] = [];
    for (let i = 0n; ; i += 8n) {
      const pointer = Buffer.from(m.read(execve!.args[1]! + i, 8)!).readBigUInt64LE();
      if (pointer === 0n) break;
      argv.push(text(m.readCString(pointer, 256))!);
    }
    assert.deepEqual(argv, ['ls', '-l']);
    assert.equal(Buffer.from(m.read(execve!.args[2]!, 8)!).readBigUInt64LE(), 0n); // empty envp

    assert.equal(text(write!.memory!.read(write!.args[1]!, Number(write!.args[2]))), 'héllo wörld ✓\n');
    assert.equal(text(write!.memory!.readCString(94000000002000n, 256)), 'café ✓');
  });
});
