// A seeded generator of random valid D programs for the JIT's differential tests: integer
// expressions over every width (overflow, sign and zero extension, shifts by any count,
// division and remainder that may fault at run time), strings (literals, execname, strjoin,
// substr, lltostr, comparisons), ternaries, logical operators, predicates, thread-local and
// associative variables, aggregations of every kind and printf/trace. The programs run on the
// tiny workload (syscall/io/sched firings) and in BEGIN/END.
import { xorshift, type SeededRandom } from './xorshift.ts';

const INT_TYPES = ['int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'int64_t', 'uint64_t'] as const;

/** The global of an integer type: v_i8, v_u64 ... (a name ending in _t would read as a type). */
function varOf(t: string): string {
  return `v_${t.startsWith('u') ? 'u' : 'i'}${t.replace(/^u?int/, '').replace(/_t$/, '')}`;
}

const EDGE = [
  '0',
  '1',
  '-1',
  '2',
  '7',
  '63',
  '64',
  '127',
  '128',
  '255',
  '256',
  '0x7fff',
  '0x8000',
  '0xffff',
  '0x7fffffff',
  '0x80000000',
  '0xffffffff',
  '0x100000000',
  '0x7fffffffffffffff',
  '0x8000000000000000',
  '0xffffffffffffffff',
  '-9223372036854775807',
  '1000000007',
  '123456789012',
];

const STRINGS = ['""', '"a"', '"abc"', '"hello"', '"zzz"', '"read"', '"cat"', '"12345678"', '"x y z"'];

const PROBES = ['syscall::read:entry', 'syscall::read:return', 'io:::start', 'io:::done', 'sched:::on-cpu', 'sched:::off-cpu'];

class Gen {
  readonly ints: string[] = [];
  readonly strs = ['s0', 's1'];
  /** Whether the clause being generated has set its clause-local this->c. */
  hasLocal: boolean;

  constructor(
    private readonly r: SeededRandom,
    /** Whether probe arguments and thread-locals are in scope (not in BEGIN/END). */
    public inProbe = false,
  ) {
    this.hasLocal = false;
    for (const t of INT_TYPES) this.ints.push(varOf(t));
  }

  int(n: number): number {
    return Math.floor(this.r.random() * n);
  }

  chance(p: number): boolean {
    return this.r.random() < p;
  }

  literal(): string {
    if (this.chance(0.7)) return this.r.pick(EDGE);
    return String(this.int(2000) - 1000);
  }

  /** An integer expression of at most `depth` levels. */
  intExpr(depth: number): string {
    if (depth <= 0 || this.chance(0.25)) return this.intLeaf();
    const d = depth - 1;
    switch (this.int(17)) {
      case 0:
      case 1:
      case 2: {
        const o = this.r.pick(['+', '-', '*', '&', '|', '^', '+', '-', '*']);
        return `(${this.intExpr(d)} ${o} ${this.intExpr(d)})`;
      }
      case 3: {
        // Divisors from variables may be zero: a fault at run time (constants would not compile).
        const o = this.r.pick(['/', '%']);
        return `(${this.intExpr(d)} ${o} ${this.chance(0.5) ? this.r.pick(this.ints) : `(${this.r.pick(this.ints)} & 3)`})`;
      }
      case 4: {
        const o = this.r.pick(['<<', '>>']);
        const count = this.chance(0.5) ? String(this.int(70)) : this.intExpr(d);
        return `(${this.intExpr(d)} ${o} ${count})`;
      }
      case 5:
        return `(${this.r.pick(['-', '~', '!'])} ${this.intExpr(d)})`;
      case 6:
        return `((${this.r.pick(INT_TYPES)})${this.intExpr(d)})`;
      case 7: {
        const o = this.r.pick(['<', '<=', '>', '>=', '==', '!=']);
        return `(${this.intExpr(d)} ${o} ${this.intExpr(d)})`;
      }
      case 8: {
        const o = this.r.pick(['<', '<=', '>', '>=', '==', '!=']);
        return `(${this.strExpr(d)} ${o} ${this.strExpr(d)})`;
      }
      case 9:
        return `(${this.intExpr(d)} ? ${this.intExpr(d)} : ${this.intExpr(d)})`;
      case 10:
        return `(${this.intExpr(d)} ${this.r.pick(['&&', '||', '^^'])} ${this.intExpr(d)})`;
      case 11:
        return `strlen(${this.strExpr(d)})`;
      case 12:
        return `mk[${this.intExpr(d)}, ${this.strExpr(d)}]`;
      case 13:
        return `${this.r.pick(['index', 'rindex'])}(${this.strExpr(d)}, ${this.strExpr(d)})`;
      case 14:
        // Loads from wherever an integer points: mostly a bad address (a fault with its offset).
        return this.chance(0.3) ? `(*(${this.r.pick(INT_TYPES)} *)${this.intLeaf()})` : `am[${this.intExpr(d)}]`;
      case 15:
        return this.hasLocal ? `(this->c + ${this.intExpr(d)})` : `am[${this.intExpr(d)}]`;
      default:
        return `am[${this.intExpr(d)}]`;
    }
  }

  intLeaf(): string {
    const k = this.int(this.inProbe ? 6 : 4);
    switch (k) {
      case 0:
      case 1:
        return this.literal();
      case 2:
      case 3:
        return this.r.pick(this.ints);
      case 4:
        return this.r.pick(['arg0', 'arg1', 'arg2', 'pid', 'tid', 'cpu', 'timestamp', 'vtimestamp', 'ppid', 'uid']);
      default:
        return this.r.pick(['self->t0', 'self->t1']);
    }
  }

  strExpr(depth: number): string {
    if (depth <= 0 || this.chance(0.35)) {
      switch (this.int(3)) {
        case 0:
          return this.r.pick(STRINGS);
        case 1:
          return this.r.pick(this.strs);
        default:
          return this.inProbe ? 'execname' : this.r.pick(STRINGS);
      }
    }
    const d = depth - 1;
    switch (this.int(8)) {
      case 5:
        return `${this.r.pick(['toupper', 'tolower'])}(${this.strExpr(d)})`;
      case 6:
        // NULL when not found: what a NULL string does next is part of the comparison.
        return `strstr(${this.strExpr(d)}, ${this.strExpr(d)})`;
      case 7:
        return this.chance(0.3) ? `copyinstr(${this.intLeaf()})` : this.r.pick(STRINGS);
      case 0:
        return `strjoin(${this.strExpr(d)}, ${this.strExpr(d)})`;
      case 1:
        return `substr(${this.strExpr(d)}, ${this.intExpr(d)}, ${this.intExpr(d)})`;
      case 2:
        return `lltostr(${this.intExpr(d)})`;
      case 3:
        return `(${this.intExpr(d)} ? ${this.strExpr(d)} : ${this.strExpr(d)})`;
      default:
        return `sm[${this.strExpr(d)}]`;
    }
  }

  statement(aggs: string[]): string {
    const depth = 1 + this.int(4);
    switch (this.int(this.inProbe ? 11 : 8)) {
      case 0:
      case 1:
        return `${this.r.pick(this.ints)} = ${this.intExpr(depth)};`;
      case 2:
        return `${this.r.pick(this.strs)} = ${this.strExpr(depth)};`;
      case 3:
        return `am[${this.intExpr(2)}] = ${this.intExpr(depth)};`;
      case 4:
        return this.chance(0.5) ? `sm[${this.strExpr(2)}] = ${this.strExpr(depth)};` : `mk[${this.intExpr(1)}, ${this.strExpr(1)}] = ${this.intExpr(depth)};`;
      case 5: {
        const n = 1 + this.int(3);
        const parts: string[] = [];
        const args: string[] = [];
        for (let i = 0; i < n; i++) {
          if (this.chance(0.7)) {
            parts.push(this.r.pick(['%d', '%u', '%x', '%i']));
            args.push(this.intExpr(depth));
          } else {
            parts.push('%s');
            args.push(this.strExpr(depth));
          }
        }
        return `printf("${parts.join(' ')}\\n", ${args.join(', ')});`;
      }
      case 6:
        return this.chance(0.5) ? `trace(${this.intExpr(depth)});` : `trace(${this.strExpr(depth)});`;
      case 7: {
        const name = `@a${aggs.length}`;
        const key = this.chance(0.5) ? `[${this.intExpr(2)}]` : this.chance(0.5) ? `[${this.strExpr(1)}, ${this.intExpr(1)}]` : '';
        const f = this.r.pick(['count()', 'sum(E)', 'max(E)', 'min(E)', 'avg(E)', 'quantize(E)', 'lquantize(E, -100, 100, 10)', 'stddev(E)']);
        aggs.push(name);
        return `${name}${key} = ${f.replace('E', this.intExpr(depth))};`;
      }
      default:
        return `self->${this.r.pick(['t0', 't1'])} = ${this.intExpr(depth)};`;
    }
  }
}

/** One random program (deterministic for a seed). */
export function randomProgram(seed: number): string {
  const r = xorshift(seed * 2654435761 + 1);
  const g = new Gen(r);
  const out: string[] = [];
  for (const t of INT_TYPES) out.push(`${t} ${varOf(t)};`);
  out.push('string s0;', 'string s1;', 'int64_t am[int64_t];', 'string sm[string];', 'int64_t mk[int64_t, string];', 'self int64_t t0;', 'self int64_t t1;', '');
  const aggs: string[] = [];
  const init: string[] = [];
  for (const t of INT_TYPES) init.push(`  ${varOf(t)} = ${g.literal()};`);
  init.push(`  s0 = ${r.pick(STRINGS)};`, `  s1 = ${r.pick(STRINGS)};`);
  const begin = Array.from({ length: 1 + g.int(4) }, () => `  ${g.statement(aggs)}`);
  out.push('BEGIN', '{', ...init, ...begin, '}', '');
  g.inProbe = true;
  const clauses = 1 + g.int(4);
  for (let c = 0; c < clauses; c++) {
    const probe = r.pick(PROBES);
    g.hasLocal = false;
    const pred = g.chance(0.5) ? `/${g.intExpr(2)}/\n` : '';
    const local = g.chance(0.4) ? [`  this->c = ${g.intExpr(2)};`] : [];
    g.hasLocal = local.length > 0;
    const body = [...local, ...Array.from({ length: 1 + g.int(4) }, () => `  ${g.statement(aggs)}`)];
    g.hasLocal = false;
    out.push(probe, `${pred}{`, ...body, '}', '');
  }
  g.inProbe = false;
  const end = Array.from({ length: g.int(3) }, () => `  ${g.statement(aggs)}`);
  out.push('END', '{', ...end, '}', '');
  return out.join('\n');
}
