// Whether runs use the DIF-to-JavaScript translation (jit/translate.ts) or the interpreter.
// DTVM_JIT=0 forces the interpreter, DTVM_JIT=1 the JIT; tests switch in-process with
// setJitMode(). The debugger's instruction stepping always uses the interpreter (runtime.ts
// falls back to it whenever an instruction watch is set), as do objects the translator leaves
// alone.

/** The default when neither DTVM_JIT nor setJitMode() says: on (the differential tests pass). */
const DEFAULT_ON = true;

let forced: boolean | undefined;

/** Overrides DTVM_JIT for runtimes created from now on (undefined: back to the environment). */
export function setJitMode(on: boolean | undefined): void {
  forced = on;
}

/** Whether a runtime created now runs DIF through the JIT. */
export function jitEnabled(): boolean {
  if (forced !== undefined) return forced;
  const env = process.env.DTVM_JIT;
  if (env === '0' || env === 'false' || env === 'off') return false;
  if (env === '1' || env === 'true' || env === 'on') return true;
  return DEFAULT_ON;
}
