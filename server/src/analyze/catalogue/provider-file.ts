// Providers described by data. A provider file is JSON (docs/probe-catalogue.md):
//
//   {
//     "description": "optional free text",
//     "providers": [
//       {
//         "name": "syscall",
//         "attributes": {                       // optional; each "Name/Data/Class"
//           "provider": "Evolving/Evolving/Common", "module": "Private/Private/Unknown",
//           "function": "Private/Private/ISA", "name": "Evolving/Evolving/Common",
//           "args": "Private/Private/ISA"
//         },
//         "probes": [
//           { "module": "freebsd", "function": "read", "name": "entry",
//             "args": ["int", "void *", { "native": "size_t" }] },
//           { "module": "", "function": "", "name": "exec-success",
//             "args": [{ "native": "struct proc *", "translated": "psinfo_t *" }] }
//         ]
//       }
//     ]
//   }
//
// Every probe needs module, function and name (module and function may be ""); args is
// optional. Unknown keys are errors, so a misspelt key is not silently ignored. Errors name
// the file and the JSON path of the offending value; all of them are reported at once.
import { readFile } from 'node:fs/promises';

import { providerNameProblem } from './catalogue';
import { PROBE_FIELD_LIMITS } from './probe-description';
import { parseAttribute, type Attribute, type ProviderAttributes } from './stability';
import type { ProbeArg, ProbeTemplate, ProviderDefinition } from './types';

export interface ProviderFileProblem {
  readonly file: string;
  /** JSON path of the offending value, e.g. `$.providers[0].probes[3].args[1].native`. */
  readonly path: string;
  readonly message: string;
}

export class ProviderFileError extends Error {
  constructor(readonly problems: readonly ProviderFileProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join('\n'));
    this.name = 'ProviderFileError';
  }
}

/** Reads and validates a provider file; throws ProviderFileError listing every problem. */
export async function loadProviderFile(path: string): Promise<ProviderDefinition[]> {
  return parseProviderFile(await readFile(path, 'utf8'), path);
}

