// The kernel remembers each user variable's first definition across every DIF object of a
// consumer (dtrace_vstate_t); later objects must agree with it. This is that memory.

import type { Difo, DifVariable } from './difo.ts';
import { DIF_VAR_OTHER_UBASE, DIFV_SCOPE_THREAD } from './variables.ts';

export class VariableState {
  private readonly definitions = new Map<string, DifVariable>();

  private static key(scope: number, id: number): string {
    return `${scope}:${id}`;
  }

  /** The recorded definition of user variable `id` in `scope`, if an earlier object made one. */
  lookup(scope: number, id: number): DifVariable | undefined {
    return this.definitions.get(VariableState.key(scope, id));
  }

  /** Records the user variables of an object that passed verification. Globals and
   *  clause-locals keep their first definition; a thread-local entry is replaced by the
   *  newest one, as dtrace_difo_init() does. */
  record(difo: Difo): void {
    for (const v of difo.variables) {
      if (v.id < DIF_VAR_OTHER_UBASE) continue;
      const key = VariableState.key(v.scope, v.id);
      if (v.scope === DIFV_SCOPE_THREAD || !this.definitions.has(key)) {
        this.definitions.set(key, { ...v, type: { ...v.type } });
      }
    }
  }
}
