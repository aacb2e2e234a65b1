// returns.js — a returns centre receives a return: scan the return label (the RMA code's Code
// 128, or the Data Matrix with the return's id), and the return is read (GET /v1/returns/{id}:
// what it authorises, shown as "expected 2 × EB-100"), then every item in the parcel; the items
// are counted on the device, grouped by GTIN — the authorised item, counted against what was
// authorised, and the items the return does not authorise (sent as wrong items). When the
// return cannot be read (no connection) the first item scanned is taken as the returned one
// unless the operator marks another. A return already received is refused at its label.
// Finish sends one receipt scan (POST /v1/returns/receipt-scans through the durable queue): more
// than authorised is the server's question (confirm_over_return), answered by sending the same
// scan again confirmed; the answer's summary (authorised, received, missing, extra, wrong items)
// is shown and inspection comes next.
import {problemText} from './api.js';
import {isUuid, stripAim} from './codes.js';
import {add, h, shown, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'returns';
const EMPTY = {ret: null, auth: null, items: [], last: null, hint: null};

function st(app) {
  return Object.assign({}, EMPTY, app.flowState(FLOW, {}));
}

function saveSt(app, s) {
  app.saveFlow(FLOW, s);
  app.refresh(FLOW);
}

// The return named by a label scan: the RMA code (RMA and 12 hex digits) or the return's id.
export function returnRef(code) {
  const c = stripAim(code).trim();
  if (/^RMA[0-9A-F]{12}$/.test(c) || isUuid(c)) return c;
  return null;
}

// An item's GTIN-14 from its barcode (EAN/UPC digits padded, or a GS1 barcode's AI 01), so
// that one item scanned from two barcodes counts once; else null.
function gtin(code) {
  const c = stripAim(code).replace(/^\(01\)/, '01');
  const m = /^01(\d{14})/.exec(c);
  if (m && c.length > 14) return m[1];
  return /^\d{8,14}$/.test(c) ? c.padStart(14, '0') : null;
}

// The scan that a finished count sends.
function receiptBody(s) {
  const mine = s.items.find((i) => i.returned);
  return {barcode: s.ret, qty: mine ? mine.qty : 0,
    wrong_items: s.items.filter((i) => !i.returned && i.qty > 0).map((i) => ({gtin: i.gtin, qty: i.qty}))};
}

function finish(app) {
  const s = st(app);
  if (!s.ret) return;
  const body = receiptBody(s);
  const ctx = {items: s.items};
  s.ret = null;
  s.auth = null;
  s.items = [];
  s.hint = null;
  app.saveFlow(FLOW, s);
  app.msg('info', `return ${body.barcode}: ${body.qty} returned, ${body.wrong_items.length} other items — sending`);
  app.queue.add(FLOW, '/v1/returns/receipt-scans', body, ctx).then(() => app.refresh(FLOW));
}

// Which items are the returned one: the authorised GTIN when the return was read, else the
// operator's choice (the first item scanned unless marked otherwise).
function sortItems(s) {
  if (s.auth && s.auth.gtin) s.items.forEach((i) => { i.returned = i.gtin === s.auth.gtin; });
  else if (s.items.length && !s.items.some((i) => i.returned)) s.items[0].returned = true;
}

// The return named by a label, read: what it authorises (s.auth), or refused when it was
// received already or is not addressed here; without a connection the count goes on unguided.
async function readReturn(app, ref) {
  const r = await app.call('GET', `/v1/returns/${encodeURIComponent(ref)}`);
  const s = st(app);
  if (s.ret !== ref) return;
  if (r.network) {
    app.msg('info', `return ${ref}: not read (${r.error}) — the first item scanned is taken as the returned one`);
    return;
  }
  const j = r.json || {};
  if (r.status === 404 || (r.ok && j.state !== 'authorised')) {
    s.ret = null;
    s.items = [];
    s.hint = r.ok ? `Return ${j.rma} was already received at ${j.received_at} (${j.received} units): a return is received once.`
      : `No return ${shown(ref)} at this returns centre: check the label.`;
    saveSt(app, s);
    return;
  }
  if (!r.ok) {
    app.msg('err', problemText(r));
    return;
  }
  const it = (j.items || [])[0] || {};
  s.auth = {rma: j.rma, sku: it.sku, gtin: it.gtin, name: it.name, qty: it.qty};
  sortItems(s);
  saveSt(app, s);
  app.msg('info', `return ${j.rma}: expected ${it.qty} × ${it.sku} — scan the items`);
}

function changeItem(app, g, fn) {
  const s = st(app);
  const it = s.items.find((i) => i.gtin === g);
  if (!it) return;
  fn(s, it);
  s.items = s.items.filter((i) => i.qty > 0);
  sortItems(s);
  saveSt(app, s);
}

// What the return authorises, as read from the server.
function expectedCard(s) {
  const a = s.auth;
  if (!a) return h('div', {class: 'meta', id: 'expected', text: 'authorised items not known: the first item scanned is taken as the returned one'});
  const got = (s.items.find((i) => i.returned) || {qty: 0}).qty;
  return h('div', {class: 'card', id: 'expected'},
    h('div', {class: 'product', text: `expected ${a.qty} × ${a.sku}`}),
    h('div', {class: 'meta', text: `${a.name || ''} · GTIN ${a.gtin || 'none'}`}),
    h('div', {class: got === a.qty ? 'meta' : 'meta warn', id: 'expected-count',
      text: `scanned ${got} of ${a.qty}${got > a.qty ? ` (${got - a.qty} more than authorised)` : ''}`}));
}

// The items counted so far, one row each with its buttons.
function itemsCard(app, s) {
  if (!s.items.length) return h('p', {class: 'meta', text: 'no item scanned yet'});
  const what = (i) => !i.returned ? 'not on the return: a wrong item'
    : s.auth ? `${s.auth.sku}: the authorised item` : 'the returned item';
  return h('div', {class: 'card', id: 'items'}, s.items.map((i) => h('div', {'data-gtin': i.gtin},
    h('div', {class: i.returned ? 'product' : 'product warn', text: `${i.qty} × ${i.gtin}`}),
    h('div', {class: 'row'},
      h('span', {class: 'meta', text: what(i)}),
      i.returned || (s.auth && s.auth.gtin) ? null : h('button', {type: 'button', class: 'quiet', 'data-mark': i.gtin, text: 'Returned item',
        onclick: () => changeItem(app, i.gtin, (cur, it) => cur.items.forEach((x) => { x.returned = x === it; }))}),
      h('button', {type: 'button', class: 'quiet', 'data-less': i.gtin, text: '−1',
        onclick: () => changeItem(app, i.gtin, (cur, it) => { it.qty -= 1; })})))));
}

// What the server answered for the last return received.
function summaryCard(app, j) {
  const wrong = j.wrong_items || [];
  return [
    h('div', {class: 'card', id: 'summary'},
      h('div', {class: 'big', text: j.return.rma}),
      h('div', {class: 'meta', text: `${j.sku || ''} · ${j.return.state}`}),
      table(['', {t: 'units'}], [['authorised', String(j.authorised)], ['received', String(j.received)],
        ['missing', String(j.missing)], ['extra', String(j.extra)],
        ['wrong items', String(wrong.reduce((a, w) => a + w.qty, 0))]],
      (i) => (i === 2 && j.missing > 0) || (i === 3 && j.extra > 0) || (i === 4 && wrong.length > 0)),
      wrong.length ? h('div', {class: 'meta', id: 'wrong', text: `wrong items: ${wrong.map((w) => `${w.qty} × ${w.gtin}`).join(', ')}`}) : null),
    j.next === 'inspect' ? h('button', {type: 'button', class: 'primary', id: 'to-inspection',
      text: `Inspect the ${j.received} unit${j.received === 1 ? '' : 's'}`, onclick: () => {
        app.saveFlow('inspection', Object.assign(app.flowState('inspection', {}),
          {ret: {code: j.return.rma, rma: j.return.rma, received: j.received, inspected: 0}, last: null, done: null, hint: null}));
        app.go('inspection');
      }}) : null,
  ];
}

export default {
  render(root, app) {
    const s = st(app);
    let next = 'Scan the return label (RMA)';
    if (s.ret && !s.items.length) next = 'Scan every item in the parcel';
    else if (s.ret) next = 'Scan the next item, or Finish when the parcel is empty';
    else if (s.last && s.last.next === 'inspect') next = 'Inspect the units, or scan the next return label';
    add(root,
      h('h1', {text: 'Receive returns'}),
      h('div', {class: 'next', id: 'next', text: next}),
      s.hint ? h('div', {class: 'card warn', id: 'hint', text: s.hint}) : null,
      s.ret ? [h('div', {class: 'card', id: 'return'}, h('div', {class: 'big', id: 'return-ref', text: s.ret}),
        h('div', {class: 'meta', text: 'counting the parcel'})),
      expectedCard(s),
      itemsCard(app, s),
      h('div', {class: 'row'},
        h('button', {type: 'button', class: 'primary', id: 'finish', text: 'Finish: receive', onclick: () => finish(app)}),
        h('button', {type: 'button', class: 'danger', id: 'drop-return', text: 'Drop this count', onclick: () => {
          const cur = st(app);
          cur.ret = null;
          cur.auth = null;
          cur.items = [];
          saveSt(app, cur);
        }}))] : null,
      !s.ret && s.last ? summaryCard(app, s.last) : null,
      waitingList(app));
  },

  onScan(code, app) {
    const s = st(app);
    const ref = returnRef(code);
    if (ref) {
      if (s.ret && s.items.length) {
        app.msg('err', `finish or drop the count of ${s.ret} first`);
        return;
      }
      Object.assign(s, {ret: ref, auth: null, items: [], hint: null});
      saveSt(app, s);
      app.msg('info', `return ${ref}: reading what it authorises`);
      return readReturn(app, ref);
    }
    if (!s.ret) {
      app.msg('err', `${shown(code)} is not a return label: scan the RMA label first`);
      return;
    }
    const g = gtin(code);
    if (!g) {
      app.msg('err', `${shown(code)} is not an item barcode (GTIN)`);
      return;
    }
    let it = s.items.find((i) => i.gtin === g);
    if (!it) {
      it = {gtin: g, qty: 0, returned: false};
      s.items.push(it);
      sortItems(s);
    }
    it.qty += 1;
    saveSt(app, s);
    app.msg('ok', `+1 ${g} (${it.qty})${it.returned ? '' : ' — not the returned item'}`);
  },

  onAnswer(e, r, app) {
    const s = st(app);
    const j = r.json;
    s.last = j;
    s.hint = null;
    saveSt(app, s);
    app.msg('ok', `${j.return.rma} received: ${j.received} of ${j.authorised} authorised` +
      `${j.missing ? `, ${j.missing} missing` : ''}${j.extra ? `, ${j.extra} extra` : ''}` +
      `${(j.wrong_items || []).length ? `, ${j.wrong_items.length} wrong item(s)` : ''}${r.replayed ? ' (already sent)' : ''}`);
  },

  onRefused(e, r, app) {
    const s = st(app);
    const j = r.json || {};
    if (r.status === 409 && j.next === 'return') {
      s.hint = `Return ${j.rma} was already received at ${j.received_at} (${j.received} units): a return is received once.`;
    } else {
      if (r.status === 404) s.hint = `No return ${shown(e.body.barcode)} at this returns centre: check the label.`;
      else s.hint = null;
      // the count comes back to correct it, unless another one is under way
      if (!s.ret && r.status !== 401) {
        s.ret = r.status === 404 ? null : e.body.barcode;
        s.auth = null;
        s.items = r.status === 404 ? [] : (e.ctx.items || []);
        saveSt(app, s);
        if (s.ret) readReturn(app, s.ret);
        return;
      }
    }
    saveSt(app, s);
  },

  question(e, r) {
    return r.status === 409 && !!r.json && r.json.next === 'confirm_over_return';
  },

  describe(e) {
    const p = e.problem || {};
    return {title: 'More than authorised', body: [
      h('p', {class: 'product', text: `${p.counted} units counted`}),
      h('p', {text: `return ${p.rma} authorises ${p.authorised}: receive the ${p.counted - p.authorised} extra too?`}),
      h('p', {class: 'meta', text: p.detail || ''})],
    confirm: 'Receive all', cancel: 'Do not receive', patch: {confirm_over_return: true}};
  },
};
