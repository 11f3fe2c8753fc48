// The SimCity dashboard: one EventSource per watched run (/api/runs/:id/stream) feeds the tiles and
// charts; the summary endpoint, polled every 2 s, feeds the gate verdicts; the forms call the
// runbook's routes. No build step: plain modules and canvas.
const token = new URLSearchParams(location.search).get('token');
const $ = (id) => document.getElementById(id);

// Each tile and the gate it sits above. Thresholds and operators are not written here: they come
// from the pack's contract (GET /api/packs/simcity), so the page and the gates cannot disagree.
// Rate gates are fractions in the contract; their tiles show percentages.
const GATES = {
  p95: { label: 'API p95', unit: 'ms', invariant: 'api_p95_response_time' },
  p99: { label: 'API p99', unit: 'ms', invariant: 'api_p99_response_time' },
  errors: { label: 'Error rate', unit: '%', invariant: 'api_error_rate' },
  funnel: { label: 'Booking funnel', unit: '%', invariant: 'booking_funnel_success' },
  sla: { label: 'Vendor SLA', unit: '%', invariant: 'vendor_sla_response' },
  cache: { label: 'Cache hit rate', unit: '%', invariant: 'cache_hit_rate' },
  agents: { label: 'Active agents', unit: '' },
  throughput: { label: 'API calls / sim s', unit: '' },
  doubles: { label: 'Double bookings', unit: '', invariant: 'zero_double_bookings' },
  orphans: { label: 'Orphaned refs', unit: '', invariant: 'no_orphaned_references' },
};

const COMPARE = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** Give each tile its gate's test and label from the contract's invariant catalogue. */
async function loadGates() {
  const { invariants } = await api('GET', '/api/packs/simcity');
  for (const g of Object.values(GATES)) {
    const spec = g.invariant && invariants[g.invariant];
    if (!spec) continue;
    const percent = g.unit === '%';
    g.ok = (v) => COMPARE[spec.operator](percent ? v / 100 : v, spec.threshold);
    g.gate = `${spec.operator} ${percent ? `${+(spec.threshold * 100).toPrecision(4)}%` : `${spec.threshold}${g.unit ? ` ${g.unit}` : ''}`}`;
    g.warnOnly = spec.severity === 'warning';
  }
}

let watched = null;
/** The gate list last shown, so the banner can follow status changes between summaries. */
let lastGates = [];
let series = emptySeries();
let poller = null;

function emptySeries() {
  return { t: [], p95: [], p99: [], throughput: [], errors: [], cache: [], agents: [] };
}

async function api(method, path, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new Error(json.error ? `${json.error.code}: ${json.error.message}` : `${res.status} ${res.statusText}`);
  return json;
}

function say(text, ok = false) {
  const m = $('message');
  m.textContent = text;
  m.style.color = ok ? 'var(--ok)' : 'var(--warn)';
}

// ---- tiles ----

// Which window each tile's figure covers. A gated tile shows its gate's own last judged value (the
// gate's window) and is coloured by that gate's verdict; until the gate has judged, the last
// metrics interval, labelled as such.
const KPI_TILES = new Set(['funnel', 'sla']);
let gateVerdicts = {};

function renderTiles(values) {
  $('tiles').innerHTML = Object.entries(GATES)
    .map(([key, g]) => {
      const judged = g.invariant && gateVerdicts[g.invariant];
      const fromGate = judged && judged.observed !== undefined && judged.observed !== null;
      const v = fromGate ? (g.unit === '%' ? 100 * judged.observed : judged.observed) : values[key];
      const shown =
        v === undefined || v === null || Number.isNaN(v)
          ? '–'
          : `${fmt(v)}${g.unit === '%' ? '%' : g.unit ? ` ${g.unit}` : ''}`;
      const window = fromGate
        ? `gate window${judged.windowMin ? ` (${judged.windowMin} sim min)` : ''}`
        : KPI_TILES.has(key)
          ? 'whole run'
          : 'last interval';
      const state =
        judged && judged.verdict !== 'not-evaluated' && judged.verdict !== 'n/a'
          ? judged.verdict === 'pass'
            ? 'ok'
            : g.warnOnly
              ? 'warn'
              : 'bad'
          : v === undefined || v === null || !g.ok
            ? ''
            : g.ok(v)
              ? 'ok'
              : g.warnOnly
                ? 'warn'
                : 'bad';
      return (
        `<div class="tile ${state}" data-testid="tile-${key}"><div class="label">${g.label}</div><div class="value">${shown}</div>` +
        `<div class="gate">${g.gate ?? ''}</div><div class="window" data-testid="window-${key}">${window}</div></div>`
      );
    })
    .join('');
}

