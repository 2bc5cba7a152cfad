// 64-bit integers in JSON. JSON.parse turns every number into a double, which is exact only up
// to 2^53-1, so the format writes a 64-bit value as a JSON number when it is "safe" and as a
// decimal string otherwise; readers accept either form for any value. A number beyond the safe
// range has already been rounded by JSON.parse, so it is rejected, never used.

export const MAX_SAFE = Number.MAX_SAFE_INTEGER; // 2^53 - 1
export const U64_MAX = (1n << 64n) - 1n;
export const I64_MIN = -(1n << 63n);
export const I64_MAX = (1n << 63n) - 1n;
const BIG_MAX_SAFE = BigInt(MAX_SAFE);

// Canonical decimal: no sign on zero, no leading zeros, no '+', at most 20 digits (2^64-1 has 20).
const UNSIGNED_DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;
const SIGNED_DECIMAL = /^(?:0|-?[1-9][0-9]{0,19})$/;

/** What the writer puts in JSON for a 64-bit value: a number when exact, else a decimal string. */
export function encodeInt64(value: bigint): number | string {
  return value >= -BIG_MAX_SAFE && value <= BIG_MAX_SAFE ? Number(value) : value.toString();
}

/** An unsigned 64-bit value [0, 2^64-1] from its JSON form, or undefined when it is not one. */
export function decodeUint64(value: unknown): bigint | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  }
  if (typeof value === 'string' && UNSIGNED_DECIMAL.test(value)) {
    const big = BigInt(value);
    return big <= U64_MAX ? big : undefined;
  }
  return undefined;
}

/**
 * A 64-bit value from its JSON form, in [-2^63, 2^64-1]: either reading of the same bits is
 * accepted (-1 and 18446744073709551615 are both "all ones"), and kept as written so that a
 * round trip is exact; `asInt64`/`asUint64` pick one reading.
 */
export function decodeWord64(value: unknown): bigint | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  }
  if (typeof value === 'string' && SIGNED_DECIMAL.test(value)) {
    const big = BigInt(value);
    return big >= I64_MIN && big <= U64_MAX ? big : undefined;
  }
  return undefined;
}

/** A signed 64-bit value [-2^63, 2^63-1] (an int64_t such as walltimestamp) from its JSON form. */
export function decodeInt64(value: unknown): bigint | undefined {
  const big = decodeWord64(value);
  return big !== undefined && big <= I64_MAX ? big : undefined;
}

/** True for a JSON number that was an integer too large to survive JSON.parse (the usual writer mistake). */
export function isRoundedInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}

/** The signed (int64_t) reading of a 64-bit pattern. */
export function asInt64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

/** The unsigned (uint64_t) reading of a 64-bit pattern. */
export function asUint64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}

/** Whether a bigint fits the format's 64-bit word range [-2^63, 2^64-1]. */
export function isWord64(value: bigint): boolean {
  return value >= I64_MIN && value <= U64_MAX;
}
