// The DIF-to-JavaScript compiler (issue 9): translate.ts turns one DIF object into a function,
// mode.ts says whether runs use it.
export { compileDifo, jitStats, translateDifo, Untranslatable, type CompiledDif } from './translate';
export { jitEnabled, setJitMode } from './mode';
