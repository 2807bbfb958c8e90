import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BlobStoreLocation } from '../../config/blob-store-location.js';
import { loadSettings } from '../../config/settings.js';
import { codecAuth } from '../../storage/codec-auth.js';
import { DEFAULT_REQUESTS_PER_MINUTE, startCodecServer, type RunningCodecServer } from '../../storage/codec-server.js';
import { openStorage } from '../../storage/open-storage.js';
import { CliError } from '../exit-codes.js';
import { codecGuard, type CodecGuard, type CodecGuardFlags } from './codec-server-guard.js';

/** Next to the local UI's default port 8233; `baton up` uses the UI's port + 1. */
export const DEFAULT_CODEC_PORT = 8234;

/** The origins a UI on `uiPort` of this machine calls from. */
export function localUiOrigins(uiPort: number): string[] {
  return [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`];
}

interface CodecServerFlags extends CodecGuardFlags {
  port: number;
  uiOrigin: string[];
  pidFile?: string;
  allowEncode?: boolean;
  rateLimit: number;
}

export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description(
      "Temporal's Codec Server protocol (POST /decode, /encode) over the blob store, so the Temporal UI and `temporal --codec-endpoint` show payloads in full",
    )
    .option('--port <port>', 'HTTP port', parsePort, DEFAULT_CODEC_PORT)
    .option('--host <address>', 'address to listen on; any but loopback needs --auth-token-file or --jwks-url', '127.0.0.1')
    .option(
      '--ui-origin <origin>',
      'origin of a Temporal UI page that may call it, e.g. https://temporal.example.com (repeatable; default the local UI on :8233)',
      collect,
      [],
    )
    .option('--auth-token-file <file>', 'let in requests with Authorization: Bearer TOKEN, TOKEN one of the lines of FILE')
    .option(
      '--jwks-url <url>',
      'let in the access token the Temporal UI forwards (its codec setting "pass access token"): a JWT signed by a key at URL (the identity provider\'s JWKS)',
    )
    .option('--audience <aud>', 'with --jwks-url: the audience (aud) the access tokens must be issued for')
    .option('--issuer <iss>', 'with --jwks-url: the issuer (iss) they must come from')
    .option('--allow-encode', 'serve POST /encode too (it writes into the blob store); off by default')
    .option('--rate-limit <n>', 'requests a minute each client address may make', parseCount, DEFAULT_REQUESTS_PER_MINUTE)
    .option(
      '--insecure-no-auth',
      'serve a --host other than loopback without authentication: only where nothing but this machine reaches the port (deploy/compose.yaml publishes it on 127.0.0.1)',
    )
    .option(
      '--pid-file <file>',
      'write this process id to FILE once it listens (baton up does, so two at once never leave the file naming one that lost the port)',
    )
    .action(async (flags: CodecServerFlags) => {
      const origins = flags.uiOrigin.length > 0 ? flags.uiOrigin : localUiOrigins(8233);
      for (const origin of origins) if (!URL.canParse(origin)) throw new CliError(`--ui-origin takes an origin such as http://localhost:8233, not ${origin}`);
      const guard = codecGuard(flags);
      const server = await serveCodec(loadSettings().blobStore, {
        port: flags.port,
        host: flags.host,
        origins,
        guard,
        allowEncode: flags.allowEncode === true,
        requestsPerMinute: flags.rateLimit,
      });
      if (flags.pidFile) writeFileSync(flags.pidFile, `${process.pid}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve).once('SIGTERM', resolve);
      });
      await server.close();
    });
}

/**
 * Starts the codec server over `location` and says where and who may call it; shared by
 * `baton codec-server` and `baton server`. Without a guard it serves loopback only.
 */
export async function serveCodec(
  location: BlobStoreLocation,
  options: { port: number; host?: string; origins: string[]; guard?: CodecGuard; allowEncode?: boolean; requestsPerMinute?: number },
): Promise<RunningCodecServer> {
  const guard = options.guard ?? { description: 'no authentication, so loopback only (--auth-token-file or --jwks-url to serve other machines)' };
  const storage = await openStorage(location);
  await storage.check();
  let server: RunningCodecServer;
  try {
    server = await startCodecServer({
      storage,
      port: options.port,
      host: options.host,
      allowedOrigins: options.origins,
      auth: guard.auth ? codecAuth(guard.auth) : undefined,
      unauthenticated: guard.unauthenticated,
      allowEncode: options.allowEncode,
      requestsPerMinute: options.requestsPerMinute,
      log: (line) => console.error(line),
    });
  } catch (error) {
    storage.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new CliError(`port ${options.port} is in use; pick another with --port (or --codec-port)`);
    throw error;
  }
  const routes = options.allowEncode ? 'POST /decode, /encode' : 'POST /decode; /encode off, --allow-encode serves it';
  console.error(
    `baton codec-server: ${server.url} (${routes}), payloads from ${storage.description}, for pages of ${options.origins.join(', ')}; ${guard.description}`,
  );
  return {
    url: server.url,
    close: async () => {
      await server.close();
      storage.close();
    },
  };
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(`not a port: ${value}`);
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--rate-limit takes a whole number of requests a minute, not ${value}`);
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
