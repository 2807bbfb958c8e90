// Where replay fixtures live and how they are read and written. Fixtures are histories of real
// runs (recorded by `npm run record-histories`); CI replays them against the current
// interpreter, so a change that would break runs already in flight fails the build.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { temporal } from '@temporalio/proto';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';

export const HISTORIES_DIR = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

export interface HistoryFixture {
  workflowId: string;
  history: temporal.api.history.v1.IHistory;
}

export function readHistoryFixtures(): HistoryFixture[] {
  return readdirSync(HISTORIES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      workflowId: name.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, name), 'utf8'))),
    }));
}

export function writeHistoryFixture(name: string, history: temporal.api.history.v1.IHistory): void {
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
}
