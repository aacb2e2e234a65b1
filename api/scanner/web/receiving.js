// receiving.js — receiving an inbound shipment: scan the ASN or a carton label, then every
// item (POST /v1/receiving/scans through the durable queue), answering each question the
// server asks (over-receipt, an item or lot not on the shipment, an expired unit, a shipment
// not yet checked in at the dock), then close it (with the shortage confirmed when lines are
// short) and read the discrepancy report.
import {problemText} from './api.js';
import {shipmentRef} from './codes.js';
import {add, bar, h, shown, table} from './ui.js';
import {waitingList} from './waiting.js';

const FLOW = 'receiving';
const EMPTY = {ref: null, id: null, asn: null, state: null, lines: [], progress: null, last: null, report: null};

function st(app) {
  return Object.assign({}, EMPTY, app.flowState(FLOW, {}));
}

function lineText(l) {
  if (!l) return '';
  const parts = [`line ${l.line}${l.lot ? ' lot ' + l.lot : ''}${l.unexpected ? ' (unexpected)' : ''}:`,
    `${l.received_good} good of ${l.expected}`];
  if (l.received_damaged) parts.push(`${l.received_damaged} damaged`);
  if (l.received_expired) parts.push(`${l.received_expired} expired`);
  return parts.join(' ');
}

// Reads the shipment (by id or ASN; a carton's SSCC is known once its first scan is answered).
async function load(app, s) {
  const key = s.id || (s.ref && !/^\d{18}$/.test(s.ref) ? s.ref : null);
  if (!key) return;
  const r = await app.call('GET', `/v1/inbound-shipments/${encodeURIComponent(key)}`);
  if (!r.ok) {
    if (!r.network) app.msg('err', problemText(r));
    return;
  }
  const cur = st(app);
  if (cur.ref !== s.ref) return;
  cur.id = r.json.id;
  cur.asn = r.json.asn;
  cur.state = r.json.state;
  cur.lines = r.json.lines || [];
  const exp = cur.lines.reduce((a, l) => a + (l.expected || 0), 0);
  const got = cur.lines.reduce((a, l) => a + (l.received_good || 0) + (l.received_damaged || 0) + (l.received_expired || 0), 0);
  cur.progress = {expected: exp, received: got};
  app.saveFlow(FLOW, cur);
  app.refresh(FLOW);
}

function choose(app, ref) {
  const s = Object.assign({}, EMPTY, {ref});
  app.saveFlow(FLOW, s);
  app.render();
  app.msg('info', `shipment ${ref}`);
  load(app, s);
}

async function arrive(app, ref) {
  const r = await app.call('POST', `/v1/inbound-shipments/${encodeURIComponent(ref)}/arrive`);
  if (r.ok || (r.status === 409 && r.json && ['arrived', 'receiving'].includes(r.json.state))) {
    app.msg('ok', `checked in at the dock: ${r.json.asn || ref}`);
    const s = st(app);
    if (r.ok && s.ref === ref) {
      s.id = r.json.id;
      s.asn = r.json.asn;
      s.state = r.json.state;
      s.lines = r.json.lines || s.lines;
      app.saveFlow(FLOW, s);
      load(app, s);
    }
    return true;
  }
  app.msg('err', problemText(r));
  return false;
}

async function close(app, confirmShort) {
  const s = st(app);
  const target = s.id || s.asn;
  const r = await app.call('POST', `/v1/inbound-shipments/${encodeURIComponent(target)}/close`,
    confirmShort ? {confirm_short: true} : undefined);
  if (r.ok || (r.status === 409 && r.json && r.json.discrepancy)) {
    const cur = st(app);
    cur.report = r.ok ? r.json : r.json.discrepancy;
    cur.state = 'closed';
    app.saveFlow(FLOW, cur);
    app.render();
    app.msg('ok', `shipment ${cur.asn || cur.ref} closed`);
    return;
  }
  if (r.status === 409 && r.json && r.json.next === 'confirm_short') {
    const rows = (r.json.short_lines || []).map((l) => [String(l.line), l.sku ? l.sku.sku_code || l.sku : '', l.lot || '', String(l.expected), String(l.received_good + l.received_damaged + l.received_expired), String(l.short)]);
    app.ask('Close with a shortage?', [h('p', {text: r.json.detail}),
      table(['line', 'SKU', 'lot', {t: 'expected'}, {t: 'received'}, {t: 'short'}], rows, () => true)],
    [{label: 'Close short', id: 'confirm', cls: 'danger', run: () => close(app, true)},
      {label: 'Keep receiving', id: 'cancel', cls: 'primary', run: () => {}}]);
    return;
  }
  app.msg('err', problemText(r));
}

