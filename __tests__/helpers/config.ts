import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentConfigSchema, type EnvironmentConfig } from '../../src/config/schema';

export const REPO_ROOT = join(__dirname, '..', '..');

/** The raw content of config/dev.json, a fresh copy each call (tests mutate it). */
export function devConfigInput(): Record<string, any> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'dev.json'), 'utf8'));
}

/** config/dev.json validated, with `change` applied to the raw input first. */
export function devConfig(change?: (raw: Record<string, any>) => void): EnvironmentConfig {
  const raw = devConfigInput();
  change?.(raw);
  return environmentConfigSchema.parse(raw);
}
