// Prints a plain `N passed, N failed` line that CI reads; a run that executes no test shows `0 passed`.
import type { Reporter, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that failed to load or whose setup hook threw counts as a failure even with no failed test.
      if (mod.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
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
