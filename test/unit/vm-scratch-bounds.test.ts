// bcopy() and copyinto() write only into what this firing allocated from scratch
// (DTRACE_INSCRATCH), with the size taken as its full 64-bit value: a write that would run
// past the allocation, or a size beyond 32 bits, faults at the destination.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dtvm } from '../support/runDtvm';

const fault = (address: string, offset: number): string =>
  `dtrace: error on enabled probe ID 1 (ID 1: dtrace:::BEGIN): invalid address (${address}) in action #2 at DIF offset ${offset}\n`;

test('bcopy into the whole allocation works', async () => {
  const r = await dtvm(['-q', '-n', 'BEGIN { this->b = (char *)alloca(8); bcopy("abcdefgh", this->b, 8); printf("%c%c\\n", this->b[0], this->b[7]); exit(0); }']);
  assert.deepEqual(r, { status: 0, stdout: 'ah\n\n', stderr: '' });
});

test('bcopy that runs past the allocation faults at the destination', async () => {
  const r = await dtvm(['-q', '-n', 'BEGIN { this->b = (char *)alloca(8); bcopy("abcdefgh", this->b + 6, 4); exit(0); }']);
  assert.equal(r.stderr, fault('0x1000000006', 52));
});

test('a size beyond 32 bits is not cut down to its low bits', async () => {
  const r = await dtvm(['-q', '-n', 'BEGIN { this->b = (char *)alloca(8); bcopy("abcdefgh", this->b, 0x100000004); exit(0); }']);
  assert.equal(r.stderr, fault('0x1000000000', 32));
});
