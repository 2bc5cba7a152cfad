// Thread-local variables belong to one thread: on illumos (LWP ids numbered per process) the
// key is the (pid, tid) pair, exactly, for any pid and tid, never a packing that two threads
// share (pid * 2^21 + tid made pid 1 tid 2^21 and pid 2 tid 0 one thread).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runProgram, type ProbeFiring } from '../../server/src/vm/engine';
import { compileD, firingsOf, RecordingSink } from '../support/vmRun';

const SCRIPT = 'syscall::read:entry /self->who == 0/ { self->who = ++n; } syscall::read:entry { trace(pid); trace(tid); trace(self->who); }';

async function run(threads: [number, number][]): Promise<bigint[][]> {
  const compiled = await compileD(SCRIPT);
  const probeId = compiled.catalogue.match({ provider: 'syscall', module: '', function: 'read', name: 'entry' })[0]!.id;
  const list: ProbeFiring[] = threads.map(([pid, tid], i) => ({ probeId, timestamp: BigInt(i + 1) * 1000n, cpu: 0, pid, tid, execname: 'x', args: [] }));
  const sink = new RecordingSink();
  await runProgram({ program: compiled.program, options: compiled.options, catalogue: compiled.catalogue, sink, destructive: false, startWallTime: 0n, firings: firingsOf(list), flavour: 'illumos' });
  return sink.firings().map((f) => f.records as bigint[]);
}

describe('VM thread-local keys (illumos)', () => {
  it('threads whose pid * 2^21 + tid agree are different threads', async () => {
    // 1 * 2^21 + 2^21 = 2 * 2^21 + 0 = 0 * 2^21 + 2^22
    const got = await run([
      [1, 2 ** 21],
      [2, 0],
      [0, 2 ** 22],
      [1, 2 ** 21],
    ]);
    assert.deepEqual(got, [
      [1n, 2097152n, 1n],
      [2n, 0n, 2n],
      [0n, 4194304n, 3n],
      [1n, 2097152n, 1n],
    ]);
  });

  it('pids and tids beyond the packed range keep their own variables', async () => {
    const big = 2 ** 31 - 1;
    const got = await run([
      [big, 1],
      [big, 2],
      [3, 2 ** 32 + 5],
      [3, 5],
      [2 ** 21, 0],
      [0, 2 ** 53 - 1],
      [big, 1],
      [3, 2 ** 32 + 5],
      [2 ** 21, 0],
      [3, 5],
    ]);
    assert.deepEqual(
      got.map((r) => r[2]),
      [1n, 2n, 3n, 4n, 5n, 6n, 1n, 3n, 5n, 4n],
    );
  });
});
