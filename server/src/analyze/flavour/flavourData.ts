// What a flavour ships as data under server/lib (layout in server/lib/README.md): its D library
// files, its closed-world providers and the typed kernel functions of the open-world fbt
// provider. Read once per flavour and kept: every compilation of the process shares them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProviderFile, ProviderFileError } from '../catalogue/provider-file';
import type { ProviderDefinition } from '../catalogue/types';
import { FLAVOURS, type Flavour } from './flavours';

/** A kernel function fbt can trace, with its argument and return types when we know them. */
export interface KernelFunction {
  readonly module: string;
  readonly function: string;
  readonly args: readonly string[];
  readonly return?: string;
}

export interface LibraryFile {
  /** The path shown in diagnostics. */
  readonly file: string;
  /** The name `#pragma D depends_on library` uses. */
  readonly name: string;
  readonly text: string;
}

export interface FlavourData {
  readonly flavour: Flavour;
  /** Common files first, then the flavour's (not yet in dependency order). */
  readonly libraries: readonly LibraryFile[];
  readonly providers: readonly ProviderDefinition[];
  readonly kernelFunctions: readonly KernelFunction[];
  /** Problems reading the data (ours, not the user's): shown as warnings, never fatal. */
  readonly problems: readonly string[];
}

/**
 * server/lib: beside the bundles in dist/ (`dist/lib`), or in the source tree when the sources
 * run directly (tests, tsx).
 */
export function libraryRoot(): string {
  const candidates = [join(__dirname, 'lib'), join(__dirname, '..', '..', '..', 'lib'), join(__dirname, '..', '..', 'lib')];
  for (const c of candidates) if (existsSync(join(c, 'flavours')) || existsSync(join(c, 'dtrace'))) return c;
  return candidates[1]!;
}

const cache = new Map<Flavour, FlavourData>();

export function flavourData(flavour: Flavour): FlavourData {
  let data = cache.get(flavour);
  if (!data) cache.set(flavour, (data = readFlavour(flavour)));
  return data;
}

/** Every flavour's data (for guessing which one a script is for). */
export function allFlavourData(): FlavourData[] {
  return FLAVOURS.map(flavourData);
}

function readFlavour(flavour: Flavour): FlavourData {
  const root = libraryRoot();
  const dir = join(root, 'flavours', flavour);
  const problems: string[] = [];
  const libraries = [...dFiles(join(root, 'dtrace')), ...dFiles(join(dir, 'dtrace'))];
  const providers: ProviderDefinition[] = [];
  for (const file of jsonFiles(join(dir, 'providers'))) {
    try {
      providers.push(...parseProviderFile(readFileSync(file, 'utf8'), file));
    } catch (e) {
      problems.push(e instanceof ProviderFileError ? e.message : `${file}: ${String(e)}`);
    }
  }
  // The same provider in two files: the first wins (the catalogue refuses duplicates).
  const seen = new Set<string>();
  const unique = providers.filter((p) => {
    if (seen.has(p.name)) {
      problems.push(`${dir}: provider ${p.name} is defined twice`);
      return false;
    }
    seen.add(p.name);
    return true;
  });
  return { flavour, libraries, providers: unique, kernelFunctions: readKernelFunctions(join(dir, 'kernel-functions.json'), problems), problems };
}

function dFiles(dir: string): LibraryFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.d'))
    .sort()
    .map((name) => ({ file: join(dir, name), name, text: readFileSync(join(dir, name), 'utf8') }));
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

function readKernelFunctions(file: string, problems: string[]): KernelFunction[] {
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${file}: not valid JSON: ${(e as Error).message}`);
    return [];
  }
  const list = (json as { functions?: unknown }).functions;
  if (!Array.isArray(list)) {
    problems.push(`${file}: $.functions: expected an array`);
    return [];
  }
  const out: KernelFunction[] = [];
  list.forEach((f: unknown, i) => {
    const o = f as Record<string, unknown>;
    const ok =
      typeof o === 'object' &&
      o !== null &&
      typeof o.module === 'string' &&
      typeof o.function === 'string' &&
      o.function !== '' &&
      Array.isArray(o.args) &&
      o.args.every((a) => typeof a === 'string') &&
      (o.return === undefined || typeof o.return === 'string');
    if (!ok) {
      problems.push(`${file}: $.functions[${i}]: expected {"module", "function", "args": [types], "return"?}`);
      return;
    }
    out.push({ module: o.module as string, function: o.function as string, args: o.args as string[], ...(o.return !== undefined ? { return: o.return as string } : {}) });
  });
  return out;
}
