import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './config';
import { checkValue, parseTerraformType, type TerraformType } from './terraform-type';

/** Interface of a registry module as recorded in .gen/modules/interfaces/<name>-<version>.json. */
export interface ModuleInterface {
  module: string;
  version: string;
  variables: Record<string, { type: string; required: boolean; default?: string }>;
  outputs: string[];
}

// Committed next to the bindings (see .gen/README.md for how they were extracted).
export const MODULE_INTERFACES_DIR = join(REPO_ROOT, '.gen', 'modules', 'interfaces');

export function loadModuleInterface(source: string, version: string): ModuleInterface {
  for (const file of readdirSync(MODULE_INTERFACES_DIR).filter((f) => f.endsWith('.json'))) {
    const iface = JSON.parse(
      readFileSync(join(MODULE_INTERFACES_DIR, file), 'utf8'),
    ) as ModuleInterface;
    if (iface.module === source && iface.version === version) return iface;
  }
  throw new Error(`no recorded interface for ${source} ${version} in ${MODULE_INTERFACES_DIR}`);
}

// Keys of a module block that are Terraform meta-arguments, not module inputs.
const META_ARGUMENTS = new Set([
  '//',
  'source',
  'version',
  'providers',
  'depends_on',
  'for_each',
  'count',
]);

/** Every problem of a synthesized module block against the module's recorded interface. */
export function checkModuleBlock(block: Record<string, unknown>, iface: ModuleInterface): string[] {
  const problems: string[] = [];
  const types = new Map<string, TerraformType>();
  for (const [name, variable] of Object.entries(iface.variables)) {
    types.set(name, parseTerraformType(variable.type));
  }
  for (const [name, value] of Object.entries(block)) {
    if (META_ARGUMENTS.has(name)) continue;
    const type = types.get(name);
    if (!type) problems.push(`${name}: not a variable of ${iface.module} ${iface.version}`);
    else problems.push(...checkValue(value, type, name));
  }
  for (const [name, variable] of Object.entries(iface.variables)) {
    if (variable.required && !(name in block)) problems.push(`${name}: required variable missing`);
  }
  return problems;
}
