// The DIF-to-JavaScript translator at the instruction level, against the interpreter: random
// DIF objects (every ALU opcode over 64-bit edge values, cmp/tst/scmp and every conditional
// branch, forward jumps past the end, %r0 as a destination, division faults, variable and
// built-in accesses whose calls are logged) must return the same value, or throw the same
// fault with the same code, value and DIF offset, after the same calls in the same order.
// Run: node --import tsx --test test/unit/jit-translate.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDifo, type Difo } from '../../server/src/dif/difo.ts';
import * as op from '../../server/src/dif/opcodes.ts';
import { emulate, EmulationFault, type DifMachine } from '../../server/src/vm/interpreter.ts';
import { compileDifo, jitEnabled, jitStats, setJitMode, translateDifo } from '../../server/src/vm/jit/index.ts';
import { DifFault } from '../../server/src/vm/memory.ts';
import { xorshift, type SeededRandom } from '../support/xorshift.ts';

const EDGES = [
  0n,
  1n,
  2n,
  3n,
  7n,
  8n,
  63n,
  64n,
  65n,
  127n,
  128n,
  255n,
  0x7fffn,
  0x8000n,
  0xffffn,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0x7fffffffffffffffn,
  0x8000000000000000n,
  0xfffffffffffffffen,
  0xffffffffffffffffn,
  0x123456789abcdef0n,
];

const ALU = [
  op.DIF_OP_OR,
  op.DIF_OP_XOR,
  op.DIF_OP_AND,
  op.DIF_OP_SLL,
  op.DIF_OP_SRL,
  op.DIF_OP_SRA,
  op.DIF_OP_SUB,
  op.DIF_OP_ADD,
  op.DIF_OP_MUL,
  op.DIF_OP_SDIV,
  op.DIF_OP_UDIV,
  op.DIF_OP_SREM,
  op.DIF_OP_UREM,
];
const BRANCHES = [
  op.DIF_OP_BA,
  op.DIF_OP_BE,
  op.DIF_OP_BNE,
  op.DIF_OP_BG,
  op.DIF_OP_BGU,
  op.DIF_OP_BGE,
  op.DIF_OP_BGEU,
  op.DIF_OP_BL,
  op.DIF_OP_BLU,
  op.DIF_OP_BLE,
  op.DIF_OP_BLEU,
];

const rrr = (code: number, r1: number, r2: number, rd: number): number => ((code << 24) | (r1 << 16) | (r2 << 8) | rd) >>> 0;
const v16 = (code: number, v: number, rd: number): number => ((code << 24) | (v << 8) | rd) >>> 0;
const br = (code: number, label: number): number => ((code << 24) | label) >>> 0;

/** A machine whose every call is logged; globals and built-ins return values derived from the id. */
class LoggingMachine implements DifMachine {
  readonly log: string[] = [];
  readonly space = {} as DifMachine['space'];
  readonly scratch = {} as DifMachine['scratch'];
  readonly strsize = 256;
  readonly cpu = 1;
  readonly thread = 77;
  readonly vars: DifMachine['vars'];
  constructor() {
    const log = this.log;
    this.vars = {
      loadGlobal: (id: number) => {
        log.push(`ldg ${id}`);
        return EDGES[id % EDGES.length]!;
      },
      storeGlobal: (id: number, v: bigint) => {
        log.push(`stg ${id} ${v}`);
      },
      loadThread: (id: number, t: number) => {
        log.push(`ldt ${id} ${t}`);
        return EDGES[(id * 7) % EDGES.length]!;
      },
      storeThread: (id: number, t: number, v: bigint) => {
        log.push(`stt ${id} ${t} ${v}`);
      },
    } as unknown as DifMachine['vars'];
  }
  stringTable(): bigint {
    return 0x1000n;
  }
  builtin(id: number): bigint {
    this.log.push(`builtin ${id}`);
    // Built-in 0x11 faults like a bad args[] index would.
    if (id === 0x11) throw new DifFault(5, 0x11n);
    return BigInt(id) * 0x1_0000_0001n;
  }
  builtinArray(id: number, index: bigint): bigint {
    this.log.push(`array ${id} ${index}`);
    return index ^ BigInt(id);
  }
  call(code: number): bigint {
    this.log.push(`call ${code}`);
    return BigInt(code);
  }
}

