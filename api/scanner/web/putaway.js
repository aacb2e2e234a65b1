// putaway.js — putting received stock away: scan an item, say how many (or let the barcode's
// count say it), scan the bin it goes to (POST /v1/putaway/scans through the durable queue).
// The source is RECEIVING unless another bin is chosen (QUARANTINE moves quarantined stock, to
// quarantine bins only); the screen lists what is still waiting in the source bin.
import {looksLikeBin} from './codes.js';
import {add, h, shown, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'putaway';

function st(app) {
  return Object.assign({item: null, from: 'RECEIVING', last: null, stock: null}, app.flowState(FLOW, {}));
}

async function loadStock(app) {
  const s = st(app);
  const r = await app.call('GET', `/v1/inventory?location=${encodeURIComponent(s.from)}&limit=50`);
  if (!r.ok) return;
  const cur = st(app);
  cur.stock = r.json.items.map((i) => ({sku: i.sku.sku_code, lot: i.lot || '', expiry: i.expiry || '', qty: i.qty}));
  app.saveFlow(FLOW, cur);
  app.refresh(FLOW);
}

export default {
  render(root, app) {
    const s = st(app);
    const qty = h('input', {id: 'qty', type: 'number', min: '1', inputmode: 'numeric', placeholder: 'from the barcode, else 1',
      value: s.item && s.item.qty ? String(s.item.qty) : ''});
    qty.addEventListener('change', () => {
      const cur = st(app);
      if (cur.item) {
        cur.item.qty = qty.value ? Number(qty.value) : null;
        app.saveFlow(FLOW, cur);
      }
    });
    const from = h('select', {id: 'from'}, ['RECEIVING', 'QUARANTINE', s.from].filter((b, i, a) => a.indexOf(b) === i).map((b) => h('option', {value: b, text: b})));
    from.value = s.from;
    from.addEventListener('change', () => {
      const cur = st(app);
      cur.from = from.value;
      cur.stock = null;
      app.saveFlow(FLOW, cur);
      loadStock(app);
    });
    const last = s.last;
    add(root, 
      h('h1', {text: 'Put away'}),
      h('div', {class: 'next', id: 'next', text: s.item ? 'Scan the destination bin' : 'Scan an item to put away'}),
      s.item ? h('div', {class: 'card', id: 'item'}, h('div', {class: 'product mono', text: shown(s.item.code)}),
        h('div', {class: 'meta', text: `from ${s.from}`})) : null,
      h('div', {class: 'row'}, h('label', {}, 'Quantity', qty), h('label', {}, 'From', from)),
      last ? h('div', {class: 'card', id: 'last'},
        h('div', {class: 'product', text: `${last.qty} × ${last.sku ? last.sku.name : ''}`}),
        h('div', {class: 'meta', text: `${last.from.bin} (${last.from.qty} left) → ${last.to.bin} (now ${last.to.qty})`})) : null,
      s.item ? h('button', {type: 'button', class: 'quiet', id: 'drop-item', text: 'Scan another item', onclick: () => {
        const cur = st(app);
        cur.item = null;
        app.saveFlow(FLOW, cur);
        app.render();
      }}) : null,
      h('h2', {text: `Waiting in ${s.from}`}),
      s.stock ? (s.stock.length ? table(['SKU', 'lot', 'expiry', {t: 'qty'}], s.stock.map((x) => [x.sku, x.lot, x.expiry, String(x.qty)]))
        : h('p', {class: 'meta', text: 'nothing'})) : h('p', {class: 'meta', text: '…'}),
      waitingList(app));
    if (!s.stock) loadStock(app);
  },

  async onScan(code, app) {
    const s = st(app);
    if (!s.item || !looksLikeBin(code)) {
      if (looksLikeBin(code) && !s.item) {
        app.msg('err', `${code} looks like a bin: scan the item first`);
        return;
      }
      s.item = {code, qty: null};
      app.saveFlow(FLOW, s);
      app.render();
      return;
    }
    const body = {barcode: s.item.code, to_bin: code};
    if (s.item.qty) body.qty = s.item.qty;
    const q = document.getElementById('qty');
    if (q && q.value) body.qty = Number(q.value);
    if (q) q.value = '';
    if (s.from !== 'RECEIVING') body.from = s.from;
    if (s.from === 'QUARANTINE') body.status = 'quarantine';
    s.item = null;
    app.saveFlow(FLOW, s);
    await app.queue.add(FLOW, '/v1/putaway/scans', body, {});
    app.render();
  },

  onAnswer(e, r, app) {
    const s = st(app);
    s.last = r.json;
    s.stock = null;
    app.saveFlow(FLOW, s);
    const j = r.json;
    app.msg('ok', `${j.qty} × ${j.sku ? j.sku.sku_code : ''} → ${j.to.bin}`);
    app.refresh(FLOW);
  },

  question() {
    return false;
  },
};
