// The fuzzer's worker thread: runs the inputs its supervisor (fuzz.ts) posts, one at a time,
// and answers each with its failure or null.
import { parentPort } from 'node:worker_threads';
import { runOne, type Target } from './fuzz';

parentPort!.on('message', (m: { target: Target; seed: number; index: number }) => {
  void runOne(m.target, m.seed, m.index).then((f) => parentPort!.postMessage(f ?? null));
});
