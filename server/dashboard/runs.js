// The run list: every run of every pack from GET /api/runs, newest first, filtered by pack and
// status; each pack with a page of its own is linked from the top; below, the server's sweeps
// (GET /api/sweeps), each linked to its grid. Refreshes every few seconds.
const token = new URLSearchParams(location.search).get('token');
const headers = token ? { authorization: `Bearer ${token}` } : {};
const filters = document.getElementById('filters');

async function get(path) {
  const res = await fetch(path, { headers });
  const body = await res.json();
  if (!res.ok) throw new Error(`${body.error?.code}: ${body.error?.message}`);
  return body;
}

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function simTime(ms) {
  const min = Math.floor(ms / 60000);
  return `${Math.floor(min / 60)}:${String(min % 60).padStart(2, '0')}`;
}

async function loadPacks() {
  const { packs } = await get('/api/packs');
  const select = filters.elements.pack;
  const nav = document.querySelector('nav');
  for (const p of packs) {
    select.append(new Option(p.name, p.name));
    if (p.page) {
      const a = document.createElement('a');
      a.href = p.page + location.search;
      a.textContent = `${p.name} dashboard`;
      nav.append(a);
    }
  }
}

async function refresh() {
  const pack = filters.elements.pack.value;
  const status = filters.elements.status.value;
  try {
    const { runs } = await get('/api/runs?limit=200');
    const rows = runs.filter((r) => (!pack || r.pack === pack) && (!status || r.status === status));
    document.getElementById('runs').replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement('tr');
        const link = document.createElement('a');
        link.href = `/admin/runs/${r.runId}${location.search}`;
        link.textContent = r.runId.slice(0, 8);
        const id = document.createElement('td');
        id.append(link);
        // The listing's verdict (passed, failed, incomplete, resumable); the cell's class colours it.
        const verdict =
          { passed: 'pass', failed: 'fail', incomplete: 'incomplete', resumable: 'resumable' }[r.verdict] ?? '';
        const started = r.createdAt ? r.createdAt.slice(0, 19).replace('T', ' ') : '';
        const wall = r.wallMs === undefined ? '' : `${(r.wallMs / 1000).toFixed(1)} s`;
        tr.append(
          id,
          cell(r.pack),
          cell(r.scenario),
          cell(r.status),
          cell(verdict || '–', verdict),
          cell(String(r.seed)),
          cell(started),
          cell(simTime(r.simMs ?? 0)),
          cell(wall),
        );
        return tr;
      }),
    );
    document.getElementById('message').textContent = rows.length ? '' : 'no runs yet';
  } catch (err) {
    document.getElementById('message').textContent = err.message;
  }
}

async function refreshSweeps() {
  try {
    const { sweeps } = await get('/api/sweeps');
    document.getElementById('sweeps').replaceChildren(
      ...sweeps.map((s) => {
        const tr = document.createElement('tr');
        const link = document.createElement('a');
        link.href = `/admin/sweeps/${s.sweepId}${location.search}`;
        link.textContent = s.sweepId;
        const id = document.createElement('td');
        id.append(link);
        const verdict = s.ended === 0 ? '' : s.passed === s.ended ? 'pass' : 'fail';
        tr.append(
          id,
          cell(s.scenario),
          cell(s.state),
          cell(`${s.ended} of ${s.total}`),
          cell(String(s.passed), verdict),
        );
        return tr;
      }),
    );
    document.getElementById('sweeps-message').hidden = sweeps.length > 0;
  } catch (err) {
    document.getElementById('sweeps-message').textContent = err.message;
  }
}

filters.addEventListener('change', refresh);
await loadPacks().catch((err) => (document.getElementById('message').textContent = err.message));
await Promise.all([refresh(), refreshSweeps()]);
setInterval(() => Promise.all([refresh(), refreshSweeps()]), 3000);
