/**
 * A TCP proxy in front of a server, for faults the server itself cannot be asked for: every byte
 * the server sends is held for `delayMs` (a slow database, in order, nothing lost), or the proxy
 * cuts every connection and refuses new ones (a database that is gone) until `restore()`.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpFaultProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private refusing = false;
  /** Delay added to everything the server sends back. */
  delayMs = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<{ host: string; port: number }> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
    return { host: '127.0.0.1', port: address.port };
  }

  /** Cuts every connection and refuses new ones. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.refusing = false;
    this.delayMs = 0;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream);
    // Each chunk leaves delayMs after it arrived, in arrival order.
    let previous = Promise.resolve();
    upstream.on('data', (chunk: Buffer) => {
      const due = Date.now() + this.delayMs;
      previous = previous
        .then(() => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, due - Date.now()))))
        .then(() => {
          if (!client.destroyed) client.write(chunk);
        });
    });
  }
}
