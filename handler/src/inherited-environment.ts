// The existing ECS task's environment (librechat.environmentFrom): Terraform writes the task
// container's variables to S3 and gives the function only a pointer and the content's SHA-256, so
// Lambda's 4 KB limit on the function's own variables does not bound the task's size. At cold
// start the handler fetches and checks the object and applies the merge rules below; the result
// sits under everything the function sets itself.
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { applyReplacements } from './config';
import { LAMBDA_RESERVED_VARIABLES, PORTABLE_ENV_NAME } from './contract';
import { errorMessage, log } from './log';
import { fetchS3Text } from './s3-text';
import {
  INHERITED_ENVIRONMENT,
  type InheritedEnvironmentSource,
} from './inherited-environment-source';
import { isHandlerOnly, type Settings } from './settings';

/** The object Terraform writes (src/backend/inherited-environment.ts). */
export interface InheritedEnvironmentDocument {
  taskDefinition: string;
  container: string;
  /** Names left out on purpose (librechat.environmentFrom.exclude). */
  exclude: string[];
  environment: Record<string, string>;
}

/** Lambda's reserved variables (and AWS_LAMBDA_*): never taken from a task. */
const LAMBDA_RESERVED: ReadonlySet<string> = new Set(LAMBDA_RESERVED_VARIABLES);
// Linux refuses to start a process with one NAME=value longer than this (MAX_ARG_STRLEN).
const MAX_VARIABLE_BYTES = 131072;

export type DropReason =
  | 'excluded'
  | 'reserved by Lambda'
  | 'handler setting'
  | 'set on the function'
  | 'not a portable variable name';

export interface MergeOptions {
  /** Names the function sets itself (its plain environment and its secrets): they win. */
  functionNames: Iterable<string>;
  /** Names meant for the handler only. */
  isHandlerOnly: (name: string) => boolean;
  /** Old domain -> new domain (CONFIG_REPLACE), applied to inherited values. */
  replace: Record<string, string>;
}

export interface MergeResult {
  /** What LibreChat inherits (below the function's own variables). */
  env: Record<string, string>;
  /** Name -> why it was left out (names only: values may be sensitive). */
  dropped: Record<string, DropReason>;
}

/** Checks the object's text against the deployed hash and its shape; the message names the object. */
export function parseInheritedEnvironmentDocument(
  text: string,
  source: InheritedEnvironmentSource,
): InheritedEnvironmentDocument {
  const where = `s3://${source.bucket}/${source.key} (${INHERITED_ENVIRONMENT})`;
  const actual = createHash('sha256').update(text, 'utf8').digest('hex');
  if (actual !== source.sha256) {
    throw new Error(
      `${where} does not match the deployed function (sha256 ${actual}, expected ${source.sha256}): it was changed outside this deploy or a deploy is under way`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where} is not valid JSON: ${errorMessage(err)}`, { cause: err });
  }
  const d = doc as Partial<InheritedEnvironmentDocument> | null;
  const isStringMap = (v: unknown): v is Record<string, string> =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === 'string');
  if (
    d === null ||
    typeof d !== 'object' ||
    typeof d.taskDefinition !== 'string' ||
    typeof d.container !== 'string' ||
    !Array.isArray(d.exclude) ||
    !d.exclude.every((x) => typeof x === 'string') ||
    !isStringMap(d.environment)
  ) {
    throw new Error(
      `${where} must be a JSON object with taskDefinition, container, exclude (list of names) and environment (name -> string)`,
    );
  }
  return d as InheritedEnvironmentDocument;
}

/**
 * The merge rules: a task variable is left out when excluded, reserved by Lambda, meant for the
 * handler, or set by the function itself (stack-managed names, librechat.environment, secrets);
 * the rest keep their values with the old domain replaced by the new one.
 */
export function mergeInheritedEnvironment(
  doc: InheritedEnvironmentDocument,
  options: MergeOptions,
): MergeResult {
  const exclude = new Set(doc.exclude);
  const functionNames = new Set(options.functionNames);
  const env: Record<string, string> = {};
  const dropped: Record<string, DropReason> = {};
  for (const [name, value] of Object.entries(doc.environment)) {
    const reason: DropReason | undefined = exclude.has(name)
      ? 'excluded'
      : LAMBDA_RESERVED.has(name) || name.startsWith('AWS_LAMBDA_')
        ? 'reserved by Lambda'
        : options.isHandlerOnly(name)
          ? 'handler setting'
          : functionNames.has(name)
            ? 'set on the function'
            : !PORTABLE_ENV_NAME.test(name)
              ? 'not a portable variable name'
              : undefined;
    if (reason) {
      dropped[name] = reason;
      continue;
    }
    const replaced = applyReplacements(value, options.replace);
    if (Buffer.byteLength(`${name}=${replaced}`) > MAX_VARIABLE_BYTES) {
      throw new Error(
        `${INHERITED_ENVIRONMENT}: ${name} from ${doc.taskDefinition} (container ${doc.container}) is longer than the ${MAX_VARIABLE_BYTES} bytes a process environment entry may hold`,
      );
    }
    env[name] = replaced;
  }
  return { env, dropped };
}

/** Fetches and checks the object (cold start). */
export async function fetchInheritedEnvironment(
  s3: S3Client,
  source: InheritedEnvironmentSource,
): Promise<InheritedEnvironmentDocument> {
  const text = await fetchS3Text(
    s3,
    source.bucket,
    source.key,
    `the inherited task environment s3://${source.bucket}/${source.key} (${INHERITED_ENVIRONMENT})`,
  );
  return parseInheritedEnvironmentDocument(text, source);
}

/**
 * The cold-start hook: the variables LibreChat inherits from the task ({} when none is
 * configured), logged by name with what was left out and why.
 */
export async function inheritTaskEnvironment(
  s3: S3Client,
  settings: Pick<
    Settings,
    'inheritedEnvironment' | 'passThroughEnv' | 'ssmSecrets' | 'configReplace'
  >,
): Promise<Record<string, string>> {
  if (!settings.inheritedEnvironment) return {};
  const doc = await fetchInheritedEnvironment(s3, settings.inheritedEnvironment);
  const { env, dropped } = mergeInheritedEnvironment(doc, {
    functionNames: [...Object.keys(settings.passThroughEnv), ...Object.keys(settings.ssmSecrets)],
    isHandlerOnly,
    replace: settings.configReplace,
  });
  log('info', 'inherited the task environment', {
    taskDefinition: doc.taskDefinition,
    container: doc.container,
    inherited: Object.keys(env).length,
    dropped,
  });
  return env;
}
