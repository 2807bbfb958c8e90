import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultBlobStoreLocation, type BlobStoreLocation } from '../config/blob-store-location.js';
import { loadSettings } from '../config/settings.js';
import { temporalConnectConfig } from '../config/temporal.js';
import { openStorage, type StorageOptions } from '../storage/open-storage.js';
import { EXIT, UserError } from '../contract/user-error.js';

/** Thrown when no Temporal server answers at the configured address; says how to start or point at one. */
export class ServerUnreachable extends UserError {
  override name = 'ServerUnreachable';
  constructor(message: string) {
    super(message, EXIT.otherEnd);
  }
}

/**
 * A connection that counts as made once its channel is ready (TCP and the HTTP/2 handshake), as
 * `untilReady` reports, without the GetSystemInfo call the SDK adds to `connect()`: a short
 * command makes only a few calls, and that one's round trip and message classes were a tenth
 * of `baton status` (docs/performance.md#cli). The client asks nothing of its answer.
 */
class ReadyConnection extends Connection {
  override async ensureConnected(): Promise<void> {
    this.ready ??= this.untilReady(Date.now() + CONNECT_TIMEOUT_MS);
    return this.ready;
  }
  private ready: Promise<void> | undefined;
}

const CONNECT_TIMEOUT_MS = 5000;

/** A client by Temporal's connection conventions, with the data converter of the deployment's blob store (BATON_BLOB_STORE, else `home`'s). */
export async function connectClient(home: string, storageOptions: StorageOptions = {}): Promise<Client> {
  const { connectionOptions, namespace } = temporalConnectConfig();
  let connection: Connection;
  try {
    connection = await ReadyConnection.connect({ ...connectionOptions, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw new ServerUnreachable(
      `Cannot reach Temporal at ${connectionOptions.address}: ${(error as Error).message}\n` +
        `Start the local stack with 'baton up', or set TEMPORAL_ADDRESS to a running server.`,
    );
  }
  return new Client({ connection, namespace, dataConverter: (await openStorage(storageLocation(home), storageOptions)).dataConverter });
}

/** The deployment's blob store: BATON_BLOB_STORE, else `home`'s directory. */
export function storageLocation(home: string): BlobStoreLocation {
  const settings = loadSettings();
  // Every caller passes the settings' home; another home means that home's own directory store.
  return resolve(home) === settings.home ? settings.blobStore : defaultBlobStoreLocation(home);
}
