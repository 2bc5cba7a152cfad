// The `dtrace` provider: BEGIN, END and ERROR, created first (ids 1, 2, 3 when the catalogue
// starts with this provider), with empty module and function.
//
// The kernel describes no argument types for them (the provider has no dtps_getargdesc), so
// `dtrace -lv` shows "None" and D code reaches ERROR's data through arg0..arg5 only:
// arg1 = EPID of the faulting enabling, arg2 = index of the faulting action, arg3 = DIF
// offset of the fault (or -1), arg4 = fault code (DTRACEFLT_*), arg5 = the offending value
// (an address, for instance). arg0 is the kernel's consumer state and means nothing in D.
import { attribute, type ProviderAttributes } from './stability';
import type { ProviderDefinition } from './types';

/** dtrace_provider_attr. */
export const DTRACE_PROVIDER_ATTRIBUTES: ProviderAttributes = {
  provider: attribute('Stable', 'Stable', 'Common'),
  module: attribute('Private', 'Private', 'Unknown'),
  function: attribute('Private', 'Private', 'Unknown'),
  name: attribute('Stable', 'Stable', 'Common'),
  args: attribute('Stable', 'Stable', 'Common'),
};

export function dtraceProvider(): ProviderDefinition {
  return {
    name: 'dtrace',
    attributes: DTRACE_PROVIDER_ATTRIBUTES,
    probes: ['BEGIN', 'END', 'ERROR'].map((name) => ({ module: '', function: '', name })),
  };
}
