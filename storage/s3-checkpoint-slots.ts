// Checkpoint slots as objects: each agent attempt's latest checkpoint record, overwritten after
// every completed turn and deleted when the agent ends, readable by a worker on any host.
// S3 gives read-after-write consistency for a single key, so a retry on another worker sees
// the last record written before the crash.
import type { CheckpointSlots } from './checkpoint-slots.js';
import type { S3Objects } from './s3-objects.js';

export class S3CheckpointSlots implements CheckpointSlots {
  /** `folder` is the part of the key between the deployment's prefix and the slot's name, ending in '/'. */
  constructor(
    private readonly objects: S3Objects,
    private readonly folder: string,
  ) {}

  async write(name: string, record: string): Promise<void> {
    await this.objects.put(this.keyOf(name), Buffer.from(record, 'utf8'));
  }

  async read(name: string): Promise<string | null> {
    const bytes = await this.objects.get(this.keyOf(name));
    return bytes === null ? null : Buffer.from(bytes).toString('utf8');
  }

  async remove(name: string): Promise<void> {
    await this.objects.delete(this.keyOf(name));
  }

  private keyOf(name: string): string {
    // Names are `workflowId/runId/activityId`; each part is kept one key segment.
    return this.objects.keyOf(`${this.folder}${name.split('/').map(encodeURIComponent).join('/')}`);
  }
}
