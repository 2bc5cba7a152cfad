// The firings source of a debug session, opened the way dtvm opens its own (sources/open.ts:
// a trace file, a synthetic workload, a command or process captured with strace, or none),
// reaching the VM through replay.ts like every source. As in dtvm, the source's system decides
// the flavour (a launch configuration asking for another is refused), `$target` is the
// command's or process's pid, and the user's provider files join the catalogue.
import type { ProbeCatalogue, ProviderDefinition } from '../../analyze/catalogue/types';
import type { CompiledProgram } from '../../codegen/program';
import { flavourConflict, openFiringSource, readProviderFiles, type SourceRequest } from '../../sources/open';
import { replayInput, traceProviders, type ReplayInput } from '../../sources/replay';
import type { FiringSource } from '../../sources/source';
import type { FiringsSourceSpec } from './api';

/** The source cannot be opened or does not fit the launch: dtvm's message for it. */
export class SourceOpenError extends Error {
  override readonly name = 'SourceOpenError';
}

export interface OpenedFirings {
  source: FiringSource | undefined;
  /** The providers the front end needs for the source's probes (and the user's provider files). */
  providers: ProviderDefinition[];
  /** The flavour the source was recorded on, when it says. */
  flavour: string | undefined;
  /** `$target`: the pid of the command started or the process attached. */
  target: number | undefined;
  /** The engine's inputs for a program compiled against `catalogue` (undefined: no source). */
  input(program: CompiledProgram, catalogue: ProbeCatalogue): ReplayInput | undefined;
}

export async function openFirings(spec: FiringsSourceSpec, requestedFlavour: string | undefined, providerFiles: readonly string[] = []): Promise<OpenedFirings> {
  const read = readProviderFiles(providerFiles);
  if ('error' in read) throw new SourceOpenError(read.error.trimEnd());
  const user = read.providers;
  const request: SourceRequest | undefined =
    spec.kind === 'none'
      ? undefined
      : spec.kind === 'trace'
        ? { kind: 'trace', file: spec.file }
        : spec.kind === 'workload'
          ? { kind: 'workload', file: spec.file, ...(spec.seed !== undefined ? { seed: spec.seed } : {}) }
          : spec.kind === 'command'
            ? { kind: 'command', command: spec.command, stdio: 'ignore' }
            : { kind: 'attach', pid: spec.pid, stdio: 'ignore' };
  if (request === undefined) return { source: undefined, providers: user, flavour: undefined, target: undefined, input: () => undefined };
  const opened = await openFiringSource(request);
  if ('error' in opened) throw new SourceOpenError(opened.error.trimEnd());
  const source = opened.source;
  const conflict = flavourConflict(opened, requestedFlavour);
  if (conflict !== undefined) {
    await source.close();
    throw new SourceOpenError(`dtvm: flavour ${requestedFlavour} does not match ${conflict}`);
  }
  const flavour = opened.flavour ?? (requestedFlavour !== undefined && requestedFlavour !== 'auto' ? requestedFlavour : undefined);
  const label = spec.kind === 'trace' || spec.kind === 'workload' ? spec.file : spec.kind === 'command' ? `-c '${spec.command}'` : spec.kind === 'attach' ? `-p ${spec.pid}` : '';
  let providers: ProviderDefinition[];
  try {
    providers = flavour !== undefined ? traceProviders(source.header, flavour as Parameters<typeof traceProviders>[1], user, label) : user;
  } catch (e) {
    await source.close();
    throw e;
  }
  return { source, providers, flavour, target: opened.target, input: (program, catalogue) => replayInput(source, program, catalogue) };
}
