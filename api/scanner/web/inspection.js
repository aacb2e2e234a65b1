// inspection.js — a returns centre inspects a received return one unit at a time: scan the
// return label (or come from its receipt), then for each unit say its grade, what becomes of it
// (restock, quarantine, dispose, return to the seller) and who is liable (POST
// /v1/returns/inspection-scans through the durable queue, one scan per unit). A restocked unit
// waits in the centre's returns or receiving bin for the putaway screen; a quarantined one in
// its quarantine bin. The last unit closes the claim: the refunds the server issued are shown.
import {returnRef} from './returns.js';
import {add, bar, h, shown, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'inspection';
const EMPTY = {ret: null, last: null, done: null, hint: null, restocked: null};

const GRADES = [['new', 'New'], ['like_new', 'Like new'], ['used', 'Used'], ['damaged', 'Damaged'], ['defective', 'Defective']];
const DISPOSITIONS = [['restock', 'Restock (sellable)'], ['quarantine', 'Quarantine'], ['dispose', 'Dispose'],
  ['return_to_seller', 'Return to the seller']];
const LIABILITIES = [['seller', 'Seller'], ['buyer', 'Buyer'], ['carrier', 'Carrier'], ['warehouse', 'Warehouse']];

function st(app) {
  return Object.assign({}, EMPTY, app.flowState(FLOW, {}));
}

function saveSt(app, s) {
  app.saveFlow(FLOW, s);
  app.refresh(FLOW);
}

function select(id, label, options) {
  return h('label', {}, label, h('select', {id},
    h('option', {value: '', text: '— choose —'}), options.map(([v, t]) => h('option', {value: v, text: t}))));
}

// Amounts are integer cents.
function money(cents, currency) {
  const c = Number(cents || 0);
  return `${(c / 100).toFixed(2)}${currency ? ' ' + currency : ''}`;
}

// The units of the return being inspected: answered by the server and still waiting.
function counts(app, s) {
  const waiting = app.waiting(FLOW).filter((e) => e.body.barcode === s.ret.code).length;
  return {done: s.ret.inspected || 0, waiting, received: s.ret.received};
}

async function record(app) {
  const s = st(app);
  if (!s.ret) return;
  const v = (id) => (document.getElementById(id) || {}).value || '';
  const body = {barcode: s.ret.code, grade: v('grade'), disposition: v('disposition'), liability: v('liability')};
  const missing = ['grade', 'disposition', 'liability'].filter((k) => !body[k]);
  if (missing.length) {
    app.msg('err', `choose the unit's ${missing.join(', ')}`);
    return;
  }
  const c = counts(app, s);
  if (c.received != null && c.done + c.waiting >= c.received) {
    app.msg('err', `all ${c.received} units of ${s.ret.rma || s.ret.code} are inspected`);
    return;
  }
  await app.queue.add(FLOW, '/v1/returns/inspection-scans', body, {unit: c.done + c.waiting + 1});
  document.getElementById('disposition').value = '';
  app.msg('info', `unit ${c.done + c.waiting + 1}: ${body.grade} → ${body.disposition}, ${body.liability} liable — sending`);
  app.refresh(FLOW);
}

function refundsTable(refunds) {
  return table(['liable', 'state', {t: 'amount'}], (refunds || []).map((f) =>
    [f.liability, f.state, money(f.amount, f.currency)]), (i) => refunds[i].state === 'failed');
}

export default {
  render(root, app) {
    const s = st(app);
    let next = 'Scan the return label (RMA)';
    let c = null;
    let all = false;
    if (s.ret) {
      c = counts(app, s);
      const n = c.done + c.waiting + 1;
      all = c.received != null && n > c.received;
      next = all ? 'Every unit inspected: scan the next return label'
        : `Unit ${n}${c.received != null ? ` of ${c.received}` : ''}: grade, disposition, liability, then Record`;
    }
    add(root,
      h('h1', {text: 'Inspect returns'}),
      h('div', {class: 'next', id: 'next', text: next}),
      s.hint ? h('div', {class: 'card warn', id: 'hint', text: s.hint}) : null,
      s.done ? h('div', {class: 'card', id: 'done'},
        h('div', {class: 'product', text: `${s.done.rma} inspected: claim closed`}),
        s.done.refunds.length ? refundsTable(s.done.refunds) : h('div', {class: 'meta', text: 'no refund'})) : null,
      s.ret ? [
        h('div', {class: 'card', id: 'return'}, h('div', {class: 'big', id: 'return-ref', text: s.ret.rma || s.ret.code})),
        c.received != null ? bar(c.done, c.received, 'inspected') : null,
        all ? null : [select('grade', 'Grade', GRADES), select('disposition', 'Disposition', DISPOSITIONS),
          select('liability', 'Liable', LIABILITIES),
          h('button', {type: 'button', class: 'primary', id: 'record', text: 'Record this unit', onclick: () => record(app)})]] : null,
      s.last ? h('div', {class: 'card', id: 'last'},
        h('div', {class: 'product', text: `unit ${s.last.unit}: ${s.last.grade.replace(/_/g, ' ')} → ${s.last.disposition.replace(/_/g, ' ')}`}),
        h('div', {class: 'meta', text: `${s.last.liability} liable${s.last.bin ? ` · now in ${s.last.bin}` : ''}${s.last.lot ? ` · lot ${s.last.lot}` : ''}`})) : null,
      s.restocked ? h('button', {type: 'button', id: 'to-putaway', text: `Put away the restocked units (${s.restocked.qty} in ${s.restocked.bin})`,
        onclick: () => {
          const cur = st(app);
          const from = cur.restocked.bin;
          cur.restocked = null;
          app.saveFlow(FLOW, cur);
          app.saveFlow('putaway', Object.assign(app.flowState('putaway', {}), {from, item: null, stock: null}));
          app.go('putaway');
        }}) : null,
      waitingList(app));
  },

  onScan(code, app) {
    const ref = returnRef(code);
    if (!ref) {
      app.msg('err', `${shown(code)} is not a return label: scan the RMA label`);
      return;
    }
    const s = st(app);
    if (s.ret && s.ret.code === ref) return;
    Object.assign(s, {ret: {code: ref, rma: /^RMA/.test(ref) ? ref : null, received: null, inspected: 0}, last: null,
      done: null, hint: null});
    saveSt(app, s);
    app.msg('info', `return ${ref}: inspect unit 1`);
  },

  onAnswer(e, r, app) {
    const s = st(app);
    const j = r.json;
    const u = j.unit;
    if (s.ret && (s.ret.code === e.body.barcode || s.ret.rma === j.return.rma)) {
      s.ret.rma = j.return.rma;
      s.ret.received = j.progress.received;
      s.ret.inspected = Math.max(s.ret.inspected || 0, j.progress.inspected);
    }
    s.last = u;
    s.hint = null;
    if (u.disposition === 'restock' && u.bin) {
      const same = s.restocked && s.restocked.bin === u.bin;
      s.restocked = {bin: u.bin, qty: (same ? s.restocked.qty : 0) + 1};
    }
    if (j.next === 'done') s.done = {rma: j.return.rma, refunds: j.refunds || []};
    saveSt(app, s);
    app.msg('ok', `${j.return.rma} unit ${u.unit}: ${u.disposition.replace(/_/g, ' ')}${u.bin ? ' → ' + u.bin : ''}` +
      `${j.next === 'done' ? ' · all inspected, claim closed' : ''}${r.replayed ? ' (already sent)' : ''}`);
  },

  onRefused(e, r, app) {
    const s = st(app);
    const j = r.json || {};
    if (r.status === 409 && j.next === 'receive') s.hint = `Return ${j.rma} has not been received: receive it first.`;
    else if (r.status === 409 && j.next === 'return') s.hint = `Every received unit of ${j.rma} is inspected (${j.inspected}).`;
    else if (r.status === 404) s.hint = `No return ${shown(e.body.barcode)} at this returns centre: check the label.`;
    else s.hint = null;
    saveSt(app, s);
  },

  question() {
    return false;
  },
};
