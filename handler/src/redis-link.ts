// One Redis connection of this environment, made once and reused by every invocation. A call
// waits (bounded) for the connection to be ready instead of queueing: while Redis is down,
// callers learn it at once and nothing piles up in memory.
import Redis from 'ioredis';
import { errorMessage, registerSecret } from './log';

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

export interface RedisLinkOptions {
  uri: string;
  /** Shown by CLIENT LIST, to tell the handler's connections from LibreChat's. */
  connectionName: string;
  /** Longest wait for a connection, and for one command's answer. */
  timeoutMs: number;
  /** Called with each failure; the owner decides what to log. */
  onError(err: Error): void;
  onReady(): void;
}

export class RedisLink {
  readonly client: Redis;
  private readonly timeoutMs: number;

  constructor(opts: RedisLinkOptions) {
    // A password in the URI must never reach a log line through an error message.
    const password = safeUrl(opts.uri)?.password;
    if (password) registerSecret(decodeURIComponent(password));
    this.timeoutMs = opts.timeoutMs;
    // rediss:// turns TLS on (ElastiCache in-transit encryption).
    this.client = new Redis(opts.uri, {
      connectionName: opts.connectionName,
      connectTimeout: opts.timeoutMs,
      // A frozen environment may wake up on a connection the network has dropped: a command
      // without an answer fails after this long and the connection is made anew.
      commandTimeout: opts.timeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.client.on('error', (err: Error) => opts.onError(err));
    this.client.on('ready', () => opts.onReady());
  }

  /** Runs commands once the connection is ready; RedisUnavailableError when it is not in time. */
  async run<T>(op: (client: Redis) => Promise<T>): Promise<T> {
    await this.ready();
    try {
      return await op(this.client);
    } catch (err) {
      if (/timed out/i.test(errorMessage(err))) {
        // The socket is likely dead (e.g. dropped during a freeze): reconnect for the next call.
        this.client.disconnect(true);
      }
      throw new RedisUnavailableError(`redis command failed: ${errorMessage(err)}`);
    }
  }

  private ready(): Promise<void> {
    const c = this.client;
    if (c.status === 'ready') return Promise.resolve();
    if (c.status === 'end' || c.status === 'wait') c.connect().catch(() => undefined);
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        c.off('ready', done);
        resolve();
      };
      const timer = setTimeout(() => {
        c.off('ready', done);
        reject(new RedisUnavailableError(`redis not reachable within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      c.on('ready', done);
    });
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

function safeUrl(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}
