// The cross-instance stop relay (docs/stop-button.md). Each Lambda environment serves one
// request at a time, so the stop for a stream always lands on another instance: that one
// records it in Redis (a key, for a stream that is not listening yet, and a message, for one
// that is), and the instance proxying the stream ends its upstream request when the bearer
// hashes match.
import { errorMessage, log } from './log';
import { RedisLink, RedisUnavailableError } from './redis-link';

export interface AbortRelayOptions {
  redisUri: string;
  /** Per deployment: the keys and channels of one stack never meet another's. */
  keyPrefix: string;
  /** Longest wait for Redis before an abort answers 503 or a stream goes unwatched. */
  timeoutMs: number;
  /** How long a stop is remembered for a stream that has not subscribed yet. */
  keyTtlSeconds?: number;
}

export interface StreamWatch {
  /** Ends the subscription; call it when the stream is over. */
  stop(): void;
}

export { RedisUnavailableError };

export class AbortRelay {
  private readonly commands: RedisLink;
  private readonly subscriber: RedisLink;
  private readonly listeners = new Map<string, (message: string) => void>();
  private readonly prefix: string;
  private readonly ttl: number;
  private down = false;

  constructor(opts: AbortRelayOptions) {
    this.prefix = opts.keyPrefix;
    this.ttl = opts.keyTtlSeconds ?? 900;
    const common = {
      uri: opts.redisUri,
      timeoutMs: opts.timeoutMs,
      onError: (err: Error) => this.onError(err),
      onReady: () => this.onReady(),
    };
    // Redis allows no other command on a connection that subscribes: two connections.
    this.commands = new RedisLink({ ...common, connectionName: 'lambda-handler-stop-relay' });
    this.subscriber = new RedisLink({ ...common, connectionName: 'lambda-handler-stop-watch' });
    this.subscriber.client.on('message', (channel: string, message: string) => {
      this.listeners.get(channel)?.(message);
    });
  }

  /** Key and channel of one stream (separate namespaces in Redis). */
  private name(streamId: string): string {
    return `${this.prefix}:abort:${streamId}`;
  }

  /**
   * Records a stop for a stream. Whoever proxies the stream honours it only if `hash` equals the
   * hash of the stream's own bearer token. Throws RedisUnavailableError when Redis is not there.
   */
  async requestAbort(streamId: string, hash: string): Promise<void> {
    const name = this.name(streamId);
    // The key first: a stream that subscribes after the message still finds the key.
    await this.commands.run((c) =>
      c.multi().set(name, hash, 'EX', this.ttl).publish(name, hash).exec(),
    );
  }

  /**
   * Watches for a stop of one stream: subscribes, then checks the key once (the stop may have
   * come first), and calls onAbort (at most once) on a match. Never delays or fails the stream:
   * without Redis the stream just goes unwatched.
   */
  watch(streamId: string, hash: string, onAbort: () => void): StreamWatch {
    const name = this.name(streamId);
    let active = true;
    let subscribed = false;
    const fire = (): void => {
      if (!active) return;
      active = false;
      onAbort();
    };
    this.listeners.set(name, (message) => {
      if (message === hash) fire();
    });
    const unsubscribe = (): void => {
      this.subscriber.client.unsubscribe(name).catch(() => undefined);
    };
    void (async () => {
      try {
        await this.subscriber.run((c) => c.subscribe(name));
        subscribed = true;
        if (!this.listeners.has(name)) return unsubscribe(); // the stream ended meanwhile
        const stored = await this.commands.run((c) => c.get(name));
        if (stored === hash) fire();
      } catch (err) {
        // An outage is logged once by onError; anything else (e.g. an ACL refusal) here.
        if (!this.down) {
          log('warn', 'stop relay: this stream is not watched', { error: errorMessage(err) });
        }
      }
    })();
    return {
      stop: () => {
        active = false;
        this.listeners.delete(name);
        if (subscribed) unsubscribe();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.commands.close(), this.subscriber.close()]);
  }

  // Logged once per outage, not on every reconnect attempt.
  private onError(err: Error): void {
    if (this.down) return;
    this.down = true;
    log('warn', 'stop relay: redis unavailable (streams go on, stops answer 503)', {
      error: errorMessage(err),
    });
  }

  private onReady(): void {
    if (!this.down) return;
    this.down = false;
    log('info', 'stop relay: redis available again');
  }
}