function report(root, app, s) {
  const rep = s.report;
  const t = rep.totals || {};
  const rows = (rep.lines || []).map((l) => {
    const other = [l.damaged ? `${l.damaged} dmg` : '', l.expired ? `${l.expired} expd` : '', l.unexpected ? 'unexp.' : ''].filter(Boolean).join(' ');
    return [String(l.line), `${l.sku ? (l.sku.sku_code || l.sku) : ''}${l.lot ? ' ' + l.lot : ''}`,
      String(l.expected), String(l.received_good), String(l.short), String(l.over), other];
  });
  add(root, 
    h('h1', {text: `Discrepancy report ${s.asn || ''}`}),
    h('div', {class: 'card', id: 'report'},
      h('div', {class: 'big', text: `${t.received_good} good of ${t.expected} expected`}),
      h('div', {class: 'meta', text: `short ${t.short} · over ${t.over} · damaged ${t.damaged} · expired ${t.expired} · unexpected ${t.unexpected} · lines with a discrepancy ${t.lines_with_discrepancy}`})),
    table(['#', 'SKU lot', {t: 'exp'}, {t: 'good'}, {t: 'short'}, {t: 'over'}, 'other'],
      rows, (i) => (rep.lines[i] || {}).has_discrepancy),
    h('div', {class: 'next', text: 'Put the units away'}),
    h('div', {class: 'meta', text: 'Sellable units wait in RECEIVING; damaged and expired units in QUARANTINE.'}),
    h('div', {class: 'row'},
      h('button', {type: 'button', id: 'to-putaway', class: 'primary', text: 'Put away', onclick: () => app.go('putaway')}),
      h('button', {type: 'button', id: 'done', text: 'Next shipment', onclick: () => {
        app.saveFlow(FLOW, EMPTY);
        app.render();
      }})));
}

async function dockList(app, box) {
  const seen = [];
  for (const state of ['arrived', 'receiving', 'in_transit', 'booked']) {
    const r = await app.call('GET', `/v1/inbound-shipments?state=${state}&limit=10`);
    if (r.ok) seen.push(...r.json.items);
  }
  box.replaceChildren(h('h2', {text: 'Shipments for this warehouse'}),
    ...seen.map((s) => h('button', {type: 'button', class: 'quiet', 'data-asn': s.asn, onclick: () => choose(app, s.asn),
      text: `${s.asn} · ${s.seller} · ${s.state} · ${s.lines.reduce((a, l) => a + l.expected, 0)} units`})));
  if (!seen.length) box.append(h('p', {class: 'meta', text: 'none booked for this warehouse'}));
}

