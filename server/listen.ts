// Binding an Express app to a port and closing it again, for the control server and pack services.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type express from 'express';

export interface Listening {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(app: express.Express, host: string, port: number): Promise<Listening> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  // Idle keep-alive connections live longer than a client's reuse window: with Node's 5 s the
  // server can close a socket just as a client (a proxy, a browser, fetch) sends on it again, and
  // that request fails with a reset. 65 s is what load balancers expect (their idle timeout is 60 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
