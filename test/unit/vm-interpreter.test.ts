// The DIF emulator, opcode by opcode, through the engine: each object runs as BEGIN's only
// action and the test reads the record it leaves (or the fault it raises).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { evalDif, evalOnFiring } from '../support/difProgram.ts';

const INT64_MIN = 1n << 63n;
const U64 = (1n << 64n) - 1n;
const u = (v: bigint): bigint => BigInt.asUintN(64, v);

/** r1 = a, r2 = b, then `op %r1, %r2, %r3` and return r3. */
async function binary(op: string, a: bigint, b: bigint) {
  return evalDif(`
    .int ${a}
    .int ${b}
    setx DT_INTEGER[0], %r1
    setx DT_INTEGER[1], %r2
    ${op} %r1, %r2, %r3
    ret %r3`);
}

async function value(op: string, a: bigint, b: bigint): Promise<bigint> {
  const r = await binary(op, a, b);
  assert.equal(r.fault, undefined, `${op} faulted`);
  return r.value as bigint;
}

/** cmp a, b then the branch: 1 when taken. */
async function taken(branch: string, a: bigint, b: bigint, compare = 'cmp'): Promise<bigint> {
  const r = await evalDif(`
    .int ${a}
    .int ${b}
    .int 1
    setx DT_INTEGER[0], %r1
    setx DT_INTEGER[1], %r2
    ${compare} %r1, %r2
    ${branch} yes
    ret %r0
yes: setx DT_INTEGER[2], %r3
    ret %r3`);
  return r.value as bigint;
}

describe('DIF interpreter: arithmetic and logic', () => {
  it('or, xor, and, not, mov', async () => {
    assert.equal(await value('or', 0xf0n, 0x0fn), 0xffn);
    assert.equal(await value('xor', 0xffn, 0x0fn), 0xf0n);
    assert.equal(await value('and', 0xffn, 0x3cn), 0x3cn);
    const not = await evalDif(`.int 0\nsetx DT_INTEGER[0], %r1\nnot %r1, %r2\nret %r2`);
    assert.equal(not.value, U64);
    const mov = await evalDif(`.int 77\nsetx DT_INTEGER[0], %r1\nmov %r1, %r2\nret %r2`);
    assert.equal(mov.value, 77n);
  });

  it('add, sub and mul wrap at 64 bits', async () => {
    assert.equal(await value('add', U64, 2n), 1n);
    assert.equal(await value('sub', 0n, 1n), U64);
    assert.equal(await value('mul', 1n << 62n, 8n), 0n);
    assert.equal(await value('mul', u(-3n), 5n), u(-15n));
  });

  it('shifts use the low six bits of the count', async () => {
    assert.equal(await value('sll', 1n, 63n), INT64_MIN);
    assert.equal(await value('sll', 1n, 64n), 1n);
    assert.equal(await value('sll', 1n, 65n), 2n);
    assert.equal(await value('srl', INT64_MIN, 63n), 1n);
    assert.equal(await value('srl', INT64_MIN, 64n), INT64_MIN);
    assert.equal(await value('sra', INT64_MIN, 63n), U64);
    assert.equal(await value('sra', u(-16n), 2n), u(-4n));
    assert.equal(await value('sra', 16n, 66n), 4n);
  });

  it('signed and unsigned division and remainder', async () => {
    assert.equal(await value('sdiv', u(-7n), 2n), u(-3n));
    assert.equal(await value('srem', u(-7n), 2n), u(-1n));
    assert.equal(await value('udiv', u(-7n), 2n), (U64 - 6n) / 2n);
    assert.equal(await value('urem', u(-7n), 2n), 1n);
    assert.equal(await value('sdiv', INT64_MIN, u(-1n)), INT64_MIN);
    assert.equal(await value('srem', INT64_MIN, u(-1n)), 0n);
  });

  it('division by zero faults divzero at the instruction', async () => {
    for (const op of ['sdiv', 'udiv', 'srem', 'urem']) {
      const r = await binary(op, 5n, 0n);
      assert.deepEqual(r.fault, { epid: 1, probeId: 1, cpu: 0, fault: 4, action: 0, difOffset: 8, value: 0n }, op);
    }
  });
});

