// The kernel argument images of io/sched/proc firings (argumentImages.ts) are built only for a
// program that reads an argument: readsArguments() finds args[] and arg0..arg9 in its DIF, and
// a program that reads none prints the same as one that does.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readsArguments } from '../../server/src/vm/engine';
import { dtvm } from '../support/runDtvm';
import { compileD } from '../support/vmRun';

const DATABASE = join(__dirname, '..', 'fixtures', 'workloads', 'database.json');

describe('VM: which programs read probe arguments', () => {
  it('finds args[], arg0..arg9 and arguments passed to subroutines', async () => {
    const reads = async (source: string): Promise<boolean> => readsArguments((await compileD(source)).program);
    assert.equal(await reads('syscall::read:entry { @[execname] = count(); }'), false);
    assert.equal(await reads('syscall::read:entry /pid == 1/ { self->ts = timestamp; printf("%s %d\\n", probefunc, tid); }'), false);
    assert.equal(await reads('syscall::read:entry { @ = sum(arg2); }'), true);
    assert.equal(await reads('syscall::read:entry /arg9 == 0/ { }'), true);
    assert.equal(await reads('io:::start { trace(args[0]->b_bcount); }'), true);
    assert.equal(await reads('syscall::open:entry { trace(copyinstr(arg0)); }'), true);
  });

  it('a program that reads no argument prints what it prints beside one that does', async () => {
    const base = 'io:::start,io:::done,sched:::on-cpu,proc:::exec-success { @[probename, execname] = count(); } END { printa("%s %s %@d\\n", @); }';
    const plain = await dtvm(['-q', '-n', base, '--workload', DATABASE]);
    const reading = await dtvm(['-q', '-n', `${base} io:::start /args[0]->b_bcount == 1234567/ { printf("never\\n"); }`, '--workload', DATABASE]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /^start /m);
    assert.equal(plain.stdout, reading.stdout);
    assert.equal(plain.stderr, reading.stderr);
  });
});
