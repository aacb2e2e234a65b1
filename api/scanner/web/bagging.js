// bagging.js — consolidation at the hub: open a bag (POST /v1/hub/bags: the server gives it a
// fresh SSCC, shown large to write on or match with the bag's label) or scan the SSCC of a bag
// already open, scan the received parcels into it (POST /v1/hub/bag-scans through the durable
// queue; the order when a label is unreadable), close it (POST /v1/hub/bags/{id}/close), then
// hand it to the line-haul.
import {problemText} from './api.js';
import {sscc} from './codes.js';
import {parcelName, parcels, stateText} from './hubreceipt.js';
import {add, h, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'bagging';

function st(app) {
  return Object.assign({bag: null, mode: 'label'}, app.flowState(FLOW, {}));
}

function saveSt(app, s) {
  app.saveFlow(FLOW, s);
  app.refresh(FLOW);
}

// How the server is told which bag: its id once known, else its SSCC.
function bagRef(bag) {
  return bag.id || bag.sscc;
}

async function openBag(app) {
  const r = await app.call('POST', '/v1/hub/bags');
  if (!r.ok) {
    app.msg('err', problemText(r));
    return;
  }
  saveSt(app, {bag: r.json, mode: 'label'});
  app.msg('ok', `bag opened: SSCC ${r.json.sscc}`);
}

async function closeBag(app) {
  const s = st(app);
  const r = await app.call('POST', `/v1/hub/bags/${encodeURIComponent(bagRef(s.bag))}/close`);
  if (r.ok || (r.status === 409 && r.json && r.json.state && r.json.state !== 'open')) {
    s.bag = r.ok ? r.json : Object.assign(s.bag, {state: r.json.state});
    saveSt(app, s);
    app.msg('ok', `bag ${s.bag.sscc} closed with ${parcels(s.bag.parcels)}: hand it to the line-haul`);
    return;
  }
  app.msg('err', problemText(r));
}

export default {
  render(root, app) {
    const s = st(app);
    const b = s.bag;
    add(root, h('h1', {text: 'Consolidate'}));
    if (!b) {
      add(root, h('div', {class: 'next', id: 'next', text: 'Open a new bag, or scan the SSCC of an open bag'}),
        h('button', {type: 'button', id: 'open-bag', class: 'primary', text: 'Open a new bag', onclick: () => openBag(app)}),
        waitingList(app));
      return;
    }
    const pending = app.waiting(FLOW).length;
    const byOrder = s.mode === 'order';
    let next = 'Scan a received parcel into this bag';
    if (b.state === 'closed') next = 'Bag closed: take it to the line-haul and scan it there';
    else if (b.state === 'shipped') next = 'This bag has left: open a new bag';
    else if (byOrder) next = 'Label unreadable: scan or type the order number written on the parcel';
    add(root,
      h('div', {class: 'card', id: 'bag'},
        h('div', {class: 'meta', text: 'bag SSCC'}),
        h('div', {class: 'big mono', id: 'sscc', text: b.sscc || ''}),
        h('div', {class: 'product', id: 'bag-state', text: `${b.state || 'state known after the first scan'} · ${parcels(b.parcels)}`})),
      h('div', {class: 'next', id: 'next', text: next}),
      b.tasks && b.tasks.length ? table(['parcel', 'order', 'state'], b.tasks.map((t) => [parcelName(t), t.client_order_id, stateText(t.state)])) : null,
      h('div', {class: 'row'},
        b.state !== 'closed' && b.state !== 'shipped' ? h('button', {type: 'button', id: 'unreadable', class: byOrder ? 'primary' : '',
          text: byOrder ? 'Scan the label instead' : 'Label unreadable',
          onclick: () => saveSt(app, Object.assign(s, {mode: byOrder ? 'label' : 'order'}))}) : null,
        b.state === 'open' || !b.state ? h('button', {type: 'button', id: 'close-bag', class: 'primary',
          disabled: pending > 0 || !b.parcels, text: pending ? `Close bag (${pending} waiting)` : 'Close bag',
          onclick: () => closeBag(app)}) : null,
        b.state === 'closed' ? h('button', {type: 'button', id: 'to-linehaul', class: 'primary', text: 'Line-haul',
          onclick: () => app.go('linehaul')}) : null,
        h('button', {type: 'button', id: 'new-bag', class: 'quiet', text: 'Open a new bag', onclick: () => openBag(app)})),
      waitingList(app));
  },

  async onScan(code, app) {
    const s = st(app);
    const bagCode = s.mode === 'label' ? sscc(code) : null;
    if (bagCode) {
      if (!s.bag || bagCode !== s.bag.sscc) {
        saveSt(app, {bag: {sscc: bagCode}, mode: 'label'});
        app.msg('info', `bag ${bagCode}: scan parcels into it`);
      }
      return;
    }
    if (!s.bag) {
      app.msg('err', 'open a bag, or scan the SSCC of an open bag, first');
      return;
    }
    const body = {bag: bagRef(s.bag)};
    if (s.mode === 'order') body.order = code;
    else body.barcode = code;
    s.mode = 'label';
    app.saveFlow(FLOW, s);
    await app.queue.add(FLOW, '/v1/hub/bag-scans', body, {bag: body.bag});
    app.refresh(FLOW);
  },

  onAnswer(e, r, app) {
    const s = st(app);
    const bag = r.json.bag;
    if (s.bag && (e.ctx.bag === s.bag.id || e.ctx.bag === s.bag.sscc)) {
      s.bag = bag;
      saveSt(app, s);
    }
    app.msg('ok', `${parcelName(r.json.task)} into bag …${bag.sscc.slice(-6)} (${parcels(bag.parcels)})`);
  },

  question() {
    return false;
  },
};