describe('DIF interpreter: compares and branches', () => {
  it('signed branches follow the wrapped difference, as the kernel computes it', async () => {
    assert.equal(await taken('bl', u(-1n), 1n), 1n);
    assert.equal(await taken('bg', 1n, u(-1n)), 1n);
    assert.equal(await taken('bge', 5n, 5n), 1n);
    assert.equal(await taken('ble', 5n, 5n), 1n);
    assert.equal(await taken('bl', 5n, 5n), 0n);
    // INT64_MIN - 1 wraps to INT64_MAX: the kernel's n flag is clear, so "less" is false.
    assert.equal(await taken('bl', INT64_MIN, 1n), 0n);
    assert.equal(await taken('bg', INT64_MIN, 1n), 1n);
  });

  it('unsigned branches use the carry', async () => {
    assert.equal(await taken('blu', 1n, u(-1n)), 1n);
    assert.equal(await taken('bgu', u(-1n), 1n), 1n);
    assert.equal(await taken('bgeu', 3n, 3n), 1n);
    assert.equal(await taken('bleu', 2n, 3n), 1n);
    assert.equal(await taken('bgu', 3n, 3n), 0n);
    assert.equal(await taken('blu', INT64_MIN, 1n), 0n);
  });

  it('be, bne, ba and tst', async () => {
    assert.equal(await taken('be', 4n, 4n), 1n);
    assert.equal(await taken('bne', 4n, 4n), 0n);
    assert.equal(await taken('ba', 1n, 2n), 1n);
    const tst = await evalDif(`.int 1\ntst %r0\nbe zero\nret %r0\nzero: setx DT_INTEGER[0], %r1\nret %r1`);
    assert.equal(tst.value, 1n);
  });

  it('scmp compares strings, NULL as the empty string', async () => {
    const cmp = async (a: string, b: string, branch: string) =>
      (
        await evalDif(`
      .string "${a}"
      .string "${b}"
      .string "x"
      .int 1
      sets DT_STRING[0], %r1
      sets DT_STRING[${a.length + 1}], %r2
      scmp %r1, %r2
      ${branch} yes
      ret %r0
yes:  setx DT_INTEGER[0], %r3
      ret %r3`)
      ).value;
    assert.equal(await cmp('abc', 'abd', 'bl'), 1n);
    assert.equal(await cmp('abd', 'abc', 'bg'), 1n);
    assert.equal(await cmp('same', 'sam', 'bg'), 1n);
    const nul = await evalDif(`
      .string ""
      .int 1
      sets DT_STRING[0], %r1
      scmp %r1, %r0
      be yes
      ret %r0
yes:  setx DT_INTEGER[0], %r3
      ret %r3`);
    assert.equal(nul.value, 1n);
  });
});

