// Loaded into the LibreChat process with `node --require`. It watches LibreChat's own outgoing
// HTTP requests (node:http/https and fetch/undici, through diagnostics_channel) and reports them
// on a pipe to the handler. That is how the handler knows, after a response has ended,
// whether LibreChat still has work in flight (title generation calls the model after res.end()).
// Each request is reported as "+<id>" when it starts and "-<id>" when it ends, so the handler
// can tell work started for the current request from long-lived connections opened earlier.
import diagnosticsChannel from 'node:diagnostics_channel';
import net from 'node:net';
import { WORK_FD_ENV } from './work-pipe';

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
}
