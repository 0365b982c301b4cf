// Replays a recorded response body into sse.js 2.5.0 (the parser LibreChat's web client uses)
// through a minimal XMLHttpRequest stand-in that behaves like the browser's: readyState
// changes, then one `progress` per network read with the growing responseText, then `load`.
import { StringDecoder } from 'node:string_decoder';
import { SSE } from 'sse.js';

type Listener = (e: { currentTarget: ReplayXhr; type: string }) => void;

class ReplayXhr {
  static readonly UNSENT = 0;
  static readonly OPENED = 1;
  static readonly HEADERS_RECEIVED = 2;
  static readonly LOADING = 3;
  static readonly DONE = 4;
  static current?: ReplayXhr;
  readyState = 0;
  status = 0;
  responseText = '';
  withCredentials = false;
  /** Exceptions thrown by listeners: a browser reports them and carries on with the next read. */
  listenerErrors: unknown[] = [];
  private listeners = new Map<string, Listener[]>();

  get response(): string {
    return this.responseText;
  }
  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  open(): void {
    this.readyState = ReplayXhr.OPENED;
  }
  setRequestHeader(): void {}
  send(): void {
    ReplayXhr.current = this;
  }
  abort(): void {}
  getAllResponseHeaders(): string {
    return 'content-type: text/event-stream\r\n';
  }
  emit(type: string): void {
    for (const fn of this.listeners.get(type) ?? []) {
      try {
        fn({ currentTarget: this, type });
      } catch (err) {
        this.listenerErrors.push(err);
      }
    }
  }
}

export interface ReplayResult {
  /** Parsed data of every `message` event (what LibreChat's listener gets). */
  messages: unknown[];
  /** `message` events whose data was empty. */
  emptyMessages: number;
  keepalives: number;
  /** Exceptions LibreChat's JSON.parse listener threw. */
  listenerErrors: unknown[];
}

/** Feeds `reads` (the body, one element per network read) to sse.js like a browser would. */
export function replayIntoSseJs(reads: Buffer[]): ReplayResult {
  const g = globalThis as unknown as { XMLHttpRequest?: unknown };
  const saved = g.XMLHttpRequest;
  g.XMLHttpRequest = ReplayXhr;
  try {
    const result: ReplayResult = {
      messages: [],
      emptyMessages: 0,
      keepalives: 0,
      listenerErrors: [],
    };
    const sse = new SSE('/api/agents/chat/openAI', { payload: '{}', start: false });
    // Like LibreChat's useSSE.ts: `const data = JSON.parse(e.data)`.
    sse.addEventListener('message', (e: { data: string }) => {
      if (e.data === '') result.emptyMessages += 1;
      result.messages.push(JSON.parse(e.data));
    });
    // Not in LibreChat's client: counted here only to see the keep-alives arrive.
    sse.addEventListener('keepalive', () => {
      result.keepalives += 1;
    });
    sse.stream();
    const xhr = ReplayXhr.current!;
    xhr.status = 200;
    xhr.readyState = ReplayXhr.HEADERS_RECEIVED;
    xhr.emit('readystatechange');
    const decoder = new StringDecoder('utf8');
    for (const read of reads) {
      xhr.responseText += decoder.write(read);
      xhr.readyState = ReplayXhr.LOADING;
      xhr.emit('readystatechange');
      xhr.emit('progress');
    }
    xhr.responseText += decoder.end();
    xhr.readyState = ReplayXhr.DONE;
    xhr.emit('readystatechange');
    xhr.emit('load');
    result.listenerErrors = xhr.listenerErrors;
    return result;
  } finally {
    g.XMLHttpRequest = saved;
  }
}
