// Polls until a probe returns something truthy: tests wait for what a user would see (a run's
// status, a model call, a file) rather than sleeping for a guessed time.

export type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

/** The probe's first truthy value; throws `timed out waiting for WHAT` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000, everyMs = 100): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
