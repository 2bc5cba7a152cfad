// A trace file as a probe source: the reader of server/src/trace/ behind the FiringSource
// contract, with its batch API kept for replay's hot loop and its skip-mode statistics for
// the command line's report.
import type { RecordColumns } from '../trace/columns.ts';
import { TraceFormatError } from '../trace/errors.ts';
import { openTrace, type TraceHeader, type TraceReader, type TraceRecord, type TraceStats } from '../trace/index.ts';
import type { FiringSource } from './source';

export interface TraceFileOptions {
  /** Skip malformed records (counted in `skipped`) instead of stopping at the first. */
  skipBadRecords?: boolean;
  /** The name in messages (default: the path; `<stdin>` for standard input). */
  name?: string;
}

export class TraceFileSource implements FiringSource {
  constructor(private readonly reader: TraceReader) {}

  get header(): TraceHeader {
    return this.reader.header;
  }

  /** The file's name in messages. */
  get file(): string {
    return this.reader.file;
  }

  get skipped(): number {
    return this.reader.stats.skipped;
  }

  /** Counts, skip-mode messages and whether the end record was read and matched. */
  get stats(): Readonly<TraceStats> {
    return this.reader.stats;
  }

  records(): AsyncIterable<TraceRecord> {
    return this.reader.records();
  }

  /** One array of records per chunk read (fewer awaits than `records`). */
  batches(): AsyncIterable<TraceRecord[]> {
    return this.reader.batches();
  }

  /** The same records as columns of each chunk's bytes (replay's hot loop: nothing built per unreplayed firing). */
  columnBatches(): AsyncIterable<RecordColumns> {
    return this.reader.columnBatches();
  }

  /**
   * A record found malformed after the reader handed it out (its user memory, decoded when
   * read): counted as skipped in skip mode, else the caller stops with it.
   */
  skipLate(error: Error, skipMode: boolean): boolean {
    if (!skipMode || !(error instanceof TraceFormatError)) return false;
    this.reader.stats.skipped++;
    if (this.reader.stats.errors.length < 100) this.reader.stats.errors.push(error.message);
    return true;
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}

/** Opens a trace file (gzip or plain; `-` is standard input) and reads its header. */
export async function openTraceFile(path: string, options: TraceFileOptions = {}): Promise<TraceFileSource> {
  const stdin = path === '-';
  const reader = await openTrace(stdin ? process.stdin : path, {
    name: options.name ?? (stdin ? '<stdin>' : path),
    onError: options.skipBadRecords === true ? 'skip' : 'throw',
  });
  return new TraceFileSource(reader);
}
