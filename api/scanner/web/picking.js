// picking.js — picking a pick list: claim work (POST /v1/pick-lists/claim: the operator's own
// list, a released one, or a new batch), then walk the bins in the order the server gives: scan
// the bin, then the item (POST /v1/pick/scans through the durable queue); report a short bin
// with a count (POST /v1/pick/stock-issue); hand the list back (release).
import {problemText} from './api.js';
import {looksLikeBin} from './codes.js';
import {add, bar, h, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'picking';

function st(app) {
  return Object.assign({list: null, next: null, progress: null, bin: null, last: null}, app.flowState(FLOW, {}));
}

function take(app, doc) {
  const s = st(app);
  s.list = {id: doc.id, orders: (doc.orders || []).map((o) => o.client_order_id || o.id), tasks: doc.tasks || []};
  s.next = doc.next;
  s.progress = doc.progress;
  s.bin = null;
  s.last = null;
  app.saveFlow(FLOW, s);
  app.render();
}

async function claim(app) {
  const r = await app.call('POST', '/v1/pick-lists/claim', {});
  if (!r.ok) return app.msg('err', problemText(r));
  if (r.json.claimed === 'none') return app.msg('info', r.json.detail || 'no work to pick');
  app.msg('ok', `pick list claimed (${r.json.claimed}): ${r.json.progress.units} units`);
  take(app, r.json);
}

async function release(app) {
  const s = st(app);
  const r = await app.call('POST', `/v1/pick-lists/${s.list.id}/release`);
  if (!r.ok && !(r.status === 409 && r.json && r.json.state)) return app.msg('err', problemText(r));
  app.saveFlow(FLOW, {});
  app.msg('info', r.ok ? `list handed back (${r.json.state})` : `list is ${r.json.state}`);
  app.render();
}

function stockIssue(app) {
  const s = st(app);
  const n = s.next || {};
  const counted = h('input', {id: 'counted', type: 'number', min: '0', inputmode: 'numeric'});
  app.ask(`Count ${n.sku || 'the item'} in ${n.bin || s.bin}`,
    [h('p', {text: `${n.name || ''}: how many units are really in the bin?`}), h('label', {}, 'Counted', counted)],
    [{label: 'Report', id: 'confirm', cls: 'danger', run: async () => {
      if (counted.value === '') return app.msg('err', 'enter the count');
      await app.queue.add(FLOW, '/v1/pick/stock-issue', {pick_list: s.list.id, bin: n.bin || s.bin,
        gtin: n.gtin, counted: Number(counted.value), ...(n.lot ? {lot: n.lot} : {})}, {list: s.list.id});
    }}, {label: 'Cancel', id: 'cancel', run: () => {}}]);
  setTimeout(() => counted.focus(), 0);
}

// The list's tasks as the server has them now (the picked counts), for the table.
async function reloadTasks(app, id) {
  const r = await app.call('GET', `/v1/pick-lists/${id}`);
  const s = st(app);
  if (!r.ok || !s.list || s.list.id !== id) return;
  s.list.tasks = r.json.tasks || s.list.tasks;
  app.saveFlow(FLOW, s);
  app.refresh(FLOW);
}

function instruction(n) {
  if (!n) return 'Claim a pick list';
  switch (n.step) {
  case 'bin': return `Go to bin ${n.bin} and scan it`;
  case 'item': return n.sku ? `Pick ${n.qty} × ${n.name || n.sku} (${n.sku}) from ${n.bin}` : `Scan the item (${n.qty ?? ''} left here)`;
  case 'done': return 'List done: take the units to packing';
  case 'claim': return 'Claim the list again';
  default: return 'Nothing to pick';
  }
}

export default {
  render(root, app) {
    const s = st(app);
    add(root, h('h1', {text: 'Pick'}));
    if (!s.list) {
      add(root, h('div', {class: 'next', text: 'Claim a pick list'}),
        h('button', {type: 'button', id: 'claim', class: 'primary', text: 'Claim work', onclick: () => claim(app)}),
        waitingList(app));
      return;
    }
    const n = s.next || {};
    const qty = h('input', {id: 'qty', type: 'number', min: '1', inputmode: 'numeric', placeholder: 'from the barcode, else 1'});
    add(root, 
      h('div', {class: 'meta', text: `list ${s.list.id.slice(0, 8)} · orders ${s.list.orders.join(', ')}`}),
      s.progress ? bar(s.progress.picked, s.progress.units, 'picked') : null,
      h('div', {class: 'next', id: 'next', text: instruction(n)}),
      s.last && s.last.sku ? h('div', {class: 'card', id: 'last'}, h('div', {class: 'product', text: `${s.last.qty} × ${s.last.sku.name}`}),
        h('div', {class: 'meta', text: `→ ${s.last.to ? s.last.to.bin : 'PACKING'}`})) : null,
      n.step === 'item' ? h('label', {}, 'Quantity', qty) : null,
      h('div', {class: 'row'},
        n.step === 'done' || n.step === 'none' ? h('button', {type: 'button', id: 'claim', class: 'primary', text: 'Claim next', onclick: () => claim(app)}) : null,
        n.step === 'item' ? h('button', {type: 'button', id: 'stock-issue', class: 'danger', text: 'Short / count', onclick: () => stockIssue(app)}) : null,
        n.step !== 'done' ? h('button', {type: 'button', id: 'release', class: 'quiet', text: 'Hand back', onclick: () => release(app)}) : null),
      h('h2', {text: 'Tasks'}),
      table(['bin', 'SKU', 'lot', {t: 'qty'}, {t: 'picked'}], s.list.tasks.map((t) => [t.bin, t.sku, t.lot || '', String(t.qty), String(t.picked)])),
      waitingList(app));
  },

  async onScan(code, app) {
    const s = st(app);
    if (!s.list) return app.msg('err', 'claim a pick list first');
    const n = s.next || {};
    if (n.step === 'done') return app.msg('err', 'this list is done: claim the next');
    if (looksLikeBin(code) && (n.step === 'bin' || !s.bin || code !== s.bin)) {
      s.bin = code;
      app.saveFlow(FLOW, s);
      await app.queue.add(FLOW, '/v1/pick/scans', {pick_list: s.list.id, bin: code}, {list: s.list.id});
      return app.refresh(FLOW);
    }
    const bin = s.bin || n.bin;
    if (!bin) return app.msg('err', 'scan the bin first');
    const body = {pick_list: s.list.id, bin, barcode: code};
    const q = document.getElementById('qty');
    if (q && q.value) body.qty = Number(q.value);
    if (q) q.value = '';
    await app.queue.add(FLOW, '/v1/pick/scans', body, {list: s.list.id});
    app.refresh(FLOW);
  },

  onAnswer(e, r, app) {
    const j = r.json;
    const s = st(app);
    if (s.list && s.list.id === e.ctx.list) {
      s.next = j.next || s.next;
      s.progress = j.progress || s.progress;
      if (j.sku) s.last = j;
      if (j.tasks) s.list.tasks = j.tasks;
      if (j.next && j.next.step === 'bin') s.bin = null;
      app.saveFlow(FLOW, s);
    }
    if (s.list && s.list.id === e.ctx.list) reloadTasks(app, s.list.id);
    if (e.path === '/v1/pick/stock-issue') app.msg('ok', `counted ${j.counted}: ${j.missing} missing`);
    else if (j.sku) app.msg('ok', `picked ${j.qty} × ${j.sku.sku_code}`);
    else app.msg('ok', `at bin ${e.body.bin}`);
    app.refresh(FLOW);
  },

  question() {
    return false;
  },
};
