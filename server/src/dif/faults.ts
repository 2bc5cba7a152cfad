// Runtime fault codes raised by the DIF emulator and the consumer's text for each
// (reference §7.2). DTRACEFLT_* values are visible to D through unistd.d, so they are fixed.

export const DTRACEFLT_UNKNOWN = 0;
export const DTRACEFLT_BADADDR = 1;
export const DTRACEFLT_BADALIGN = 2;
export const DTRACEFLT_ILLOP = 3;
export const DTRACEFLT_DIVZERO = 4;
export const DTRACEFLT_NOSCRATCH = 5;
export const DTRACEFLT_KPRIV = 6;
export const DTRACEFLT_UPRIV = 7;
export const DTRACEFLT_TUPOFLOW = 8;
export const DTRACEFLT_BADSTACK = 9;
export const DTRACEFLT_LIBRARY = 1000;

export interface FaultInfo {
  readonly code: number;
  readonly name: string;
  readonly message: string;
  /** Whether the consumer appends " (0x<addr>)" to the message for this fault. */
  readonly showsAddress: boolean;
}

function fault(code: number, name: string, message: string, showsAddress = false): FaultInfo {
  return Object.freeze({ code, name, message, showsAddress });
}

export const FAULTS: readonly FaultInfo[] = Object.freeze([
  fault(DTRACEFLT_UNKNOWN, 'DTRACEFLT_UNKNOWN', 'unknown fault'),
  fault(DTRACEFLT_BADADDR, 'DTRACEFLT_BADADDR', 'invalid address', true),
  fault(DTRACEFLT_BADALIGN, 'DTRACEFLT_BADALIGN', 'invalid alignment', true),
  fault(DTRACEFLT_ILLOP, 'DTRACEFLT_ILLOP', 'illegal operation'),
  fault(DTRACEFLT_DIVZERO, 'DTRACEFLT_DIVZERO', 'divide-by-zero'),
  fault(DTRACEFLT_NOSCRATCH, 'DTRACEFLT_NOSCRATCH', 'out of scratch space'),
  fault(DTRACEFLT_KPRIV, 'DTRACEFLT_KPRIV', 'invalid kernel access'),
  fault(DTRACEFLT_UPRIV, 'DTRACEFLT_UPRIV', 'invalid user access'),
  fault(DTRACEFLT_TUPOFLOW, 'DTRACEFLT_TUPOFLOW', 'tuple stack overflow'),
  fault(DTRACEFLT_BADSTACK, 'DTRACEFLT_BADSTACK', 'bad stack', true),
  fault(DTRACEFLT_LIBRARY, 'DTRACEFLT_LIBRARY', 'library-level fault'),
]);

/** When several fault flags are raised at once, the first of these in this order is reported. */
export const FAULT_PRIORITY: readonly number[] = Object.freeze([
  DTRACEFLT_BADADDR,
  DTRACEFLT_ILLOP,
  DTRACEFLT_DIVZERO,
  DTRACEFLT_KPRIV,
  DTRACEFLT_UPRIV,
  DTRACEFLT_TUPOFLOW,
  DTRACEFLT_BADALIGN,
  DTRACEFLT_NOSCRATCH,
  DTRACEFLT_BADSTACK,
]);

export function faultInfo(code: number): FaultInfo | undefined {
  return FAULTS.find((f) => f.code === code);
}

/** The consumer's text for a fault code; codes it does not know read as "unknown fault". */
export function faultMessage(code: number): string {
  return (faultInfo(code) ?? FAULTS[0]!).message;
}
