// DIF subroutines (reference §4.1, illumos numbering) that make sense without a kernel.
// String results are built in scratch space exactly where and how big the kernel makes them
// (strsize bytes for most, 65 for lltostr, INET_ADDRSTRLEN/INET6_ADDRSTRLEN for inet_*), so
// running out of scratch happens at the same point. Subroutines that read kernel objects we do
// not have (mutexes, rwlocks, STREAMS messages) load through the address space and therefore
// fault badaddr, as the kernel would on an unmapped address. User memory (copyin...) is what
// the firing carries (a replayed trace's recorded bytes); a read of anything else faults
// badaddr at the first missing byte, as a copy from an unmapped user page does.

import {
  DTRACEFLT_BADADDR,
  DTRACEFLT_ILLOP,
  DTRACEFLT_NOSCRATCH,
} from '../dif/faults';
import * as S from '../dif/subroutines';

// Read once: under a CommonJS transform every namespace access is a getter call, and these
// sit on the hottest path.
const {
  DIF_SUBR_ALLOCA,
  DIF_SUBR_BASENAME,
  DIF_SUBR_BCOPY,
  DIF_SUBR_CLEANPATH,
  DIF_SUBR_COPYIN,
  DIF_SUBR_COPYINSTR,
  DIF_SUBR_COPYINTO,
  DIF_SUBR_COPYOUT,
  DIF_SUBR_COPYOUTSTR,
  DIF_SUBR_DDI_PATHNAME,
  DIF_SUBR_DIRNAME,
  DIF_SUBR_GETMAJOR,
  DIF_SUBR_GETMINOR,
  DIF_SUBR_HTONL,
  DIF_SUBR_HTONLL,
  DIF_SUBR_HTONS,
  DIF_SUBR_INDEX,
  DIF_SUBR_INET_NTOA,
  DIF_SUBR_INET_NTOA6,
  DIF_SUBR_INET_NTOP,
  DIF_SUBR_LLTOSTR,
  DIF_SUBR_MSGDSIZE,
  DIF_SUBR_MSGSIZE,
  DIF_SUBR_MUTEX_OWNED,
  DIF_SUBR_MUTEX_OWNER,
  DIF_SUBR_MUTEX_TYPE_ADAPTIVE,
  DIF_SUBR_MUTEX_TYPE_SPIN,
  DIF_SUBR_NTOHL,
  DIF_SUBR_NTOHLL,
  DIF_SUBR_NTOHS,
  DIF_SUBR_PROGENYOF,
  DIF_SUBR_RAND,
  DIF_SUBR_RINDEX,
  DIF_SUBR_RW_ISWRITER,
  DIF_SUBR_RW_READ_HELD,
  DIF_SUBR_RW_WRITE_HELD,
  DIF_SUBR_SPECULATION,
  DIF_SUBR_STRCHR,
  DIF_SUBR_STRJOIN,
  DIF_SUBR_STRLEN,
  DIF_SUBR_STRRCHR,
  DIF_SUBR_STRSTR,
  DIF_SUBR_STRTOK,
  DIF_SUBR_SUBSTR,
  DIF_SUBR_TOLOWER,
  DIF_SUBR_TOUPPER,
} = S;
import type { TupleSlot } from './interpreter';
import { jsonLookup } from './jsonPath';
import { DifFault, firstMissingByte, type AddressSpace, type Scratch, type UserMemory } from './memory';
import { cleanPath, pathPart } from './pathNames';

export interface SubroutineContext {
  readonly space: AddressSpace;
  readonly scratch: Scratch;
  readonly strsize: number;
  /** Virtual time of the firing (rand() is seeded from it like illumos' hrtime LCG). */
  readonly timestamp: bigint;
  readonly pid: number;
  readonly ppid: number;
  /** The firing's user memory (copyin and friends), when it has any. */
  readonly userMemory?: UserMemory | undefined;
  /** A process's parent, when known beyond ppid (progenyof). */
  readonly parentOf?: ((pid: number) => number | undefined) | undefined;
  /** strtok's saved position: it lives as long as the probe firing (dtms_strtok). */
  strtok: { addr: bigint; limit: bigint };
  speculation(): number;
  /** Mapping of the platform's numbering beyond 45 (getf, json, strtoll...). */
  readonly nameOf: (code: number) => string;
}

