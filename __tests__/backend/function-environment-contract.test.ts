import {
  ENV,
  ENV_NAME,
  integerRule,
  LAMBDA_RESERVED_VARIABLES,
  STACK_MANAGED_VARIABLES,
  VARIABLES,
} from '../../handler/src/contract';
import { loadSettings } from '../../handler/src/settings';
import { LIBRECHAT_RUNTIME_PROFILE } from '../../src/backend/librechat-runtime-profile';
import { environmentConfigSchema } from '../../src/config/schema';
import { devConfig, devConfigInput } from '../helpers/config';
import { onlyResource, synthStack } from '../helpers/synth';

// The function's environment is one contract (handler/src/contract.ts): the stack writes only
// names it knows, its defaults are the handler's, and synth applies the handler's own rules.

function functionEnvironment(change?: (raw: Record<string, any>) => void): Record<string, string> {
  return onlyResource(synthStack(devConfig(change)).json, 'aws_lambda_function').environment
    .variables;
}

function problems(change: (raw: Record<string, any>) => void): string[] {
  const raw = devConfigInput();
  change(raw);
  const result = environmentConfigSchema.safeParse(raw);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the function environment against the handler contract', () => {
  const env = functionEnvironment(
    (c) => (c.librechat.environment = { ALLOW_REGISTRATION: 'false' }),
  );

  it('every variable the stack sets is a contract variable (or a runtime-profile/env-file one)', () => {
    const unknown = Object.keys(env).filter(
      (n) => !(n in VARIABLES) && !(n in LIBRECHAT_RUNTIME_PROFILE) && n !== 'ALLOW_REGISTRATION',
    );
    expect(unknown).toEqual([]);
    for (const name of Object.keys(env)) expect(name).toMatch(ENV_NAME);
    const secretNames = Object.keys(JSON.parse(env[ENV.SSM_SECRETS]));
    for (const name of secretNames) expect(name).toMatch(ENV_NAME);
  });

  it("the handler's own parser accepts every value the stack writes, and reads them as written", () => {
    // INHERITED_ENVIRONMENT carries a Terraform reference for the sha256 (known at apply time).
    const written = { ...env };
    delete written[ENV.INHERITED_ENVIRONMENT];
    const settings = loadSettings(written);
    expect(settings.configPath).toBe(env.CONFIG_PATH);
    expect(settings.originVerifyHeader).toBe(env.ORIGIN_VERIFY_HEADER);
    expect(settings.originVerifyDisabled).toBe(false);
    expect(settings.uploadLimitMb).toBe(Number(env.HANDLER_UPLOAD_LIMIT_MB));
    expect(settings.originVerifyPreviousMs).toBe(
      Number(env.ORIGIN_VERIFY_PREVIOUS_WINDOW_S) * 1000,
    );
    expect(settings.stopRelay?.keyPrefix).toBe(env.HANDLER_ABORT_KEY_PREFIX);
  });

  it("with the config's defaults, the stack writes exactly the handler's defaults", () => {
    const defaults = functionEnvironment((c) => {
      delete c.librechat.configPath;
      delete c.librechat.uploadLimitMb;
      delete c.api.originVerifyHeader;
      delete c.api.originVerifyPreviousMinutes;
    });
    const own = loadSettings({ CONFIG_S3_BUCKET: 'b', CONFIG_S3_KEY: 'k' });
    expect(defaults.CONFIG_PATH).toBe(own.configPath);
    expect(defaults.ORIGIN_VERIFY_HEADER).toBe(own.originVerifyHeader);
    expect(Number(defaults.HANDLER_UPLOAD_LIMIT_MB)).toBe(own.uploadLimitMb);
    expect(Number(defaults.ORIGIN_VERIFY_PREVIOUS_WINDOW_S) * 1000).toBe(
      own.originVerifyPreviousMs,
    );
    // And those are the contract's, the one place they are written.
    expect(defaults.CONFIG_PATH).toBe(VARIABLES.CONFIG_PATH.default);
    expect(defaults.ORIGIN_VERIFY_HEADER).toBe(VARIABLES.ORIGIN_VERIFY_HEADER.default);
  });
});

describe('an environment file against the handler contract', () => {
  it.each(STACK_MANAGED_VARIABLES)('refuses the stack-managed %s, plain or as a secret', (name) => {
    expect(problems((c) => (c.librechat.environment = { [name]: 'x' }))).toContainEqual(
      `librechat.environment.${name}: ${name} is set by the stack (from the other config fields and resources): remove it here`,
    );
    expect(
      problems((c) => (c.librechat.secrets = { ...c.librechat.secrets, [name]: '/p/x' })),
    ).toContainEqual(
      `librechat.secrets.${name}: ${name} is set by the stack (from the other config fields and resources): remove it here`,
    );
  });

  it.each(LAMBDA_RESERVED_VARIABLES)('refuses the Lambda-reserved %s', (name) => {
    expect(problems((c) => (c.librechat.environment = { [name]: 'x' })).join('\n')).toContain(
      'no reserved Lambda variables',
    );
  });

  it("refuses a handler setting outside the contract's range at synth, as the handler would at cold start", () => {
    const rule = integerRule(ENV.SSE_KEEPALIVE_MS);
    expect(
      problems((c) => (c.librechat.environment = { SSE_KEEPALIVE_MS: String(rule.min - 1) })),
    ).toEqual([
      `librechat.environment.SSE_KEEPALIVE_MS: the handler would reject this at cold start: SSE_KEEPALIVE_MS must be between ${rule.min} and ${rule.max}`,
    ]);
    expect(
      problems((c) => (c.librechat.environment = { SSE_KEEPALIVE_MS: String(rule.min) })),
    ).toEqual([]);
  });

  it("takes the upload limit's range from the handler's rule", () => {
    const rule = VARIABLES.HANDLER_UPLOAD_LIMIT_MB;
    expect(problems((c) => (c.librechat.uploadLimitMb = rule.max + 1))).toEqual([
      `librechat.uploadLimitMb: expected the largest upload in MiB (Lambda fits about 4.4 MiB): a whole number from ${rule.min} to ${rule.max}`,
    ]);
  });
});
