// A TCP proxy that can go silent: after freeze(), the connections it carries stay open but nothing passes in
// either direction, like a network path that died without a FIN or RST. Connections made later pass again.

import net from 'node:net';

export async function tcpProxy(targetPort) {
  const live = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, frozen: false };
    live.add(pair);
    const forward = (from, to) => from.on('data', (chunk) => { if (!pair.frozen) to.write(chunk); });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => { client.destroy(); upstream.destroy(); live.delete(pair); };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    // Stops forwarding on every connection open now (they stay open).
    freeze: () => { for (const pair of live) pair.frozen = true; },
    close: () => new Promise((resolve) => {
      for (const pair of live) { pair.client.destroy(); pair.upstream.destroy(); }
      server.close(() => resolve());
    }),
  };
}
