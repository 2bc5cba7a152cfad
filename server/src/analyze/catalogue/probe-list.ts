// `dtrace -l` output. Rows are printf("%5d %10s %17s %33s %s\n", id, provider, module,
// function, name): right-aligned, never truncated, widths counted in bytes. With -v each row
// is followed by the probe's stability attributes and argument types (print_probe_info).
import { isGlob } from './glob';
import {
  GLOB_PROVIDER_ATTRIBUTES,
  PRIVATE_PROVIDER_ATTRIBUTES,
  minAttribute,
  type Attribute,
  type ProviderAttributes,
} from './stability';
import type { Probe, ProbeDescription } from './types';

export const PROBE_LIST_HEADER = row('ID', 'PROVIDER', 'MODULE', 'FUNCTION', 'NAME');

export function formatProbeList(probes: readonly Probe[], verbose = false): string {
  let out = PROBE_LIST_HEADER;
  for (const p of probes) {
    out += row(String(p.id), p.provider, p.module, p.function, p.name);
    if (verbose) out += formatProbeInfo(p);
  }
  return out;
}

function row(id: string, provider: string, module: string, func: string, name: string): string {
  return `${pad(id, 5)} ${pad(provider, 10)} ${pad(module, 17)} ${pad(func, 33)} ${name}\n`;
}

function pad(s: string, width: number): string {
  const bytes = Buffer.byteLength(s, 'utf8');
  return bytes >= width ? s : ' '.repeat(width - bytes) + s;
}

export interface ProbeInfo {
  /** Stability of the description: the minimum over the fields it specifies. */
  readonly attr: Attribute;
  /** Stability of the arguments. */
  readonly arga: Attribute;
}

/**
 * dt_probe_info's attributes for a description matched against a provider: an empty or glob
 * provider field means Unstable/Unstable/Common throughout; otherwise the provider's own
 * attribute, lowered by the module, function and name attributes of each field that is given
 * and not a glob.
 */
export function probeInfo(desc: ProbeDescription, attributes: ProviderAttributes): ProbeInfo {
  const given = (s: string) => s !== '' && !isGlob(s);
  const pap = given(desc.provider) ? attributes : GLOB_PROVIDER_ATTRIBUTES;
  let attr = pap.provider;
  if (given(desc.module)) attr = minAttribute(attr, pap.module);
  if (given(desc.function)) attr = minAttribute(attr, pap.function);
  if (given(desc.name)) attr = minAttribute(attr, pap.name);
  return { attr, arga: pap.args };
}

/** print_probe_info for one listed probe (described by its own full description). */
export function formatProbeInfo(probe: Probe): string {
  const { attr, arga } = probeInfo(probe, probe.attributes ?? PRIVATE_PROVIDER_ATTRIBUTES);
  const block = (title: string, a: Attribute) =>
    `\n\t${title}\n` +
    `\t\tIdentifier Names: ${a.name}\n` +
    `\t\tData Semantics:   ${a.data}\n` +
    `\t\tDependency Class: ${a.class}\n`;
  let out = block('Probe Description Attributes', attr) + block('Argument Attributes', arga);
  out += '\n\tArgument Types\n';
  probe.args.forEach((a, i) => {
    out += `\t\targs[${i}]: ${a.translated ?? a.native}\n`;
  });
  if (probe.args.length === 0) out += '\t\tNone\n';
  return out + '\n';
}
