// A catalogue's probes and index lists, shared with its forks without copying: what both had
// when forked stays in a frozen layer they share; what each adds afterwards goes to a layer of
// its own. The editor forks a flavour's catalogue at every edit and adds to it rarely (probes of
// open providers a description names), so a fork costs nothing, not a copy of thousands.
import type { Probe } from './types';

/** Probes by one field's value (provider, module, function or name), in id order. */
export class ForkableIndex {
  private own = new Map<string, Probe[]>();

  constructor(private shared: ReadonlyMap<string, Probe[]> = new Map()) {}

  get(key: string): readonly Probe[] | undefined {
    return this.own.get(key) ?? this.shared.get(key);
  }

  /** Appends; a shared list is copied into this layer first (only this index's lists grow in place). */
  add(key: string, probe: Probe): void {
    const mine = this.own.get(key);
    if (mine !== undefined) mine.push(probe);
    else this.own.set(key, [...(this.shared.get(key) ?? []), probe]);
  }

  /** A fork sharing everything this index holds now; from now on, neither adds to a list in place. */
  fork(): ForkableIndex {
    this.freeze();
    return new ForkableIndex(this.shared);
  }

  private freeze(): void {
    if (this.own.size === 0) return;
    const merged = new Map(this.shared);
    for (const [key, list] of this.own) merged.set(key, list);
    this.shared = merged;
    this.own = new Map();
  }
}

/** Every probe in id order (ids from 1), shared the same way. */
export class ForkableList {
  private own: Probe[] = [];

  constructor(private shared: readonly Probe[] = []) {}

  get length(): number {
    return this.shared.length + this.own.length;
  }

  /** The probe of id `id`, if any. */
  at(id: number): Probe | undefined {
    const i = id - 1;
    return i < this.shared.length ? this.shared[i] : this.own[i - this.shared.length];
  }

  /** all()'s list when both layers hold probes, until the next push. */
  private joined: Probe[] | undefined;

  push(probe: Probe): void {
    this.own.push(probe);
    this.joined = undefined;
  }

  /** All of them, as one list (made only when both layers hold some: a fork that added probes). */
  all(): readonly Probe[] {
    if (this.own.length === 0) return this.shared;
    if (this.shared.length === 0) return this.own;
    return (this.joined ??= [...this.shared, ...this.own]);
  }

  fork(): ForkableList {
    if (this.own.length > 0) {
      this.shared = [...this.shared, ...this.own];
      this.own = [];
      this.joined = undefined;
    }
    return new ForkableList(this.shared);
  }
}
