// 64-bit values in JSON: numbers when exact, decimal strings otherwise; either form read back
// exactly; rounded numbers refused rather than used.
// Run: node --import tsx --test test/unit/trace-int64.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asInt64,
  asUint64,
  decodeInt64,
  decodeUint64,
  decodeWord64,
  encodeInt64,
  I64_MAX,
  I64_MIN,
  U64_MAX,
} from '../../server/src/trace/index.ts';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

describe('encodeInt64', () => {
  it('writes a number exactly up to 2^53-1 in magnitude and a decimal string beyond', () => {
    assert.equal(encodeInt64(0n), 0);
    assert.equal(encodeInt64(SAFE), Number.MAX_SAFE_INTEGER);
    assert.equal(encodeInt64(-SAFE), -Number.MAX_SAFE_INTEGER);
    assert.equal(encodeInt64(SAFE + 1n), '9007199254740992');
    assert.equal(encodeInt64(-SAFE - 1n), '-9007199254740992');
    assert.equal(encodeInt64(U64_MAX), '18446744073709551615');
    assert.equal(encodeInt64(I64_MIN), '-9223372036854775808');
  });

  it('round-trips through JSON.stringify / JSON.parse for every boundary and many random values', () => {
    const values = [0n, 1n, -1n, SAFE, SAFE + 1n, -SAFE, -SAFE - 1n, I64_MIN, I64_MAX, I64_MAX + 1n, U64_MAX, 1n << 53n, -(1n << 53n)];
    let seed = 12345n;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & U64_MAX;
      values.push(seed >> BigInt(i % 64), -(seed >> BigInt(63 + (i % 2))));
    }
    for (const value of values) {
      const back = decodeWord64(JSON.parse(JSON.stringify(encodeInt64(value))));
      assert.equal(back, value);
    }
  });
});

describe('decoding', () => {
  it('accepts numbers that are safe integers and canonical decimal strings of any size', () => {
    assert.equal(decodeUint64(42), 42n);
    assert.equal(decodeUint64('42'), 42n);
    assert.equal(decodeUint64('18446744073709551615'), U64_MAX);
    assert.equal(decodeWord64('-9223372036854775808'), I64_MIN);
    assert.equal(decodeWord64(-1), -1n);
    assert.equal(decodeInt64('9223372036854775807'), I64_MAX);
    assert.equal(decodeInt64(1e3), 1000n); // JSON's 1e3 is the integer 1000
  });

  it('refuses what is out of range, rounded or not canonical', () => {
    const refusedEverywhere: unknown[] = [
      2 ** 53, // already rounded by JSON.parse
      JSON.parse('18446744073709551615'),
      1.5,
      NaN,
      '01',
      '-0',
      '+1',
      ' 1',
      '1 ',
      '1e3',
      '0x10',
      '',
      '-',
      '18446744073709551616',
      '99999999999999999999',
      '100000000000000000000',
      null,
      true,
      [],
      {},
      1n,
    ];
    for (const value of refusedEverywhere) {
      assert.equal(decodeUint64(value), undefined, `uint64 ${String(value)}`);
      assert.equal(decodeWord64(value), undefined, `word64 ${String(value)}`);
      assert.equal(decodeInt64(value), undefined, `int64 ${String(value)}`);
    }
    assert.equal(decodeUint64(-1), undefined);
    assert.equal(decodeUint64('-1'), undefined);
    assert.equal(decodeWord64('-9223372036854775809'), undefined);
    assert.equal(decodeInt64('9223372036854775808'), undefined);
    assert.equal(decodeInt64('18446744073709551615'), undefined);
  });

  it('asInt64 and asUint64 give the two readings of the same bits', () => {
    assert.equal(asUint64(-1n), U64_MAX);
    assert.equal(asInt64(U64_MAX), -1n);
    assert.equal(asInt64(1n << 63n), I64_MIN);
    assert.equal(asUint64(I64_MIN), 1n << 63n);
    assert.equal(asInt64(5n), 5n);
  });
});
