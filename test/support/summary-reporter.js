// A Jest reporter for CI: when OTKLIK_TEST_SUMMARY names a file, it writes the counts there as
// JSON, so `.ci/run` prints its own "N passed, N failed" line without parsing Jest's console
// output. A file that fails to load (syntax error, missing module) has no test counted, so it
// is reported as one failure of its own.
const fs = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const target = process.env.OTKLIK_TEST_SUMMARY;
    if (!target) return;
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suites: results.numTotalTestSuites,
    };
    fs.writeFileSync(target, JSON.stringify(summary));
  }
}

module.exports = SummaryReporter;
