/**
 * Runs the model server on its own, for the offline demo and end-to-end tests:
 *
 *   node dist/test/model-server/main.js [--port N] [--responder echo|demo] [--api-key KEY]
 *
 * Prints `MODEL_SERVER_URL=<url>` on stdout once listening; logs each request on stderr;
 * exits on SIGTERM or SIGINT. This is an offline test model, not Claude.
 */
import { parseArgs } from 'node:util';
import { namedResponders, type ResponderName } from './responders.js';
import { startModelServer } from './server.js';

// 1. Read the flags.
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    responder: { type: 'string', default: 'echo' },
    'api-key': { type: 'string' },
  },
  strict: true,
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  process.exit(2);
}
if (!(values.responder in namedResponders)) {
  console.error(`--responder must be one of ${Object.keys(namedResponders).join(', ')}, got "${values.responder}"`);
  process.exit(2);
}

// 2. Start the server and announce its URL on one line a parent process can wait for.
const server = await startModelServer({
  port,
  responder: namedResponders[values.responder as ResponderName],
  apiKey: values['api-key'],
  log: (line) => console.error(`[model-server] ${line}`),
});
console.log(`MODEL_SERVER_URL=${server.url}`);

// 3. Stop cleanly when asked.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
