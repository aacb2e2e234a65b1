// app.js — the scanner client's shell: sign-in state, the header (warehouse, operator, scans
// waiting), the screens, the scan input (wedge, camera, typing), the durable queue's hooks and
// the questions it asks. One question per screen; the server says what comes next.
import {call, problemText} from './api.js';
import {cameraAvailable, startCamera, stopCamera} from './camera.js';
import * as beep from './feedback.js';
import {ScanQueue} from './queue.js';
import {forgetOperator, load, save} from './store.js';
import {$, h, shown} from './ui.js';
import {installWedge} from './wedge.js';
import {waitingList} from './waiting.js';
import signin from './signin.js';
import home from './home.js';
import settingsScreen from './settings.js';
import receiving from './receiving.js';
import putaway from './putaway.js';
import picking from './picking.js';
import packing from './packing.js';
import ship from './ship.js';
import hubreceipt from './hubreceipt.js';
import bagging from './bagging.js';
import linehaul from './linehaul.js';
import returns from './returns.js';
import inspection from './inspection.js';

const screens = {signin, home, settings: settingsScreen, receiving, putaway, picking, packing, ship, hubreceipt, bagging,
  linehaul, returns, inspection};
const flows = {receiving, putaway, picking, packing, ship, hubreceipt, bagging, linehaul, returns, inspection};

const app = {
  screen: null,
  entries: [],
  status: {online: true},
  promptOpen: null,
  asked: 0,
  log: load('log', []),

  me() {
    return load('me', null);
  },

  // Shows a screen by name (remembered across reloads).
  go(name) {
    if (!load('key', null)) name = 'signin';
    this.screen = screens[name] ? name : 'home';
    save('screen', this.screen);
    document.body.dataset.screen = this.screen;
    $('screen').replaceChildren();
    this.render();
    $('scan').focus();
  },

  // Draws the screen again; what was typed into its fields, and the focus, stay (an answer
  // arriving while the operator types a quantity or a weight must not wipe it).
  render() {
    const root = $('screen');
    const keep = {};
    for (const el of root.querySelectorAll('input[id], select[id]'))
      keep[el.id] = el.type === 'checkbox' ? el.checked : el.value;
    const focused = root.contains(document.activeElement) ? document.activeElement.id : null;
    root.replaceChildren();
    screens[this.screen].render(root, this);
    for (const [id, v] of Object.entries(keep)) {
      const el = root.querySelector('#' + CSS.escape(id));
      if (!el) continue;
      if (el.type === 'checkbox') el.checked = v;
      else if (v !== '') el.value = v;
    }
    if (focused && $(focused)) $(focused).focus();
    this.header();
  },

  // Redraws the screen when it is one of names.
  refresh(...names) {
    if (names.includes(this.screen) && !this.promptOpen) this.render();
    else this.header();
  },

  header() {
    const me = this.me();
    $('warehouse').textContent = me ? (me.warehouse ? `${me.warehouse.code}` : me.role) : 'not signed in';
    $('operator').textContent = me ? `${me.label || 'staff key'} · ${me.key_id.slice(0, 8)}` : '';
    const n = this.entries.length;
    const pending = $('pending');
    pending.textContent = String(n);
    pending.className = n === 0 ? '' : (this.entries[0].state === 'prompt' ? 'stuck' : 'waiting');
    const net = $('net');
    if (!this.status.online) {
      const s = Math.max(0, Math.ceil((this.status.retry_at - Date.now()) / 1000));
      net.className = 'net-down';
      net.textContent = `server not reached (${this.status.error}); ${n} waiting, next try in ${s} s`;
    } else {
      net.className = 'net-ok';
      net.textContent = '';
    }
  },

  msg(kind, text) {
    const m = $('message');
    m.replaceChildren(h('div', {class: kind, text}));
    if (kind === 'err') beep.error();
    else if (kind === 'ok') beep.ok();
    this.addLog(kind, text);
  },

  addLog(kind, text) {
    this.log.unshift({kind, text, at: new Date().toISOString()});
    this.log = this.log.slice(0, 30);
    save('log', this.log);
  },

  flowState(name, fallback) {
    return load('flow.' + name, fallback);
  },

  saveFlow(name, st) {
    save('flow.' + name, st);
  },

  // The scans of flow still waiting.
  waiting(flow) {
    return this.entries.filter((e) => e.flow === flow);
  },

  // An online call (not a scan): the answer, after showing a refusal or a missing connection.
  async call(method, path, body) {
    const r = await call(method, path, body);
    if (r.status === 401) this.signedOut('the key is no longer accepted: sign in again');
    return r;
  },

  // A modal question: title, body nodes, actions [{label, cls, run}] (run may be async).
  ask(title, body, actions) {
    const box = h('div', {class: 'box', role: 'alertdialog'}, h('h1', {text: title}), body,
      h('div', {class: 'row'}, actions.map((a) => h('button', {type: 'button', class: a.cls || '',
        'data-action': a.id || a.label, onclick: async () => {
          this.closeAsk();
          await a.run();
        }, text: a.label}))));
    box.dataset.seq = String(++this.asked); // which question this is (a test tells two apart)
    $('prompt').replaceChildren(box);
    $('prompt').hidden = false;
    this.promptOpen = title;
    beep.question();
    const first = box.querySelector('button');
    if (first) first.focus();
  },

  closeAsk() {
    $('prompt').hidden = true;
    $('prompt').replaceChildren();
    this.promptOpen = null;
    this.render();
    $('scan').focus();
  },

  signedOut(why) {
    save('key', null);
    save('me', null);
    this.go('signin');
    if (why) this.msg('err', why);
  },

  async signOut() {
    const n = this.entries.length;
    const leave = async () => {
      await this.queue.clear();
      forgetOperator();
      this.log = [];
      this.entries = [];
      this.go('signin');
      this.msg('info', 'signed out: the key is forgotten on this device');
    };
    if (n === 0) return leave();
    this.ask(`${n} scans have not reached the server`,
      h('p', {text: 'Signing out now throws them away. Wait until the count is 0 to keep them.'}),
      [{label: 'Wait', cls: 'primary', run: () => {}},
        {label: 'Sign out, discard them', id: 'discard', cls: 'danger', run: leave}]);
  },
};

