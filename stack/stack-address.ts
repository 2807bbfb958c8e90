// Where `baton up` puts the local server: --port, else the port of TEMPORAL_ADDRESS when it names
// this machine (so `baton up` and every later `baton` command agree), else 7233. A TEMPORAL_ADDRESS
// on another host is not something `baton up` can start; it says so instead of waiting for it.
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);

export function upPort(flagPort: number | undefined, temporalAddress: string | undefined, defaultPort: number): number | { problem: string } {
  if (!temporalAddress) return flagPort ?? defaultPort;
  const match = /^(.*):(\d+)$/.exec(temporalAddress.trim());
  const host = match ? match[1]! : temporalAddress.trim();
  const port = match ? Number(match[2]) : 7233;
  if (!LOCAL_HOSTS.has(host)) {
    return {
      problem:
        `TEMPORAL_ADDRESS is ${temporalAddress}, a server on another host, which 'baton up' cannot start. ` +
        "Run 'baton worker' against it, or unset TEMPORAL_ADDRESS to start a local stack.",
    };
  }
  if (flagPort !== undefined && flagPort !== port) {
    return { problem: `--port ${flagPort} and TEMPORAL_ADDRESS ${temporalAddress} disagree; pass one of them.` };
  }
  return port;
}
