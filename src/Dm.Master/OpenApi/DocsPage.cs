namespace Dm.Master.OpenApi;

/// <summary>
/// The API page at /api/v1/docs. Self-contained (no CDN, unlike DM's Swagger page): it reads
/// /api/v1/dm.json and lists every operation with its parameters and schemas, and can send a request.
/// </summary>
public static class DocsPage
{
    public const string Html = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>DM# OpenAPI</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.5em; border-bottom: 1px solid #ccc; }
details { border: 1px solid #ddd; border-radius: 4px; margin: .4em 0; padding: .3em .6em; }
summary { cursor: pointer; font-family: monospace; }
.m { display: inline-block; width: 4.5em; font-weight: bold; }
.GET { color: #0a6; } .POST { color: #06c; } .PUT { color: #c80; } .DELETE { color: #c22; }
pre { background: #f6f6f6; padding: .5em; overflow: auto; max-height: 24em; }
input, textarea { font-family: monospace; width: 100%; box-sizing: border-box; }
textarea { height: 8em; } button { margin: .4em 0; }
</style>
</head>
<body>
<h1>DM# OpenAPI <small id="version"></small></h1>
<p>Generated from the server's code: <a href="/api/v1/dm.json">/api/v1/dm.json</a>.</p>
<div id="ops">Loading…</div>
<script>
"use strict";
const esc = s => String(s).replace(/[&<>"]/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;"}[c]));
fetch("/api/v1/dm.json").then(r => r.json()).then(doc => {
  document.getElementById("version").textContent = doc.info.version;
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item))
      (byTag[op.tags[0]] ||= []).push({ path, method: method.toUpperCase(), op });
  const root = document.getElementById("ops");
  root.innerHTML = "";
  for (const [tag, ops] of Object.entries(byTag)) {
    const h = document.createElement("h2"); h.textContent = tag; root.appendChild(h);
    for (const { path, method, op } of ops) root.appendChild(render(doc, path, method, op));
  }
}).catch(e => { document.getElementById("ops").textContent = "Cannot load /api/v1/dm.json: " + e; });

function render(doc, path, method, op) {
  const d = document.createElement("details");
  const params = op.parameters || [];
  const body = op.requestBody ? op.requestBody.content["application/json"].schema : null;
  let html = `<summary><span class="m ${method}">${method}</span>${esc(path)} — ${esc(op.summary)}</summary>`;
  html += `<p>operationId <code>${esc(op.operationId)}</code></p>`;
  for (const p of params)
    html += `<label>${esc(p.name)} (${p.in}${p.required ? ", required" : ""})<input data-p="${esc(p.name)}" data-in="${p.in}"></label>`;
  if (body) html += `<label>body (${esc(ref(body))})<textarea data-body></textarea></label><pre>${esc(JSON.stringify(resolve(doc, body), null, 2))}</pre>`;
  html += `<p>Responses: ${Object.keys(op.responses).map(esc).join(", ")}</p><button>Send</button><pre data-out hidden></pre>`;
  d.innerHTML = html;
  d.querySelector("button").onclick = async () => {
    let url = path; const q = new URLSearchParams();
    for (const i of d.querySelectorAll("input[data-p]")) {
      if (i.dataset.in === "path") url = url.replace(`{${i.dataset.p}}`, encodeURIComponent(i.value));
      else if (i.value !== "") q.append(i.dataset.p, i.value);
    }
    if ([...q].length) url += "?" + q;
    const t = d.querySelector("textarea[data-body]");
    const init = { method, headers: {} };
    if (t && t.value.trim()) { init.body = t.value; init.headers["Content-Type"] = "application/json"; }
    const out = d.querySelector("pre[data-out]"); out.hidden = false;
    try { const r = await fetch(url, init); out.textContent = `${r.status} ${r.statusText}\n` + await r.text(); }
    catch (e) { out.textContent = String(e); }
  };
  return d;
}
function ref(s) { return s.$ref ? s.$ref.split("/").pop() : (s.type || "object"); }
function resolve(doc, s, depth = 0) {
  if (depth > 6 || !s || typeof s !== "object") return s;
  if (s.$ref) return resolve(doc, doc.components.schemas[s.$ref.split("/").pop()], depth + 1);
  const out = Array.isArray(s) ? [] : {};
  for (const [k, v] of Object.entries(s)) out[k] = resolve(doc, v, depth + 1);
  return out;
}
</script>
</body>
</html>
""";
}
