// The probes a workload fires, named and typed exactly as the target flavour's catalogue
// (server/lib/flavours/<flavour>/providers) names them, so the trace's header matches the
// probes a script compiled for that flavour enables.
import { flavourData } from '../../analyze/flavour/flavourData.ts';
import type { Flavour } from '../../analyze/flavour/flavours.ts';
import type { ProbeTemplate } from '../../analyze/catalogue/types.ts';
import type { TraceProbe } from '../../trace/index.ts';

export interface FlavourProbes {
  /** The flavour's template for provider/function/name (any module), if it has that probe. */
  find(provider: string, func: string | undefined, name: string): ProbeTemplate | undefined;
  hasProvider(provider: string): boolean;
}

export function flavourProbes(flavour: Flavour): FlavourProbes {
  const providers = new Map(flavourData(flavour).providers.map((p) => [p.name, p] as const));
  return {
    find(provider, func, name) {
      return providers.get(provider)?.probes?.find((t) => (func === undefined || t.function === func) && t.name === name);
    },
    hasProvider: (provider) => providers.has(provider),
  };
}

/**
 * The header entry for a template: argument types as D sees them (translated when a
 * translator applies). A probe the catalogue gives no types (illumos' syscall provider) takes
 * `count` 64-bit integers, which is what its arg0..argN are.
 */
export function traceProbe(provider: string, t: ProbeTemplate, count = 0): TraceProbe {
  const args = t.args !== undefined && t.args.length > 0 ? t.args.map((a) => a.translated ?? a.native) : Array.from({ length: count }, () => 'int64_t');
  return { provider, module: t.module, function: t.function, name: t.name, args };
}

/** `<os>-<arch>` for the trace header's platform field. */
export function platformOf(flavour: Flavour): string {
  switch (flavour) {
    case 'linux':
      return 'linux-x86_64';
    case 'macos':
      return 'macos-arm64';
    default:
      return `${flavour}-amd64`;
  }
}
