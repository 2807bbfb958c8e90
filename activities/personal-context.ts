// The starter's personal context (`baton run --personal-context`) as an agent's worker gets it:
// from the run's input, inline or through the blob store. A worker never reads its own home.
import type { PersonalContext, PersonalContextRef } from '../contract/agent-context.js';
import type { BlobStore } from '../storage/blob-store.js';
import { AgentFailure } from './agent-errors.js';

// Every agent of a run asks for the same blob: a few are kept decoded.
const cache = new Map<string, PersonalContext>();
const CACHED = 8;

export async function personalContextOf(ref: PersonalContextRef | undefined, store: BlobStore | undefined): Promise<PersonalContext | null> {
  if (!ref) return null;
  if ('inline' in ref) return ref.inline;
  const hit = cache.get(ref.blob);
  if (hit) return hit;
  if (!store)
    throw new AgentFailure(
      "The run carries the starter's personal context in the blob store, and this worker has none; give it the same BATON_BLOB_STORE as the client.",
    );
  const context = JSON.parse(new TextDecoder().decode(await store.get(ref.blob))) as PersonalContext;
  cache.set(ref.blob, context);
  if (cache.size > CACHED) cache.delete(cache.keys().next().value!);
  return context;
}
