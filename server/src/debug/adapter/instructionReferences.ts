// DAP names instructions by memory references (strings) and addresses (hex strings that the
// client does arithmetic on). A clause's DIF lives in its own small address space, so the
// clause index goes in the high bits: clause 2, instruction 5 is 0x00020005.
const CLAUSE_SHIFT = 16;

export function instructionReference(clause: number, address: number): string {
  return `0x${((clause << CLAUSE_SHIFT) + address).toString(16).padStart(8, '0')}`;
}

export function parseInstructionReference(ref: string): { clause: number; address: number } | undefined {
  if (!/^0x[0-9a-f]+$/i.test(ref)) return undefined;
  const n = Number.parseInt(ref.slice(2), 16);
  if (!Number.isSafeInteger(n) || n < 0) return undefined;
  return { clause: Math.floor(n / (1 << CLAUSE_SHIFT)), address: n % (1 << CLAUSE_SHIFT) };
}
