// The probes a strace capture can fire: the Linux flavour's whole syscall and proc catalogues
// (server/lib/flavours/linux/providers/), so any script written for the flavour compiles
// against a capture exactly as against the catalogue, whichever calls the command makes.
import { flavourData } from '../../analyze/flavour/flavourData.ts';
import type { TraceProbe } from '../../trace/index.ts';

export const CAPTURE_PROVIDERS = ['syscall', 'proc'] as const;

export class CaptureProbes {
  readonly list: readonly TraceProbe[];
  private readonly index = new Map<string, number>();

  constructor() {
    const list: TraceProbe[] = [];
    const data = flavourData('linux');
    for (const provider of CAPTURE_PROVIDERS) {
      const definition = data.providers.find((p) => p.name === provider);
      if (definition === undefined) {
        throw new Error(`the Linux flavour's ${provider} catalogue is missing (${data.problems.join('; ') || 'no provider file'})`);
      }
      for (const probe of definition.probes ?? []) {
        this.index.set(`${provider}:${probe.function}:${probe.name}`, list.length);
        list.push({
          provider,
          module: probe.module,
          function: probe.function,
          name: probe.name,
          args: (probe.args ?? []).map((a) => a.translated ?? a.native),
        });
      }
    }
    this.list = list;
  }

  /** The index of `syscall::<call>:entry|return`, undefined for a call the catalogue does not have. */
  syscall(call: string, name: 'entry' | 'return'): number | undefined {
    return this.index.get(`syscall:${call}:${name}`);
  }

  /** The index of `proc:::<name>`. */
  proc(name: 'create' | 'exec' | 'exec-success' | 'exec-failure' | 'exit' | 'signal-send' | 'signal-handle'): number {
    const index = this.index.get(`proc::${name}`);
    if (index === undefined) throw new Error(`the Linux flavour's proc catalogue has no probe ${name}`);
    return index;
  }

  argumentCount(probe: number): number {
    return this.list[probe]!.args.length;
  }
}

let shared: CaptureProbes | undefined;

/** Built once per process: the catalogue does not change while we run. */
export function captureProbes(): CaptureProbes {
  return (shared ??= new CaptureProbes());
}
