// Loaded into the LibreChat process with `node --require`. It reports LibreChat's own outgoing
// work on a pipe to the handler, so that after a response has ended the handler knows whether
// LibreChat is still busy (title generation calls the model after res.end(), then writes to
// Redis and MongoDB). Reports, one per line:
// - "+<id>" / "-<id>": an outgoing HTTP request (node:http/https and fetch/undici, through
//   diagnostics_channel) started / ended, so the handler can tell work started for the current
//   request from long-lived connections opened earlier;
// - "a<time>": a client TCP/TLS socket (MongoDB, Redis, HTTP, anything) connected, wrote or
//   read, at <time> (performance.timeOrigin + performance.now(), ms). Reported at most every
//   ACTIVITY_REPORT_MS, always with the time of the latest activity.
import diagnosticsChannel from 'node:diagnostics_channel';
import net from 'node:net';
import { ACTIVITY_REPORT_MS, WORK_FD_ENV } from './work-pipe';

// This file runs inside LibreChat, not in the handler: reading process.env here is how the
// handler's instructions arrive.
const fd = Number(process.env[WORK_FD_ENV]);
// Processes LibreChat starts itself (npx, MCP servers) must not pick this up.
delete process.env[WORK_FD_ENV];
if (process.env.NODE_OPTIONS) {
  process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.replace(/--require=\S*child-preload\.js/, '');
}

if (Number.isInteger(fd) && fd > 2) {
  let seq = 0;
  // The pipe is created from a descriptor, never connect()ed: it is not watched below.
  const pipe = new net.Socket({ fd, readable: false, writable: true });
  pipe.on('error', () => {
    // The handler went away: nothing left to report to.
  });
  pipe.unref();

  const ids = new WeakMap<object, number>();
  const begin = (req: object): void => {
    if (ids.has(req)) return;
    seq += 1;
    ids.set(req, seq);
    pipe.write(`+${seq}\n`);
  };
  const finish = (req: object): void => {
    const id = ids.get(req);
    if (id === undefined) return;
    ids.delete(req);
    pipe.write(`-${id}\n`);
  };
  type ReqMessage = { request: object & { once?: (ev: string, fn: () => void) => void } };
  diagnosticsChannel.subscribe('http.client.request.start', (m) => {
    const req = (m as ReqMessage).request;
    begin(req);
    req.once?.('close', () => finish(req));
  });
  diagnosticsChannel.subscribe('undici:request:create', (m) => begin((m as ReqMessage).request));
  diagnosticsChannel.subscribe('undici:request:trailers', (m) => finish((m as ReqMessage).request));
  diagnosticsChannel.subscribe('undici:request:error', (m) => finish((m as ReqMessage).request));
  // "f": LibreChat finished writing a response. The pipe is ordered, so work LibreChat starts
  // right after res.end() is reported before this line: the handler waits for it before it
  // decides whether follow-up work is running.
  diagnosticsChannel.subscribe('http.server.response.finish', () => pipe.write('f\n'));

  // Socket activity, throttled: the latest time is always reported, at most ACTIVITY_REPORT_MS late.
  let lastSent = 0;
  let latest = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    if (latest > lastSent) {
      lastSent = latest;
      pipe.write(`a${latest.toFixed(1)}\n`);
    }
  };
  const activity = (): void => {
    latest = performance.timeOrigin + performance.now();
    if (latest - lastSent >= ACTIVITY_REPORT_MS) flush();
    else if (!timer) {
      timer = setTimeout(flush, ACTIVITY_REPORT_MS);
      timer.unref();
    }
  };

  // Every client socket goes through net.Socket.prototype.connect: net.connect, tls.connect
  // (TLSSocket inherits it) and the drivers built on them. Server-side sockets (the handler's
  // own requests to LibreChat) never do, so they are not counted.
  const watched = new WeakSet<net.Socket>();
  const watch = (socket: net.Socket): void => {
    if (watched.has(socket)) return;
    watched.add(socket);
    const write = socket.write;
    socket.write = function (this: net.Socket, ...args: unknown[]) {
      activity();
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof socket.write;
    const push = socket.push;
    socket.push = function (this: net.Socket, chunk: unknown, encoding?: BufferEncoding) {
      if (chunk !== null) activity();
      return push.call(this, chunk, encoding);
    };
  };
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    watch(this);
    activity();
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
}
