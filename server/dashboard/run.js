// One run of any pack: tiles and charts from the pack's panels (declared as data in its module;
// without panels, one tile per gate), the gates with their verdicts, violations, the input
// timeline, and controls generated from the pack's contract (JSON Schema from /api/packs/:pack).
// Live runs refresh every two seconds and stream their inputs; stored runs show what was stored.
const runId = location.pathname.split('/').pop();
const token = new URLSearchParams(location.search).get('token');
const auth = token ? { authorization: `Bearer ${token}` } : {};
const $ = (id) => document.querySelector(`[data-testid=${id}]`);
const say = (text) => ($('message').textContent = text);

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ? `${json.error.code}: ${json.error.message}` : `${res.status}`);
  return json;
}

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const simClock = (ms) => `${Math.floor(ms / 3_600_000)}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}`;

/** Enough digits that a failing value never rounds onto a passing one. */
function show(v, panel = {}) {
  if (v === undefined || v === null || Number.isNaN(v)) return 'n/a';
  if (panel.percent) return `${(v * 100).toPrecision(4)}%`;
  const n = Number.isInteger(v) ? String(v) : String(+v.toPrecision(4));
  return panel.unit ? `${n} ${panel.unit}` : n;
}

function figure(summary, src) {
  const read = (name) => summary.metrics[name]?.[src.statistic] ?? summary.counters[name] ?? summary.gauges[name];
  const value =
    src.statistic === 'value'
      ? (summary.counters[src.metric] ?? summary.gauges[src.metric])
      : summary.metrics[src.metric]?.[src.statistic];
  if (!src.over) return value;
  const over = read(src.over);
  return over ? (value ?? 0) / over : undefined;
}

let pack;
let panels = [];

function renderTiles(summary) {
  const verdicts = Object.fromEntries(summary.invariants.map((g) => [g.id, g]));
  const tiles = panels.filter((p) => p.kind === 'tile');
  const shown = tiles.length
    ? tiles.map((p) => ({
        title: p.title,
        value: show(figure(summary, p), p),
        verdict: p.gate ? verdicts[p.gate]?.verdict : undefined,
        window: 'whole run',
      }))
    : summary.invariants.map((g) => ({
        title: g.id,
        value: show(g.observed),
        verdict: g.verdict,
        window: 'last window of the gate',
      }));
  $('tiles').replaceChildren(
    ...shown.map((t) => {
      const tile = el('div', { class: `tile ${t.verdict ?? ''}`, 'data-testid': 'tile' });
      tile.append(
        el('div', { class: 'muted' }, t.title),
        el('div', { class: 'value' }, t.value),
        el('div', { class: 'muted' }, t.window),
      );
      return tile;
    }),
  );
}

function renderGates(summary) {
  $('gates').replaceChildren(
    ...summary.invariants.map((g) => {
      const tr = el('tr', { 'data-gate': g.id });
      tr.append(
        el('td', {}, g.id),
        el('td', {}, g.severity),
        el('td', {}, show(g.observed)),
        el('td', {}, `${g.operator} ${show(g.threshold)}`),
        el('td', { class: g.verdict }, g.verdict),
      );
      return tr;
    }),
  );
  $('violations').replaceChildren(
    ...(summary.violations.length
      ? summary.violations.map((v) =>
          el(
            'li',
            {},
            `${v.invariantId} (${v.severity}) observed ${show(v.observed)} vs ${v.operator} ${show(v.threshold)}, sim ${simClock(v.fromSimMs)}–${simClock(v.toSimMs)}`,
          ),
        )
      : [el('li', { class: 'muted' }, 'none')]),
  );
}

async function renderCharts() {
  const charts = panels.filter((p) => p.kind === 'chart');
  const figures = await Promise.all(
    charts.map(async (p) => {
      const { data } = await api(
        'GET',
        `/api/runs/${runId}/series?metric=${encodeURIComponent(p.metric)}&statistic=${p.statistic === 'value' ? 'value' : p.statistic}`,
      );
      const fig = el('figure', { 'data-testid': 'chart' });
      fig.append(el('figcaption', { class: 'muted' }, `${p.title} (${data.length} intervals)`));
      if (data.length > 1) {
        const maxX = data[data.length - 1].simMs || 1;
        const maxY = Math.max(...data.map((d) => d.value)) || 1;
        const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
        svg.setAttribute('viewBox', '0 0 600 120');
        svg.setAttribute('width', '600');
        const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
        line.setAttribute('fill', 'none');
        line.setAttribute('stroke', '#2563eb');
        line.setAttribute(
          'points',
          data
            .map((d) => `${((d.simMs / maxX) * 600).toFixed(1)},${(120 - (d.value / maxY) * 120).toFixed(1)}`)
            .join(' '),
        );
        svg.append(line);
        fig.append(svg);
      }
      return fig;
    }),
  );
  $('charts').replaceChildren(...figures);
}

