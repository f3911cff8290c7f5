// Prints a plain `N passed, N failed` line that CI reads; a run that executes no test shows `0 passed`.
import type { Reporter, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    const label = process.env.WENMING_TEST_LABEL ? `${process.env.WENMING_TEST_LABEL}: ` : '';
    const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${label}${line}\n`);
    if (process.env.WENMING_COUNT_FILE) {
      // test-all.mjs sums the runs (SQLite, PostgreSQL, browser) into one closing line.
      import('node:fs').then((fs) => fs.appendFileSync(process.env.WENMING_COUNT_FILE!, `${passed} ${failed} ${skipped}\n`));
    }
  }
}
