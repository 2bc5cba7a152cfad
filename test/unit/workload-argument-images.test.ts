// Block I/O requests recorded as memory become each flavour's native structures in the VM's
// kernel memory (server/src/vm/argumentImages.ts): every member filled exists in the flavour's
// D library, the same request is built once, and other firings' arguments pass through.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTraceWriter } from '../../server/src/trace/index.ts';
import { encodeThreadRecord } from '../../server/src/vm/threadRecords';
import { dtvm } from '../support/runDtvm';
import type { Flavour } from '../../server/src/analyze/flavour/flavours';
import { resolve } from '../../server/src/analyze/types/ctype';
import { TraceMemory } from '../../server/src/trace/index.ts';
import { ArgumentImages } from '../../server/src/vm/argumentImages';
import { encodeIoRequest, type IoRequest } from '../../server/src/vm/ioRequests';
import { AddressSpace } from '../../server/src/vm/memory';
import { compileD } from '../support/vmRun.ts';

const BUF = 0xfffffe0000001000n;
const request: IoRequest = { bcount: 16384n, blkno: 977n, offset: 8192n, write: false, error: 0, resid: 0n, major: 8, minor: 3, instance: 3, device: 'sd', path: '/export/home/a.txt' };

function memoryWith(r: IoRequest, at = BUF): TraceMemory {
  return new TraceMemory({ [at.toString()]: { base64: Buffer.from(encodeIoRequest(r)).toString('base64') } }, 't.ndjson', 2);
}

const IO = { provider: 'io', args: [] };
const le64 = (space: AddressSpace, address: bigint): bigint => space.load(address, 8, false);

describe('io argument images', () => {
  for (const flavour of ['illumos', 'freebsd', 'macos'] as Flavour[]) {
    it(`${flavour}: every member filled exists in the library; one image per request`, async () => {
      const { program } = await compileD('BEGIN { exit(0); }', {}, flavour);
      const space = new AddressSpace();
      const images = new ArgumentImages(space, program.kernel);
      const count = flavour === 'freebsd' ? 2 : 3;
      const args = images.argsFor(IO, new Array<bigint>(count).fill(BUF), memoryWith(request));
      assert.deepEqual([...images.unresolved], []);
      assert.equal(args.length, count);
      assert.ok(args.every((a) => a !== BUF && space.readable(a, 8)));
      if (flavour !== 'freebsd') assert.ok(args.every((a) => a === args[0]), 'one buf behind every argument');
      assert.equal(images.argsFor(IO, new Array<bigint>(count).fill(BUF), memoryWith(request)), args, 'the same request is built once');
      assert.notEqual(images.argsFor(IO, new Array<bigint>(count).fill(BUF), memoryWith({ ...request, bcount: 512n }))[0], args[0]);
    });
  }

  it('illumos: the buf_t members the translators read, at their library offsets', async () => {
    const { program } = await compileD('BEGIN { exit(0); }', {}, 'illumos');
    const space = new AddressSpace();
    const [buf] = new ArgumentImages(space, program.kernel).argsFor(IO, [BUF, BUF, BUF], memoryWith({ ...request, write: true }));
    const t = resolve(program.kernel!.type('buf_t')!);
    const m = (name: string): number => (t.kind === 'struct' ? t.members!.find((x) => x.name === name)!.offset : -1);
    assert.equal(space.load(buf! + BigInt(m('b_flags')), 4, false), 0x0101n); // B_BUSY | B_WRITE
    assert.equal(le64(space, buf! + BigInt(m('b_bcount'))), 16384n);
    assert.equal(le64(space, buf! + BigInt(m('b_edev'))), (8n << 32n) | 3n);
    assert.equal(le64(space, buf! + BigInt(m('b_offset'))), 8192n);
  });

  it('other providers, io firings without a request, and requests elsewhere pass through', async () => {
    const { program } = await compileD('BEGIN { exit(0); }', {}, 'illumos');
    const images = new ArgumentImages(new AddressSpace(), program.kernel);
    const args = [BUF, BUF, BUF];
    assert.equal(images.argsFor({ provider: 'syscall', args: [] }, args, memoryWith(request)), args);
    assert.equal(images.argsFor(IO, args, null), args);
    assert.equal(images.argsFor(IO, args, memoryWith(request, BUF + 0x1000n)), args);
    assert.equal(images.argsFor(IO, args, new TraceMemory({ [BUF.toString()]: '/etc/passwd' }, 't', 1)), args);
  });
});

describe('recorded threads behind proc and sched arguments', () => {
  /** A trace with one proc:::create firing in sh whose argument points at the child's record. */
  async function createTrace(flavour: 'linux' | 'illumos', probe: { module: string; function: string; args: string[] }): Promise<string> {
    const path = join(mkdtempSync(join(tmpdir(), 'dtvm-args-')), 't.ndjson');
    const child = 0xffff800000001000n;
    const w = await createTraceWriter(path, {
      platform: flavour === 'linux' ? 'linux-x86_64' : 'illumos-amd64',
      ncpus: 2,
      timestamp: 1000,
      walltimestamp: 1_700_000_000_000_000_000n,
      probes: [{ provider: 'proc', name: 'create', ...probe }],
    });
    const bytes = encodeThreadRecord({ pid: 701, tid: flavour === 'linux' ? 701n : 1n, ppid: 700, uid: 1000, gid: 100, execname: 'make', cpu: 1, kernel: false });
    await w.firing({ probe: 0, timestamp: 2000, cpu: 0, pid: 700, tid: flavour === 'linux' ? 700 : 1, ppid: 1, uid: 1000, gid: 100, execname: 'sh', args: [child], memory: [[child, bytes]] });
    await w.close({ timestamp: 3000 });
    return path;
  }

  it('Linux passes psinfo_t itself: filled as its translator fills it', async () => {
    const path = await createTrace('linux', { module: 'linux', function: '', args: ['psinfo_t *'] });
    const r = await dtvm(['--trace', path, '-q', '-n', 'proc:::create { printf("%s %d %d %d %d %d %s\\n", args[0]->pr_fname, args[0]->pr_pid, args[0]->pr_ppid, args[0]->pr_uid, args[0]->pr_gid, args[0]->pr_nlwp, args[0]->pr_psargs); }']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'make 701 700 1000 100 1 make\n\n');
  });

  it('illumos passes proc_t: the child process\'s image, through the psinfo_t translator', async () => {
    const path = await createTrace('illumos', { module: 'genunix', function: 'cfork', args: ['psinfo_t *'] });
    const r = await dtvm(['--trace', path, '-q', '-n', 'proc:::create { printf("%s %d %d %d %s\\n", args[0]->pr_fname, args[0]->pr_pid, args[0]->pr_ppid, args[0]->pr_uid, execname); }']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'make 701 700 1000 sh\n\n');
  });
});
