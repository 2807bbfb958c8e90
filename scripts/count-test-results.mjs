// Prints `N passed, M failed` from vitest's JSON report: the line CI reads. A file that failed
// to load counts as one failure, so a broken suite can never read as green.
import { readFileSync, existsSync } from 'node:fs';

const file = process.argv[2];
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
let passed = 0;
let failed = 0;
for (const suite of report.testResults ?? []) {
  const tests = suite.assertionResults ?? [];
  // A suite can fail outside its tests (a file that does not load, a hook that times out).
  if (suite.status === 'failed' && !tests.some((test) => test.status === 'failed')) failed += 1;
  for (const test of tests) {
    if (test.status === 'passed') passed += 1;
    else if (test.status === 'failed') failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
