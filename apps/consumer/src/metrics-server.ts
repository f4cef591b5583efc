/** `/metrics` (Prometheus text format) and `/healthz` over node:http. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsumerError } from './errors.js';

export interface MetricsSource {
  metrics(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsServerOptions {
  /** 0 = an ephemeral port. */
  readonly port: number;
  /** Default `0.0.0.0` (scraped from other hosts/containers). */
  readonly host?: string;
  readonly metrics: MetricsSource;
  /** `/healthz` answers 200 when this says ok (default: always), 503 with the detail otherwise. */
  readonly health?: () => { readonly ok: boolean; readonly detail?: string };
}

export interface MetricsServer {
  /** The bound port (the real one when asked for 0). */
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new ConsumerError('METRICS_SERVER', `cannot serve metrics on ${host}:${options.port}: ${error.message}`, { port: options.port, host }, { cause: error, retriable: error.code === 'EADDRINUSE' }));
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function handle(options: MetricsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  if (path === '/metrics') {
    const body = await options.metrics.metrics();
    res.writeHead(200, { 'content-type': options.metrics.contentType }).end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (path === '/healthz') {
    const h = options.health?.() ?? { ok: true };
    res.writeHead(h.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' }).end(`${h.ok ? 'ok' : 'unhealthy'}${h.detail ? `: ${h.detail}` : ''}\n`);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics or /healthz\n');
}
