// The aggregations as they stand at the pause: the consumer's totals plus what the kernel's
// per-CPU buffers hold since the last snapshot (an aggregation statement that just ran shows at
// once). Each aggregation is a table of keys and values; a histogram's rows expand by bucket.
import type { AggregationDesc, CompiledProgram, RecordType } from '../../codegen/program';
import { AggregationStore, type AggregationEntry } from '../../consume/aggregationStore';
import { averageSigned, divideByNormal, standardDeviation } from '../../consume/aggregationValues';
import { decodeLlquantize, decodeLquantize, llquantizeBounds, quantizeBucketValue } from '../../consume/histograms';
import type { RecordValue } from '../../vm/records';
import type { PanelAggregation, PanelBucket } from '../panelModel';
import type { ValueView } from './api';
import type { Execution } from './execution';

/** The current totals, entry by entry (the consumer's store is left untouched). */
function currentEntries(exec: Execution, program: CompiledProgram): { desc: AggregationDesc; entry: AggregationEntry }[] {
  const totals = exec.consumer.aggregationTotals;
  const pending = exec.rt.aggregations.flatMap((b) => b.peek());
  const entries: AggregationEntry[] = [];
  if (pending.length === 0) entries.push(...totals.all());
  else {
    const merged = new AggregationStore(program.aggregations);
    merged.merge(totals.all().map((e) => ({ id: e.id, cpu: 0, key: e.key, data: [...e.data] })));
    merged.merge(pending);
    const normals = new Map(totals.all().map((e) => [`${e.id}|${keyId(e.key)}`, e.normal]));
    for (const e of merged.all()) entries.push({ ...e, normal: normals.get(`${e.id}|${keyId(e.key)}`) ?? e.normal });
  }
  const out: { desc: AggregationDesc; entry: AggregationEntry }[] = [];
  for (const entry of entries) {
    const desc = program.aggregations[entry.id - 1];
    if (desc !== undefined) out.push({ desc, entry });
  }
  return out;
}

function keyId(key: RecordValue[]): string {
  return key.map((k) => (typeof k === 'bigint' ? k.toString(16) : Buffer.from(k).toString('hex'))).join(',');
}

/** A key record as text: integers by their type, strings up to their NUL. */
export function keyValueText(value: RecordValue, type: RecordType | undefined): string {
  if (typeof value === 'bigint') {
    if (type?.k === 'int') return (type.signed ? BigInt.asIntN(type.size * 8, value) : BigInt.asUintN(type.size * 8, value)).toString();
    return BigInt.asIntN(64, value).toString();
  }
  if (type?.k === 'string') {
    const z = value.indexOf(0);
    return Buffer.from(z < 0 ? value : value.subarray(0, z)).toString('utf8');
  }
  return `0x${Buffer.from(value).toString('hex')}`;
}

export function valueText(desc: AggregationDesc, e: AggregationEntry): string {
  switch (desc.fn) {
    case 'avg':
      return averageSigned(e.data, e.normal).toString();
    case 'stddev':
      return standardDeviation(e.data, e.normal).toString();
    case 'quantize':
    case 'lquantize':
    case 'llquantize': {
      const n = buckets(desc, e).reduce((sum, b) => sum + b.count, 0);
      return `${n} value${n === 1 ? '' : 's'}`;
    }
    default:
      return BigInt.asIntN(64, divideByNormal(e.data[0] ?? 0n, e.normal)).toString();
  }
}

/** Every bucket of a histogram, labelled with its lower bound as dtrace prints it. */
export function buckets(desc: AggregationDesc, e: AggregationEntry): PanelBucket[] {
  const count = (v: bigint | undefined): number => Number(BigInt.asIntN(64, divideByNormal(v ?? 0n, e.normal)));
  if (desc.fn === 'quantize') return e.data.map((c, i) => ({ label: quantizeBucketValue(i).toString(), count: count(c) }));
  if (desc.fn === 'lquantize') {
    const p = decodeLquantize(e.data[0]!);
    const counts = e.data.slice(1);
    return counts.map((c, i) => ({
      label: i === 0 ? `< ${p.base}` : i === counts.length - 1 ? `>= ${p.base + p.levels * p.step}` : String(p.base + (i - 1) * p.step),
      count: count(c),
    }));
  }
  if (desc.fn === 'llquantize') {
    const bounds = llquantizeBounds(decodeLlquantize(e.data[0]!));
    const counts = e.data.slice(1);
    return counts.map((c, i) => ({
      label: i === 0 ? `< ${bounds[0]}` : i >= bounds.length ? `>= ${bounds[bounds.length - 1]}` : String(bounds[i - 1]),
      count: count(c),
    }));
  }
  return [];
}

function aggregationName(desc: AggregationDesc): string {
  return desc.name === '_' ? '@' : `@${desc.name}`;
}

export function aggregationViews(exec: Execution, program: CompiledProgram): ValueView[] {
  const all = currentEntries(exec, program);
  return program.aggregations.map((desc) => {
    const rows = all.filter((x) => x.desc === desc).map((x) => x.entry);
    return {
      name: aggregationName(desc),
      value: `${desc.fn}() [${rows.length} key${rows.length === 1 ? '' : 's'}]`,
      type: desc.fn,
      children: () =>
        rows.map((e) => {
          const name = e.key.length === 0 ? '[]' : `[${e.key.map((k, i) => keyValueText(k, desc.keys[i])).join(', ')}]`;
          const histogram = desc.fn === 'quantize' || desc.fn === 'lquantize' || desc.fn === 'llquantize';
          if (!histogram) return { name, value: valueText(desc, e), type: desc.fn };
          const bs = buckets(desc, e);
          return { name, value: valueText(desc, e), type: desc.fn, children: () => bs.filter((b) => b.count !== 0).map((b) => ({ name: b.label, value: String(b.count) })) };
        }),
    };
  });
}

export function panelAggregations(exec: Execution, program: CompiledProgram, lineOf: (desc: AggregationDesc) => number | undefined): PanelAggregation[] {
  const all = currentEntries(exec, program);
  return program.aggregations.map((desc) => {
    const line = lineOf(desc);
    return {
      name: aggregationName(desc),
      func: desc.fn,
      ...(line !== undefined ? { line } : {}),
      rows: all
        .filter((x) => x.desc === desc)
        .map(({ entry }) => {
          const histogram = desc.fn === 'quantize' || desc.fn === 'lquantize' || desc.fn === 'llquantize';
          return {
            keys: entry.key.map((k, i) => keyValueText(k, desc.keys[i])),
            value: valueText(desc, entry),
            ...(histogram ? { buckets: buckets(desc, entry) } : {}),
          };
        }),
    };
  });
}
