// The firings source of a debug session, opened the way dtvm opens its own (a trace file, a
// synthetic workload, a command or process captured with strace, or none), reaching the VM
// through replay.ts like every source.
import type { ProbeCatalogue, ProviderDefinition } from '../../analyze/catalogue/types';
import type { Flavour } from '../../analyze/flavour/flavours';
import type { CompiledProgram } from '../../codegen/program';
import { flavourOfPlatform, replayInput, traceProviders, type ReplayInput } from '../../sources/replay';
import type { FiringSource } from '../../sources/source';
import { openStraceCapture } from '../../sources/strace/index';
import { openTraceFile } from '../../sources/traceFile';
import { openWorkload } from '../../sources/workload/index';
import type { FiringsSourceSpec } from './api';

export interface OpenedFirings {
  source: FiringSource | undefined;
  /** The providers the front end needs for the source's probes. */
  providers: ProviderDefinition[];
  /** The flavour the source was recorded on, when it says. */
  flavour: string | undefined;
  /** The engine's inputs for a program compiled against `catalogue` (undefined: no source). */
  input(program: CompiledProgram, catalogue: ProbeCatalogue): ReplayInput | undefined;
}

export async function openFirings(spec: FiringsSourceSpec, requestedFlavour: string | undefined): Promise<OpenedFirings> {
  let source: FiringSource;
  switch (spec.kind) {
    case 'none':
      return { source: undefined, providers: [], flavour: undefined, input: () => undefined };
    case 'trace':
      source = await openTraceFile(spec.file);
      break;
    case 'workload':
      source = await openWorkload(spec.file, spec.seed !== undefined ? { seed: spec.seed } : {});
      break;
    case 'command':
      source = await openStraceCapture({ command: spec.command, stdio: 'ignore' });
      break;
    case 'attach':
      source = await openStraceCapture({ pid: spec.pid, stdio: 'ignore' });
      break;
  }
  const recorded = flavourOfPlatform(source.header.platform);
  const flavour = (requestedFlavour !== undefined && requestedFlavour !== 'auto' ? requestedFlavour : recorded) as Flavour | undefined;
  const providers = flavour !== undefined ? traceProviders(source.header, flavour) : [];
  return { source, providers, flavour, input: (program, catalogue) => replayInput(source, program, catalogue) };
}