let tileValues = {};
function setTiles(patch) {
  tileValues = { ...tileValues, ...patch };
  renderTiles(tileValues);
}

/** Four significant digits: a failing 0.4848 never shows as a passing 0.5, nor 0.0225 as 0.0. */
function fmt(v) {
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return String(Math.round(v));
  return String(+v.toPrecision(4));
}

/** A gate's value in the unit its tile uses: rate gates (fractions in the contract) as percentages. */
function gateValue(id, v) {
  if (v === undefined || v === null) return '–';
  // Recovery gates (chaos scenarios) measure sim minutes from a storm's end to healthy again.
  const unit = id.startsWith('recovery:') ? 'sim min' : Object.values(GATES).find((g) => g.invariant === id)?.unit;
  return unit === '%' ? `${fmt(100 * v)}%` : `${fmt(v)}${unit ? ` ${unit}` : ''}`;
}

// ---- stream ----

function watch(runId) {
  watched?.source.close();
  clearInterval(poller);
  series = emptySeries();
  tileValues = {};
  gateVerdicts = {};
  lastGates = [];
  renderTiles({});
  $('violations').innerHTML = '';
  const source = new EventSource(`/api/runs/${runId}/stream${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  watched = { runId, source, durationMs: 1, events: [], lastSimMs: 0 };
  $('run-id').textContent = runId.slice(0, 8);
  source.addEventListener('hello', (e) => {
    const h = JSON.parse(e.data);
    Object.assign(watched, { durationMs: h.durationMs, scenario: h.scenario, seed: h.seed, invariants: h.invariants });
    $('run-id').textContent = `${h.scenario} · seed ${h.seed} · ${runId.slice(0, 8)}`;
    watched.events = h.events.map((ev) => ({
      type: ev.type,
      fromMs: ev.triggerAt * 60_000,
      toMs: (ev.triggerAt + ev.duration) * 60_000,
      source: 'scenario',
    }));
    for (const input of h.inputs) addInput(input);
    setStatus(h.status, h.simMs);
    renderInvariants(h.invariants.map((i) => ({ ...i, verdict: 'not-evaluated', reason: 'not judged yet' })));
    for (const interval of h.history) addInterval(interval);
    renderTimeline();
    draw();
  });
  source.addEventListener('tick', (e) => {
    const t = JSON.parse(e.data);
    setStatus('running', t.simMs);
  });
  source.addEventListener('interval', (e) => {
    addInterval(JSON.parse(e.data));
    draw();
  });
  source.addEventListener('violation', (e) => addViolation(JSON.parse(e.data)));
  source.addEventListener('input', (e) => {
    addInput(JSON.parse(e.data));
    renderTimeline();
    draw();
  });
  source.addEventListener('run', (e) => setStatus(JSON.parse(e.data).status));
  source.addEventListener('end', (e) => {
    const summary = JSON.parse(e.data);
    source.close();
    clearInterval(poller);
    watched.ended = true; // a poll still in flight must not put the live state back
    showSummary(summary);
  });
  // A run this server does not host (stored from an earlier process) has no stream: show its summary.
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) void refreshSummary(runId);
  };
  poller = setInterval(() => refreshSummary(runId), 2000);
}

function addInterval(iv) {
  const prev = series.t.length ? series.t[series.t.length - 1] : 0;
  const minutes = Math.max(1, (iv.simMs - prev) / 60_000);
  const c = iv.counters;
  const h = iv.histograms['api.latency_ms'];
  const requests = c['api.requests'] ?? 0;
  const point = {
    p95: h ? h.p95 : null,
    p99: h ? h.p99 : null,
    throughput: requests / (minutes * 60),
    errors: requests ? (100 * (c['api.errors'] ?? 0)) / requests : null,
    cache: c['cache.lookups'] ? (100 * (c['cache.hits'] ?? 0)) / c['cache.lookups'] : null,
    agents: iv.gauges['simcity.active_agents'] ?? null,
  };
  series.t.push(iv.simMs);
  for (const k of Object.keys(point)) series[k].push(point[k]);
  setTiles({
    p95: point.p95 ?? tileValues.p95,
    p99: point.p99 ?? tileValues.p99,
    throughput: point.throughput,
    errors: point.errors ?? tileValues.errors,
    cache: point.cache ?? tileValues.cache,
    agents: point.agents,
    doubles: iv.gauges['simcity.double_bookings'],
    orphans: iv.gauges['simcity.orphaned_references'],
  });
}

function addInput(e) {
  const input = e.input;
  if (input.kind === 'event')
    watched.events.push({ type: input.type, fromMs: e.tickMs, toMs: e.tickMs + input.durationMs, source: 'live' });
  if (input.kind === 'policy')
    watched.events.push({
      type: `policy ${JSON.stringify(input.policies)}`,
      fromMs: e.tickMs,
      toMs: undefined,
      source: 'live',
    });
  if (input.kind === 'stop')
    watched.events.push({ type: `stop (${input.reason})`, fromMs: e.tickMs, toMs: undefined, source: 'live' });
}

function addViolation(v) {
  const li = document.createElement('li');
  li.innerHTML = `<b>${v.invariantId}</b> ${v.severity}: ${gateValue(v.invariantId, v.observed)} vs ${v.operator} ${gateValue(v.invariantId, v.threshold)} <span class="when">at ${clock(v.fromSimMs)}</span>`;
  $('violations').append(li);
}

function setStatus(status, simMs) {
  const pill = $('status');
  pill.textContent = status;
  pill.className = `pill ${status}`;
  renderBanner(lastGates); // the banner says RUNNING exactly while the pill does
  if (simMs !== undefined && watched) {
    watched.lastSimMs = simMs;
    $('sim-time').textContent = `sim ${clock(simMs)} / ${clock(watched.durationMs)}`;
    $('progress-bar').style.width = `${Math.min(100, (100 * simMs) / watched.durationMs)}%`;
  }
}

function clock(ms) {
  const m = Math.floor(ms / 60_000);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

async function refreshSummary(runId) {
  try {
    const { data } = await api('GET', `/api/runs/${runId}/summary`);
    // Answered late: the page may watch another run by now, or have the final summary already.
    if (watched?.runId !== runId || (watched.ended && data.status === 'running')) return;
    showSummary(data);
  } catch {
    /* the stream says what matters; a missed poll is harmless */
  }
}

function showSummary(s) {
  setStatus(s.status, s.simTimeMs);
  renderInvariants(s.invariants);
  const k = s.kpis;
  if (k) {
    setTiles({
      funnel: k.funnel.successRate === null ? undefined : 100 * k.funnel.successRate,
      sla: k.vendorSla.rate === null ? undefined : 100 * k.vendorSla.rate,
    });
  }
  renderBreakingPoint(s.breakingPoint);
  if (s.status !== 'running') {
    $('violations').innerHTML = '';
    for (const v of s.violations) addViolation(v);
  }
}

/** A ramp scenario's main output: load per step, where each gate first failed, the last load that held. */
function renderBreakingPoint(b) {
  const panel = $('breaking-point');
  panel.hidden = !b;
  if (!b) return;
  const load = (v) => (v === null ? '–' : `${fmt(v)} req/s`);
  panel.querySelector('tbody').innerHTML = b.steps
    .map(
      (st) =>
        `<tr><td>${st.step}</td><td>${fmt(st.value)}</td><td>${clock(st.fromSimMs)}–${clock(st.toSimMs)}</td><td>${load(st.loadPerSec)}</td><td class="${st.held ? 'pass' : 'fail'}">${st.held ? 'held' : 'failed'}</td></tr>`,
    )
    .join('');
  const firsts = b.firstFailures.map((f) => `${f.gate} first failed at ${clock(f.atSimMs)} (${load(f.loadPerSec)})`);
  $('breaking-summary').textContent = [
    b.lastHeld ? `last load that held: ${load(b.lastHeld.loadPerSec)} (step ${b.lastHeld.step})` : 'no step held',
    ...firsts,
  ].join(' · ');
}

function renderInvariants(list) {
  lastGates = list;
  gateVerdicts = Object.fromEntries(
    list.map((i) => [i.id, { ...i, windowMin: watched?.invariants?.find((w) => w.id === i.id)?.windowMin }]),
  );
  renderTiles(tileValues);
  $('invariants').querySelector('tbody').innerHTML = list
    .map((i) => {
      const cls = i.verdict === 'pass' ? 'pass' : i.verdict === 'fail' ? 'fail' : 'na';
      const worst = i.worst
        ? `${gateValue(i.id, i.worst.observed)} <span class="when">at ${clock(i.worst.atSimMs)}</span>`
        : '–';
      // Why a gate was not judged sits in the cell's tooltip: inline it would crowd the table.
      const why = i.reason ? ` title="${i.reason.replace(/"/g, '&quot;')}"` : '';
      return (
        `<tr data-gate="${i.id}"><td>${i.id}</td><td>${i.severity}</td><td>${i.operator} ${gateValue(i.id, i.threshold)}</td>` +
        `<td>${gateValue(i.id, i.observed)}</td><td>${worst}</td><td class="${cls}"${why}>${i.verdict}${i.reason ? '<sup>?</sup>' : ''}</td></tr>`
      );
    })
    .join('');
  renderBanner(list);
}