export default {
  render(root, app) {
    const s = st(app);
    if (s.report) return report(root, app, s);
    add(root, h('h1', {text: 'Receive'}));
    if (!s.ref) {
      const box = h('div', {class: 'card', id: 'docklist'}, h('button', {type: 'button', class: 'quiet', id: 'list-shipments',
        text: 'Show the shipments expected here', onclick: () => dockList(app, box)}));
      add(root, h('div', {class: 'next', text: 'Scan the ASN or a carton label'}), box, waitingList(app));
      return;
    }
    const pending = app.waiting(FLOW).length;
    const last = s.last;
    let next = 'Scan the next item';
    if (s.state === 'booked' || s.state === 'in_transit') next = 'Check the shipment in at the dock, then scan items';
    else if (last && last.next === 'close') next = 'Everything expected is in: close the shipment';
    const qty = h('input', {id: 'qty', type: 'number', min: '1', max: '100000', inputmode: 'numeric', placeholder: 'from the barcode, else 1'});
    const damaged = h('input', {id: 'damaged', type: 'checkbox'});
    const lot = h('input', {id: 'lot', placeholder: 'when the barcode has none'});
    const expiry = h('input', {id: 'expiry', type: 'date'});
    add(root, 
      h('div', {class: 'card'},
        h('div', {class: 'big', id: 'asn', text: s.asn || s.ref}),
        h('div', {class: 'meta', id: 'ship-state', text: `${s.state || 'state unknown until the first scan'}${s.asn && s.ref !== s.asn ? ' · scanned ' + s.ref : ''}`})),
      s.progress ? bar(s.progress.received, s.progress.expected, 'received') : null,
      h('div', {class: 'next', id: 'next', text: next}),
      last ? h('div', {class: 'card', id: 'product'},
        h('div', {class: 'product', text: last.sku ? last.sku.name : ''}),
        h('div', {class: 'meta', text: last.sku ? `${last.sku.sku_code} · GTIN ${last.sku.gtin}` : ''}),
        h('div', {text: `+${last.qty} ${last.condition || ''} ${last.status === 'quarantine' ? '→ quarantine' : ''}`}),
        h('div', {class: 'meta', text: lineText(last.line)})) : null,
      h('div', {class: 'row'}, h('label', {}, 'Quantity', qty), h('label', {class: 'check'}, damaged, 'Damaged')),
      h('details', {}, h('summary', {text: 'Lot and expiry (items whose barcode has none)'}),
        h('div', {class: 'row'}, h('label', {}, 'Lot', lot), h('label', {}, 'Expiry', expiry))),
      h('div', {class: 'row'},
        (s.state === 'booked' || s.state === 'in_transit') ? h('button', {type: 'button', id: 'arrive', text: 'Check in at dock',
          onclick: () => arrive(app, s.id || s.ref)}) : null,
        h('button', {type: 'button', id: 'close', class: 'primary', disabled: pending > 0 || !(s.id || s.asn),
          text: pending ? `Close (${pending} waiting)` : 'Close shipment', onclick: () => close(app, false)}),
        h('button', {type: 'button', id: 'other', class: 'quiet', text: 'Other shipment', onclick: () => {
          app.saveFlow(FLOW, EMPTY);
          app.render();
        }})),
      waitingList(app));
  },

  async onScan(code, app) {
    const s = st(app);
    const ref = shipmentRef(code);
    if (ref && !s.report) {
      if (ref !== s.ref && ref !== s.asn && ref !== s.id) choose(app, ref);
      return;
    }
    if (!s.ref || s.report) {
      if (ref) return choose(app, ref);
      app.msg('err', 'scan the ASN or a carton label first');
      return;
    }
    const body = {shipment: s.ref, barcode: code};
    const q = document.getElementById('qty');
    const d = document.getElementById('damaged');
    const lot = document.getElementById('lot');
    const exp = document.getElementById('expiry');
    if (q && q.value) body.qty = Number(q.value);
    if (d && d.checked) body.condition = 'damaged';
    if (lot && lot.value.trim()) body.lot = lot.value.trim();
    if (exp && exp.value) body.expiry = exp.value;
    for (const el of [q, lot, exp]) if (el) el.value = '';
    if (d) d.checked = false;
    await app.queue.add(FLOW, '/v1/receiving/scans', body, {ref: s.ref});
    app.refresh(FLOW);
  },

  onAnswer(e, r, app) {
    const j = r.json;
    const s = st(app);
    if (s.ref === e.ctx.ref) {
      if (j.shipment) {
        s.id = j.shipment.id;
        s.asn = j.shipment.asn;
        s.state = j.shipment.state;
      }
      s.progress = j.shipment_progress || s.progress;
      s.last = j;
      if (j.line) {
        const i = s.lines.findIndex((l) => l.line === j.line.line);
        if (i >= 0) s.lines[i] = Object.assign(s.lines[i], j.line);
        else s.lines.push(j.line);
      }
      app.saveFlow(FLOW, s);
    }
    const sku = j.sku ? j.sku.sku_code : '';
    app.msg('ok', `+${j.qty} ${sku}${j.condition === 'damaged' ? ' damaged' : ''}${j.status === 'quarantine' ? ' (quarantine)' : ''} · ${j.shipment_progress ? j.shipment_progress.received + '/' + j.shipment_progress.expected : ''}`);
    app.refresh(FLOW);
  },

  question(e, r) {
    const j = r.json || {};
    if (r.status !== 409) return false;
    if (typeof j.next === 'string' && j.next.startsWith('confirm_')) return true;
    return /wrong-state$/.test(j.type || '') && ['booked', 'in_transit'].includes(j.state);
  },

  // What to ask about the scan at the head of the queue.
  describe(e, app) {
    const p = e.problem || {};
    const sku = p.sku ? `${p.sku.name} (${p.sku.sku_code}, GTIN ${p.sku.gtin})` : shown(e.body.barcode);
    const info = (extra) => [h('p', {class: 'product', text: sku}), extra ? h('p', {text: extra}) : null,
      p.line ? h('p', {text: lineText(p.line)}) : null, h('p', {class: 'meta', text: p.detail || ''})];
    switch (p.next) {
    case 'confirm_over_receipt':
      return {title: 'Over-receipt', body: info(`at most ${p.allowed_max} may be received on this line without confirmation`),
        confirm: 'Receive anyway', patch: {confirm_over: true}};
    case 'confirm_unexpected_item':
      return {title: 'Not on this shipment', body: info('this item is on no line of the shipment'),
        confirm: 'Receive as unexpected', patch: {confirm_unexpected: true}};
    case 'confirm_unexpected_lot':
      return {title: `Unexpected lot ${p.lot}`, body: info(`lot ${p.lot} is on no line of the shipment`),
        confirm: 'Receive as unexpected', patch: {confirm_unexpected: true}};
    case 'confirm_expired':
      return {title: 'Expired or too short shelf life', body: info(`expiry ${p.expiry}`),
        confirm: 'Receive into quarantine', patch: {confirm_expired: true}};
    default: {
      const ref = e.body.shipment;
      return {title: 'Not checked in at the dock', body: [h('p', {text: `shipment ${p.asn || ref} is ${p.state}`}),
        h('p', {class: 'meta', text: 'Check it in now, then the scan is sent again.'})],
      confirm: 'Check in now', cancel: 'Do not receive', before: () => arrive(app, ref), patch: {}};
    }
    }
  },
};
