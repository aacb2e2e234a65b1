// hubreceipt.js — a consolidation hub receives JIT parcels: scan the parcel's label (the Code
// 128 tracking number, or the Data Matrix task id) or, when the label cannot be read, the order
// written on the parcel (POST /v1/hub/receipt-scans through the durable queue); the answer shows
// the order's expected lines to check the contents against, a late receipt (the route re-quoted
// from now, at risk or not) as a question to acknowledge, and a problem with the parcel (wrong
// item, wrong quantity, damaged, no readable label) is recorded as an exception with what was
// found.
import * as beep from './feedback.js';
import {add, h, shown, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'hubreceipt';
const REASONS = [['wrong_item', 'Wrong item'], ['wrong_quantity', 'Wrong quantity'], ['damaged', 'Damaged'],
  ['no_readable_label', 'No readable label']];

function st(app) {
  return Object.assign({mode: 'label', last: null, hint: null}, app.flowState(FLOW, {}));
}

function saveSt(app, s) {
  app.saveFlow(FLOW, s);
  app.refresh(FLOW);
}

// A local time as the server writes it (2026-12-08T03:30:00+08:00) as people read it
// (2026-12-08 03:30 +08:00).
export function localTime(t) {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.exec(t || '');
  return m ? `${m[1]} ${m[2]} ${m[3] === 'Z' ? 'UTC' : m[3]}` : (t || '');
}

// A task's or bag's state in words.
export function stateText(state) {
  return String(state || '').replace(/_/g, ' ');
}

// "1 parcel", "2 parcels".
export function parcels(n) {
  return `${n ?? 0} parcel${n === 1 ? '' : 's'}`;
}

// What names the parcel: its tracking number, else its order.
export function parcelName(t) {
  return t.tracking_number || t.client_order_id || t.order_id || t.id;
}

// The re-quote of a late receipt in one line.
function requoteText(q) {
  if (!q) return 'the route was not re-quoted';
  if (q.status === 'not_quoted') return `not re-quoted (${q.detail}): at risk`;
  const p = Math.round((q.p_on_time || 0) * 100);
  return `route re-quoted from now: ${p}% on time by the promise${q.at_risk ? ' — AT RISK' : ''}`;
}

// The parcel just received: what it is, its deadline, late or not, and what should be inside.
function parcelCard(s) {
  const t = s.last.task;
  const d = t.handover_deadline || {};
  return [
    h('div', {class: 'card', id: 'parcel'},
      h('div', {class: 'big', id: 'parcel-ref', text: parcelName(t)}),
      h('div', {class: 'meta', text: `order ${t.client_order_id} · ${t.seller || ''} · hand-over by ${localTime(d.local)}`}),
      h('div', {id: 'parcel-state', class: t.state === 'exception' || t.late || t.at_risk ? 'product warn' : 'product',
        text: t.state === 'exception' ? `exception: ${t.exception ? stateText(t.exception.reason) : ''}`
          : `${stateText(t.state)}${t.late ? ' · LATE' : ''}${t.at_risk ? ' · at risk' : ''}`}),
      t.exception && t.exception.found ? h('div', {class: 'meta', text: `found: ${t.exception.found}`}) : null,
      t.late ? h('div', {class: 'meta', text: requoteText(t.requote)}) : null),
    h('h2', {text: 'Should contain'}),
    table(['SKU', 'item', {t: 'qty'}], (s.last.expected || []).map((l) => [l.sku, l.name, String(l.qty)])),
  ];
}

// Asks what is wrong with the parcel and records it as an exception (the same receipt scan
// with `exception`, a scan of its own).
function problem(app) {
  const s = st(app);
  const t = s.last.task;
  const found = h('input', {id: 'found', maxlength: '200', placeholder: 'e.g. 1 × CBL-USB instead'});
  const note = h('input', {id: 'note', maxlength: '200'});
  const send = (reason) => async () => {
    const ex = {reason};
    if (found.value.trim()) ex.found = found.value.trim();
    if (note.value.trim()) ex.note = note.value.trim();
    await app.queue.add(FLOW, '/v1/hub/receipt-scans', {barcode: t.id, exception: ex}, {});
    app.refresh(FLOW);
  };
  app.ask(`What is wrong with ${parcelName(t)}?`, [
    h('p', {class: 'meta', text: `expected: ${(s.last.expected || []).map((l) => `${l.qty} × ${l.sku}`).join(', ')}`}),
    h('label', {}, 'What was found', found), h('label', {}, 'Note', note)],
  [...REASONS.map(([id, label]) => ({label, id, cls: 'danger', run: send(id)})),
    {label: 'Nothing: back', id: 'cancel', run: () => {}}]);
}

export default {
  render(root, app) {
    const s = st(app);
    const byOrder = s.mode === 'order';
    let next = 'Scan the parcel label';
    if (byOrder) next = 'Label unreadable: scan or type the order number written on the parcel';
    else if (s.last && s.last.task.state === 'exception') next = 'Set the parcel aside with the exceptions; scan the next parcel label';
    else if (s.last && s.last.next === 'parcel') next = 'Check the contents, then scan the next parcel label';
    add(root,
      h('h1', {text: 'Hub receipt'}),
      h('div', {class: 'next', id: 'next', text: next}),
      s.hint ? h('div', {class: 'card warn', id: 'hint', text: s.hint}) : null,
      s.last ? parcelCard(s) : null,
      h('div', {class: 'row'},
        h('button', {type: 'button', id: 'unreadable', class: byOrder ? 'primary' : '', text: byOrder ? 'Scan the label instead' : 'Label unreadable',
          onclick: () => saveSt(app, Object.assign(s, {mode: byOrder ? 'label' : 'order', hint: null}))}),
        s.last && s.last.task.state === 'received_at_hub' ? h('button', {type: 'button', id: 'problem', class: 'danger',
          text: 'Problem with this parcel', onclick: () => problem(app)}) : null),
      waitingList(app));
  },

  async onScan(code, app) {
    const s = st(app);
    const body = s.mode === 'order' ? {order: code} : {barcode: code};
    s.mode = 'label';
    s.hint = null;
    app.saveFlow(FLOW, s);
    await app.queue.add(FLOW, '/v1/hub/receipt-scans', body, {});
    app.refresh(FLOW);
  },

  onAnswer(e, r, app) {
    const s = st(app);
    const t = r.json.task;
    s.last = {task: t, expected: r.json.expected, next: r.json.next};
    s.hint = null;
    saveSt(app, s);
    if (t.state === 'exception') {
      app.msg('ok', `${parcelName(t)}: exception recorded (${t.exception ? t.exception.reason : e.body.exception.reason})`);
      return;
    }
    app.msg('ok', `${parcelName(t)} received · order ${t.client_order_id}${r.replayed ? ' (already sent)' : ''}`);
    if (t.late && !r.replayed) {
      app.ask(t.at_risk ? 'Late parcel: at risk' : 'Late parcel', [
        h('p', {class: 'product', text: parcelName(t)}),
        h('p', {text: `received after its hand-over deadline ${localTime((t.handover_deadline || {}).local)}`}),
        h('p', {text: requoteText(t.requote)})],
      [{label: 'Continue', id: 'confirm', cls: 'primary', run: () => {}}]);
      if (t.at_risk) beep.error();
    }
  },

  onRefused(e, r, app) {
    const s = st(app);
    if (r.status === 404 && e.body.barcode) {
      s.hint = `No parcel with label ${shown(e.body.barcode)} at this hub. Check the label, or tap Label unreadable and scan the order.`;
    } else if (r.status === 409 && r.json && r.json.received_at) {
      s.hint = `Already received at ${localTime(r.json.received_at)}: put it with the received parcels.`;
    } else {
      s.hint = null;
    }
    saveSt(app, s);
  },

  question() {
    return false;
  },
};
