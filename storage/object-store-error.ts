import { EXIT, UserError } from '../contract/user-error.js';

/** Thrown when the object store refuses or cannot be reached; the message names the object and the likely fix. */
export class ObjectStoreError extends UserError {
  override name = 'ObjectStoreError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, EXIT.otherEnd, options);
  }
}
