// curthread's kernel image: the thread and process structures of the flavour's D library,
// filled from the firing's context (dtrace(1) itself in BEGIN/END, an idle CPU's system
// thread in tick/profile, the traced thread in a replay), so that translators and the chains
// scripts follow agree with pid, tid, ppid, uid, gid, execname and cpu.
// Run: node --import tsx --test test/unit/vm-thread-images.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { T, pointer, type CType, type StructType } from '../../server/src/analyze/types/ctype';
import type { Flavour } from '../../server/src/analyze/flavour/flavours';
import { KernelImageBuilder } from '../../server/src/vm/kernelImage';
import { AddressSpace, DifFault } from '../../server/src/vm/memory';
import { ThreadImages, type ThreadContext } from '../../server/src/vm/threadImages';
import { compileD, runD, text } from '../support/vmRun.ts';

const FLAVOURS: Flavour[] = ['illumos', 'freebsd', 'macos', 'linux'];

/** A struct type laid out by hand: members at the given offsets. */
function struct(tag: string, size: number, members: [string, CType, number][]): StructType {
  return { kind: 'struct', tag, size, align: 8, members: members.map(([name, type, offset]) => ({ name, type, offset })) };
}

describe('kernel image builder', () => {
  const proc = struct('proc', 48, [
    ['p_pid', T.int, 0],
    ['p_comm', { kind: 'array', of: T.char, length: 8 }, 4],
    ['p_self', T.long, 16],
    ['p_name', pointer(T.char), 24],
    ['p_args', { kind: 'array', of: T.uchar, length: 1 }, 32],
  ]);
  const thread = struct('thread', 24, [
    ['td_tid', T.int, 0],
    ['td_proc', pointer(proc), 8],
    ['td_data', pointer(T.void), 16],
  ]);
  const types = (name: string) => (name === 'struct proc' ? proc : undefined);

  it('fills members through pointers, shares named objects, and reads zero elsewhere', () => {
    const space = new AddressSpace();
    const b = new KernelImageBuilder(thread, types, 'thread');
    assert.ok(b.set('td_tid', 7));
    assert.ok(b.set('td_proc->p_pid', -2));
    assert.ok(b.set('td_proc->p_comm', 'a-long-name'));
    assert.ok(b.set('td_proc->p_name', 'named'));
    assert.ok(b.set('td_data', { object: 'p2', type: 'struct proc' }));
    assert.ok(b.set('td_data->p_pid', 9));
    assert.ok(b.set('td_proc->p_args', new Uint8Array([97, 0, 98, 0, 99, 0])));
    const { address } = b.build(space);
    assert.equal(space.load(address, 4, false), 7n);
    const p = space.load(address + 8n, 8, false);
    assert.equal(space.load(p, 4, true), BigInt.asUintN(64, -2n));
    // char arrays are truncated to leave their NUL
    assert.deepEqual([...space.readString(p + 4n, 100)], [...new TextEncoder().encode('a-long-')]);
    assert.equal(new TextDecoder().decode(space.readString(space.load(p + 24n, 8, false), 100)), 'named');
    // a flexible last array grows its object
    assert.deepEqual([...space.read(p + 32n, 6)], [97, 0, 98, 0, 99, 0]);
    const p2 = space.load(address + 16n, 8, false);
    assert.equal(space.load(p2, 4, false), 9n);
    // unfilled members and bytes past the last object read zero; nothing inside faults
    assert.equal(space.load(p + 16n, 8, false), 0n);
    assert.equal(space.load(p2 + 200n, 8, false), 0n);
    // the image is read-only
    assert.throws(() => space.store(address, 4, 1n), DifFault);
  });

  it('reports paths the structures lack and writes nothing for them', () => {
    const b = new KernelImageBuilder(thread, types);
    assert.equal(b.set('td_nope', 1), false);
    assert.equal(b.set('td_data->p_pid', 1), false); // void * has no target to create
    assert.equal(b.set('td_proc->p_pid->x', 1), false);
    assert.equal(b.set('td_proc', 'text'), true); // a char * copy is fine for any pointer
    assert.deepEqual(b.unresolved, ['td_nope', 'td_data->p_pid', 'td_proc->p_pid->x']);
  });
});

