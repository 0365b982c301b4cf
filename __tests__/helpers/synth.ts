import { DefaultTokenResolver, StringConcat, Testing, Tokenization } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import { join } from 'node:path';
import type { ImageBuildSource } from '../../src/backend/function-image';
import { handlerImageBuild } from '../../src/backend/image-source-hash';
import type { EnvironmentConfig } from '../../src/config/schema';
import { loadCloudfrontFunctionCode } from '../../src/frontend/functions/function-code';
import { LibreChatStack } from '../../src/librechat-stack';
import { devConfig, REPO_ROOT } from './config';
import { stopRelayScript } from '../../src/frontend/stop-relay';

/** A tiny stand-in for handler/ (hashed, never built): keeps stack tests independent of it. */
export const FIXTURE_HANDLER_DIR = join(REPO_ROOT, '__tests__', 'fixtures', 'handler');

/** The image build sources main.ts would pass, made from the fixture handler. */
export function fixtureImageBuild(
  config: EnvironmentConfig,
  environment = 'dev',
): ImageBuildSource {
  return handlerImageBuild({
    handlerDir: FIXTURE_HANDLER_DIR,
    stackDir: join(REPO_ROOT, 'cdktf.out', 'stacks', environment),
    pushScript: join(REPO_ROOT, 'scripts', 'push-image.sh'),
    baseImage: config.librechat.image.baseImage,
    architecture: config.lambda.architecture,
  });
}

/** The web client's publish command, as main.ts passes it. */
export const PUBLISH_SCRIPT = join(REPO_ROOT, 'scripts', 'publish-client.js');

/** The SPA routing function's source, read once as main.ts does. */
export const SPA_ROUTING_FUNCTION_CODE = loadCloudfrontFunctionCode('spa-routing');

/** The synthesized Terraform JSON of a stack, parsed. */
export type TerraformJson = Record<string, any>;

/** Synthesizes a LibreChatStack for `config` (default: config/dev.json) and returns its JSON. */
export function synthStack(
  config: EnvironmentConfig = devConfig(),
  environment = 'dev',
): { stack: LibreChatStack; json: TerraformJson } {
  const app = Testing.app();
  const imageBuild = config.librechat.image.prebuiltImageUri
    ? undefined
    : fixtureImageBuild(config, environment);
  const stack = new LibreChatStack(app, environment, {
    environment,
    config,
    imageBuild,
    spaRoutingFunctionCode: SPA_ROUTING_FUNCTION_CODE,
    publishScript: PUBLISH_SCRIPT,
    clientScriptKey: stopRelayScript().key,
  });
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

/**
 * A construct-level value with its tokens resolved as synth would write them (references become
 * `${aws_x.y.attr}`), for values the JSON holds only inside a Terraform expression such as
 * `jsonencode(...)`.
 */
export function resolveTokens(scope: IConstruct, value: unknown): any {
  return Tokenization.resolve(value, {
    scope,
    resolver: new DefaultTokenResolver(new StringConcat()),
    preparing: false,
  });
}
