// A small self-contained page for trying queries: it loads nothing from any other host, because
// province data centres are often closed networks.
export const landingPage = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Nền tảng chính quyền điện tử – GraphQL</title>
<style>
body{font:14px system-ui,sans-serif;margin:0;display:grid;grid-template-columns:1fr 1fr;height:100vh}
section{display:flex;flex-direction:column;padding:12px;gap:8px;min-height:0}
textarea,pre{flex:1;font:13px ui-monospace,monospace;border:1px solid #ccc;border-radius:4px;padding:8px;margin:0;overflow:auto}
input{font:13px ui-monospace,monospace;padding:4px}
button{padding:6px 16px;font-weight:600}
label{display:flex;gap:8px;align-items:center}
</style></head><body>
<section>
<h3 style="margin:0">GraphQL – /graphql</h3>
<label>X-Province <input id="province" placeholder="92 hoặc can-tho" size="14"></label>
<label>Bearer <input id="token" placeholder="npm run token -- --province 92 --role official" style="flex:1"></label>
<textarea id="query">{
  province { name gsoCode status }
  agencies(first: 10) { totalCount edges { node { code name kind } } }
}</textarea>
<textarea id="variables" style="flex:0 0 80px">{}</textarea>
<button id="run">Chạy (Ctrl+Enter)</button>
</section>
<section><pre id="result"></pre></section>
<script>
const $ = (id) => document.getElementById(id);
async function run() {
  const headers = { 'content-type': 'application/json' };
  if ($('province').value) headers['x-province'] = $('province').value;
  if ($('token').value) headers.authorization = 'Bearer ' + $('token').value;
  let variables = {};
  try { variables = JSON.parse($('variables').value || '{}'); } catch (e) { $('result').textContent = 'Biến không phải JSON: ' + e.message; return; }
  const response = await fetch(location.pathname, { method: 'POST', headers, body: JSON.stringify({ query: $('query').value, variables }) });
  $('result').textContent = JSON.stringify(await response.json(), null, 2);
}
$('run').onclick = run;
document.addEventListener('keydown', (e) => { if (e.ctrlKey && e.key === 'Enter') run(); });
</script></body></html>`;
