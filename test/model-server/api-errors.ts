/** Thrown by the validators when a request breaks a rule the real API enforces; answered with 400. */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError';
}

/** The JSON body of every API error response. */
export interface ErrorPayload {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

export function errorPayload(type: string, message: string, requestId: string): ErrorPayload {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/**
 * Thrown when a responder throws or scripts a turn the real model could not produce (a tool the
 * request does not offer, a call tool_choice forbids). Answered 500 with `x-should-retry: false`
 * so the SDK fails fast and the test shows the cause instead of retrying.
 */
export class ResponderError extends Error {
  override name = 'ResponderError';
}
