// How a worker reaches the model provider: its own file so the activity and the model listing
// (provider-models.ts) share it without importing each other.
export interface AnthropicAccess {
  /** Never logged, never returned, never passed to a tool. */
  apiKey?: string;
  baseURL?: string;
  /**
   * @deprecated Ignored: the SDK never retries (its client has `maxRetries: 0`); the activity
   * owns the retry policy (`ActivitiesConfig.providerRetry`, provider-retry.ts).
   */
  maxRetries?: number;
}
