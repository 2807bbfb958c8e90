/**
 * A local Anthropic-compatible Messages API server for tests and the offline demo: strict about
 * the wire format like the real API, with scripted model turns. Point the SDK at `server.url`.
 */
export { OFFERED_MODELS, startModelServer } from './server.js';
export type { ListedModel, ModelServer, ModelServerOptions, RecordedRequest, ReplySummary } from './server.js';
export { badRequest, overloaded, rateLimited, reply, serverError, structured, text, toolUse, webFetch, webSearch } from './replies.js';
export type { ContentReply, ErrorReply, Reply, ResetReply, StallReply } from './replies.js';
export { demoResponder, echoResponder, manyTurnsResponder, namedResponders, scripted } from './responders.js';
export type { Responder, ResponderContext, ResponderName } from './responders.js';
export { fakeFromSchema } from './fake-from-schema.js';
export { completedTurnsAskedAgain, firstUserContext, firstUserText, hasTool, lastUserText, previousToolUses, toolResults } from './inspect-request.js';
export { LOOKBACK_BLOCKS, MIN_CACHEABLE_TOKENS, tokensFor } from './usage.js';
export type * from './wire-types.js';
