import { readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
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

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
      .map((k) => JSON.stringify(k))
      .join(', ')} (not part of the configuration; check the spelling)`;
  }
  if (issue.code === 'invalid_key') {
    // A record key failed its schema: report the key's own message, not zod's generic one.
    return `${where}: ${issue.issues.map((inner) => inner.message).join('; ')}`;
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
    return { problems: result.error.issues.map((issue) => `${file}: ${describeIssue(issue)}`) };
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
