// The rebalance map: a hosted simulation's stations on their plane, coloured by fill, with the
// trucks' moves of each bucket as arrows; a slider (and play) over the buckets of sim time. Polls
// /api/rebalance/runs/:id/map for new buckets while the run goes on. Or a policy API system: its
// current snapshot, and the moves of a policy run asked for this bucket (GET /api/policy/run).
const token = new URLSearchParams(location.search).get('token');
const headers = token ? { Authorization: `Bearer ${token}` } : {};
const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
let map;
let timer;

async function getJson(url) {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

function fillColour(bikes, capacity) {
  const f = capacity > 0 ? bikes / capacity : 0;
  return `hsl(${Math.round(f * 120)} 70% ${f > 0.5 ? 35 : 48}%)`;
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The city's clock: sim time from the run's start hour (hour 0 of the week is Monday 00:00). */
function cityTime(simMs) {
  const m = Math.floor(simMs / 60_000) + map.startHour * 60;
  return `${DAYS[Math.floor(m / 1440) % 7]} ${String(Math.floor((m % 1440) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function drawStations() {
  const svg = $('map');
  svg.replaceChildren();
  const xs = map.stations.map((s) => s.x);
  const ys = map.stations.map((s) => s.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = Math.max(maxX - minX, maxY - minY) * 0.04 || 1;
  // North up: y grows upwards on the plane, downwards on screen.
  svg.setAttribute('viewBox', `${minX - pad} ${-maxY - pad} ${maxX - minX + 2 * pad} ${maxY - minY + 2 * pad}`);
  const r = Math.max(maxX - minX, maxY - minY) / 150;
  const defs = document.createElementNS(SVG, 'defs');
  defs.innerHTML = `<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1560d4"/></marker>`;
  svg.append(defs);
  map.stations.forEach((s, i) => {
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('cx', s.x);
    c.setAttribute('cy', -s.y);
    c.setAttribute('r', r);
    c.dataset.index = i;
    c.append(Object.assign(document.createElementNS(SVG, 'title'), { textContent: s.name }));
    svg.append(c);
  });
  // Above the stations, so short moves between neighbours stay visible.
  const moves = document.createElementNS(SVG, 'g');
  moves.id = 'moves';
  svg.append(moves);
  map.radius = r;
}

function showFrame(i) {
  const frame = map.frames[i];
  if (!frame) return;
  const circles = $('map').querySelectorAll('circle');
  let empty = 0;
  let full = 0;
  circles.forEach((c) => {
    const s = map.stations[c.dataset.index];
    const bikes = frame.levels[c.dataset.index];
    if (bikes === 0) empty++;
    if (bikes === s.capacity) full++;
    c.setAttribute('fill', fillColour(bikes, s.capacity));
    c.querySelector('title').textContent = `${s.name}: ${bikes}/${s.capacity}`;
  });
  const g = $('moves');
  g.replaceChildren();
  for (const [from, to, bikes] of frame.moves) {
    const [a, b] = [map.stations[from], map.stations[to]];
    const l = document.createElementNS(SVG, 'line');
    l.setAttribute('x1', a.x);
    l.setAttribute('y1', -a.y);
    l.setAttribute('x2', b.x);
    l.setAttribute('y2', -b.y);
    l.setAttribute('stroke-width', map.radius * Math.min(1.5, 0.3 + bikes / 10));
    g.append(l);
  }
  $('when').textContent = map.system ? `system ${map.system} · sv ${map.sv}` : cityTime(frame.simMs);
  $('stats').textContent =
    `${map.stations.length} stations · ${empty} empty · ${full} full · ${frame.moves.length} moves`;
}

async function load(runId) {
  clearInterval(timer);
  map = undefined;
  $('map').replaceChildren();
  if (!runId) return;
  const { data } = await getJson(`/api/rebalance/runs/${runId}/map`);
  map = data;
  drawStations();
  const follow = () => {
    $('frame').max = String(Math.max(0, map.frames.length - 1));
    $('status').textContent = map.status;
  };
  follow();
  $('frame').value = $('frame').max;
  showFrame(map.frames.length - 1);
  timer = setInterval(async () => {
    const last = map.frames.at(-1)?.bucket ?? -1;
    const { data: fresh } = await getJson(`/api/rebalance/runs/${runId}/map?since=${last}`);
    const atEnd = Number($('frame').value) >= map.frames.length - 1;
    map.frames.push(...fresh.frames);
    map.status = fresh.status;
    follow();
    if (atEnd && fresh.frames.length > 0) {
      $('frame').value = $('frame').max;
      showFrame(map.frames.length - 1);
    }
    if (fresh.status !== 'running' && fresh.status !== 'pending') clearInterval(timer);
  }, 1000);
}

$('frame').addEventListener('input', () => showFrame(Number($('frame').value)));
$('play').addEventListener('click', () => {
  let i = 0;
  const step = setInterval(() => {
    if (!map || i >= map.frames.length) return clearInterval(step);
    $('frame').value = String(i);
    showFrame(i++);
  }, 150);
});
$('run').addEventListener('change', () => {
  $('system').value = '';
  $('plan-controls').hidden = true;
  load($('run').value).catch((err) => ($('status').textContent = err.message));
});

async function loadSystem(id) {
  clearInterval(timer);
  $('plan-controls').hidden = !id;
  if (!id) return;
  const { data } = await getJson(`/api/policy/systems/${encodeURIComponent(id)}`);
  map = {
    system: id,
    sv: data.sv,
    startHour: 0,
    status: `sv ${data.sv}`,
    stations: data.stations,
    frames: [{ bucket: 0, simMs: 0, levels: data.stations.map((s) => s.bikes), moves: [] }],
  };
  drawStations();
  $('frame').max = '0';
  $('status').textContent = 'snapshot';
  showFrame(0);
}

/** Ask for a policy run on the shown snapshot for this bucket (or ?T_bucket=), wait for it, draw its moves. */
async function plan() {
  const bucket = new URLSearchParams(location.search).get('T_bucket') ?? String((await getJson('/api/time')).T_bucket);
  const q = new URLSearchParams({
    v: '1',
    system_id: map.system,
    sv: String(map.sv),
    policy_version: $('policy').value,
    T_bucket: bucket,
  });
  let run = await getJson(`/api/policy/run?${q}`);
  while (run.status === 'pending') {
    $('plan-status').textContent = 'pending…';
    await new Promise((r) => setTimeout(r, 300));
    run = await getJson(`/api/policy/status?v=1&run_key=${encodeURIComponent(run.run_key)}`);
  }
  const { moves } = await getJson(`/api/policy/moves?v=1&run_key=${encodeURIComponent(run.run_key)}`);
  const index = new Map(map.stations.map((s, i) => [s.id, i]));
  map.frames[0].moves = moves.map((m) => [index.get(m.from_station), index.get(m.to_station), m.bikes]);
  $('plan-status').textContent =
    `${run.policy_version} ${run.status}${run.fallback ? ` (fell back: ${run.fallback.reason})` : ''} · objective ${run.objective ?? '-'}`;
  showFrame(0);
}

$('system').addEventListener('change', () => {
  $('run').value = '';
  loadSystem($('system').value).catch((err) => ($('status').textContent = err.message));
});
$('plan').addEventListener('click', () => plan().catch((err) => ($('plan-status').textContent = err.message)));

const { data: systems } = await getJson('/api/policy/systems');
for (const s of systems) {
  const o = document.createElement('option');
  o.value = s.system_id;
  o.textContent = `${s.system_id} · ${s.stations} stations · sv ${s.sv}`;
  $('system').append(o);
}

const { runs } = await getJson('/api/runs');
// Maps are kept for runs this server hosts: those with live state.
const rebalance = runs.filter((r) => r.pack === 'rebalance' && r.simMs !== undefined);
const wanted = new URLSearchParams(location.search).get('run');
for (const r of rebalance) {
  const o = document.createElement('option');
  o.value = r.runId;
  o.textContent = `${r.scenario} · ${r.runId.slice(0, 8)} · ${r.status}`;
  $('run').append(o);
}
const wantedSystem = new URLSearchParams(location.search).get('system');
const first = wantedSystem ? undefined : (wanted ?? rebalance[0]?.runId);
if (wantedSystem) {
  $('system').value = wantedSystem;
  await loadSystem(wantedSystem).catch((err) => ($('status').textContent = err.message));
} else if (first) {
  $('run').value = first;
  await load(first).catch((err) => ($('status').textContent = err.message));
}
