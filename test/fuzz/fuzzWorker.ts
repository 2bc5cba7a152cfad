// The fuzzer's worker thread: runs the inputs its supervisor (fuzz.ts) posts, one at a time,
// and answers each with its failure or null; `stop` ends its language server first.
import { parentPort } from 'node:worker_threads';
import { runOne, stopLanguageServer, type Target } from './fuzz';

parentPort!.on('message', (m: { target: Target; seed: number; index: number } | 'stop') => {
  if (m === 'stop') void stopLanguageServer().then(() => parentPort!.postMessage('stopped'));
  else void runOne(m.target, m.seed, m.index).then((f) => parentPort!.postMessage(f ?? null));
});
