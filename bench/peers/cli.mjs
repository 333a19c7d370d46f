// Command line and lifecycle shared by the Node peers: `--port P` (0: any free port) and `--host H`
// (127.0.0.1), the one ready line the benchmark scripts wait for, and a clean exit on SIGTERM/SIGINT.

export function parseArgs(argv = process.argv.slice(2)) {
  const options = { host: '127.0.0.1', port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--port' && value !== undefined) options.port = Number(argv[++i]);
    else if (argv[i] === '--host' && value !== undefined) options.host = argv[++i];
    else {
      console.error(`usage: node ${process.argv[1]} [--port P] [--host H]`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    console.error(`bad --port: ${options.port}`);
    process.exit(2);
  }
  return options;
}

// Exactly one line on stdout, read by bench/run.sh and check.mjs to learn the port.
export function announce(name, host, port) {
  process.stdout.write(`${name} listening on ${host}:${port}\n`);
}

// `stop` closes the listener; the process exits at once either way: open connections are not drained, the
// load generator has finished with them when it stops a server.
export function exitOnSignal(stop = () => {}) {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      stop();
      process.exit(0);
    });
  }
}
