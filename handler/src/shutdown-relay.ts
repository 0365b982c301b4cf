// Multi-concurrent mode runs the handler in a runtime worker thread, and Node delivers signals to
// the main thread only. The main thread (main-thread.ts) relays SIGTERM to the handler over a
// BroadcastChannel and waits, bounded, until the handler has stopped LibreChat.
import { BroadcastChannel } from 'node:worker_threads';

const CHANNEL = 'librechat-handler-shutdown';
const STOP = 'stop';
const STOPPED = 'stopped';

/** Main thread: on SIGTERM, ask the handler to stop LibreChat, then die by the same signal. */
export function relaySigtermToHandler(limitMs: number): void {
  process.once('SIGTERM', () => {
    const channel = new BroadcastChannel(CHANNEL);
    const die = (): void => {
      clearTimeout(timer);
      channel.close();
      process.kill(process.pid, 'SIGTERM');
    };
    // The handler may be gone (crashed worker): do not wait for it forever.
    const timer = setTimeout(die, limitMs);
    channel.onmessage = (message) => {
      if ((message as MessageEvent).data === STOPPED) die();
    };
    channel.postMessage(STOP);
  });
}

/** Worker thread (the handler): run `stop` when the main thread relays SIGTERM. */
export function onRelayedSigterm(stop: () => Promise<void>): void {
  const channel = new BroadcastChannel(CHANNEL);
  // Listening must not keep the worker alive on its own.
  channel.unref();
  channel.onmessage = (message) => {
    if ((message as MessageEvent).data !== STOP) return;
    void stop().finally(() => channel.postMessage(STOPPED));
  };
}