function randomDifo(r: SeededRandom): Difo {
  const n = 4 + Math.floor(r.random() * 40);
  const words: number[] = [];
  const reg = (): number => Math.floor(r.random() * 8);
  const dst = (): number => (r.random() < 0.03 ? 0 : 1 + Math.floor(r.random() * 7));
  for (let pc = 0; pc < n - 1; pc++) {
    const k = r.random();
    if (k < 0.3) words.push(v16(op.DIF_OP_SETX, Math.floor(r.random() * EDGES.length), dst()));
    else if (k < 0.62) words.push(rrr(r.pick(ALU), reg(), reg(), dst()));
    else if (k < 0.66) words.push(rrr(r.pick([op.DIF_OP_NOT, op.DIF_OP_MOV]), reg(), 0, dst()));
    else if (k < 0.74) words.push(rrr(op.DIF_OP_CMP, reg(), reg(), 0));
    else if (k < 0.77) words.push(rrr(op.DIF_OP_TST, reg(), 0, 0));
    else if (k < 0.87) {
      // Forward only; sometimes past the last instruction (the object then returns 0).
      const target = pc + 1 + Math.floor(r.random() * (n - pc + 1));
      words.push(br(r.pick(BRANCHES), target));
    } else if (k < 0.9) words.push(v16(op.DIF_OP_LDGS, 0x500 + Math.floor(r.random() * 4), dst()));
    else if (k < 0.92) words.push(v16(op.DIF_OP_STGS, 0x500 + Math.floor(r.random() * 4), reg()));
    else if (k < 0.94) words.push(v16(op.DIF_OP_LDTS, 0x500 + Math.floor(r.random() * 4), dst()));
    else if (k < 0.95) words.push(v16(op.DIF_OP_STTS, 0x500 + Math.floor(r.random() * 4), reg()));
    else if (k < 0.97) words.push(v16(op.DIF_OP_LDGS, r.pick([0x11, 0x100, 0x118]), dst()));
    else if (k < 0.98) words.push(rrr(op.DIF_OP_LDGA, r.pick([0, 1]), reg(), dst()));
    else if (k < 0.99) words.push(rrr(op.DIF_OP_NOP, 0, 0, 0));
    else words.push(rrr(op.DIF_OP_RET, 0, 0, reg()));
  }
  words.push(rrr(op.DIF_OP_RET, 0, 0, reg()));
  return createDifo({ instructions: words, intTable: EDGES });
}

type Outcome = { value: bigint } | { fault: number; faultValue: bigint; offset: number };

function outcome(run: () => bigint): Outcome {
  try {
    return { value: run() };
  } catch (e) {
    if (e instanceof EmulationFault) return { fault: e.fault, faultValue: e.value, offset: e.offset };
    throw e;
  }
}

