// Polls /api/status and renders it; no framework, so the page works offline on the truck.
"use strict";

function text(id, value) {
  const el = document.getElementById(id);
  if (el) el.textContent = value === null || value === undefined ? "–" : String(value);
}

function cell(row, value, cls) {
  const td = document.createElement("td");
  td.textContent = value === null || value === undefined ? "–" : String(value);
  if (cls) td.className = cls;
  row.appendChild(td);
}

function renderSensors(sensors) {
  const body = document.querySelector("#sensors tbody");
  body.replaceChildren();
  const names = Object.keys(sensors || {}).sort();
  if (names.length === 0) {
    const tr = document.createElement("tr");
    cell(tr, "no readings yet");
    body.appendChild(tr);
    return;
  }
  for (const name of names) {
    const s = sensors[name];
    const tr = document.createElement("tr");
    tr.id = "sensor-" + name;
    cell(tr, name);
    const parts = Object.keys(s).filter((k) => k !== "at").map((k) => k + " " + s[k]);
    cell(tr, parts.join(", "));
    cell(tr, (s.at || "").replace("T", " ").replace(/\..*$/, ""));
    body.appendChild(tr);
  }
}

function renderLifts(lifts) {
  const body = document.querySelector("#lifts tbody");
  body.replaceChildren();
  for (const l of lifts || []) {
    const tr = document.createElement("tr");
    cell(tr, l.seq);
    cell(tr, (l.time || "").replace("T", " ").replace("Z", ""));
    cell(tr, l.container);
    cell(tr, l.outcome, "outcome-" + l.outcome);
    cell(tr, l.net === null ? null : l.net + " " + l.unit);
    cell(tr, (l.flags || []).join(" "));
    body.appendChild(tr);
  }
}

function render(s) {
  text("device", s.device);
  const badge = document.getElementById("readiness");
  badge.textContent = s.ready ? "ready" : "not ready: " + s.reason;
  badge.className = "badge " + (s.ready ? "ready" : "notready");
  renderSensors(s.sensors);
  text("chain-size", s.chain.tree_size);
  text("chain-blocks", s.chain.blocks);
  text("chain-checkpoints", s.chain.checkpoints);
  text("chain-last", s.chain.last_checkpoint);
  text("outbox-connected", s.outbox.connected ? "yes" : "no");
  text("outbox-depth", s.outbox.depth);
  text("outbox-age", Math.round(s.outbox.oldest_age_ms / 1000) + " s");
  text("receipt", s.last_receipt ? "tree size " + s.last_receipt.tree_size + " by " + s.last_receipt.witness : null);
  const conflict = document.getElementById("witness-conflict");
  conflict.textContent = s.witness_conflict
    ? s.witness_conflict.count + ": " + s.witness_conflict.reason
    : "none";
  conflict.className = s.witness_conflict ? "alarm" : "";
  const cal = document.getElementById("calibration");
  cal.replaceChildren();
  for (const k of Object.keys(s.calibration || {})) {
    const dt = document.createElement("dt");
    dt.textContent = k.replace(/_/g, " ");
    const dd = document.createElement("dd");
    dd.textContent = s.calibration[k];
    cal.append(dt, dd);
  }
  renderLifts(s.last_lifts);
  text("updated", "updated " + new Date().toISOString());
}

async function poll() {
  try {
    const res = await fetch("/api/status", { cache: "no-store" });
    render(await res.json());
  } catch (e) {
    const badge = document.getElementById("readiness");
    badge.textContent = "agent unreachable";
    badge.className = "badge notready";
  }
}

poll();
setInterval(poll, 1000);
