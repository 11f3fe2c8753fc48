// One sweep from GET /api/sweeps/:id: a grid of parameter sets × seeds coloured by verdict, each
// cell linking to its run, the pass rate per parameter set, and the failing runs with their
// reproduce commands. Refreshes every few seconds until the sweep has ended.
const token = new URLSearchParams(location.search).get('token');
const headers = token ? { authorization: `Bearer ${token}` } : {};
const sweepId = location.pathname.split('/').pop();
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const LETTER = { PASSED: 'P', FAILED: 'F', ERROR: 'E', INCOMPLETE: 'I', RESUMABLE: 'I', RUNNING: 'R', PENDING: '·' };

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function row(...cells) {
  const tr = el('tr');
  tr.append(...cells.map((c) => (c instanceof Node ? c : el('td', String(c)))));
  return tr;
}

function render(sweep) {
  $('title').textContent = `sweep ${sweep.sweepId} · ${sweep.scenario}`;
  $('progress').textContent = `${sweep.state} · ${sweep.ended} of ${sweep.total} runs ended · ${sweep.passed} passed`;
  const params = [...new Set(sweep.runs.map((r) => r.params))];
  const seeds = [...new Set(sweep.runs.map((r) => r.seed))].sort((a, b) => a - b);
  const byKey = new Map(sweep.runs.map((r) => [`${r.params}\u0000${r.seed}`, r]));
  const header = row(el('th', 'parameters \\ seed'), ...seeds.map((s) => el('th', String(s))));
  const lines = params.map((p) =>
    row(
      el('td', p),
      ...seeds.map((s) => {
        const r = byKey.get(`${p}\u0000${s}`);
        const td = el('td', undefined, `seed ${r ? r.verdict : ''}`);
        if (!r) return td;
        const a = el(r.runId ? 'a' : 'span', LETTER[r.verdict] ?? '?');
        if (r.runId) a.href = `/admin/runs/${r.runId}${location.search}`;
        a.title = `seed ${s} · ${p} · ${r.verdict}${r.failedGates?.length ? `\n${r.failedGates.join('\n')}` : ''}`;
        td.dataset.verdict = r.verdict;
        td.append(a);
        return td;
      }),
    ),
  );
  $('grid').replaceChildren(header, ...lines);
  $('rates').replaceChildren(
    ...sweep.passRates.map((p) => row(p.params, p.passed, p.runs, `${(p.rate * 100).toFixed(1)}%`)),
  );
  const failing = sweep.runs.filter((r) => !['PASSED', 'RUNNING', 'PENDING'].includes(r.verdict));
  $('failures').replaceChildren(
    ...failing.map((r) =>
      row(r.seed, r.params, r.verdict, (r.failedGates ?? []).join('; ') || r.error || '', el('td', r.reproduce ?? '')),
    ),
  );
}

async function refresh() {
  try {
    const res = await fetch(`/api/sweeps/${encodeURIComponent(sweepId)}`, { headers });
    const body = await res.json();
    if (!res.ok) throw new Error(`${body.error?.code}: ${body.error?.message}`);
    render(body);
    $('message').textContent = '';
    return body.state === 'running' || body.ended < body.total;
  } catch (err) {
    $('message').textContent = err.message;
    return true;
  }
}

const timer = setInterval(async () => {
  if (!(await refresh())) clearInterval(timer);
}, 2000);
await refresh();
