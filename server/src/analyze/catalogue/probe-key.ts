// A probe description compiled for matching, as the kernel's dtrace_probekey builds it: one
// matcher per field, evaluated provider, module, function, name, stopping at the first field
// that does not match (or hits the glob recursion limit).
import { compileFieldMatcher, type FieldMatcher, type GlobResult } from './glob';
import type { ProbeDescription } from './types';

export interface ProbeKey {
  readonly provider: FieldMatcher;
  readonly module: FieldMatcher;
  readonly function: FieldMatcher;
  readonly name: FieldMatcher;
  readonly canHitDepthLimit: boolean;
  match(probe: ProbeDescription): GlobResult;
}

/**
 * DTrace's special case: a description whose four fields are all empty (`:::`) matches only
 * probes with a non-empty function, so it does not match dtrace:::BEGIN or profile probes.
 */
const NONEMPTY_FUNCTION: FieldMatcher = {
  pattern: '',
  kind: 'nonempty',
  canHitDepthLimit: false,
  match: (s) => (s !== '' ? 1 : 0),
};

export function compileProbeKey(desc: ProbeDescription): ProbeKey {
  const provider = compileFieldMatcher(desc.provider);
  const module = compileFieldMatcher(desc.module);
  let func = compileFieldMatcher(desc.function);
  const name = compileFieldMatcher(desc.name);
  if (provider.kind === 'any' && module.kind === 'any' && func.kind === 'any' && name.kind === 'any') {
    func = NONEMPTY_FUNCTION;
  }
  const canHitDepthLimit = [provider, module, func, name].some((m) => m.canHitDepthLimit);
  return {
    provider,
    module,
    function: func,
    name,
    canHitDepthLimit,
    match(probe) {
      let r = provider.match(probe.provider);
      if (r <= 0) return r;
      r = module.match(probe.module);
      if (r <= 0) return r;
      r = func.match(probe.function);
      if (r <= 0) return r;
      return name.match(probe.name);
    },
  };
}
