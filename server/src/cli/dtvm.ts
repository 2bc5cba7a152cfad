// bin/dtvm: a dtrace(1)-compatible command line over the embedded engine.
import { runDtvm } from './run';

runDtvm(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (e: unknown) => {
    process.stderr.write(`dtvm: internal error: ${e instanceof Error ? (process.env.DTVM_DEBUG ? e.stack : e.message) : String(e)}\n`);
    process.exit(70);
  },
);
