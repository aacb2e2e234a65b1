// ship.js — the dock: scan each package's label (its tracking number, or the Data Matrix with
// the package id) as it is handed to the carrier (POST /v1/ship/scans through the durable
// queue); the order ships with its last package. Lists the closed packages waiting here.
import {add, h, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'ship';

function st(app) {
  return Object.assign({last: null, dock: null}, app.flowState(FLOW, {}));
}

async function loadDock(app) {
  const r = await app.call('GET', '/v1/packages?state=closed&limit=50');
  if (!r.ok) return;
  const s = st(app);
  s.dock = r.json.items.map((p) => [p.tracking_number, p.carrier, p.sort_code || '']);
  app.saveFlow(FLOW, s);
  app.refresh(FLOW);
}

export default {
  render(root, app) {
    const s = st(app);
    const l = s.last;
    add(root, 
      h('h1', {text: 'Ship'}),
      h('div', {class: 'next', id: 'next', text: 'Scan each package label as it goes on the truck'}),
      l ? h('div', {class: 'card', id: 'last'},
        h('div', {class: 'big', text: l.package.tracking_number}),
        h('div', {text: `package ${l.package.state} · order ${l.order.client_order_id || l.order.id} ${l.order.state} (${l.order.shipped} of ${l.order.packages} packages)`})) : null,
      h('h2', {text: 'Closed packages at the dock'}),
      s.dock ? (s.dock.length ? table(['tracking', 'carrier', 'sort'], s.dock) : h('p', {class: 'meta', text: 'none'})) : h('p', {class: 'meta', text: '…'}),
      waitingList(app));
    if (!s.dock) loadDock(app);
  },

  async onScan(code, app) {
    await app.queue.add(FLOW, '/v1/ship/scans', {barcode: code}, {});
    app.refresh(FLOW);
  },

  onAnswer(e, r, app) {
    const s = st(app);
    s.last = r.json;
    s.dock = null;
    app.saveFlow(FLOW, s);
    app.msg('ok', `${r.json.package.tracking_number} shipped${r.json.order.state === 'shipped' ? ': order shipped' : ''}`);
    app.refresh(FLOW);
  },

  question() {
    return false;
  },
};
