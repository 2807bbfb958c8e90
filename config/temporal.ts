import { loadClientConnectConfig } from '@temporalio/envconfig';

export const LOCAL_TEMPORAL_ADDRESS = 'localhost:7233';

/**
 * Where Temporal is, by Temporal's own conventions (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TLS settings, profiles in temporal.toml). Defaults to the local stack.
 */
export function temporalConnectConfig() {
  const config = loadClientConnectConfig();
  const address = config.connectionOptions.address ?? LOCAL_TEMPORAL_ADDRESS;
  return {
    connectionOptions: { ...config.connectionOptions, address },
    namespace: config.namespace ?? 'default',
  };
}
