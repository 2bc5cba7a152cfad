// An aggregation as structured output shows it (reference §10): one entry per key, then its name,
// sorted as printa sorts them, each with its keys and either the function's value under the
// function's name or, for the quantizing functions, the buckets dtrace would draw (one below the
// first non-empty bucket to one above the last) as {"value": lower bound, "count": n}. The
// under-range bucket of lquantize/llquantize has no lower bound of its own: it shows INT64_MIN.
import type { AggregationDesc } from '../../codegen/program';
import type { RecordValue } from '../../vm/records';
import { averageSigned, divideByNormal, standardDeviation } from '../aggregationValues';
import type { AggregationEntry } from '../aggregationStore';
import { decodeLlquantize, decodeLquantize, llquantizeBounds, printedRange, quantizeBucketValue, QUANTIZE_BUCKETS, QUANTIZE_ZERO } from '../histograms';
import { recordObject, type RecordEnv } from './records';
import { list, num, obj, str, type Field, type ObjectNode } from './tree';

const INT64_MIN = -(1n << 63n);

function bucket(value: bigint, count: bigint, normal: bigint): ObjectNode {
  return obj(['value', num(value)], ['count', num(divideByNormal(count, normal))]);
}

/** The buckets of a quantize/lquantize/llquantize value. */
export function buckets(desc: AggregationDesc, data: bigint[], normal: bigint): ObjectNode[] {
  const out: ObjectNode[] = [];
  if (desc.fn === 'quantize') {
    const [first, last] = printedRange(data, [QUANTIZE_ZERO - 1, QUANTIZE_ZERO + 1], QUANTIZE_BUCKETS - 2);
    for (let i = first; i <= last; i++) out.push(bucket(quantizeBucketValue(i), data[i] ?? 0n, normal));
    return out;
  }
  const counts = data.slice(1);
  if (desc.fn === 'lquantize') {
    const { base, step, levels } = decodeLquantize(data[0] ?? 0n);
    const [first, last] = printedRange(counts, [0, 2], levels + 1);
    for (let i = first; i <= last; i++) {
      const lower = i === 0 ? INT64_MIN : BigInt(base + (i - 1) * step);
      out.push(bucket(lower, counts[i] ?? 0n, normal));
    }
    return out;
  }
  const bounds = llquantizeBounds(decodeLlquantize(data[0] ?? 0n));
  const [first, last] = printedRange(counts, [0, 1], counts.length - 1);
  for (let i = first; i <= last && i < counts.length; i++) {
    out.push(bucket(i === 0 ? INT64_MIN : bounds[i - 1]!, counts[i] ?? 0n, normal));
  }
  return out;
}

/** The value fields of one entry: `"count": n` ... or `"buckets": [...]`. */
function valueFields(desc: AggregationDesc, e: AggregationEntry): Field[] {
  switch (desc.fn) {
    case 'quantize':
    case 'lquantize':
    case 'llquantize':
      return [['buckets', list(buckets(desc, e.data, e.normal))]];
    case 'avg':
      return [['avg', num(averageSigned(e.data, e.normal))]];
    case 'stddev':
      return [['stddev', num(standardDeviation(e.data, e.normal))]];
    default:
      return [[desc.fn, num(divideByNormal(e.data[0] ?? 0n, e.normal))]];
  }
}

function keysField(desc: AggregationDesc, key: RecordValue[], env: RecordEnv): Field {
  return ['keys', list(key.map((k, i) => recordObject(0, desc.keys[i] ?? { k: 'int', size: 8, signed: true }, k, env)))];
}

/** One aggregation's object: its entries, then its name (the order of dtrace(1)'s manual). */
export function aggregationObject(desc: AggregationDesc, entries: { key: RecordValue[]; entry: AggregationEntry }[], env: RecordEnv): ObjectNode {
  return obj(
    ['aggregation-data', list(entries.map(({ key, entry }) => obj(keysField(desc, key, env), ...valueFields(desc, entry))))],
    ['aggregation-name', str(desc.name)],
  );
}