describe('DIF interpreter: memory', () => {
  it('sets gives the string table address; loads read it byte-wise', async () => {
    const r = await evalDif(`
      .string "AB"
      .int 1
      sets DT_STRING[0], %r1
      setx DT_INTEGER[0], %r2
      add %r1, %r2, %r1
      ldub [%r1], %r3
      ret %r3`);
    assert.equal(r.value, 0x42n);
  });

  it('stores into scratch and loads back with sign extension', async () => {
    const r = await evalDif(`
      .int 16
      .int 0xfffe
      setx DT_INTEGER[0], %r1
      allocs %r1, %r2
      setx DT_INTEGER[1], %r3
      sth %r3, [%r2]
      ldsh [%r2], %r4
      ret %r4`);
    assert.equal(r.value, u(-2n));
    const w = await evalDif(`
      .int 16
      .int 0x80000001
      setx DT_INTEGER[0], %r1
      allocs %r1, %r2
      setx DT_INTEGER[1], %r3
      stx %r3, [%r2]
      ldsw [%r2], %r4
      lduw [%r2], %r5
      sub %r4, %r5, %r6
      ret %r6`);
    assert.equal(w.value, u(-0x100000000n));
  });

  it('every load width, signed and unsigned, plain and restricted', async () => {
    // 8 bytes 0x80 0x81 ... 0x87 stored little-endian, then each load at offset 0
    const load = async (op: string) =>
      (
        await evalDif(`
      .int 16
      .int 0x8786858483828180
      setx DT_INTEGER[0], %r1
      allocs %r1, %r2
      setx DT_INTEGER[1], %r3
      stx %r3, [%r2]
      ${op} [%r2], %r4
      ret %r4`)
      ).value;
    const expected: Record<string, bigint> = {
      ldsb: u(-128n),
      ldub: 0x80n,
      ldsh: u(-0x7e80n),
      lduh: 0x8180n,
      ldsw: u(0x83828180n - (1n << 32n)),
      lduw: 0x83828180n,
      ldx: 0x8786858483828180n,
    };
    for (const [op, v] of Object.entries(expected)) {
      assert.equal(await load(op), v, op);
      assert.equal(await load(`r${op}`), v, `r${op}`);
    }
  });

  it('loading address 0 faults badaddr with the address', async () => {
    const r = await evalDif(`ldx [%r0], %r1\nret %r1`);
    assert.deepEqual(r.fault, { epid: 1, probeId: 1, cpu: 0, fault: 1, action: 0, difOffset: 0, value: 0n });
  });

  // x86 kernels check no alignment in dtrace_load*() (DTRACE_ALIGNCHECK is empty there); XNU
  // checks MIN(size, 4) everywhere; stores check natural alignment on every system.
  const misalignedLoad = (offset: number, op: string) => `
      .int 16
      .int ${offset}
      .int 0x0807060504030201
      setx DT_INTEGER[0], %r1
      allocs %r1, %r2
      setx DT_INTEGER[2], %r5
      stx %r5, [%r2]
      setx DT_INTEGER[1], %r3
      add %r2, %r3, %r2
      ${op} [%r2], %r4
      ret %r4`;

  it('misaligned loads succeed on x86 targets (illumos, FreeBSD, Linux)', async () => {
    for (const flavour of ['illumos', 'freebsd', 'linux']) {
      const r = await evalDif(misalignedLoad(1, 'ldx'), { engine: { flavour } });
      assert.equal(r.value, 0x08070605040302n, flavour);
      assert.equal((await evalDif(misalignedLoad(3, 'lduh'), { engine: { flavour } })).value, 0x0504n, flavour);
    }
  });

  it('on macOS a load must be aligned to its size, at most 4', async () => {
    const macos = { engine: { flavour: 'macos' } };
    const r = await evalDif(misalignedLoad(1, 'ldx'), macos);
    assert.equal(r.fault?.fault, 2);
    assert.equal(r.fault?.difOffset, 24);
    assert.equal((await evalDif(misalignedLoad(4, 'ldx'), macos)).value, 0x08070605n);
    assert.equal((await evalDif(misalignedLoad(2, 'lduh'), macos)).value, 0x0403n);
    assert.equal((await evalDif(misalignedLoad(1, 'lduh'), macos)).fault?.fault, 2);
    // The alignment check comes before the address check.
    const low = await evalDif(`.int 1\nsetx DT_INTEGER[0], %r1\nlduw [%r1], %r2\nret %r2`, macos);
    assert.deepEqual([low.fault?.fault, low.fault?.value], [2, 1n]);
  });

  it('misaligned stores fault badalign; a bad address is checked first', async () => {
    const bad = await evalDif(`.int 1\nsetx DT_INTEGER[0], %r1\nstw %r1, [%r1]\nret %r1`);
    assert.deepEqual([bad.fault?.fault, bad.fault?.value], [1, 1n]);
    const s = await evalDif(`
      .int 16
      .int 2
      setx DT_INTEGER[0], %r1
      allocs %r1, %r2
      setx DT_INTEGER[1], %r3
      add %r2, %r3, %r2
      stw %r3, [%r2]
      ret %r3`);
    assert.equal(s.fault?.fault, 2);
  });

  it('stores into the string table fault badaddr', async () => {
    const r = await evalDif(`.string "ro"\nsets DT_STRING[0], %r1\nstb %r1, [%r1]\nret %r1`);
    assert.equal(r.fault?.fault, 1);
  });

  it('user loads fault badaddr (no user memory is replayed)', async () => {
    const r = await evalDif(`.int 4096\nsetx DT_INTEGER[0], %r1\nuldx [%r1], %r2\nret %r2`);
    assert.deepEqual([r.fault?.fault, r.fault?.value], [1, 4096n]);
  });

  it('allocs beyond scratch faults noscratch', async () => {
    const r = await evalDif(`.int 0x7fffffff\nsetx DT_INTEGER[0], %r1\nallocs %r1, %r2\nret %r2`, { x: { bufsize: '64k' } });
    assert.equal(r.fault?.fault, 5);
  });

  it('copys copies between scratch buffers', async () => {
    const r = await evalDif(`
      .rtype string (unknown) by ref (size 256)
      .string "copied"
      .int 16
      .int 7
      sets DT_STRING[0], %r1
      setx DT_INTEGER[0], %r2
      allocs %r2, %r3
      setx DT_INTEGER[1], %r4
      copys %r1, %r4, %r3
      ret %r3`);
    assert.equal(new TextDecoder().decode((r.value as Uint8Array).subarray(0, 6)), 'copied');
  });
});

