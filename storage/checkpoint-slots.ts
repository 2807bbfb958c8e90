// Named, overwritable records: where each agent's latest checkpoint reference is written before
// its next model call. Heartbeats carry the same reference, but Temporal sends them
// asynchronously (up to a second later), so a worker killed right after a turn could lose the
// last one; a retried attempt reads both and resumes from the further of the two.
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CheckpointSlots {
  write(name: string, record: string): Promise<void>;
  /** Null when nothing was written under `name`. */
  read(name: string): Promise<string | null>;
  remove(name: string): Promise<void>;
}

/** A directory of small files, `$BATON_HOME/checkpoints` by default; an S3 store has S3CheckpointSlots. */
export class LocalCheckpointSlots implements CheckpointSlots {
  constructor(private readonly dir: string) {}

  async write(name: string, record: string): Promise<void> {
    const file = this.fileOf(name);
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so a reader never sees half a record.
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, record);
    await rename(temp, file);
  }

  async read(name: string): Promise<string | null> {
    try {
      return await readFile(this.fileOf(name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(name: string): Promise<void> {
    // unlink, not rm: one system call, where rm first checks the path synchronously.
    await unlink(this.fileOf(name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private fileOf(name: string): string {
    // Names come from workflow and activity ids; keep them one safe path segment.
    return join(this.dir, `${encodeURIComponent(name).replace(/%/g, '_')}.json`);
  }
}