describe('JIT translation = interpreter, instruction level', () => {
  const count = Number(process.env.JIT_DIF_RANDOM ?? 5000);
  it(`${count} random DIF objects: same value or fault, same calls`, () => {
    const r = xorshift(20261126);
    let faults = 0;
    for (let i = 0; i < count; i++) {
      const difo = randomDifo(r);
      const fn = compileDifo(difo);
      assert.ok(fn !== undefined, `object ${i} not translated`);
      const mi = new LoggingMachine();
      const mj = new LoggingMachine();
      const a = outcome(() => emulate(difo, mi));
      const b = outcome(() => fn(mj));
      if ('fault' in a) faults++;
      const where = (): string => `object ${i}:\n${translateDifo(difo)}`;
      assert.deepEqual(b, a, where());
      assert.deepEqual(mj.log, mi.log, where());
    }
    assert.ok(faults > count / 50, `only ${faults} faults`);
  });

  it('keeps every bit of 64-bit arithmetic (no double rounding)', () => {
    // 2^53 + 1 is the first integer a double cannot hold.
    const difo = createDifo({
      instructions: [
        v16(op.DIF_OP_SETX, 0, 1),
        v16(op.DIF_OP_SETX, 1, 2),
        rrr(op.DIF_OP_MUL, 1, 1, 3), // (2^53+1)^2 mod 2^64
        rrr(op.DIF_OP_ADD, 3, 2, 3),
        rrr(op.DIF_OP_RET, 0, 0, 3),
      ],
      intTable: [(1n << 53n) + 1n, 0xffffffffffffffffn],
    });
    const expected = BigInt.asUintN(64, ((1n << 53n) + 1n) ** 2n - 1n);
    assert.equal(compileDifo(difo)!(new LoggingMachine()), expected);
    assert.equal(emulate(difo, new LoggingMachine()), expected);
  });

  it('faults with the DIF offset of the faulting instruction', () => {
    const difo = createDifo({
      instructions: [v16(op.DIF_OP_SETX, 0, 1), rrr(op.DIF_OP_NOP, 0, 0, 0), rrr(op.DIF_OP_SDIV, 1, 0, 2), rrr(op.DIF_OP_RET, 0, 0, 2)],
      intTable: [5n],
    });
    assert.throws(
      () => compileDifo(difo)!(new LoggingMachine()),
      (e: unknown) => e instanceof EmulationFault && e.offset === 8 && e.fault === 4,
    );
  });

  it('leaves backward branches to the interpreter', () => {
    const difo = createDifo({ instructions: [rrr(op.DIF_OP_NOP, 0, 0, 0), br(op.DIF_OP_BA, 0), rrr(op.DIF_OP_RET, 0, 0, 0)] });
    assert.equal(compileDifo(difo), undefined);
  });

  it('generates no loop', () => {
    const r = xorshift(7);
    for (let i = 0; i < 200; i++) {
      const src = translateDifo(randomDifo(r));
      assert.ok(!/\b(for|while|do)\b/.test(src), src);
    }
  });
});

describe('JIT mode', () => {
  it('DTVM_JIT=0 forces the interpreter, setJitMode overrides the environment, the default is the JIT', () => {
    const saved = process.env.DTVM_JIT;
    try {
      delete process.env.DTVM_JIT;
      assert.equal(jitEnabled(), true);
      process.env.DTVM_JIT = '0';
      assert.equal(jitEnabled(), false);
      setJitMode(true);
      assert.equal(jitEnabled(), true);
      setJitMode(undefined);
      process.env.DTVM_JIT = '1';
      assert.equal(jitEnabled(), true);
      setJitMode(false);
      assert.equal(jitEnabled(), false);
    } finally {
      setJitMode(undefined);
      if (saved === undefined) delete process.env.DTVM_JIT;
      else process.env.DTVM_JIT = saved;
    }
  });
});

describe('JIT through the engine (EngineInput.jit)', () => {
  it('hands the consumer the same records, aggregations, drops and faults', async () => {
    const { runD } = await import('../support/vmRun.ts');
    const source = `
      int64_t n; int8_t b;
      BEGIN { b = 127; n = 0; }
      profile:::tick-1ms /n < 40/ {
        n++; b++; self->x = timestamp;
        @c[n % 3] = count(); @q = quantize(n * 0x123456789); @s[substr("abcdef", n % 4)] = sum(b);
        printf("%d %d %x %s\\n", n, b, (n << 60) >> 59, lltostr(n * -3));
        trace(100 / (n % 5));
      }
      profile:::tick-1ms /n >= 40/ { exit(0); }
      ERROR { @e[arg4] = count(); }`;
    const before = jitStats.translated;
    const interp = await runD(source, { engine: { jit: false } });
    assert.equal(jitStats.translated, before, 'jit: false translates nothing');
    const jit = await runD(source, { engine: { jit: true } });
    assert.ok(jitStats.translated > before, 'jit: true translates the objects');
    assert.ok(interp.sink.faults().length > 0, 'the program faults');
    assert.deepEqual(jit.sink.events, interp.sink.events);
    assert.deepEqual(jit.result, interp.result);
  });
});
