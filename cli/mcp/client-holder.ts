// One Temporal client for the life of `baton mcp`, made at the first tool call that needs it.
// A server that is not up yet is an error of that call only: the next call tries again, so
// starting the stack after Claude Code started the MCP server needs no restart.
import type { Client } from '@temporalio/client';
import { connectClient } from '../../client/connection.js';
import { loadSettings } from '../../config/settings.js';

export class ClientHolder {
  private client: Promise<Client> | null = null;

  get(): Promise<Client> {
    if (!this.client) {
      const connecting = connectClient(loadSettings().home);
      this.client = connecting;
      connecting.catch(() => {
        if (this.client === connecting) this.client = null;
      });
    }
    return this.client;
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => null);
    await client?.connection.close();
  }
}
