// SimCRM's page: create and start a simulation, follow every simulation's ledger, and one
// simulation's segments, activities, DLQ categories and gateway (limiter, cooldown, breaker).
// Polls the runbook's routes once a second; no build step.
const token = new URLSearchParams(location.search).get('token');
const headers = token ? { Authorization: `Bearer ${token}` } : {};
const $ = (id) => document.getElementById(id);
let selected;

async function call(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const json = await res.json();
  // Error messages name their field already ("body: end_time: ...").
  if (!res.ok) throw new Error(json.error?.message ?? String(res.status));
  return json.data;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function ledgerText(m) {
  if (!m.settled) return ['settling…', 'settling'];
  return m.balanced ? ['balanced', 'balanced'] : ['NOT balanced', 'unbalanced'];
}

async function refreshList() {
  const sims = await call('GET', '/api/simulations');
  const rows = $('rows');
  const metrics = await Promise.all(sims.map((s) => call('GET', `/api/simulations/${s.id}/metrics`)));
  rows.replaceChildren();
  sims.forEach((s, i) => {
    const m = metrics[i];
    const tr = rows.insertRow();
    tr.dataset.id = s.id;
    tr.dataset.testid = `simulation-${s.id}`;
    if (s.id === selected) tr.className = 'selected';
    cell(tr, s.id);
    cell(tr, s.scenario);
    cell(tr, `${s.start_time.slice(0, 16)} → ${s.end_time.slice(0, 16)}`);
    cell(tr, s.total_records);
    cell(tr, m.status);
    cell(tr, m.ledger.generated);
    cell(tr, m.ledger.created);
    cell(tr, m.ledger.dlq);
    cell(tr, m.ledger.skipped);
    const [text, cls] = ledgerText(m);
    cell(tr, text, cls);
    tr.onclick = () => {
      selected = s.id;
      void refresh();
    };
  });
  if (selected === undefined && sims[0]) selected = sims[0].id;
}

async function refreshDetail() {
  if (selected === undefined) return;
  const [m, seg] = await Promise.all([
    call('GET', `/api/simulations/${selected}/metrics`),
    call('GET', `/api/simulations/${selected}/segments`),
  ]);
  $('detail').hidden = false;
  $('detail-title').textContent = `simulation ${selected} · ${m.status}`;
  const tiles = [
    ['generated', m.ledger.generated],
    ['created', m.ledger.created],
    ['in the DLQ', m.ledger.dlq],
    ['skipped', m.ledger.skipped],
    ['requests', m.requests],
    ['retries', m.retries],
    ['429 / throttled', m.throttled],
  ];
  $('tiles').replaceChildren(
    ...tiles.map(([label, value]) => {
      const div = document.createElement('div');
      div.className = 'tile';
      div.innerHTML = '<b></b><span></span>';
      div.querySelector('b').textContent = value;
      div.querySelector('span').textContent = label;
      return div;
    }),
  );
  $('segments').replaceChildren(
    ...seg.segments.map((s) => {
      const span = document.createElement('span');
      if (s.expanded) span.className = 'expanded';
      span.title = `${s.start} → ${s.end}${s.expanded ? `: ${s.records} records` : ': not yet expanded'}`;
      return span;
    }),
  );
  const types = $('types');
  types.replaceChildren();
  const c = types.insertRow();
  cell(c, 'contact');
  cell(c, m.primary.records);
  cell(c, m.primary.created);
  for (const t of Object.keys(m.secondary.scheduled)) {
    const r = types.insertRow();
    cell(r, t);
    cell(r, m.secondary.scheduled[t]);
    cell(r, m.secondary.created[t]);
  }
  const dlq = $('dlq');
  dlq.replaceChildren();
  for (const [category, n] of Object.entries(m.dlqByCategory)) {
    const r = dlq.insertRow();
    cell(r, category);
    cell(r, n);
  }
  const health = await call('GET', '/api/health');
  const mine = health.simulations.find((s) => s.simulation === selected);
  const gateway = $('gateway');
  gateway.replaceChildren();
  const facts = mine?.buckets
    ? [
        ['10 s window', `${mine.buckets.tenSecondly.used} / ${mine.buckets.tenSecondly.max}`],
        ['today', `${mine.buckets.daily.used} / ${mine.buckets.daily.max}`],
        ['cooldown', mine.cooldown.active ? `${Math.ceil(mine.cooldown.remainingMs / 1000)} s left` : 'none'],
        ['breaker', mine.breaker.state],
        ['backlog', mine.backlog],
        ['thinning keeps', `${Math.round(mine.thinning.keep * 100)}%`],
      ]
    : [['state', 'not running']];
  for (const [k, v] of facts) {
    const r = gateway.insertRow();
    cell(r, k);
    cell(r, v);
  }
  $('health').textContent = `${health.simulations.length} running`;
}

async function refresh() {
  try {
    await refreshList();
    await refreshDetail();
  } catch (err) {
    $('message').textContent = err.message;
    $('message').className = 'error';
  }
}

$('create').onsubmit = async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const body = Object.fromEntries(form.entries());
  body.total_records = Number(body.total_records);
  try {
    const sim = await call('POST', '/api/simulations', body);
    await call('POST', `/api/simulations/${sim.id}/start`, {});
    selected = sim.id;
    $('message').textContent = `simulation ${sim.id} started`;
    $('message').className = '';
    await refresh();
  } catch (err) {
    $('message').textContent = err.message;
    $('message').className = 'error';
  }
};

// Scenario names from the pack catalogue (its default is listed by the pack's bare name).
const catalogue = await fetch('/api/packs', { headers }).then((r) => r.json());
const pack = catalogue.packs.find((p) => p.name === 'crm');
const select = document.querySelector('#create select[name=scenario]');
for (const ref of pack?.scenarios ?? []) {
  const option = document.createElement('option');
  option.textContent = (ref === 'crm' ? pack.defaultScenario : ref).replace(/^crm\//, '');
  select.append(option);
}
await refresh();
setInterval(refresh, 1000);
