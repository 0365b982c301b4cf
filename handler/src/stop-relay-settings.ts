// Settings of the stop relay, read by settings.ts (the only module that reads process.env).
import { ENV, integerRule, VARIABLES } from './contract';
import { SettingsError } from './settings';

export interface StopRelaySettings {
  /** The stack's Redis (REDIS_URI, also LibreChat's); TLS with rediss://. */
  redisUri: string;
  /** Per deployment: HANDLER_ABORT_KEY_PREFIX. */
  keyPrefix: string;
  /** Longest wait for Redis (HANDLER_ABORT_REDIS_TIMEOUT_MS). */
  timeoutMs: number;
}

const PREFIX = /^[A-Za-z0-9._:-]{1,64}$/;

type Env = Record<string, string | undefined>;

/** Undefined (relay off: aborts answer 503, streams are not watched) when REDIS_URI is unset. */
export function loadStopRelaySettings(env: Env): StopRelaySettings | undefined {
  const redisUri = env[ENV.REDIS_URI]?.trim();
  if (!redisUri) return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(redisUri)) {
    // The value may hold a password: name the variable, not its value.
    throw new SettingsError('REDIS_URI must be a redis:// or rediss:// URI');
  }
  const keyPrefix =
    env[ENV.HANDLER_ABORT_KEY_PREFIX]?.trim() || VARIABLES.HANDLER_ABORT_KEY_PREFIX.default;
  if (!PREFIX.test(keyPrefix)) {
    throw new SettingsError(
      `HANDLER_ABORT_KEY_PREFIX must be 1-64 letters, digits, ".", "_", ":" or "-", got ${JSON.stringify(keyPrefix)}`,
    );
  }
  const rule = integerRule(ENV.HANDLER_ABORT_REDIS_TIMEOUT_MS);
  const rawTimeout = env[ENV.HANDLER_ABORT_REDIS_TIMEOUT_MS]?.trim() || String(rule.default);
  const timeoutMs = Number(rawTimeout);
  if (!/^\d+$/.test(rawTimeout) || timeoutMs < rule.min || timeoutMs > rule.max) {
    throw new SettingsError(
      `HANDLER_ABORT_REDIS_TIMEOUT_MS must be a whole number from ${rule.min} to ${rule.max}, got ${JSON.stringify(rawTimeout)}`,
    );
  }
  return { redisUri, keyPrefix, timeoutMs };
}
