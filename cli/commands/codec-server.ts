import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BlobStoreLocation } from '../../config/blob-store-location.js';
import { loadSettings } from '../../config/settings.js';
import { startCodecServer, type RunningCodecServer } from '../../storage/codec-server.js';
import { openStorage } from '../../storage/open-storage.js';
import { CliError } from '../exit-codes.js';

/** Next to the local UI's default port 8233; `baton up` uses the UI's port + 1. */
export const DEFAULT_CODEC_PORT = 8234;

/** The origins a UI on `uiPort` of this machine calls from. */
export function localUiOrigins(uiPort: number): string[] {
  return [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`];
}

export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description("Temporal's Codec Server protocol (POST /decode, /encode) over the blob store, so the Temporal UI and `temporal --codec-endpoint` show payloads in full")
    .option('--port <port>', 'HTTP port', parsePort, DEFAULT_CODEC_PORT)
    .option('--host <address>', 'address to listen on; 0.0.0.0 serves other machines (put it behind the same access control as the UI)', '127.0.0.1')
    .option('--ui-origin <origin>', 'origin of a Temporal UI page that may call it, e.g. https://temporal.example.com (repeatable; default the local UI on :8233)', collect, [])
    .option('--pid-file <file>', 'write this process id to FILE once it listens (baton up does, so two at once never leave the file naming one that lost the port)')
    .action(async (flags: { port: number; host: string; uiOrigin: string[]; pidFile?: string }) => {
      const origins = flags.uiOrigin.length > 0 ? flags.uiOrigin : localUiOrigins(8233);
      for (const origin of origins) if (!URL.canParse(origin)) throw new CliError(`--ui-origin takes an origin such as http://localhost:8233, not ${origin}`);
      const server = await serveCodec(loadSettings().blobStore, { port: flags.port, host: flags.host, origins });
      if (flags.pidFile) writeFileSync(flags.pidFile, `${process.pid}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve).once('SIGTERM', resolve);
      });
      await server.close();
    });
}

/** Starts the codec server over `location` and says where; shared by `baton codec-server` and `baton server`. */
export async function serveCodec(
  location: BlobStoreLocation,
  options: { port: number; host?: string; origins: string[] },
): Promise<RunningCodecServer> {
  const storage = await openStorage(location);
  await storage.check();
  let server: RunningCodecServer;
  try {
    server = await startCodecServer({ storage, port: options.port, host: options.host, allowedOrigins: options.origins, log: (line) => console.error(line) });
  } catch (error) {
    storage.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${options.port} is in use; pick another with --port (or --codec-port)`);
    throw error;
  }
  console.error(`baton codec-server: ${server.url} (POST /decode, /encode), payloads from ${storage.description}, for pages of ${options.origins.join(', ')}`);
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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
