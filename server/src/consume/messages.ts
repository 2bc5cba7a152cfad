// dtrace(1)'s reports on stderr: drops (per CPU for the principal and aggregation buffers,
// from the status poll for the others, `[DTRACEDROP_*] ` first with -x droptags) and faults
// (`error on enabled probe ID ...`). Texts from reference §7.2 and §8; each ends in a newline
// and goes after "dtrace: ".
import { DTRACEFLT_BADADDR, DTRACEFLT_BADALIGN, DTRACEFLT_BADSTACK, faultMessage } from '../dif/faults';
import type { DropKind, FaultReport } from '../vm/records';

const STATUS_DROPS: Record<Exclude<DropKind, 'PRINCIPAL' | 'AGGREGATION'>, [string, string]> = {
  DYNAMIC: ['dynamic variable drop', ''],
  DYNRINSE: ['dynamic variable drop', ' with non-empty rinsing list'],
  DYNDIRTY: ['dynamic variable drop', ' with non-empty dirty list'],
  SPEC: ['speculative drop', ''],
  SPECBUSY: ['failed speculation', ' (available buffer(s) still busy)'],
  SPECUNAVAIL: ['failed speculation', ' (no speculative buffer available)'],
  STKSTROVERFLOW: ['jstack()/ustack() string table overflow', ''],
  DBLERROR: ['error', ' in ERROR probe enabling'],
};

export function dropMessage(kind: DropKind, cpu: number, count: number, droptags: boolean): string {
  const tag = droptags ? `[DTRACEDROP_${kind}] ` : '';
  const plural = count > 1 ? 's' : '';
  if (kind === 'PRINCIPAL' || kind === 'AGGREGATION') {
    return `${tag}${count} ${kind === 'PRINCIPAL' ? '' : 'aggregation '}drop${plural} on CPU ${cpu}\n`;
  }
  const [noun, detail] = STATUS_DROPS[kind];
  return `${tag}${count} ${noun}${plural}${detail}\n`;
}

export interface ProbeName {
  provider: string;
  module: string;
  function: string;
  name: string;
}

/** "error on enabled probe ID 1 (ID 1: dtrace:::BEGIN): invalid address (0x0) in action #1 at DIF offset 16". */
export function faultText(r: FaultReport, probe: ProbeName | undefined): string {
  const p = probe ?? { provider: '', module: '', function: '', name: '' };
  const where = r.action < 0 ? 'predicate' : `action #${r.action + 1}`;
  const offset = r.difOffset !== -1 ? ` at DIF offset ${r.difOffset}` : '';
  const showsAddress = r.fault === DTRACEFLT_BADADDR || r.fault === DTRACEFLT_BADALIGN || r.fault === DTRACEFLT_BADSTACK;
  const details = showsAddress ? ` (0x${BigInt.asUintN(64, r.value).toString(16)})` : '';
  return `error on enabled probe ID ${r.epid} (ID ${r.probeId}: ${p.provider}:${p.module}:${p.function}:${p.name}): ${faultMessage(r.fault)}${details} in ${where}${offset}\n`;
}

/** A consumer-side fault (setopt(), freopen()): the probe and the library's message. */
export function libraryFaultText(epid: number, probeId: number, probe: ProbeName | undefined, message: string): string {
  const p = probe ?? { provider: '', module: '', function: '', name: '' };
  return `error on enabled probe ID ${epid} (ID ${probeId}: ${p.provider}:${p.module}:${p.function}:${p.name}): ${message}\n`;
}

/** A file error as dtrace's messages name it (strerror for the common cases). */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined ? STRERROR[code] : undefined) ?? (e instanceof Error ? e.message : String(e));
}

/** strerror()'s words for the errors opening and writing files give (node names them by code). */
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EMFILE: 'Too many open files',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EIO: 'Input/output error',
};
