// The fleet dashboard: polls /v1/fleet and draws it. Every value from the data goes in as text
// (textContent, or a number in an SVG attribute): never as HTML.
//
// Login: when the ledger has an access token (--audit-token-file), /v1/fleet answers 401 and the
// page shows its login form. The token typed there is kept in sessionStorage (this tab only, gone
// when it closes) and sent as "Authorization: Bearer …" on each request; never in a URL or cookie.
'use strict';
const SVG = 'http://www.w3.org/2000/svg';
const TOKEN_KEY = 'haulproof.ledger.token';

function showLogin(message) {
  document.body.dataset.auth = 'required';
  document.body.dataset.loaded = 'false';
  document.getElementById('fleet').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message;
  document.getElementById('summary').textContent = 'log in to see the fleet';
  document.getElementById('token').focus();
}

function showFleet() {
  document.body.dataset.auth = sessionStorage.getItem(TOKEN_KEY) ? 'token' : 'open';
  document.getElementById('login').hidden = true;
  document.getElementById('fleet').hidden = false;
  document.getElementById('logout').hidden = !sessionStorage.getItem(TOKEN_KEY);
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '—' : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
}

function trucks(data) {
  const body = document.querySelector('#trucks tbody');
  body.replaceChildren();
  for (const t of data.trucks) {
    const tr = document.createElement('tr');
    tr.dataset.device = t.device;
    tr.className = 'truck';
    cell(tr, t.fleet + '/' + t.device);
    cell(tr, t.state === 'revoked' ? 'revoked' : (t.online ? 'online' : 'offline'),
        t.online ? 'online' : 'offline');
    cell(tr, t.last_entry_at);
    cell(tr, t.last_checkpoint_at);
    cell(tr, t.cosigned_size === undefined ? null : t.cosigned_size + ' at ' + t.cosigned_at);
    cell(tr, t.bound);
    cell(tr, t.backlog, t.backlog > 0 ? 'warn' : '');
    cell(tr, t.evidence, t.evidence > 0 ? 'warn' : '');
    body.appendChild(tr);
  }
}

function map(data) {
  const svg = document.getElementById('map');
  svg.replaceChildren();
  const lifts = data.lifts_today;
  document.getElementById('lift-count').textContent = lifts.length + ' lifts today';
  if (lifts.length === 0) return;
  let minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
  for (const l of lifts) {
    minLat = Math.min(minLat, l.lat); maxLat = Math.max(maxLat, l.lat);
    minLon = Math.min(minLon, l.lon); maxLon = Math.max(maxLon, l.lon);
  }
  const w = 800, h = 500, pad = 20;
  const sx = (maxLon - minLon) || 1e-6, sy = (maxLat - minLat) || 1e-6;
  for (const l of lifts) {
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('cx', String(pad + (l.lon - minLon) / sx * (w - 2 * pad)));
    c.setAttribute('cy', String(h - pad - (l.lat - minLat) / sy * (h - 2 * pad)));
    c.setAttribute('r', '4');
    c.setAttribute('class', 'lift' + (l.outcome === 'EMPTIED' ? '' : ' refused'));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = l.device + ' #' + l.index + ' bin ' + l.bin + ' ' + (l.net || '') + ' ' + l.outcome;
    c.appendChild(title);
    svg.appendChild(c);
  }
}

function evidence(data) {
  const kinds = document.getElementById('evidence-kinds');
  kinds.replaceChildren();
  for (const [k, n] of Object.entries(data.evidence_by_kind)) {
    const li = document.createElement('li');
    li.textContent = k + ': ' + n;
    kinds.appendChild(li);
  }
  const refused = document.getElementById('refused');
  refused.replaceChildren();
  for (const [k, n] of Object.entries(data.refused_here)) {
    const li = document.createElement('li');
    li.textContent = 'refused by this instance, ' + k + ': ' + n;
    refused.appendChild(li);
  }
  const body = document.querySelector('#evidence tbody');
  body.replaceChildren();
  for (const e of data.latest_evidence) {
    const tr = document.createElement('tr');
    tr.className = 'evidence';
    cell(tr, e.at);
    cell(tr, (e.fleet || '?') + '/' + (e.device || '?'));
    cell(tr, e.index);
    cell(tr, e.kind);
    cell(tr, e.reason);
    body.appendChild(tr);
  }
}

async function refresh() {
  try {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token && document.body.dataset.auth === 'required') return; // waits for the login
    const headers = token ? {'Authorization': 'Bearer ' + token} : {};
    const r = await fetch('/v1/fleet', {cache: 'no-store', credentials: 'omit', headers});
    if (r.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin(token ? 'wrong token' : '');
      return;
    }
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const data = await r.json();
    showFleet();
    trucks(data);
    map(data);
    evidence(data);
    document.getElementById('summary').textContent =
        data.trucks.length + ' trucks: ' + data.online + ' online, ' + data.offline +
        ' offline; witness ' + data.witness + '; updated ' + new Date(data.now).toISOString();
    document.body.dataset.loaded = 'true';
  } catch (e) {
    document.getElementById('summary').textContent = 'fleet status unavailable: ' + e.message;
  }
}

document.getElementById('login').addEventListener('submit', (ev) => {
  ev.preventDefault(); // never submitted: the token goes in a header, not a URL or form post
  const input = document.getElementById('token');
  const token = input.value.trim();
  input.value = '';
  if (token === '') return;
  sessionStorage.setItem(TOKEN_KEY, token);
  document.getElementById('login-error').textContent = 'checking…';
  refresh();
});

document.getElementById('logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin('logged out');
});

refresh();
setInterval(refresh, 10000);