describe('thread images per flavour', () => {
  const consumer: ThreadContext = { pid: 4242, tid: 4243n, ppid: 4000, uid: 501, gid: 20, execname: 'dtrace', cpu: 1, kernel: false, argv: ['dtrace', '-s', 'x.d'], cwd: '/home/me/work' };
  const idle: ThreadContext = { pid: 0, tid: 0n, ppid: 0, uid: 0, gid: 0, execname: 'sched', cpu: 3, kernel: true };

  for (const flavour of FLAVOURS) {
    it(`${flavour}: every member the image fills exists in the flavour's D library`, async () => {
      const { program } = await compileD('BEGIN { exit(0); }', {}, flavour);
      assert.equal(program.kernel?.flavour, flavour);
      const images = new ThreadImages(new AddressSpace(), program.kernel);
      const a = images.addressOf(consumer);
      const b = images.addressOf(idle);
      assert.notEqual(a, b);
      assert.equal(images.addressOf({ ...consumer }), a, 'one image per thread');
      assert.deepEqual([...images.unresolved], []);
    });
  }

  const check = `
    BEGIN {
      trace(curpsinfo->pr_pid == pid); trace(curpsinfo->pr_ppid == ppid);
      trace(curpsinfo->pr_uid == uid); trace(curpsinfo->pr_gid == gid);
      trace(curpsinfo->pr_euid == uid); trace(curpsinfo->pr_egid == gid);
      trace(curlwpsinfo->pr_lwpid == tid); trace(curpsinfo->pr_pgid == pid);
      trace(curpsinfo->pr_fname); trace(curpsinfo->pr_psargs);
      trace(curpsinfo->pr_dmodel == PR_MODEL_LP64); trace(curlwpsinfo->pr_sname);
      trace(curpsinfo->pr_addr == (uintptr_t)CHAIN);
    }`;
  const chains: Record<Flavour, { chain: string; psargs: string; sname: string }> = {
    illumos: { chain: 'curthread->t_procp', psargs: 'dtrace -s x.d', sname: 'O' },
    // FreeBSD keeps the arguments NUL-separated; its translator turns every NUL of ar_length
    // bytes (the last one's too) into a space with memstr().
    freebsd: { chain: 'curthread->td_proc', psargs: 'dtrace -s x.d ', sname: 'O' },
    // macOS's pr_psargs is the command name; its state letter is the BSD process state (SRUN).
    macos: { chain: 'curproc', psargs: 'dtrace', sname: 'R' },
    // No user memory is replayed: without mm, psargs is the command name.
    linux: { chain: 'curthread', psargs: 'dtrace', sname: 'O' },
  };
  for (const flavour of FLAVOURS) {
    it(`${flavour}: curpsinfo and curlwpsinfo in BEGIN describe dtrace(1) itself`, async () => {
      const r = await runD(check.replace('CHAIN', chains[flavour].chain), {
        flavour,
        engine: { consumer: { pid: 4242, tid: 4243, ppid: 4000, uid: 501, gid: 20, execname: 'dtrace', args: ['dtrace', '-s', 'x.d'] } },
      });
      assert.deepEqual(r.sink.faults(), []);
      const recs = r.sink.firings()[0]!.records;
      assert.deepEqual(recs.slice(0, 8), [1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n]);
      assert.equal(text(recs[8] as Uint8Array), 'dtrace');
      assert.equal(text(recs[9] as Uint8Array), chains[flavour].psargs);
      assert.deepEqual(recs.slice(10), [1n, BigInt(chains[flavour].sname.charCodeAt(0)), 1n]);
    });
  }

  for (const flavour of ['illumos', 'freebsd', 'macos'] as const) {
    it(`${flavour}: fds[] reads an empty descriptor table without faulting`, async () => {
      const r = await runD('BEGIN { trace(fds[0].fi_pathname); trace(fds[3].fi_name); }', { flavour });
      assert.deepEqual(r.sink.faults(), []);
      assert.deepEqual(r.sink.firings()[0]!.records.map((x) => text(x as Uint8Array)), ['<none>', '<none>']);
    });
  }

  it('a replayed firing shows the traced thread; each thread has its own image', async () => {
    const { catalogue } = await compileD('BEGIN {}');
    const probeId = catalogue.match({ provider: 'syscall', module: '', function: 'read', name: 'entry' })[0]!.id;
    const at = (tid: number, timestamp: bigint) => ({ probeId, timestamp, cpu: 0, pid: 300, tid, ppid: 299, uid: 7, gid: 8, execname: 'cat', args: [] });
    const r = await runD(
      `syscall::read:entry {
         trace(curpsinfo->pr_pid); trace(curlwpsinfo->pr_lwpid); trace(curpsinfo->pr_ppid);
         trace(curpsinfo->pr_uid); trace(curpsinfo->pr_fname); trace(curthread->t_procp->p_user.u_psargs);
         trace((uintptr_t)curthread);
       }`,
      { firings: [at(301, 10n), at(302, 20n), at(301, 30n)] },
    );
    const rows = r.sink.firings().map((f) => f.records);
    assert.deepEqual(
      rows.map((x) => [x[0], x[1], x[2], x[3], text(x[4] as Uint8Array), text(x[5] as Uint8Array)]),
      [
        [300n, 301n, 299n, 7n, 'cat', 'cat'],
        [300n, 302n, 299n, 7n, 'cat', 'cat'],
        [300n, 301n, 299n, 7n, 'cat', 'cat'],
      ],
    );
    assert.notEqual(rows[0]![6], rows[1]![6]);
    assert.equal(rows[0]![6], rows[2]![6]);
  });

  it('tick probes run in the idle CPU\'s system thread', async () => {
    const r = await runD('tick-1s { trace(curpsinfo->pr_pid); trace(curpsinfo->pr_fname); trace(curpsinfo->pr_flag == PR_ISSYS); trace(curlwpsinfo->pr_onpro); exit(0); }');
    const recs = r.sink.firings()[0]!.records;
    assert.deepEqual([recs[0], text(recs[1] as Uint8Array), recs[2], recs[3]], [0n, 'sched', 1n, 0n]);
  });

  it('macOS: cwd is the last component of the working directory; root is "/"', async () => {
    const r = await runD('BEGIN { trace(cwd); trace(root); }', { flavour: 'macos', engine: { consumer: { cwd: '/Users/me/project' } } });
    const recs = r.sink.firings()[0]!.records;
    assert.deepEqual(recs.map((x) => text(x as Uint8Array)), ['project', '/']);
  });

  it('FreeBSD: execargs is the command line, its arguments joined by spaces', async () => {
    const r = await runD('BEGIN { trace(execargs); trace(curthread->td_proc->p_args->ar_length); }', {
      flavour: 'freebsd',
      engine: { consumer: { args: ['dtrace', '-q', '-s', 'a b.d'] } },
    });
    const recs = r.sink.firings()[0]!.records;
    assert.deepEqual([text(recs[0] as Uint8Array), recs[1]], ['dtrace -q -s a b.d', 19n]);
  });
});
