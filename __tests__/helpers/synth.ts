import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../src/config/schema';
import { LibreChatStack } from '../../src/librechat-stack';
import { devConfig } from './config';

/** The synthesized Terraform JSON of a stack, parsed. */
export type TerraformJson = Record<string, any>;

/** Synthesizes a LibreChatStack for `config` (default: config/dev.json) and returns its JSON. */
export function synthStack(
  config: EnvironmentConfig = devConfig(),
  environment = 'dev',
): { stack: LibreChatStack; json: TerraformJson } {
  const app = Testing.app();
  const stack = new LibreChatStack(app, environment, { environment, config });
  return { stack, json: JSON.parse(Testing.synth(stack)) };
}

/** Synthesizes whatever `build` adds to an empty stack (for testing one construct alone). */
export function synthScope(build: (scope: Construct) => void): TerraformJson {
  return JSON.parse(Testing.synthScope(build));
}

/** All resources of a type, keyed by logical id. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type; fails the test if there are none or several. */
export function onlyResource(json: TerraformJson, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The module blocks of the stack whose source is `source`. */
export function modulesFrom(json: TerraformJson, source: string): any[] {
  return Object.values(json.module ?? {}).filter((m: any) => m.source === source);
}
