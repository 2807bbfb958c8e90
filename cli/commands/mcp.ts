import type { Command } from 'commander';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('an MCP server on stdio (for Claude Code): baton_run, baton_status, baton_result, baton_stop, baton_list, baton_approve')
    .action(async () => {
      // stdout carries the protocol: a stray console.log from any module would corrupt it.
      console.log = console.error;
      console.info = console.error;
      const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
      const { batonMcpServer } = await import('../mcp/mcp-server.js');
      const { ClientHolder } = await import('../mcp/client-holder.js');
      const clients = new ClientHolder();
      const server = batonMcpServer(clients);
      const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
      await server.connect(new StdioServerTransport());
      // The client ends the session by closing stdin (MCP's stdio transport).
      process.stdin.once('end', () => void server.close());
      await closed;
      await clients.close();
    });
}
