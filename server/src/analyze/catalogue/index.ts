// The probe catalogue: which probes exist, how descriptions select them, and `dtrace -l`.
import { ComposedCatalogue } from './catalogue';
import { dtraceProvider } from './dtrace-provider';
import { profileProvider } from './profile-provider';
import type { ProviderDefinition } from './types';

export * from './types';
export * from './stability';
export * from './probe-description';
export * from './glob';
export * from './probe-key';
export * from './catalogue';
export * from './dtrace-provider';
export * from './profile-provider';
export * from './provider-file';
export * from './probe-list';

/** dtrace (ids 1-3), then profile (its 13 default probes), then `extra` in order. */
export function createStandardCatalogue(extra: readonly ProviderDefinition[] = []): ComposedCatalogue {
  return new ComposedCatalogue([dtraceProvider(), profileProvider(), ...extra]);
}