/** The run's verdict in one word, as CI would judge it: critical gates decide. */
function renderBanner(list) {
  const banner = $('verdict-banner');
  if (list.length === 0) return;
  const critical = list.filter((i) => i.severity === 'critical');
  const failed = critical.filter((i) => i.verdict === 'fail');
  const unjudged = critical.filter((i) => i.verdict === 'not-evaluated' && !i.optional);
  const running = watched && ['running', 'pending'].includes($('status').textContent);
  const counts = `${list.filter((i) => i.verdict === 'pass').length} pass, ${list.filter((i) => i.verdict === 'fail').length} fail, ${list.filter((i) => i.verdict === 'not-evaluated').length} not evaluated`;
  const [word, cls] = failed.length ? ['FAIL', 'fail'] : unjudged.length ? ['NOT EVALUATED', 'na'] : ['PASS', 'pass'];
  banner.className = `banner ${running ? 'running' : cls}`;
  banner.textContent = running
    ? `RUNNING · so far ${word} · ${counts}`
    : `${word} · ${counts}${failed.length ? ` · failed: ${failed.map((i) => i.id).join(', ')}` : unjudged.length ? ` · never judged: ${unjudged.map((i) => i.id).join(', ')}` : ''}`;
}

function renderTimeline() {
  $('timeline').innerHTML = watched.events
    .slice()
    .sort((a, b) => a.fromMs - b.fromMs)
    .map(
      (e) =>
        `<li>${e.type} <span class="when">${clock(e.fromMs)}${e.toMs ? `–${clock(e.toMs)}` : ''} · ${e.source}</span></li>`,
    )
    .join('');
}

