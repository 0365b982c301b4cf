// Cold start: fetch librechat.yaml, the secrets and the task environment, write the credentials
// file, then build LibreChat's Supervisor. Done once per environment; a failed attempt is retried
// by the next request instead of poisoning the environment.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { childEnvironment } from './child-environment';
import { fetchConfig } from './config';
import { writeChildCredentials } from './credentials';
import { inheritTaskEnvironment } from './inherited-environment';
import { errorMessage, log } from './log';
import { childSecretParameters, type OriginCheck } from './origin-check';
import { dropIdleConnections } from './proxy';
import { fetchSecrets } from './secrets';
import type { Settings } from './settings';
import { Supervisor } from './supervisor';

export interface ColdStartClients {
  s3: S3Client;
  ssm: SSMClient;
  /** Its secrets are loaded with the rest. */
  origin: OriginCheck;
}

export class ColdStart {
  private prepared?: Promise<Supervisor>;
  private built?: Supervisor;

  constructor(
    private readonly settings: Settings,
    private readonly clients: ColdStartClients,
  ) {}

  /** LibreChat's supervisor once preparation has succeeded (shutdown stops it). */
  get supervisor(): Supervisor | undefined {
    return this.built;
  }

  /**
   * Begins the cold start during the init phase: prepare, then start LibreChat. Not awaited:
   * LibreChat's readiness may take longer than the init limit; requests wait for it instead.
   */
  begin(): void {
    void mkdir(this.settings.workDir, { recursive: true })
      .then(() => this.prepare())
      .then((supervisor) => supervisor.ensureReady())
      .catch((err: unknown) => log('error', 'cold start failed', { error: errorMessage(err) }));
  }

  /** The supervisor, preparing first when no attempt has succeeded or is under way. */
  prepare(): Promise<Supervisor> {
    this.prepared ??= this.gather().catch((err: unknown) => {
      this.prepared = undefined;
      throw err;
    });
    return this.prepared;
  }

  private async gather(): Promise<Supervisor> {
    const { settings, clients } = this;
    const t0 = performance.now();
    const childSsmSecrets = childSecretParameters(settings.ssmSecrets);
    const [, secrets, credentials, , inherited] = await Promise.all([
      settings.configSource && settings.configPath
        ? fetchConfig(
            clients.s3,
            settings.configSource,
            settings.configReplace,
            settings.configPath,
            settings.uploadLimitMb,
          )
        : undefined,
      Object.keys(childSsmSecrets).length > 0
        ? fetchSecrets(clients.ssm, childSsmSecrets)
        : ({} as Record<string, string>),
      writeChildCredentials(settings.credentials, path.join(settings.workDir, '.aws')),
      clients.origin.load(),
      inheritTaskEnvironment(clients.s3, settings),
      ...[settings.logDir, ...settings.ensureDirs].map((d) => mkdir(d, { recursive: true })),
    ]);
    if (!settings.configSource && Object.keys(settings.configReplace).length > 0) {
      log('warn', 'CONFIG_REPLACE is ignored: no CONFIG_S3_BUCKET/CONFIG_S3_KEY to fetch from');
    }
    log('info', 'cold start prepared', {
      configFetched: Boolean(settings.configSource),
      secrets: Object.keys(secrets),
      ms: Math.round(performance.now() - t0),
    });
    const supervisor = new Supervisor({
      command: settings.command,
      env: childEnvironment(settings, { inherited, secrets, credentials }),
      cwd: settings.workDir,
      port: settings.port,
      readyTimeoutMs: settings.readyTimeoutMs,
      healthPollMs: settings.healthPollMs,
      stopTimeoutMs: settings.stopTimeoutMs,
    });
    supervisor.setMaxListeners(0);
    // Pooled connections to a process that exited would only fail the next request.
    supervisor.on('exit', () => dropIdleConnections(0));
    this.built = supervisor;
    return supervisor;
  }
}
