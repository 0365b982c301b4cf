// Local S3 (path-style GetObject) and SSM (JSON 1.1 GetParameters) endpoints that speak just
// enough of the wire protocols for the AWS SDK, and record what they were sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  accessKeyId?: string;
  sessionToken?: string;
  target?: string;
  body?: unknown;
}

function accessKeyOf(req: http.IncomingMessage): string | undefined {
  const m = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  return m?.[1];
}

abstract class Stub {
  protected server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      this.arrivals.push(performance.now());
      setTimeout(() => this.handle(req, Buffer.concat(parts), res), this.delayMs);
    });
  });
  seen: SeenRequest[] = [];
  /** When each request had fully arrived (performance.now()). */
  arrivals: number[] = [];
  /** Answer this much later, to see whether calls overlap. */
  delayMs = 0;
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  protected record(req: http.IncomingMessage, extra: Partial<SeenRequest> = {}): void {
    this.seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      accessKeyId: accessKeyOf(req),
      sessionToken: req.headers['x-amz-security-token'] as string | undefined,
      ...extra,
    });
  }

  protected abstract handle(
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
  ): void;
}

export class S3Stub extends Stub {
  /** "bucket/key" -> content */
  objects = new Map<string, string | Buffer>();

  protected handle(req: http.IncomingMessage, _body: Buffer, res: http.ServerResponse): void {
    this.record(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const [, bucket, ...keyParts] = url.pathname.split('/');
    const key = keyParts.map(decodeURIComponent).join('/');
    const obj = req.method === 'GET' ? this.objects.get(`${bucket}/${key}`) : undefined;
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code><Message>unsigned request</Message></Error>');
      return;
    }
    if (obj === undefined) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key}</Key></Error>`,
      );
      return;
    }
    const buf = Buffer.from(obj);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': buf.length,
      etag: '"0"',
    });
    res.end(buf);
  }
}

export class SsmStub extends Stub {
  /** parameter name -> value */
  params = new Map<string, string>();
  /** parameter name -> when it was last written (ms since epoch); default: when the stub began. */
  modified = new Map<string, number>();
  private readonly created = Date.now();

  protected handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    let parsed: { Names?: string[]; WithDecryption?: boolean } = {};
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      // Checked below.
    }
    this.record(req, { target, body: parsed });
    const fail = (type: string, message: string): void => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: type, message }));
    };
    if (target !== 'AmazonSSM.GetParameters') return fail('UnknownOperationException', target);
    if (!String(req.headers['content-type']).startsWith('application/x-amz-json-1.1')) {
      return fail('SerializationException', 'wrong content type');
    }
    if (parsed.WithDecryption !== true) {
      return fail('ValidationException', 'this stub only serves WithDecryption=true');
    }
    const names = parsed.Names ?? [];
    if (names.length < 1 || names.length > 10) {
      return fail('ValidationException', `Names must have 1 to 10 members, got ${names.length}`);
    }
    const Parameters = [];
    const InvalidParameters = [];
    for (const n of names) {
      const name = n.startsWith('arn:') ? n.replace(/^arn:[^:]+:ssm:[^:]*:\d*:parameter/, '') : n;
      const value = this.params.get(name);
      if (value === undefined) {
        InvalidParameters.push(n);
        continue;
      }
      Parameters.push({
        Name: name,
        Type: 'SecureString',
        Value: value,
        Version: 1,
        ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
        DataType: 'text',
        LastModifiedDate: (this.modified.get(name) ?? this.created) / 1000,
      });
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ Parameters, InvalidParameters }));
  }
}
