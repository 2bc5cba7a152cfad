// DTrace's stability attributes: a name stability, a data stability and a dependency class per
// probe-description field. The orders are DTrace's enum orders, which `min` relies on.

export const STABILITIES = [
  'Internal',
  'Private',
  'Obsolete',
  'External',
  'Unstable',
  'Evolving',
  'Stable',
  'Standard',
] as const;
export type Stability = (typeof STABILITIES)[number];

export const DEPENDENCY_CLASSES = ['Unknown', 'CPU', 'Platform', 'Group', 'ISA', 'Common'] as const;
export type DependencyClass = (typeof DEPENDENCY_CLASSES)[number];

export interface Attribute {
  readonly name: Stability;
  readonly data: Stability;
  readonly class: DependencyClass;
}

/** A provider's attributes, one per description field plus one for the probe arguments. */
export interface ProviderAttributes {
  readonly provider: Attribute;
  readonly module: Attribute;
  readonly function: Attribute;
  readonly name: Attribute;
  readonly args: Attribute;
}

export function attribute(name: Stability, data: Stability, cls: DependencyClass): Attribute {
  return { name, data, class: cls };
}

function uniform(a: Attribute): ProviderAttributes {
  return { provider: a, module: a, function: a, name: a, args: a };
}

/** What libdtrace gives a provider it creates itself (a `provider` declaration): all Private/Private/Unknown. */
export const PRIVATE_PROVIDER_ATTRIBUTES = uniform(attribute('Private', 'Private', 'Unknown'));

/** What libdtrace uses when the description's provider is empty or a glob: all Unstable/Unstable/Common. */
export const GLOB_PROVIDER_ATTRIBUTES = uniform(attribute('Unstable', 'Unstable', 'Common'));

/** Component-wise minimum, as DTrace combines the attributes of several fields. */
export function minAttribute(a: Attribute, b: Attribute): Attribute {
  const s = (x: Stability, y: Stability) =>
    STABILITIES.indexOf(x) <= STABILITIES.indexOf(y) ? x : y;
  const c =
    DEPENDENCY_CLASSES.indexOf(a.class) <= DEPENDENCY_CLASSES.indexOf(b.class) ? a.class : b.class;
  return { name: s(a.name, b.name), data: s(a.data, b.data), class: c };
}

/** `Name/Data/Class` as dtrace(1) and `dtrace_attr2str` spell it. */
export function formatAttribute(a: Attribute): string {
  return `${a.name}/${a.data}/${a.class}`;
}

/**
 * Reads `Name/Data/Class` (names compared without case, as `dtrace_str2attr` does). Unlike
 * DTrace, which lets trailing parts default, all three parts are required: a data file should
 * say what it means.
 */
export function parseAttribute(text: string): Attribute | undefined {
  const parts = text.split('/');
  if (parts.length !== 3) return undefined;
  const find = <T extends string>(list: readonly T[], word: string) =>
    list.find((x) => x.toLowerCase() === word.toLowerCase());
  const name = find(STABILITIES, parts[0]);
  const data = find(STABILITIES, parts[1]);
  const cls = find(DEPENDENCY_CLASSES, parts[2]);
  if (name === undefined || data === undefined || cls === undefined) return undefined;
  return { name, data, class: cls };
}
