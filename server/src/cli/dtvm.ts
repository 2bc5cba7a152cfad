// bin/dtvm: a dtrace(1)-compatible command line over the embedded engine. The same file is a
// parallel replay's worker thread (cli/parallel/workerThread.ts) when started as one.
import { runDtvm } from './run';
import { isRangeWorker, rangeWorkerMain } from './parallel/workerThread';

if (isRangeWorker()) {
  void rangeWorkerMain();
} else {
  runDtvm(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (e: unknown) => {
      process.stderr.write(`dtvm: internal error: ${e instanceof Error ? (process.env.DTVM_DEBUG ? e.stack : e.message) : String(e)}\n`);
      process.exit(70);
    },
  );
}
