// Converts a trace between NDJSON and the binary form (docs/trace-format.md, "Binary form").
//   node --import tsx scripts/trace-convert.ts IN OUT [--to ndjson|binary] [--gzip]
// Without --to the output is the other form than the input's (either may be gzip-compressed).
import { convertTrace, type TraceForm } from '../server/src/trace/convert.ts';

async function main(argv: string[]): Promise<number> {
  const files: string[] = [];
  let to: TraceForm | undefined;
  let gzip = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--to') {
      const v = argv[++i];
      if (v !== 'ndjson' && v !== 'binary') {
        process.stderr.write('trace-convert: --to takes ndjson or binary\n');
        return 2;
      }
      to = v;
    } else if (a === '--gzip') {
      gzip = true;
    } else {
      files.push(a);
    }
  }
  if (files.length !== 2) {
    process.stderr.write('usage: trace-convert IN OUT [--to ndjson|binary] [--gzip]\n');
    return 2;
  }
  try {
    const r = await convertTrace(files[0]!, files[1]!, { ...(to !== undefined ? { to } : {}), gzip });
    process.stderr.write(`trace-convert: ${r.from} -> ${r.to}: ${r.firings} firings, ${r.events} events\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`trace-convert: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((status) => process.exit(status));