function onScan(code, how) {
  if (app.promptOpen) {
    app.msg('err', 'answer the question first');
    return;
  }
  // a key scanned at sign-in is a secret: never shown
  $('lastscan').textContent = app.screen === 'signin' ? `${how}: (a key)` : `${how}: ${shown(code)}`;
  const s = screens[app.screen];
  if (s.onScan) s.onScan(code, app, how);
}

// The queue's questions: the flow recognises them and says what to ask.
function showQueuePrompt(entry) {
  if (app.promptOpen) return;
  const flow = flows[entry.flow];
  const q = flow.describe(entry, app);
  app.ask(q.title, q.body, [
    {label: q.confirm, id: 'confirm', cls: 'primary', run: async () => {
      if (q.before && !(await q.before())) {
        app.queue.kick();
        return;
      }
      await app.queue.answer(entry, q.patch || {});
    }},
    {label: q.cancel || 'Do not receive', id: 'cancel', cls: 'danger', run: async () => {
      app.msg('info', `scan ${shown(entry.body.barcode || entry.body.gtin || '')} not applied`);
      await app.queue.answer(entry, null);
    }}]);
}

async function main() {
  app.queue = new ScanQueue({
    answer: (e, r) => {
      flows[e.flow].onAnswer(e, r, app);
    },
    refused: (e, r) => {
      const text = problemText(r);
      app.msg('err', text);
      if (flows[e.flow].onRefused) flows[e.flow].onRefused(e, r, app);
    },
    question: (e, r) => !!flows[e.flow].question(e, r),
    prompt: showQueuePrompt,
    auth: () => app.signedOut('the key is no longer accepted: sign in again; the scans keep waiting'),
    changed: (entries, status) => {
      app.entries = entries;
      app.status = status;
      if (flows[app.screen]) {
        app.refresh(app.screen);
      } else {
        app.header();
        const w = document.querySelector('[data-waiting]');
        if (w) w.replaceWith(waitingList(app));
      }
    },
  });
  app.queue_ready = app.queue.open();
  await app.queue_ready;
  installWedge($('scan'), onScan);
  $('menu').addEventListener('click', () => app.go(load('key', null) ? 'home' : 'signin'));
  $('pending').addEventListener('click', () => app.queue.retryNow());
  window.addEventListener('online', () => app.queue.retryNow());
  setInterval(() => app.header(), 1000);
  if (cameraAvailable()) {
    $('camera').hidden = false;
    $('camera').addEventListener('click', () => startCamera(onScan, (t) => app.msg('err', t)));
    $('camclose').addEventListener('click', stopCamera);
  }
  document.addEventListener('click', (e) => {
    if (!e.target.closest('input, select, button, textarea, a')) $('scan').focus();
  });
  const main = $('screen');
  main.after(h('div', {id: 'lastscan', class: 'meta mono'}));
  app.go(load('screen', 'home'));
  app.queue.kick();
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js').catch(() => {});
  window.wmsScanner = app; // for the browser tests and for debugging on a device
}

main();