const INET_ADDRSTRLEN = 16;
const INET6_ADDRSTRLEN = 46;
const AF_INET = 2n;
/** AF_INET6 differs between systems (illumos 26, FreeBSD 28, macOS 30, Linux 10). */
const AF_INET6_VALUES = new Set([26n, 28n, 30n, 10n]);

const enc = new TextEncoder();

function str(c: SubroutineContext, addr: bigint): Uint8Array {
  return c.space.readString(addr, c.strsize);
}

/** Reserves `size` bytes of scratch or faults noscratch (strings need no alignment). */
function reserve(c: SubroutineContext, size: number, align = 1): bigint {
  const addr = c.scratch.allocate(size, align);
  if (addr === undefined) throw new DifFault(DTRACEFLT_NOSCRATCH);
  return addr;
}

/** Writes a NUL-terminated result into a fresh strsize scratch buffer (truncated to fit). */
function result(c: SubroutineContext, bytes: Uint8Array, size = c.strsize): bigint {
  const addr = reserve(c, size);
  const out = new Uint8Array(Math.min(bytes.length, size - 1) + 1);
  out.set(bytes.subarray(0, out.length - 1));
  c.space.write(addr, out);
  return addr;
}

/** Ancestors progenyof() follows before giving up (a cycle in recorded data must not hang it). */
const MAX_ANCESTRY = 1024;

/**
 * The current process descends from `pid` (or is it): its parent chain, as far as it is known,
 * then what every system's process tree has at its root. The kernel walks p_parent to the top:
 * every user process descends from init (1), and init and the kernel's own processes from
 * sched/swapper (0). So a chain that reaches 0 ends there; one that stops at a parent nobody
 * recorded (a replay that saw no exec of it, dtrace(1)'s shell) is a user process's, and 1
 * and 0 are its ancestors still.
 */
function progenyof(c: SubroutineContext, pid: number): bigint {
  if (pid === c.pid) return 1n;
  if (c.pid === 0) return 0n; // the kernel's own processes: sched is the root
  let p = c.ppid;
  for (let depth = 0; depth < MAX_ANCESTRY; depth++) {
    if (p === pid) return 1n;
    if (p === 0) return 0n; // sched, the root: nothing above it
    const up = c.parentOf?.(p);
    if (up === undefined || up === p) break;
    p = up;
  }
  // The recorded ancestry ended (or looped) at a user process: init and sched are above it.
  return pid === 1 || pid === 0 ? 1n : 0n;
}

/**
 * copyin(uaddr, size): scratch first (8-aligned, noscratch when it does not fit), then the
 * user bytes, which fault badaddr at the first one the firing does not have.
 */
function copyin(c: SubroutineContext, uaddr: bigint, size: bigint): bigint {
  if (size > BigInt(c.scratch.remaining)) throw new DifFault(DTRACEFLT_NOSCRATCH);
  const n = Number(size);
  const dest = reserve(c, n, 8);
  if (n === 0) return dest;
  const bytes = c.userMemory?.read(uaddr, n);
  if (bytes === undefined) throw new DifFault(DTRACEFLT_BADADDR, firstMissingByte(c.userMemory, uaddr, n));
  c.space.write(dest, bytes);
  return dest;
}

/**
 * copyinstr(uaddr[, max]): a strsize buffer, or max + 1 bytes when max is smaller; the copy
 * stops after the NUL or when the buffer is full, and the last byte is always NUL.
 */
function copyinstr(c: SubroutineContext, uaddr: bigint, max: bigint | undefined): bigint {
  let size = c.strsize;
  if (max !== undefined && max < BigInt(size)) size = Number(max) + 1;
  const dest = reserve(c, size);
  const text = c.userMemory?.readCString(uaddr, size);
  if (text === undefined) throw new DifFault(DTRACEFLT_BADADDR, firstMissingByte(c.userMemory, uaddr, size));
  const out = new Uint8Array(Math.min(text.length, size - 1) + 1);
  out.set(text.subarray(0, out.length - 1));
  c.space.write(dest, out);
  return dest;
}

