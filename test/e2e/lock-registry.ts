// A loopback npm registry for the package test: it serves, for every package in
// package-lock.json, the locked versions as a packument, and their tarballs out of the local npm
// cache (by integrity). So `npm install -g baton-*.tgz` resolves the same versions as the lock and
// sends nothing off the machine; a tarball the cache lacks is a 404, never a download.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  [key: string]: unknown;
}

const MANIFEST_KEYS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'license'];

export interface LockRegistry {
  url: string;
  /** Tarballs asked for (npm found the rest in its own cache). */
  served: string[];
  close(): Promise<void>;
}

/**
 * `overrides` (package.json's, `{ name: version }`) are applied to the served ranges, as npm
 * applies them when it makes the lock: an override in a package's own package.json binds only
 * its own installs, so the installed tree would otherwise want versions the lock never held.
 */
export async function startLockRegistry(lockFile: string, npmCache: string, overrides: Record<string, string> = {}): Promise<LockRegistry> {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages: Record<string, LockEntry> };
  const packuments = new Map<string, { versions: Record<string, unknown>; integrity: Map<string, string> }>();
  let url = '';
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.link || !entry.version || !entry.integrity) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const doc = packuments.get(name) ?? { versions: {}, integrity: new Map() };
    packuments.set(name, doc);
    const manifest: Record<string, unknown> = { name, version: entry.version };
    for (const key of MANIFEST_KEYS) if (entry[key] !== undefined) manifest[key] = entry[key];
    for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      const ranges = manifest[key] as Record<string, string> | undefined;
      if (ranges) manifest[key] = Object.fromEntries(Object.entries(ranges).map(([dep, range]) => [dep, overrides[dep] ?? range]));
    }
    manifest.dist = { integrity: entry.integrity, tarball: `__URL__/-/${encodeURIComponent(name)}/${entry.version}.tgz` };
    (doc.versions as Record<string, unknown>)[entry.version] = manifest;
    doc.integrity.set(entry.version, entry.integrity);
  }
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
    const tarball = /^-\/(.+)\/([^/]+)\.tgz$/.exec(path);
    if (tarball) {
      const integrity = packuments.get(tarball[1]!)?.integrity.get(tarball[2]!);
      const file = integrity ? cachedContent(npmCache, integrity) : null;
      if (!file) return void res.writeHead(404).end();
      served.push(`${tarball[1]}@${tarball[2]}`);
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void createReadStream(file).pipe(res);
    }
    const doc = packuments.get(path);
    if (!doc) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    const versions = Object.keys(doc.versions);
    const body = JSON.stringify({ name: path, 'dist-tags': { latest: versions[versions.length - 1] }, versions: doc.versions }).replaceAll('__URL__', url);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, served, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Where npm's cache (cacache) keeps the content with this integrity, if it has it. */
function cachedContent(cache: string, integrity: string): string | null {
  const [algorithm, digest] = integrity.split(' ')[0]!.split('-') as [string, string];
  const hex = Buffer.from(digest, 'base64').toString('hex');
  const file = join(cache, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  return existsSync(file) ? file : null;
}
