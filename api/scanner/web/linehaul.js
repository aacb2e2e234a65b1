// linehaul.js — the line-haul hand-over at the hub: scan each closed bag's SSCC as it goes on
// the truck (POST /v1/hub/linehaul-scans through the durable queue); every parcel in it, and
// its order, ships. Shows the last bag with the departure each parcel leaves on.
import {localTime, parcelName, parcels} from './hubreceipt.js';
import {add, h, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'linehaul';

function st(app) {
  return Object.assign({last: null, next: null}, app.flowState(FLOW, {}));
}

function departure(t) {
  if (!t.departure) return '';
  const at = localTime(t.departure.aimed_for);
  return t.departure.on === 'aimed' ? `as aimed (${at})` : `next: missed ${at}`;
}

export default {
  render(root, app) {
    const s = st(app);
    const b = s.last;
    add(root,
      h('h1', {text: 'Line-haul'}),
      h('div', {class: 'next', id: 'next', text: s.next === 'bag' ? 'Scan the next closed bag going on the line-haul truck'
        : 'Scan each closed bag as it goes on the line-haul truck'}),
      b ? h('div', {class: 'card', id: 'shipped-bag'},
        h('div', {class: 'meta', text: 'bag SSCC'}),
        h('div', {class: 'big mono', text: b.sscc}),
        h('div', {class: 'product', id: 'linehaul-state', text: `${b.state} · ${parcels(b.parcels)}`})) : null,
      b ? table(['parcel', 'order', 'departure'], b.tasks.map((t) => [parcelName(t), t.client_order_id, departure(t)])) : null,
      waitingList(app));
  },

  async onScan(code, app) {
    await app.queue.add(FLOW, '/v1/hub/linehaul-scans', {bag: code}, {});
    app.refresh(FLOW);
  },

  onAnswer(e, r, app) {
    const s = st(app);
    s.last = r.json.bag;
    s.next = r.json.next;
    app.saveFlow(FLOW, s);
    app.msg('ok', `bag …${s.last.sscc.slice(-6)} on the line-haul: ${parcels(s.last.parcels)} shipped`);
    app.refresh(FLOW);
  },

  question() {
    return false;
  },
};