/** copyinto(uaddr, size, dst): dst must be `size` bytes of this firing's scratch (badaddr at dst otherwise), then as copyin. */
function copyinto(c: SubroutineContext, uaddr: bigint, size: bigint, dst: bigint): void {
  if (!c.scratch.holds(dst, size)) throw new DifFault(DTRACEFLT_BADADDR, dst);
  const n = Number(size);
  if (n === 0) return;
  const bytes = c.userMemory?.read(uaddr, n);
  if (bytes === undefined) throw new DifFault(DTRACEFLT_BADADDR, firstMissingByte(c.userMemory, uaddr, n));
  c.space.write(dst, bytes);
}

function arg(args: readonly TupleSlot[], i: number): bigint {
  return args[i]?.value ?? 0n;
}

export function callSubroutine(c: SubroutineContext, code: number, args: readonly TupleSlot[]): bigint {
  switch (code) {
    case DIF_SUBR_RAND:
      return BigInt.asUintN(64, (BigInt.asIntN(64, c.timestamp) * 2416n + 374441n) % 1771875n);
    case DIF_SUBR_MUTEX_OWNED:
    case DIF_SUBR_MUTEX_OWNER:
    case DIF_SUBR_MUTEX_TYPE_ADAPTIVE:
    case DIF_SUBR_MUTEX_TYPE_SPIN:
    case DIF_SUBR_RW_READ_HELD:
    case DIF_SUBR_RW_WRITE_HELD:
    case DIF_SUBR_RW_ISWRITER:
    case DIF_SUBR_MSGDSIZE:
    case DIF_SUBR_MSGSIZE:
    case DIF_SUBR_DDI_PATHNAME:
      // Reading the kernel object is the first thing these do; we have none to read.
      c.space.load(arg(args, 0) & ~7n, 8, false);
      return 0n;
    case DIF_SUBR_COPYIN:
      return copyin(c, arg(args, 0), arg(args, 1));
    case DIF_SUBR_COPYINSTR:
      return copyinstr(c, arg(args, 0), args.length > 1 ? arg(args, 1) : undefined);
    case DIF_SUBR_COPYINTO:
      copyinto(c, arg(args, 0), arg(args, 1), arg(args, 2));
      return 0n;
    case DIF_SUBR_COPYOUT:
    case DIF_SUBR_COPYOUTSTR:
      throw new DifFault(DTRACEFLT_BADADDR, arg(args, 1));
    case DIF_SUBR_SPECULATION:
      return BigInt(c.speculation());
    case DIF_SUBR_PROGENYOF:
      return progenyof(c, Number(BigInt.asIntN(32, arg(args, 0))));
    case DIF_SUBR_STRLEN:
      return BigInt(str(c, arg(args, 0)).length);
    case DIF_SUBR_ALLOCA: {
      const size = arg(args, 0);
      if (size > BigInt(c.scratch.remaining)) throw new DifFault(DTRACEFLT_NOSCRATCH);
      return reserve(c, Number(size), 8);
    }
    case DIF_SUBR_BCOPY: {
      const src = arg(args, 0);
      const dst = arg(args, 1);
      const size = arg(args, 2);
      if (!c.scratch.holds(dst, size)) throw new DifFault(DTRACEFLT_BADADDR, dst);
      c.space.write(dst, c.space.read(src, Number(size)));
      return 0n;
    }
    case DIF_SUBR_GETMAJOR:
      return (arg(args, 0) >> 32n) & 0xffffffffn;
    case DIF_SUBR_GETMINOR:
      return arg(args, 0) & 0xffffffffn;
    case DIF_SUBR_STRJOIN: {
      const a = str(c, arg(args, 0));
      const b = str(c, arg(args, 1));
      if (c.scratch.remaining < c.strsize) throw new DifFault(DTRACEFLT_NOSCRATCH);
      // The joined string must fit in strsize with its NUL, else the kernel gives up.
      if (a.length + b.length + 1 > c.strsize) throw new DifFault(DTRACEFLT_NOSCRATCH);
      const joined = new Uint8Array(a.length + b.length + 1);
      joined.set(a);
      joined.set(b, a.length);
      const addr = reserve(c, joined.length);
      c.space.write(addr, joined);
      return addr;
    }
    case DIF_SUBR_LLTOSTR:
      return lltostr(c, arg(args, 0), args.length > 1 ? arg(args, 1) : 10n);
    case DIF_SUBR_BASENAME:
    case DIF_SUBR_DIRNAME:
      return result(c, pathPart(str(c, arg(args, 0)), code === DIF_SUBR_DIRNAME));
    case DIF_SUBR_CLEANPATH:
      return result(c, cleanPath(str(c, arg(args, 0)), c.strsize));
    case DIF_SUBR_STRCHR:
    case DIF_SUBR_STRRCHR: {
      const base = arg(args, 0);
      const s = str(c, base);
      const target = Number(arg(args, 1) & 0xffn);
      let found = -1;
      for (let i = 0; i <= s.length && i < c.strsize; i++) {
        const ch = i < s.length ? s[i]! : 0;
        if (ch === target) {
          found = i;
          if (code === DIF_SUBR_STRCHR) break;
        }
      }
      return found < 0 ? 0n : base + BigInt(found);
    }
    case DIF_SUBR_STRSTR:
    case DIF_SUBR_INDEX:
    case DIF_SUBR_RINDEX:
      return search(c, code, args);
    case DIF_SUBR_STRTOK:
      return strtok(c, arg(args, 0), arg(args, 1));
    case DIF_SUBR_SUBSTR:
      return substr(c, args);
    case DIF_SUBR_HTONS:
    case DIF_SUBR_NTOHS:
      return swap(arg(args, 0), 2);
    case DIF_SUBR_HTONL:
    case DIF_SUBR_NTOHL:
      return swap(arg(args, 0), 4);
    case DIF_SUBR_HTONLL:
    case DIF_SUBR_NTOHLL:
      return swap(arg(args, 0), 8);
    case DIF_SUBR_INET_NTOP: {
      const af = BigInt.asIntN(32, arg(args, 0));
      if (af === AF_INET) return inet4(c, arg(args, 1));
      if (AF_INET6_VALUES.has(af)) return inet6(c, arg(args, 1), false);
      throw new DifFault(DTRACEFLT_ILLOP);
    }
    case DIF_SUBR_INET_NTOA:
      return inet4(c, arg(args, 0));
    case DIF_SUBR_INET_NTOA6:
      return inet6(c, arg(args, 0), true);
    case DIF_SUBR_TOUPPER:
    case DIF_SUBR_TOLOWER: {
      const s = str(c, arg(args, 0)).slice();
      const up = code === DIF_SUBR_TOUPPER;
      for (let i = 0; i < s.length; i++) {
        const ch = s[i]!;
        if (up && ch >= 0x61 && ch <= 0x7a) s[i] = ch - 32;
        else if (!up && ch >= 0x41 && ch <= 0x5a) s[i] = ch + 32;
      }
      return result(c, s);
    }
    default:
      break;
  }
  switch (c.nameOf(code)) {
    case 'strtoll':
      return strtoll(c, arg(args, 0), args.length > 1 ? arg(args, 1) : 10n);
    case 'json':
      return json(c, arg(args, 0), arg(args, 1));
    case 'getf':
      // No open-file table is replayed: getf() finds nothing.
      return 0n;
    case 'memref': {
      // Two words, address and length, for printm().
      const addr = reserve(c, 16, 8);
      c.space.store(addr, 8, arg(args, 0));
      c.space.store(addr + 8n, 8, arg(args, 1));
      return addr;
    }
    case 'memstr': {
      const len = arg(args, 2);
      if (len > 4096n) throw new DifFault(DTRACEFLT_ILLOP);
      const n = Number(len);
      const bytes = c.space.read(arg(args, 0), n);
      const sep = Number(arg(args, 1) & 0xffn);
      for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) bytes[i] = sep;
      return result(c, bytes, n + 1);
    }
    case 'sx_shared_held':
    case 'sx_exclusive_held':
    case 'sx_isexclusive':
    case 'typeref':
      c.space.load(arg(args, 0) & ~7n, 8, false);
      return 0n;
    default:
      throw new DifFault(DTRACEFLT_ILLOP);
  }
}

