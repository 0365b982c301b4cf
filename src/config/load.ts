import { readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { crossEnvironmentProblems } from './cross-environment';
import { environmentConfigSchema, type EnvironmentConfig } from './schema';

/** One environment: its name (the file name), where it came from and its validated settings. */
export interface Environment {
  readonly name: string;
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/** Raised when one or more environment files are unusable; the message lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// The environment name becomes the stack id and part of resource names (S3 buckets, ElastiCache ids).
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

// The object schema a path leads to (wrappers such as optional, default and pipe unwrapped), for
// suggesting the field an unknown key was meant to be.
function objectKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  let rest = [...path];
  for (let guard = 0; current && guard < 100; guard++) {
    const def = current._zod.def as unknown as Record<string, unknown> & { type: string };
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(def.type)) {
      current = def.innerType as z.core.$ZodType;
    } else if (def.type === 'pipe') {
      current = def.in as z.core.$ZodType;
    } else if (def.type === 'object') {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      if (rest.length === 0) return Object.keys(shape);
      current = shape[String(rest[0])];
      rest = rest.slice(1);
    } else if (def.type === 'array' && typeof rest[0] === 'number') {
      current = def.element as z.core.$ZodType;
      rest = rest.slice(1);
    } else if (def.type === 'record' && rest.length > 0) {
      current = def.valueType as z.core.$ZodType;
      rest = rest.slice(1);
    } else return [];
  }
  return [];
}

/** The closest known field to a misspelt one, when it is close enough to be a likely typo. */
function suggestion(key: string, known: string[]): string | undefined {
  if (known.length === 0) return undefined;
  // `timeout` for `timeoutSeconds`: the unit or qualifier left out.
  const lower = key.toLowerCase();
  const prefixed = known.find((k) => k.toLowerCase().startsWith(lower) && lower.length >= 4);
  if (prefixed) return prefixed;
  const best = closest(key, known);
  const limit = Math.max(1, Math.floor(Math.max(key.length, best.length) / 3));
  return distance(key.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

// What kind of value the file holds at a path: its type, never the value (it may be a secret).
function kindOfValue(raw: unknown, path: readonly PropertyKey[]): string {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return 'nothing';
    value = (value as Record<PropertyKey, unknown>)[key as string];
  }
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = objectKeysAt(environmentConfigSchema, issue.path);
    return issue.keys
      .map((key) => {
        const near = suggestion(key, known);
        const hint = near
          ? `did you mean "${near}"?`
          : 'not part of the configuration; check the spelling';
        return `${where}: unknown field ${JSON.stringify(key)} (${hint})`;
      })
      .join('\n');
  }
  if (issue.code === 'invalid_key') {
    // A record key failed its schema: report the key's own message, not zod's generic one.
    return `${where}: ${issue.issues.map((inner) => inner.message).join('; ')}`;
  }
  if (issue.code === 'invalid_type') {
    // Say what was given (its kind only: the value may be a secret).
    const message = issue.message.replace(/, received \w+$/, '');
    return `${where}: ${message} (got ${kindOfValue(raw, issue.path)})`;
  }
  return `${where}: ${issue.message}`;
}

/** Validates the text of one environment file; returns the config or the list of problems. */
export function parseEnvironmentFile(
  file: string,
  text: string,
):
  { config: EnvironmentConfig; problems?: undefined } | { config?: undefined; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problems: [`${file}: not valid JSON (${(e as Error).message})`] };
  }
  const result = environmentConfigSchema.safeParse(raw);
  if (!result.success) {
    return {
      problems: result.error.issues.flatMap((issue) =>
        describeIssue(issue, raw)
          .split('\n')
          .map((problem) => `${file}: ${problem}`),
      ),
    };
  }
  return { config: result.data };
}

/**
 * Reads every `<env>.json` in `dir` and validates it. Throws a ConfigError naming each file,
 * field and expected form when anything is wrong, so nothing is synthesized from a bad file.
 */
export function loadEnvironments(dir: string, cwd = process.cwd()): Environment[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
  } catch (e) {
    throw new ConfigError([
      `${dir}: cannot read the configuration directory (${(e as Error).message})`,
    ]);
  }
  entries.sort();
  if (entries.length === 0) {
    throw new ConfigError([
      `${dir}: no environment files (expected config/<env>.json, e.g. config/dev.json)`,
    ]);
  }

  const problems: string[] = [];
  const environments: Environment[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    const rel = relative(cwd, path);
    const display = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
    const name = basename(entry, '.json');
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push(
        `${display}: file name "${name}" is not a usable environment name (expected 2-16 lowercase letters, digits or hyphens, starting with a letter)`,
      );
      continue;
    }
    const parsed = parseEnvironmentFile(display, readFileSync(path, 'utf8'));
    if (parsed.problems) problems.push(...parsed.problems);
    else environments.push({ name, file: display, config: parsed.config });
  }
  problems.push(...crossEnvironmentProblems(environments));
  if (problems.length > 0) throw new ConfigError(problems);
  return environments;
}
