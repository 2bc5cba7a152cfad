// What a compilation knows by name: D variables in their three scopes, aggregations, inlines,
// enumerators and built-ins. The language server reads the same tables for hover, references
// and rename.
import type { Expr, Span } from '../parse/ast';
import type { CType } from './types/ctype';
import { tracking } from './clauseTracking';

export type VariableScope = 'global' | 'thread' | 'clause';

/** How an expression is used: read, modified, or neither (DTrace's DT_IDFLG_REF and DT_IDFLG_MOD). */
export const REF = 1;
export const MOD = 2;
export const NONE = 0;

export interface Reference {
  span: Span;
  file?: string;
  write: boolean;
  /** Index of the clause (in the program) the reference is in; -1 outside clauses. */
  clause: number;
}

export interface Variable {
  name: string;
  scope: VariableScope;
  /** Scalar, associative array (`a[k]`) or a declared fixed-size array (`int a[10]`). */
  shape: 'scalar' | 'assoc' | 'array';
  /** Undefined until its first declaration or assignment fixes it. */
  type: CType | undefined;
  keys?: CType[];
  declared: boolean;
  /** The first declaration or assignment. */
  definition: Span | undefined;
  definitionFile?: string;
  /** `#pragma D binding "X.Y" name`: hidden from programs compiled for an older D version. */
  binding?: string;
  /** Which compilation unit (library file, program) defined it: DTrace's identifier generation. */
  definitionUnit?: number;
  references: Reference[];
  /** DIF variable id, assigned in order of creation from 0x500 per scope. */
  id: number;
}

export interface AggregationInfo {
  name: string;
  fn: string | undefined;
  keys: CType[] | undefined;
  /** lquantize (low, high, step) / llquantize (factor, low, high, nsteps) parameters. */
  params?: bigint[];
  definition: Span | undefined;
  references: Reference[];
}

export interface InlineInfo {
  name: string;
  type: CType;
  value: Expr;
  constant?: bigint;
  /** Inline arrays (`inline int fds[int] = ...`) take keys. */
  keys?: CType[];
  definition: Span;
  definitionFile?: string;
  /** `#pragma D binding "X.Y" name`: hidden from programs compiled for an older D version. */
  binding?: string;
  /** Which compilation unit (library file, program) defined it: DTrace's identifier generation. */
  definitionUnit?: number;
}

export interface EnumeratorInfo {
  name: string;
  value: bigint;
  type: CType;
  definition: Span;
  definitionFile?: string;
  /** `#pragma D binding "X.Y" name`: hidden from programs compiled for an older D version. */
  binding?: string;
  /** Which compilation unit (library file, program) defined it: DTrace's identifier generation. */
  definitionUnit?: number;
}

export class VariableTable {
  private readonly vars = new Map<string, Variable>();
  /** Variables of an earlier compilation unit: no longer visible by name, their ids still taken. */
  private readonly retired: Variable[] = [];
  private nextId = 0x500;

  constructor(readonly scope: VariableScope) {}

  get(name: string): Variable | undefined {
    const v = this.vars.get(name);
    if (tracking.active !== undefined) tracking.active.variable(this, name, v, false);
    return v;
  }

  create(name: string, shape: Variable['shape']): Variable {
    const v: Variable = { name, scope: this.scope, shape, type: undefined, declared: false, definition: undefined, references: [], id: this.nextId++ };
    this.vars.set(name, v);
    if (tracking.active !== undefined) tracking.active.variable(this, name, v, true);
    return v;
  }

  /** Every variable, those retired included (ids are unique across them). */
  all(): Variable[] {
    tracking.active?.unrecordable();
    return this.retired.length === 0 ? [...this.vars.values()] : [...this.retired, ...this.vars.values()];
  }

  /** Hides every variable from later lookups by name; new ones get fresh ids. */
  retireAll(): void {
    this.retired.push(...this.vars.values());
    this.vars.clear();
  }

  delete(name: string): void {
    tracking.active?.unrecordable();
    this.vars.delete(name);
  }
}