function swap(value: bigint, bytes: number): bigint {
  let v = value;
  let out = 0n;
  for (let i = 0; i < bytes; i++) {
    out = (out << 8n) | (v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function lltostr(c: SubroutineContext, raw: bigint, baseArg: bigint): bigint {
  const base = BigInt.asIntN(64, baseArg);
  if (base <= 1n || base > 36n) throw new DifFault(DTRACEFLT_ILLOP);
  const i = BigInt.asIntN(64, raw);
  let val = base === 10n && i < 0n ? -i : BigInt.asUintN(64, raw);
  let digits = '';
  while (val > 0n) {
    digits = (val % base).toString(36) + digits;
    val /= base;
  }
  if (i === 0n && base === 16n) digits = '0' + digits;
  if (base === 16n) digits = 'x' + digits;
  if (i === 0n || base === 8n || base === 16n) digits = '0' + digits;
  if (i < 0n && base === 10n) digits = '-' + digits;
  // The kernel reserves 65 bytes and builds the string at their end.
  const size = 65;
  const addr = reserve(c, size);
  const bytes = enc.encode(digits + '\0');
  const at = addr + BigInt(size - bytes.length);
  c.space.write(at, bytes);
  return at;
}

function strtoll(c: SubroutineContext, addr: bigint, baseArg: bigint): bigint {
  const base = Number(BigInt.asIntN(64, baseArg));
  if (base < 2 || base > 36) throw new DifFault(DTRACEFLT_ILLOP);
  const s = str(c, addr);
  let p = 0;
  while (s[p] === 0x20 || s[p] === 0x09) p++;
  let neg = false;
  if (s[p] === 0x2d || s[p] === 0x2b) {
    neg = s[p] === 0x2d;
    p++;
  }
  if (base === 16 && s[p] === 0x30 && (s[p + 1] === 0x78 || s[p + 1] === 0x58) && digitValue(s[p + 2]) < 16) p += 2;
  let val = 0n;
  for (; p < s.length; p++) {
    const d = digitValue(s[p]);
    if (d >= base) break;
    val = BigInt.asIntN(64, val * BigInt(base) + BigInt(d));
  }
  return BigInt.asUintN(64, neg ? -val : val);
}

function digitValue(ch: number | undefined): number {
  if (ch === undefined) return 99;
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x61 && ch <= 0x7a) return ch - 0x61 + 10;
  if (ch >= 0x41 && ch <= 0x5a) return ch - 0x41 + 10;
  return 99;
}

function search(c: SubroutineContext, code: number, args: readonly TupleSlot[]): bigint {
  const base = arg(args, 0);
  const s = str(c, base);
  const sub = str(c, arg(args, 1));
  const len = s.length;
  const sublen = sub.length;
  const isStrstr = code === DIF_SUBR_STRSTR;
  const notFound = isStrstr ? 0n : BigInt.asUintN(64, -1n);
  if (sublen === 0 && len === 0) return isStrstr ? base : 0n;
  const matchesAt = (i: number): boolean => {
    for (let k = 0; k < sublen; k++) if ((s[i + k] ?? 0) !== sub[k]) return false;
    return true;
  };
  const found = (i: number): bigint => (isStrstr ? base + BigInt(i) : BigInt(i));
  if (code === DIF_SUBR_RINDEX) {
    let pos = len;
    if (args.length === 3) {
      const p = BigInt.asIntN(64, arg(args, 2));
      if (p < 0n) return sublen === 0 ? 0n : notFound;
      pos = p > BigInt(len) ? len : Number(p);
    }
    for (let i = pos; i >= 0; i--) if (matchesAt(i)) return found(i);
    return notFound;
  }
  let pos = 0;
  if (code === DIF_SUBR_INDEX && args.length === 3) {
    let p = BigInt.asIntN(64, arg(args, 2));
    if (p < 0n) p = 0n;
    if (p >= BigInt(len)) return sublen === 0 ? BigInt(len) : notFound;
    pos = Number(p);
  }
  for (let i = pos; i < len; i++) if (matchesAt(i)) return found(i);
  return notFound;
}

function strtok(c: SubroutineContext, input: bigint, tokens: bigint): bigint {
  const delims = str(c, tokens);
  if (c.scratch.remaining < c.strsize) throw new DifFault(DTRACEFLT_NOSCRATCH);
  let addr: bigint;
  let limit: bigint;
  if (input === 0n) {
    addr = c.strtok.addr;
    limit = c.strtok.limit;
  } else {
    addr = input;
    limit = input + BigInt(str(c, input).length + 1);
  }
  const isDelim = new Set(delims);
  const byteAt = (a: bigint): number => (a === 0n ? 0 : Number(c.space.load(a, 1, false)));
  let ch = 0;
  for (; addr < limit; addr++) {
    ch = byteAt(addr);
    if (ch === 0 || !isDelim.has(ch)) break;
  }
  if (ch === 0) {
    c.strtok = { addr: 0n, limit: 0n };
    return 0n;
  }
  const token: number[] = [];
  for (; addr < limit && token.length < c.strsize - 1; addr++) {
    ch = byteAt(addr);
    if (ch === 0 || isDelim.has(ch)) break;
    token.push(ch);
  }
  c.strtok = { addr, limit };
  return result(c, Uint8Array.from(token));
}

function substr(c: SubroutineContext, args: readonly TupleSlot[]): bigint {
  const s = str(c, arg(args, 0));
  const size = BigInt(c.strsize);
  const len = BigInt(s.length);
  let index = BigInt.asIntN(64, arg(args, 1));
  let remaining = args.length <= 2 ? size : BigInt.asIntN(64, arg(args, 2));
  if (index < 0n) {
    index += len;
    if (index < 0n && index + remaining > 0n) {
      remaining += index;
      index = 0n;
    }
  }
  if (index >= len || index < 0n) remaining = 0n;
  else if (remaining < 0n) remaining += len - index;
  else if (index + remaining > size) remaining = size - index;
  const start = Number(index < 0n ? 0n : index);
  const count = remaining <= 0n ? 0 : Math.min(Number(remaining), c.strsize - 1);
  return result(c, s.subarray(start, Math.min(s.length, start + count)));
}

function inet4(c: SubroutineContext, addr: bigint): bigint {
  const b = c.space.read(addr, 4);
  return result(c, enc.encode(`${b[0]}.${b[1]}.${b[2]}.${b[3]}`), INET_ADDRSTRLEN);
}

function inet6(c: SubroutineContext, addr: bigint, ntoa6: boolean): bigint {
  const b = c.space.read(addr, 16);
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i]! << 8) | b[i + 1]!);
  const v4 = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const mapped = words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff;
  const compat = words.slice(0, 6).every((w) => w === 0) && (words[6] !== 0 || words[7]! > 1);
  if ((mapped || compat) && ntoa6) return result(c, enc.encode(v4), INET6_ADDRSTRLEN);
  const groups = mapped || compat ? 6 : 8;
  // The longest run of zero groups (at least two) becomes "::"; the first wins a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < groups; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let text = '';
  for (let i = 0; i < groups; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLen - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += words[i]!.toString(16);
  }
  if (mapped || compat) text += (text.endsWith(':') ? '' : ':') + v4;
  return result(c, enc.encode(text), INET6_ADDRSTRLEN);
}

/** json(): the value at a dotted/indexed key path, or NULL. */
function json(c: SubroutineContext, docAddr: bigint, keyAddr: bigint): bigint {
  const dec = new TextDecoder();
  const found = jsonLookup(dec.decode(str(c, docAddr)), dec.decode(str(c, keyAddr)));
  return found === undefined ? 0n : result(c, enc.encode(found));
}
