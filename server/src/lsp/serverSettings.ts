// The user's settings (`dtrace.*` from workspace/configuration or initializationOptions) made
// safe to use, and turned into what the front end is asked: options as `-x` would set them,
// macro arguments, provider files read and checked. A bad value is reported once and ignored,
// never a reason for the server to fail.
import { readFileSync, statSync } from 'node:fs';
import { OptionSet } from '../analyze/options/optionSet';
import { isFlavour } from '../analyze/flavour/flavours';
import { parseProviderFile, ProviderFileError, type ProviderDefinition } from '../analyze/catalogue';
import type { ServerSettings } from './featureContext';
import type { RequestSettings } from './documentAnalysis';

export const DEFAULT_SETTINGS: ServerSettings = { flavour: 'auto', options: {}, macroArguments: [], includePaths: [], providerFiles: [] };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Settings from whatever the client sent: `{ dtrace: {...} }` or the `dtrace` section itself. */
export function normalizeSettings(raw: unknown): ServerSettings {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const s = o['dtrace'] && typeof o['dtrace'] === 'object' ? (o['dtrace'] as Record<string, unknown>) : o;
  const options: Record<string, string> = {};
  if (s['options'] && typeof s['options'] === 'object' && !Array.isArray(s['options'])) {
    for (const [name, value] of Object.entries(s['options'] as Record<string, unknown>)) {
      // `true` sets a flag option (like `-x quiet`), `false` leaves it unset.
      if (value === true) options[name] = '';
      else if (typeof value === 'string' || typeof value === 'number') options[name] = String(value);
    }
  }
  const flavour = typeof s['flavour'] === 'string' && isFlavour(s['flavour']) ? s['flavour'] : 'auto';
  return {
    flavour,
    options,
    macroArguments: Array.isArray(s['macroArguments']) ? s['macroArguments'].map((x) => String(x)) : [],
    includePaths: strings(s['includePaths']),
    providerFiles: strings(s['providerFiles']),
  };
}

export interface SettingsProblem {
  message: string;
}

const providerCache = new Map<string, { mtimeMs: number; providers: ProviderDefinition[] }>();

/** The front-end request the settings make, and what was wrong with them. */
export function requestOf(settings: ServerSettings): { request: RequestSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const options = new OptionSet();
  for (const [name, value] of Object.entries(settings.options)) {
    const r = options.set(name, value === '' ? undefined : value);
    if (!r.ok) problems.push({ message: `dtrace.options: ${name}${value === '' ? '' : `=${value}`}: ${r.reason}` });
  }
  const providers: ProviderDefinition[] = [];
  for (const file of settings.providerFiles) {
    try {
      const mtimeMs = statSync(file).mtimeMs;
      const cached = providerCache.get(file);
      if (cached && cached.mtimeMs === mtimeMs) {
        providers.push(...cached.providers);
        continue;
      }
      const parsed = parseProviderFile(readFileSync(file, 'utf8'), file);
      providerCache.set(file, { mtimeMs, providers: parsed });
      providers.push(...parsed);
    } catch (e) {
      if (e instanceof ProviderFileError) for (const p of e.problems) problems.push({ message: `dtrace.providerFiles: ${p.file}: ${p.path}: ${p.message}` });
      else problems.push({ message: `dtrace.providerFiles: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    }
  }
  const request: RequestSettings = {
    flavour: settings.flavour,
    options,
    operands: settings.macroArguments,
    providers,
    lenientProviders: true,
  };
  return { request, problems };
}
