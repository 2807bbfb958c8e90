// One task at a time per key, in the order they were asked for: git writes shared files of a
// repository (its worktree list, refs, lock files), so concurrent agents on this worker take
// turns on one repository rather than fail on git's locks.
const queues = new Map<string, Promise<unknown>>();

export function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const next = (queues.get(key) ?? Promise.resolve()).then(task, task);
  const tail = next.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return next;
}