// ---- charts ----

const CHARTS = [
  [
    'chart-latency',
    [
      ['p95', '#58a6ff'],
      ['p99', '#bc8cff'],
    ],
  ],
  ['chart-throughput', [['throughput', '#58a6ff']]],
  ['chart-errors', [['errors', '#f85149']]],
  ['chart-cache', [['cache', '#3fb950']]],
  ['chart-agents', [['agents', '#d29922']]],
];

function draw() {
  for (const [id, lines] of CHARTS) drawChart($(id), lines);
}

function drawChart(canvas, lines) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight || 160;
  canvas.width = w * dpr;
  canvas.height = h * dpr;
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  const pad = { l: 40, r: 8, t: 6, b: 18 };
  const xMax = Math.max(watched?.durationMs ?? 1, 1);
  let yMax = 0;
  for (const [key] of lines) for (const v of series[key]) if (v !== null) yMax = Math.max(yMax, v);
  yMax = yMax === 0 ? 1 : yMax * 1.1;
  const x = (ms) => pad.l + ((w - pad.l - pad.r) * ms) / xMax;
  const y = (v) => h - pad.b - ((h - pad.t - pad.b) * v) / yMax;
  // Chaos windows first, behind the lines.
  g.fillStyle = 'rgba(248, 81, 73, 0.14)';
  for (const e of watched?.events ?? [])
    if (e.toMs) g.fillRect(x(e.fromMs), pad.t, Math.max(2, x(e.toMs) - x(e.fromMs)), h - pad.t - pad.b);
  g.strokeStyle = '#263241';
  g.fillStyle = '#8596a8';
  g.font = '10px system-ui';
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    g.beginPath();
    g.moveTo(pad.l, y(v));
    g.lineTo(w - pad.r, y(v));
    g.stroke();
    g.fillText(fmt(v), 2, y(v) + 3);
  }
  g.fillText(`sim ${clock(xMax)}`, w - pad.r - 50, h - 4);
  for (const [key, color] of lines) {
    g.strokeStyle = color;
    g.lineWidth = 1.5;
    g.beginPath();
    let started = false;
    series[key].forEach((v, i) => {
      if (v === null) return;
      if (started) g.lineTo(x(series.t[i]), y(v));
      else g.moveTo(x(series.t[i]), y(v));
      started = true;
    });
    g.stroke();
  }
}

