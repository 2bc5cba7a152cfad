// Deterministic generators of large, realistic source files for the benchmarks: a D script and
// a C file of the same number of lines and a similar mix of statements.

/** A small seeded PRNG (mulberry32) so every run measures the same text. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYSCALLS = ['read', 'write', 'open', 'close', 'mmap', 'ioctl', 'stat', 'fstat', 'poll', 'openat'];
const D_STATEMENTS = [
  (i: number) => `\tself->ts${i % 7} = timestamp;`,
  () => `\t@calls[execname, probefunc] = count();`,
  (i: number) => `\t@lat${i % 5}[execname] = quantize(timestamp - self->ts${i % 7});`,
  (i: number) => `\tprintf("%-16s %6d %d\\n", execname, pid, arg${i % 3});`,
  (i: number) => `\tthis->n = arg0 > ${i % 100} ? arg0 - ${i % 100} : 0;`,
  (i: number) => `\t@bytes[probefunc] = sum(arg2 * ${1 + (i % 4)});`,
  (i: number) => `\ttotal${i % 3} += (this->n << 2) / (1 + (arg1 & 0xff));`,
  () => `\tself->path = copyinstr(arg0);`,
];

/** About `lines` lines of D: clauses with predicates, if/else, aggregations and printf. */
export function generateD(lines: number, seed = 1): string {
  const rnd = seeded(seed);
  const out: string[] = ['#!/usr/sbin/dtrace -qs', '#pragma D option quiet', '#pragma D option bufsize=16m', ''];
  let i = 0;
  while (out.length < lines) {
    const sc = SYSCALLS[i % SYSCALLS.length]!;
    out.push(`syscall::${sc}:${i % 2 ? 'return' : 'entry'}`);
    out.push(`/pid != $pid && execname != "dtrace" && arg0 >= ${i % 50}/`);
    out.push('{');
    const n = 4 + Math.floor(rnd() * 8);
    for (let k = 0; k < n; k++) out.push(D_STATEMENTS[Math.floor(rnd() * D_STATEMENTS.length)]!(i + k));
    if (rnd() < 0.4) {
      out.push(`\tif (arg0 < 0) {`, `\t\t@errors[errno] = count();`, `\t} else {`, `\t\t@ok[probefunc] = count();`, `\t}`);
    }
    out.push('}', '');
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

const C_STATEMENTS = [
  (i: number) => `\tctx->ts${i % 7} = now();`,
  () => `\tcounts[hash(name, func) % 1024] += 1;`,
  (i: number) => `\tlat${i % 5}[bucket(now() - ctx->ts${i % 7})]++;`,
  (i: number) => `\tprintf("%-16s %6d %d\\n", name, pid, arg${i % 3});`,
  (i: number) => `\tn = arg0 > ${i % 100} ? arg0 - ${i % 100} : 0;`,
  (i: number) => `\tbytes[func_id] += arg2 * ${1 + (i % 4)};`,
  (i: number) => `\ttotal${i % 3} += (n << 2) / (1 + (arg1 & 0xff));`,
  () => `\tctx->path = copy_string(arg0);`,
];

/** About `lines` lines of C with the same shape: functions with guards, if/else and calls. */
export function generateC(lines: number, seed = 1): string {
  const rnd = seeded(seed);
  const out: string[] = ['#include <stdio.h>', '#include <stdint.h>', 'static long total0, total1, total2;', ''];
  let i = 0;
  while (out.length < lines) {
    out.push(`void handle_${SYSCALLS[i % SYSCALLS.length]}_${i}(struct ctx *ctx, long arg0, long arg1, long arg2)`);
    out.push('{');
    out.push(`\tif (!(pid != self_pid && strcmp(name, "dtrace") != 0 && arg0 >= ${i % 50})) return;`);
    out.push('\tlong n;');
    const n = 4 + Math.floor(rnd() * 8);
    for (let k = 0; k < n; k++) out.push(C_STATEMENTS[Math.floor(rnd() * C_STATEMENTS.length)]!(i + k));
    if (rnd() < 0.4) {
      out.push(`\tif (arg0 < 0) {`, `\t\terrors[errno]++;`, `\t} else {`, `\t\tok[func_id]++;`, `\t}`);
    }
    out.push('}', '');
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}