/** Input sequence numbers already on the timeline: the stored list and the stream overlap. */
const shownInputs = new Set();

function addTimeline(input) {
  if (input.seq !== undefined) {
    if (shownInputs.has(input.seq)) return;
    shownInputs.add(input.seq);
  }
  const i = input.input ?? input;
  const what =
    i.kind === 'policy'
      ? `policy ${JSON.stringify(i.policies)}`
      : i.kind === 'event'
        ? `${i.type} for ${i.durationMs / 60000} sim min`
        : i.kind === 'stop'
          ? `stop: ${i.reason}`
          : i.kind;
  $('timeline').append(el('li', {}, `${simClock(input.tickMs)} ${what}`));
}

function buildControls() {
  const policyForm = document.getElementById('policy-form');
  for (const [name, schema] of Object.entries(pack.policies.properties ?? {})) {
    if (schema.type !== 'number' && schema.type !== 'integer') continue;
    const label = el('label', {}, name);
    label.append(el('input', { name, type: 'number', step: schema.type === 'integer' ? '1' : 'any' }));
    policyForm.insertBefore(label, policyForm.lastElementChild);
  }
  policyForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const policies = {};
    for (const input of policyForm.querySelectorAll('input'))
      if (input.value !== '') policies[input.name] = Number(input.value);
    try {
      await api('POST', `/api/runs/${runId}/policy`, { policies });
      say('policy applies at the next tick');
    } catch (err) {
      say(err.message);
    }
  });
  const eventForm = document.getElementById('event-form');
  const types = Object.keys(pack.events);
  if (types.length === 0) eventForm.hidden = true;
  const select = eventForm.elements.type;
  for (const t of types) select.append(new Option(t, t));
  const params = () => {
    const props = pack.events[select.value]?.properties ?? {};
    document.getElementById('event-params').replaceChildren(
      ...Object.entries(props).map(([name, s]) => {
        const label = el('label', {}, name);
        label.append(
          el('input', { name: `param.${name}`, type: s.type === 'string' ? 'text' : 'number', value: s.default ?? '' }),
        );
        return label;
      }),
    );
  };
  select.addEventListener('change', params);
  params();
  eventForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const parameters = {};
    for (const input of eventForm.querySelectorAll('input[name^="param."]'))
      if (input.value !== '')
        parameters[input.name.slice(6)] = input.type === 'number' ? Number(input.value) : input.value;
    try {
      await api('POST', `/api/runs/${runId}/events`, {
        type: select.value,
        durationMin: Number(eventForm.elements.durationMin.value),
        parameters,
      });
      say('event applies at the next tick');
    } catch (err) {
      say(err.message);
    }
  });
  $('stop').addEventListener('click', async () => {
    try {
      await api('POST', `/api/runs/${runId}/stop`, {});
    } catch (err) {
      say(err.message);
    }
  });
}

async function refresh() {
  const run = await api('GET', `/api/runs/${runId}`);
  const { data: summary } = await api('GET', `/api/runs/${runId}/summary`).catch(() => ({ data: undefined }));
  $('status').textContent = run.status;
  $('sim-time').textContent = simClock(run.simMs ?? run.sim_ms ?? 0);
  $('controls').hidden = run.status !== 'running';
  if (summary) {
    renderTiles(summary);
    renderGates(summary);
  }
  await renderCharts();
  return run.status;
}

try {
  const run = await api('GET', `/api/runs/${runId}`);
  pack = await api('GET', `/api/packs/${run.pack}`);
  panels = pack.panels;
  document.title = `tickwork · ${run.scenario} · ${runId.slice(0, 8)}`;
  $('title').textContent = `${run.scenario} (pack ${run.pack}) · seed ${run.seed}`;
  $('report').href = `/api/runs/${runId}/report${location.search}`;
  document.getElementById('back').href = `/admin${location.search}`;
  buildControls();
  const { data: inputs } = await api('GET', `/api/runs/${runId}/inputs?limit=500`);
  for (const i of inputs) addTimeline({ seq: i.seq, tickMs: i.tickMs, input: i.payload });
  let status = await refresh();
  if (status === 'running') {
    const source = new EventSource(`/api/runs/${runId}/stream${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    // The stream opens with the inputs so far: one applied between the list above and the stream
    // connecting would otherwise never show.
    source.addEventListener('hello', (e) => {
      for (const i of JSON.parse(e.data).inputs ?? []) addTimeline(i);
    });
    source.addEventListener('input', (e) => addTimeline(JSON.parse(e.data)));
    source.addEventListener('end', () => source.close());
    const timer = setInterval(async () => {
      status = await refresh().catch((err) => {
        say(err.message);
        return status;
      });
      if (status !== 'running') clearInterval(timer);
    }, 2000);
  }
} catch (err) {
  say(err.message);
}
