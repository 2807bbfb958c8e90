/**
 * The run's page in the Temporal UI. Known only for a local server, whose UI listens on the
 * gRPC port + 1000 (the dev server's default, which `baton up` keeps).
 */
export function uiLink(target: { connectionOptions: { address?: string }; namespace: string }, workflowId: string): string | null {
  const address = target.connectionOptions.address ?? '';
  const match = /^(localhost|127\.0\.0\.1):(\d+)$/.exec(address);
  if (!match) return null;
  const uiPort = Number(match[2]) + 1000;
  return `http://localhost:${uiPort}/namespaces/${encodeURIComponent(target.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
