// The same definition objects as @temporalio/workflow's defineQuery / defineSignal / defineUpdate
// (plain `{ type, name }`; the type parameters are compile-time brands only). The definition
// files use these because clients import them too, and loading @temporalio/workflow would add
// about 25 ms to every short CLI command (bench:cli).
import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '@temporalio/common';

export function defineQuery<Ret, Args extends unknown[] = []>(name: string): QueryDefinition<Ret, Args> {
  return { type: 'query', name } as QueryDefinition<Ret, Args>;
}

export function defineSignal<Args extends unknown[] = []>(name: string): SignalDefinition<Args> {
  return { type: 'signal', name } as SignalDefinition<Args>;
}

export function defineUpdate<Ret, Args extends unknown[] = []>(name: string): UpdateDefinition<Ret, Args> {
  return { type: 'update', name } as UpdateDefinition<Ret, Args>;
}
