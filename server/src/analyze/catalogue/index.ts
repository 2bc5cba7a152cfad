// The probe catalogue: which probes exist, how descriptions select them, and `dtrace -l`.
import { ComposedCatalogue } from './catalogue';
import { dtraceProvider } from './dtrace-provider';
import { profileProvider } from './profile-provider';
import type { ProviderDefinition, ProviderFamily } from './types';

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
export * from './open-providers';
export * from './suggest';

/**
 * dtrace (ids 1-3), then profile (its 13 default probes), then `extra` in order; `families`
 * create process providers (`pid123`) when a description names one.
 */
export function createStandardCatalogue(extra: readonly ProviderDefinition[] = [], families: readonly ProviderFamily[] = []): ComposedCatalogue {
  return new ComposedCatalogue([dtraceProvider(), profileProvider(), ...extra], families);
}