/** Validates provider-file text; `file` is only used to name the file in errors. */
export function parseProviderFile(text: string, file: string): ProviderDefinition[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ProviderFileError([{ file, path: '$', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const reader = new Reader(file);
  const providers = reader.file(json);
  if (reader.problems.length > 0) throw new ProviderFileError(reader.problems);
  return providers;
}

const ATTRIBUTE_FIELDS = ['provider', 'module', 'function', 'name', 'args'] as const;

class Reader {
  readonly problems: ProviderFileProblem[] = [];

  constructor(private readonly fileName: string) {}

  file(json: unknown): ProviderDefinition[] {
    const top = this.object(json, '$', ['providers', 'description'], ['providers']);
    if (top === undefined) return [];
    if (top.description !== undefined) this.string(top.description, '$.description');
    const list = this.array(top.providers, '$.providers');
    if (list === undefined) return [];
    const seen = new Map<string, string>();
    const providers: ProviderDefinition[] = [];
    list.forEach((item, i) => {
      const path = `$.providers[${i}]`;
      const provider = this.provider(item, path);
      if (provider === undefined) return;
      const earlier = seen.get(provider.name);
      if (earlier !== undefined) {
        this.problem(`${path}.name`, `provider ${provider.name} is already defined at ${earlier}`);
        return;
      }
      seen.set(provider.name, path);
      providers.push(provider);
    });
    return providers;
  }

  private provider(json: unknown, path: string): ProviderDefinition | undefined {
    const o = this.object(json, path, ['name', 'attributes', 'probes'], ['name', 'probes']);
    if (o === undefined) return undefined;
    const name = this.string(o.name, `${path}.name`);
    if (name !== undefined) {
      const problem = providerNameProblem(name);
      if (problem !== undefined) this.problem(`${path}.name`, problem);
    }
    const attributes = o.attributes === undefined ? undefined : this.attributes(o.attributes, `${path}.attributes`);
    const list = this.array(o.probes, `${path}.probes`);
    const probes = (list ?? []).map((p, i) => this.probe(p, `${path}.probes[${i}]`));
    if (name === undefined || list === undefined || probes.some((p) => p === undefined)) return undefined;
    return {
      name,
      ...(attributes !== undefined ? { attributes } : {}),
      probes: probes as ProbeTemplate[],
    };
  }

  private attributes(json: unknown, path: string): ProviderAttributes | undefined {
    const o = this.object(json, path, ATTRIBUTE_FIELDS, ATTRIBUTE_FIELDS);
    if (o === undefined) return undefined;
    const result: Partial<Record<(typeof ATTRIBUTE_FIELDS)[number], Attribute>> = {};
    for (const field of ATTRIBUTE_FIELDS) {
      const text = this.string(o[field], `${path}.${field}`);
      if (text === undefined) continue;
      const a = parseAttribute(text);
      if (a === undefined) {
        this.problem(`${path}.${field}`, `expected "Name/Data/Class" (e.g. "Evolving/Evolving/Common"), got "${text}"`);
      } else {
        result[field] = a;
      }
    }
    return ATTRIBUTE_FIELDS.every((f) => result[f] !== undefined) ? (result as ProviderAttributes) : undefined;
  }

  private probe(json: unknown, path: string): ProbeTemplate | undefined {
    const o = this.object(json, path, ['module', 'function', 'name', 'args'], ['module', 'function', 'name']);
    if (o === undefined) return undefined;
    const module = this.field(o.module, `${path}.module`, 'module', true);
    const func = this.field(o.function, `${path}.function`, 'function', true);
    const name = this.field(o.name, `${path}.name`, 'name', false);
    let args: ProbeArg[] | undefined = [];
    if (o.args !== undefined) {
      const list = this.array(o.args, `${path}.args`);
      const read = (list ?? []).map((a, i) => this.arg(a, `${path}.args[${i}]`));
      args = list === undefined || read.some((a) => a === undefined) ? undefined : (read as ProbeArg[]);
    }
    if (module === undefined || func === undefined || name === undefined || args === undefined) return undefined;
    return args.length > 0 ? { module, function: func, name, args } : { module, function: func, name };
  }

  private field(
    json: unknown,
    path: string,
    field: 'module' | 'function' | 'name',
    mayBeEmpty: boolean,
  ): string | undefined {
    const s = this.string(json, path);
    if (s === undefined) return undefined;
    if (s === '' && !mayBeEmpty) return this.problem(path, `a probe ${field} may not be empty`);
    if (s.includes(':')) return this.problem(path, `a probe ${field} may not contain ':'`);
    const limit = PROBE_FIELD_LIMITS[field];
    if (Buffer.byteLength(s, 'utf8') >= limit) {
      return this.problem(path, `a probe ${field} may not exceed ${limit - 1} bytes`);
    }
    return s;
  }

  private arg(json: unknown, path: string): ProbeArg | undefined {
    if (typeof json === 'string') return this.typeText(json, path) === undefined ? undefined : { native: json };
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return this.problem(path, `expected a type name or an object with "native", got ${describe(json)}`);
    }
    const o = this.object(json, path, ['native', 'translated'], ['native']);
    if (o === undefined) return undefined;
    const native = this.typeText(o.native, `${path}.native`);
    const translated = o.translated === undefined ? undefined : this.typeText(o.translated, `${path}.translated`);
    if (native === undefined || (o.translated !== undefined && translated === undefined)) return undefined;
    return translated === undefined ? { native } : { native, translated };
  }

  private typeText(json: unknown, path: string): string | undefined {
    const s = this.string(json, path);
    if (s === undefined) return undefined;
    if (s.trim() === '') return this.problem(path, 'a type name may not be empty');
    return s;
  }

  private object(
    json: unknown,
    path: string,
    allowed: readonly string[],
    required: readonly string[],
  ): Record<string, unknown> | undefined {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return this.problem(path, `expected an object, got ${describe(json)}`);
    }
    const o = json as Record<string, unknown>;
    let ok = true;
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) {
        this.problem(member(path, key), `unknown key "${key}" (expected ${allowed.map((k) => `"${k}"`).join(', ')})`);
        ok = false;
      }
    }
    for (const key of required) {
      if (!(key in o)) {
        this.problem(path, `missing "${key}"`);
        ok = false;
      }
    }
    return ok ? o : undefined;
  }

  private array(json: unknown, path: string): unknown[] | undefined {
    if (!Array.isArray(json)) return this.problem(path, `expected an array, got ${describe(json)}`);
    return json;
  }

  private string(json: unknown, path: string): string | undefined {
    if (typeof json !== 'string') return this.problem(path, `expected a string, got ${describe(json)}`);
    return json;
  }

  private problem(path: string, message: string): undefined {
    this.problems.push({ file: this.fileName, path, message });
    return undefined;
  }
}

function member(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  if (typeof json === 'object') return 'an object';
  if (typeof json === 'string') return `the string ${JSON.stringify(json)}`;
  return `${typeof json} ${String(json)}`;
}
