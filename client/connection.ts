import { Client, Connection } from '@temporalio/client';
import { temporalConnectConfig } from '../config/temporal.js';
import { batonDataConverter, defaultBlobStore } from '../storage/data-converter.js';

/** A client by Temporal's connection conventions, with Baton's data converter for `home`'s blob store. */
export async function connectClient(home: string): Promise<Client> {
  const { connectionOptions, namespace } = temporalConnectConfig();
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5000 });
  } catch (error) {
    throw new Error(
      `Cannot reach Temporal at ${connectionOptions.address}: ${(error as Error).message}\n` +
        `Start the local stack with 'baton up', or set TEMPORAL_ADDRESS to a running server.`,
    );
  }
  return new Client({ connection, namespace, dataConverter: batonDataConverter(defaultBlobStore(home)) });
}