// ---- controls ----

$('start-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const body = { scenario: f.get('scenario') };
  if (f.get('seed')) body.seed = Number(f.get('seed'));
  if (f.get('pace')) body.pace = f.get('pace') === 'turbo' ? 'turbo' : Number(f.get('pace'));
  try {
    const { data } = await api('POST', '/api/simcity/start', body);
    say(`started ${data.scenario} (seed ${data.seed})`, true);
    watch(data.runId);
  } catch (err) {
    say(err.message);
  }
});

$('stop').addEventListener('click', async () => {
  try {
    const { data } = await api('POST', '/api/simcity/stop', watched ? { runId: watched.runId } : {});
    say(data.stopped.length ? `stopped at sim ${clock(data.stopped[0].simTimeMs)}` : 'nothing was running', true);
  } catch (err) {
    say(err.message);
  }
});

$('policy-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const policies = {};
  for (const [k, v] of new FormData(e.target)) if (v !== '') policies[k] = Number(v);
  if (!Object.keys(policies).length) return say('set at least one policy');
  try {
    await api('POST', '/api/simcity/policy', { policies, runId: watched?.runId });
    say(`policy applies at the next tick: ${JSON.stringify(policies)}`, true);
  } catch (err) {
    say(err.message);
  }
});

const eventType = document.querySelector('#event-form select[name=type]');
eventType.addEventListener('change', () => {
  const opt = eventType.selectedOptions[0];
  $('param-name').textContent = opt.dataset.param;
  document.querySelector('#event-form input[name=param]').value = opt.dataset.value;
});

$('event-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const opt = eventType.selectedOptions[0];
  const raw = f.get('param');
  const value = raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  try {
    await api('POST', '/api/simcity/event', {
      type: f.get('type'),
      durationMin: Number(f.get('durationMin')),
      parameters: { [opt.dataset.param]: value },
      runId: watched?.runId,
    });
    say(`${f.get('type')} starts at the next tick`, true);
  } catch (err) {
    say(err.message);
  }
});

window.addEventListener('resize', () => watched && draw());

/** The scenarios the pack ships, from its catalogue entry (a new scenario file shows up here by itself). */
async function loadScenarios() {
  const { packs } = await api('GET', '/api/packs');
  const simcity = packs.find((p) => p.name === 'simcity');
  const select = document.querySelector('#start-form select[name=scenario]');
  select.replaceChildren(
    ...simcity.scenarios.map((name) =>
      Object.assign(document.createElement('option'), {
        textContent: name,
        value: name,
        selected: name === 'baseline',
      }),
    ),
  );
}

renderTiles({});
await Promise.all([loadGates(), loadScenarios()]).catch((err) => say(err.message));
renderTiles(tileValues);
api('GET', '/api/simcity/summary?runId=latest')
  .then(({ data }) => watch(data.runId))
  .catch(() => say('no SimCity run yet: press Start'));
