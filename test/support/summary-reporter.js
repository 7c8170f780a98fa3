/** Prints one plain closing line, `N passed, N failed, N skipped`, after Jest's own summary. */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`;
    process.stdout.write(`\njest: ${line}\n`);
  }
}
module.exports = SummaryReporter;
