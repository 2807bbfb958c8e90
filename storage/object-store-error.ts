/** Thrown when the object store refuses or cannot be reached; the message names the object and the likely fix. */
export class ObjectStoreError extends Error {
  override name = 'ObjectStoreError';
}