describe('DIF interpreter: variables, tuples and built-ins', () => {
  it('global, thread-local and clause-local scalars', async () => {
    const r = await evalDif(`
      .int 5
      .var g 0x500 scl glb r/w D type (integer) (size 8)
      .var t 0x500 scl tls r/w D type (integer) (size 8)
      .var l 0x500 scl loc r/w D type (integer) (size 8)
      setx DT_INTEGER[0], %r1
      stgs %r1, DT_VAR(1280)
      stts %r1, DT_VAR(1280)
      stls %r1, DT_VAR(1280)
      ldgs DT_VAR(1280), %r2
      ldts DT_VAR(1280), %r3
      ldls DT_VAR(1280), %r4
      add %r2, %r3, %r2
      add %r2, %r4, %r2
      ret %r2`);
    assert.equal(r.value, 15n);
  });

  it('associative arrays are keyed by the tuple stack (strings by content)', async () => {
    const r = await evalDif(`
      .string "k"
      .string "k"
      .int 3
      .var a 0x500 arr glb r/w D type (integer) (size 8)
      setx DT_INTEGER[0], %r1
      sets DT_STRING[0], %r2
      flushts
      pushtr DT_TYPE(1), %r0, %r2
      pushtv DT_TYPE(0), %r0, %r1
      stgaa %r1, DT_VAR(1280)
      allocs %r1, %r3
      copys %r2, %r1, %r3
      flushts
      pushtr DT_TYPE(1), %r0, %r3
      pushtv DT_TYPE(0), %r0, %r1
      ldgaa DT_VAR(1280), %r4
      popts
      ldgaa DT_VAR(1280), %r5
      add %r4, %r5, %r4
      ret %r4`);
    assert.equal(r.value, 3n);
  });

  it('thread-local associative arrays are keyed by thread and tuple', async () => {
    const src = `
      .int 7
      .var a 0x500 arr tls r/w D type (integer) (size 8)
      setx DT_INTEGER[0], %r1
      ldgs DT_VAR(262), %r2
      flushts
      pushtv DT_TYPE(0), %r0, %r1
      ldtaa DT_VAR(1280), %r3
      add %r3, %r2, %r3
      sttaa %r3, DT_VAR(1280)
      ret %r3`;
    const { runCompiled, program, enabling, action, firing } = await import('../support/difProgram.ts');
    const list = [
      firing({ tid: 1, timestamp: 1n, args: [10n] }),
      firing({ tid: 2, timestamp: 2n, args: [20n] }),
      firing({ tid: 1, timestamp: 3n, args: [5n] }),
    ];
    const { sink } = await runCompiled(program([enabling(1, [17], [action(src)])]), { firings: list });
    assert.deepEqual(
      sink.firings().map((f) => f.records[0]),
      [10n, 20n, 15n],
    );
  });

  it('a ninth tuple push faults tupoflow; ldta faults illop', async () => {
    const pushes = Array.from({ length: 9 }, () => 'pushtv DT_TYPE(0), %r0, %r0').join('\n');
    const r = await evalDif(`flushts\n${pushes}\nret %r0`);
    assert.deepEqual([r.fault?.fault, r.fault?.difOffset], [8, 36]);
    const t = await evalDif(`ldta DT_VAR(0), %r0, %r1\nret %r1`);
    assert.equal(t.fault?.fault, 3);
  });

  it('built-in scalars and args[] come from the firing', async () => {
    const f = { pid: 31, tid: 32, ppid: 30, uid: 33, gid: 34, cpu: 0, timestamp: 5000n, args: [11n, 22n] };
    const read = async (src: string) => (await evalOnFiring(src, f)).value;
    assert.equal(await read('ldgs DT_VAR(278), %r1\nret %r1'), 31n); // pid
    assert.equal(await read('ldgs DT_VAR(279), %r1\nret %r1'), 32n); // tid
    assert.equal(await read('ldgs DT_VAR(285), %r1\nret %r1'), 30n); // ppid
    assert.equal(await read('ldgs DT_VAR(286), %r1\nret %r1'), 33n); // uid
    assert.equal(await read('ldgs DT_VAR(287), %r1\nret %r1'), 34n); // gid
    assert.equal(await read('ldgs DT_VAR(257), %r1\nret %r1'), 5000n); // timestamp
    assert.equal(await read('ldgs DT_VAR(282), %r1\nret %r1'), 1_000_000_005_000n); // walltimestamp
    assert.equal(await read('ldgs DT_VAR(263), %r1\nret %r1'), 22n); // arg1
    assert.equal(await read('ldgs DT_VAR(260), %r1\nret %r1'), 1n); // epid
    assert.equal(await read('ldgs DT_VAR(261), %r1\nret %r1'), 17n); // id
    assert.equal(await read('.int 1\nsetx DT_INTEGER[0], %r2\nldga DT_VAR(0), %r2, %r1\nret %r1'), 22n);
    assert.equal(await read('.int 9\nsetx DT_INTEGER[0], %r2\nldga DT_VAR(0), %r2, %r1\nret %r1'), 0n);
  });

  it('string built-ins point at their text', async () => {
    const name = await evalOnFiring('.rtype string (unknown) by ref (size 256)\nldgs DT_VAR(280), %r1\nret %r1', { execname: 'bash' });
    assert.equal(new TextDecoder().decode((name.value as Uint8Array).subarray(0, 5)), 'bash\0');
    const func = await evalOnFiring('.rtype string (unknown) by ref (size 256)\nldgs DT_VAR(276), %r1\nret %r1', {});
    assert.equal(new TextDecoder().decode((func.value as Uint8Array).subarray(0, 5)), 'func\0');
  });

  it('call runs a subroutine on the tuple stack', async () => {
    const r = await evalDif(`
      .string "four"
      sets DT_STRING[0], %r1
      flushts
      pushtr DT_TYPE(1), %r0, %r1
      call DIF_SUBR(strlen), %r2
      ret %r2`);
    assert.equal(r.value, 4n);
  });

  it('nop does nothing and %r0 stays zero', async () => {
    const r = await evalDif(`nop\nret %r0`);
    assert.equal(r.value, 0n);
  });
});
