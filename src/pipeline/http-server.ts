import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Component } from '../core/lifecycle.ts';

/**
 * Serves the API. Shutdown stops accepting connections, lets in-flight requests finish (an ingest
 * answers only once its events are stored) and cuts what is still open at the deadline.
 */
export class HttpServer implements Component {
  readonly name = 'http';
  private readonly server: Server;
  private closing: Promise<void> | null = null;

  constructor(
    app: RequestListener,
    private readonly options: { host: string; port: number; requestTimeout: number },
  ) {
    this.server = createServer(
      { requestTimeout: options.requestTimeout, headersTimeout: Math.min(options.requestTimeout, 20_000) },
      app,
    );
    this.server.keepAliveTimeout = 5000;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** The bound address, e.g. `http://127.0.0.1:8080` (port 0 in config picks a free one). */
  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) return `http://${this.options.host}:${this.options.port}`;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  shutdown(deadline: number): Promise<void> {
    return (this.closing ??= this.closeBy(deadline));
  }

  private async closeBy(deadline: number): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), Math.max(0, deadline - Date.now()));
    try {
      await closed;
    } finally {
      clearTimeout(timer);
    }
  }
}
