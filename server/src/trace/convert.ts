// Converting a trace between its two forms, NDJSON and binary (docs/trace-format.md): every
// record is read and checked by the reader, then written by the other form's writer, so a
// conversion never writes what the reader would refuse and a round trip gives back the same
// records (exact 64-bit values, the same user memory text, the same end record).

import { BinaryTraceWriter } from './binary.ts';
import { openTrace, type ReadOptions, type TraceSource } from './reader.ts';
import { createTraceWriter, headerInputOf, headerJson } from './writer.ts';

export type TraceForm = 'ndjson' | 'binary';

export interface ConvertOptions extends ReadOptions {
  /** The form to write; default: the other form than the input's. */
  readonly to?: TraceForm;
  /** Compress the output with gzip. */
  readonly gzip?: boolean;
}

export interface ConvertResult {
  readonly from: TraceForm;
  readonly to: TraceForm;
  readonly firings: number;
  readonly events: number;
}

/** Reads `input` (either form, gzip or not) and writes it to `output` in the other form (or `options.to`). */
export async function convertTrace(input: TraceSource, output: string | NodeJS.WritableStream, options: ConvertOptions = {}): Promise<ConvertResult> {
  const reader = await openTrace(input, options);
  const from: TraceForm = reader.isBinary ? 'binary' : 'ndjson';
  const to: TraceForm = options.to ?? (from === 'binary' ? 'ndjson' : 'binary');
  const header = headerInputOf(reader.header);
  let endTime: bigint | undefined;
  if (to === 'binary') {
    const writer = await BinaryTraceWriter.create(output, reader.header, headerJson(header).json, options.gzip === true);
    for await (const batch of reader.batches()) {
      for (const r of batch) {
        if (r.kind === 'end') endTime = r.timestamp;
        else await writer.record(r);
      }
    }
    await writer.close(endTime !== undefined ? { timestamp: endTime } : {});
  } else {
    const writer = await createTraceWriter(output, header, { gzip: options.gzip === true });
    for await (const batch of reader.batches()) {
      for (const r of batch) {
        if (r.kind === 'end') endTime = r.timestamp;
        else await writer.record(r);
      }
    }
    await writer.close(endTime !== undefined ? { timestamp: endTime } : {});
  }
  return { from, to, firings: reader.stats.firings, events: reader.stats.events };
}
