// packing.js — a pack station: choose the order (scan its id or tap it among the orders being
// picked), open a package of a box type (POST /v1/packages; an open one is found again), scan
// the items into it (POST /v1/pack/scans through the durable queue), weigh and close it (POST
// /v1/packages/{id}/close: carrier, tracking number, sort code) and print the label (GET
// /v1/packages/{id}/label, ZPL).
import {call, problemText} from './api.js';
import {isUuid} from './codes.js';
import {add, bar, h, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'packing';

function st(app) {
  return Object.assign({order: null, pkg: null, progress: null, last: null, closed: null, zpl: null}, app.flowState(FLOW, {}));
}

function put(app, s) {
  app.saveFlow(FLOW, s);
  app.render();
}

async function chooseOrder(app, id) {
  const r = await app.call('GET', `/v1/orders/${encodeURIComponent(id)}`);
  if (!r.ok) return app.msg('err', problemText(r));
  put(app, Object.assign(st(app), {order: {id: r.json.id, ref: r.json.client_order_id, state: r.json.state,
    lines: (r.json.lines || []).map((l) => ({sku: l.sku, qty: l.qty}))}, pkg: null, closed: null, zpl: null, last: null}));
  app.msg('info', `order ${r.json.client_order_id || r.json.id}`);
}

async function open(app, type) {
  const s = st(app);
  let r = await app.call('POST', '/v1/packages', {order: s.order.id, package_type: type});
  if (r.status === 409 && r.json && r.json.package_id) {
    app.msg('info', 'this order already has an open package: carrying on with it');
    r = await app.call('GET', `/v1/packages/${r.json.package_id}`);
  }
  if (!r.ok) return app.msg('err', problemText(r));
  s.pkg = {id: r.json.id, type: r.json.package_type};
  s.progress = r.json.progress || s.progress;
  s.next = r.json.next || 'item';
  put(app, s);
  app.msg('ok', `package ${type} open: scan the items`);
}

async function closePkg(app) {
  const s = st(app);
  const w = document.getElementById('weight');
  if (!w || !w.value) return app.msg('err', 'weigh the package and enter its weight in grams');
  let r = await app.call('POST', `/v1/packages/${s.pkg.id}/close`, {weight_g: Number(w.value)});
  if (r.status === 409 && r.json && r.json.tracking_number) r = await app.call('GET', `/v1/packages/${s.pkg.id}`);
  if (!r.ok) return app.msg('err', problemText(r));
  s.closed = {tracking: r.json.tracking_number, carrier: r.json.carrier, service: r.json.service, sort: r.json.sort_code,
    weight: r.json.chargeable_weight_g, next: r.json.next, order_state: r.json.order_state};
  const label = await call('GET', `/v1/packages/${s.pkg.id}/label`);
  s.zpl = label.ok ? label.text : null;
  put(app, s);
  app.msg('ok', `closed: ${s.closed.carrier} ${s.closed.tracking}`);
}

function printLabel(s) {
  const blob = new Blob([s.zpl], {type: 'application/zpl'});
  const a = h('a', {href: URL.createObjectURL(blob), download: `${s.closed.tracking}.zpl`});
  document.body.append(a);
  a.click();
  a.remove();
}

async function orderList(app, box) {
  const r = await app.call('GET', '/v1/orders?state=picking&limit=20');
  if (!r.ok) return app.msg('err', problemText(r));
  box.replaceChildren(h('h2', {text: 'Orders being picked'}), ...r.json.items.map((o) =>
    h('button', {type: 'button', class: 'quiet', 'data-order': o.client_order_id || o.id, onclick: () => chooseOrder(app, o.id),
      text: `${o.client_order_id || o.id} · ${o.lines.reduce((a, l) => a + l.qty, 0)} units`})));
  if (!r.json.items.length) box.append(h('p', {class: 'meta', text: 'none'}));
}

async function typeButtons(app, box) {
  const r = await app.call('GET', '/v1/package-types');
  if (!r.ok) return app.msg('err', problemText(r));
  box.replaceChildren(...r.json.items.map((t) => h('button', {type: 'button', 'data-type': t.code, onclick: () => open(app, t.code),
    text: `${t.code}: ${t.name}`})));
}

export default {
  render(root, app) {
    const s = st(app);
    add(root, h('h1', {text: 'Pack'}));
    if (!s.order) {
      const box = h('div', {class: 'card', id: 'orders'});
      add(root, h('div', {class: 'next', text: 'Scan the order, or choose it'}), box, waitingList(app));
      orderList(app, box);
      return;
    }
    add(root, h('div', {class: 'card'}, h('div', {class: 'big', text: s.order.ref || s.order.id}),
      h('div', {class: 'meta', text: s.order.lines.map((l) => `${l.qty} × ${l.sku}`).join(', ')})));
    if (s.closed) {
      add(root, 
        h('div', {class: 'card', id: 'closed'},
          h('div', {class: 'big', id: 'tracking', text: s.closed.tracking}),
          h('div', {text: `${s.closed.carrier} ${s.closed.service || ''} · sort ${s.closed.sort} · ${s.closed.weight} g chargeable`})),
        h('div', {class: 'next', text: s.closed.next === 'package' ? 'Units are left: open another package' : 'Order packed: put it on the dock'}),
        s.zpl ? h('pre', {class: 'zpl', id: 'zpl', text: s.zpl}) : null,
        h('div', {class: 'row'},
          s.zpl ? h('button', {type: 'button', id: 'print', class: 'primary', text: 'Print label', onclick: () => printLabel(s)}) : null,
          s.closed.next === 'package' ? h('button', {type: 'button', id: 'another', text: 'Another package', onclick: () => put(app, Object.assign(s, {pkg: null, closed: null, zpl: null}))}) : null,
          h('button', {type: 'button', id: 'next-order', text: 'Next order', onclick: () => put(app, {})})),
        waitingList(app));
      return;
    }
    if (!s.pkg) {
      const box = h('div', {class: 'grid', id: 'types'});
      add(root, h('div', {class: 'next', text: 'Choose the box'}), box,
        h('button', {type: 'button', class: 'quiet', id: 'other-order', text: 'Other order', onclick: () => put(app, {})}));
      typeButtons(app, box);
      return;
    }
    const p = s.progress || {};
    const pending = app.waiting(FLOW).length;
    const weight = h('input', {id: 'weight', type: 'number', min: '1', max: '1000000', inputmode: 'numeric', placeholder: 'grams, from the scale'});
    add(root, 
      bar(p.packed, p.picked, 'packed'),
      h('div', {class: 'next', id: 'next', text: s.next === 'close' ? 'All picked units packed: weigh and close' : 'Scan the items into the box'}),
      s.last && s.last.sku ? h('div', {class: 'card', id: 'last'}, h('div', {class: 'product', text: `${s.last.qty} × ${s.last.sku.name}`}),
        h('div', {class: 'meta', text: `line ${s.last.line.line}: ${s.last.line.packed} of ${s.last.line.picked} picked packed`})) : null,
      h('div', {class: 'meta', text: `package ${s.pkg.type} · ${s.pkg.id.slice(0, 8)}`}),
      p.lines ? table(['SKU', {t: 'picked'}, {t: 'packed'}, {t: 'left'}], p.lines.map((l) => [l.sku, String(l.picked), String(l.packed), String(l.left_to_pack)])) : null,
      h('label', {}, 'Weight (g)', weight),
      h('button', {type: 'button', id: 'close-package', class: 'primary', disabled: pending > 0,
        text: pending ? `Close (${pending} waiting)` : 'Close package', onclick: () => closePkg(app)}),
      waitingList(app));
  },

  async onScan(code, app) {
    const s = st(app);
    if (!s.order || s.closed) {
      if (isUuid(code) || /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(code)) return chooseOrder(app, code);
      return app.msg('err', 'scan the order first');
    }
    if (!s.pkg) return app.msg('err', 'choose the box first');
    await app.queue.add(FLOW, '/v1/pack/scans', {package: s.pkg.id, barcode: code}, {pkg: s.pkg.id});
    app.refresh(FLOW);
  },

  onAnswer(e, r, app) {
    const j = r.json;
    const s = st(app);
    if (s.pkg && s.pkg.id === e.ctx.pkg) {
      s.last = j;
      s.progress = j.progress || s.progress;
      s.next = j.next;
      app.saveFlow(FLOW, s);
    }
    app.msg('ok', `packed ${j.qty} × ${j.sku ? j.sku.sku_code : ''}`);
    app.refresh(FLOW);
  },

  question() {
    return false;
  },
};
