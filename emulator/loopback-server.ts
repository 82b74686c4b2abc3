import type { Server } from 'node:http';

/** A stand-in's HTTP server, listening on a free 127.0.0.1 port. */
export interface LoopbackServer {
  readonly url: string;
  /** Closes it, open connections included (the SDK keeps them alive). */
  stop(): Promise<void>;
}

export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolveListen) =>
    server.listen(0, '127.0.0.1', () => {
      resolveListen();
    }),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => {
          resolveClose();
        });
      }),
  };
}
