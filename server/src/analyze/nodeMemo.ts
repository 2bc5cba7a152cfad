// Facts a compilation computes once per AST node (Compilation.facts): all of a node's facts
// share one record, found with one lookup.
import type { TypedInfo } from './compilation';
import type { Folded } from './parseTime';

export interface NodeFacts {
  typed: TypedInfo | undefined;
  /** The folded constant; null once known not to fold. */
  folded: Folded | null | undefined;
  /** Its parse-time errors were looked for. */
  parseChecked: boolean;
}
