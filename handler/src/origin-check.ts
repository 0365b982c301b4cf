// The origin check: only requests that carry the secret header CloudFront adds reach LibreChat.
// Fails closed: with no secret configured every request is refused, unless the configuration
// turns the check off explicitly. During a rotation the previous secret stays accepted for a
// bounded time after the current one was stored, and an environment that still holds the old
// pair reads them again (rate-limited) when a header matches neither.
import { GetParametersCommand, type Parameter, type SSMClient } from '@aws-sdk/client-ssm';
import { ORIGIN_SECRET_VARIABLES } from './contract';
import { errorMessage, log, registerSecret } from './log';
import { safeEqual } from './request';

/** Entries of SSM_SECRETS that hold the origin secrets (read here, never given to LibreChat). */
export const ORIGIN_SECRET_NAME = ORIGIN_SECRET_VARIABLES.current;
export const PREVIOUS_ORIGIN_SECRET_NAME = ORIGIN_SECRET_VARIABLES.previous;

export interface OriginCheckSettings {
  /** env name -> SSM parameter (the origin entries are picked from it). */
  ssmSecrets: Record<string, string>;
  /** ORIGIN_VERIFY_DISABLED=true: the explicit way to run without the check. */
  originVerifyDisabled: boolean;
  /** How long after the current secret was stored the previous one is still accepted. */
  originVerifyPreviousMs: number;
  /** Least time between two reads of the secrets caused by a header that matched neither. */
  originVerifyRefreshMs: number;
}

/**
 * `pass`: the header matched; `off`: the check is turned off; `forbidden`: wrong or missing
 * header (403); `unconfigured`: no secret to compare with, so nothing is served (503).
 */
export type OriginVerdict = 'pass' | 'off' | 'forbidden' | 'unconfigured';

/** SSM_SECRETS without the origin secrets: what LibreChat's environment gets. */
export function childSecretParameters(ssmSecrets: Record<string, string>): Record<string, string> {
  const out = { ...ssmSecrets };
  delete out[ORIGIN_SECRET_NAME];
  delete out[PREVIOUS_ORIGIN_SECRET_NAME];
  return out;
}

function isParameter(p: Parameter, requested: string): boolean {
  return requested === p.Name || requested === p.ARN;
}

export class OriginCheck {
  private current?: string;
  private previous?: string;
  /** When the current secret was stored (ms since epoch); 0 = unknown, previous not accepted. */
  private storedAt = 0;
  private lastRead = -Infinity;
  private reading?: Promise<void>;

  constructor(
    private readonly settings: OriginCheckSettings,
    private readonly ssm: SSMClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the check runs and requests that pass it came through CloudFront. */
  get enforced(): boolean {
    return !this.settings.originVerifyDisabled && this.configured;
  }

  private get configured(): boolean {
    return ORIGIN_SECRET_NAME in this.settings.ssmSecrets;
  }

  /** Reads the secrets at cold start (a failure fails the preparation, so nothing is served). */
  async load(): Promise<void> {
    if (this.settings.originVerifyDisabled) {
      log('warn', 'origin check is off (ORIGIN_VERIFY_DISABLED=true): every caller is served');
      return;
    }
    if (!this.configured) {
      log(
        'error',
        'origin check has no secret (no ORIGIN_VERIFY_SECRET in SSM_SECRETS): every request is refused with 503; set ORIGIN_VERIFY_DISABLED=true to turn the check off',
      );
      return;
    }
    await this.read();
  }

  private async read(): Promise<void> {
    this.lastRead = this.now();
    const currentName = this.settings.ssmSecrets[ORIGIN_SECRET_NAME];
    const previousName = this.settings.ssmSecrets[PREVIOUS_ORIGIN_SECRET_NAME];
    const names = [currentName, ...(previousName ? [previousName] : [])];
    let found: Parameter[];
    try {
      const res = await this.ssm.send(
        new GetParametersCommand({ Names: [...new Set(names)], WithDecryption: true }),
      );
      found = res.Parameters ?? [];
    } catch (err) {
      throw new Error(
        `could not read the origin secret ${names.join(', ')}: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
    for (const p of found) if (p.Value) registerSecret(p.Value);
    const current = found.find((p) => isParameter(p, currentName));
    const previous = previousName ? found.find((p) => isParameter(p, previousName)) : undefined;
    const missing = [
      ...(current?.Value ? [] : [`${ORIGIN_SECRET_NAME} -> ${currentName}`]),
      ...(previousName && !previous?.Value
        ? [`${PREVIOUS_ORIGIN_SECRET_NAME} -> ${previousName}`]
        : []),
    ];
    if (missing.length > 0) {
      throw new Error(
        `origin secret parameter(s) not found or not readable: ${missing.join(', ')}`,
      );
    }
    this.current = current!.Value;
    this.previous = previous?.Value;
    this.storedAt = current!.LastModifiedDate?.getTime() ?? 0;
  }

  private matches(given: string): boolean {
    if (this.current === undefined) return false;
    // Both comparisons always run: the time taken does not tell which secret matched.
    const isCurrent = safeEqual(given, this.current);
    const isPrevious =
      this.previous !== undefined &&
      safeEqual(given, this.previous) &&
      this.now() < this.storedAt + this.settings.originVerifyPreviousMs;
    return isCurrent || isPrevious;
  }

  /** The verdict for the value of the origin header (undefined when the request has none). */
  async check(given: string | undefined): Promise<OriginVerdict> {
    if (this.settings.originVerifyDisabled) return 'off';
    if (!this.configured) return 'unconfigured';
    if (given === undefined) return 'forbidden';
    if (this.matches(given)) return 'pass';
    // Rotated since this environment read the secrets? Read again, at most once per interval.
    if (this.now() - this.lastRead >= this.settings.originVerifyRefreshMs) {
      this.reading ??= this.read().finally(() => (this.reading = undefined));
      try {
        await this.reading;
      } catch (err) {
        log('error', 'could not read the origin secret again', { error: errorMessage(err) });
      }
      if (this.matches(given)) return 'pass';
    }
    return 'forbidden';
  }
}
