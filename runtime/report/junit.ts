// JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters): one test suite per run (a
// sweep's document holds a suite per run), one test case per gate. A failed gate is a <failure>
// with its worst value and window; a gate never judged is a <failure> too when it is critical and
// not optional (it fails the run), else <skipped> with the reason, as is a gate that cannot apply
// (n/a).
import { unjudgedFailsRun } from '../invariants/invariant-checker.js';
import type { RunSummary } from '../run/run-summary.js';

const xml = (v: unknown) => String(v).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One run as a JUnit document. */
export function renderJUnit(s: RunSummary): string {
  return renderJUnitRuns([s]);
}

/** Several runs (a sweep's) in one document, a test suite each. */
export function renderJUnitRuns(runs: readonly RunSummary[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
${runs.map(testSuite).join('\n')}
</testsuites>
`;
}

function testSuite(s: RunSummary): string {
  const cases = s.invariants.map((g) => {
    const name = `${g.id} (${g.severity}) ${g.operator} ${g.threshold}`;
    let body = '';
    if (g.verdict === 'fail') {
      const worst = g.worst ? `worst ${g.worst.observed} at sim ${g.worst.atSimMs} ms` : '';
      body = `<failure message="${xml(`observed ${g.observed} (${worst}), gate ${g.operator} ${g.threshold}`)}" type="${xml(g.severity)}"/>`;
    } else if (unjudgedFailsRun(g)) {
      body = `<failure message="${xml(`not evaluated: ${g.reason}`)}" type="not-evaluated"/>`;
    } else if (g.verdict === 'not-evaluated' || g.verdict === 'n/a') {
      body = `<skipped message="${xml(g.reason ?? g.verdict)}"/>`;
    }
    return `    <testcase classname="${xml(`${s.pack}.${s.scenario}`)}" name="${xml(name)}">${body}</testcase>`;
  });
  const failures = s.invariants.filter((g) => g.verdict === 'fail' || unjudgedFailsRun(g)).length;
  const skipped = s.invariants.filter(
    (g) => g.verdict === 'n/a' || (g.verdict === 'not-evaluated' && !unjudgedFailsRun(g)),
  ).length;
  return `  <testsuite name="${xml(`tickwork ${s.scenario} seed ${s.seed}`)}" tests="${s.invariants.length}" failures="${failures}" skipped="${skipped}" time="${(s.wallMs / 1000).toFixed(3)}">
    <properties><property name="runId" value="${xml(s.runId)}"/><property name="digest" value="${xml(s.digest)}"/><property name="reproduce" value="${xml(s.reproduce)}"/></properties>
${cases.join('\n')}
  </testsuite>`;
}
