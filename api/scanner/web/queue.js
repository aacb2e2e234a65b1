// queue.js — the durable queue of scans. Every scan gets its scan_id here, on the device, and
// is written to IndexedDB before anything is sent; it leaves the queue only when the server
// has answered it (accepted, or refused for good). Scans are sent one at a time, oldest first:
// the flows depend on order (a bin before its items). When no answer comes (no network, the
// server down, 5xx, 408, 429) the scan stays and is tried again after a back-off that doubles
// up to settings.max_backoff_s; a reload or a flat battery loses nothing, and the server's
// exactly-once semantics (the same scan_id replays the stored answer) make repeats harmless.
// A refusal that asks a question (over-receipt, unexpected item, …) keeps the scan at the head
// of the queue as a prompt until the operator answers it.
import {call, transient} from './api.js';
import {settings} from './store.js';

const DB_NAME = 'wms-scanner';
const STORE = 'scans';

// A version 4 UUID from crypto.getRandomValues (crypto.randomUUID needs a secure context,
// which a handheld on plain http on the warehouse network is not).
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function req(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function openDb() {
  const r = indexedDB.open(DB_NAME, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE, {keyPath: 'seq', autoIncrement: true});
  return req(r);
}

// Runs fn(store) in one transaction; resolves with fn's result once the transaction committed.
async function inTx(db, mode, fn) {
  const tx = db.transaction(STORE, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  const out = await fn(tx.objectStore(STORE));
  await done;
  return out;
}

export class ScanQueue {
  // hooks: answer(entry, r), refused(entry, r), prompt(entry) → shown, question(entry, r) →
  // true when the refusal is a question, auth(r), changed(entries, status).
  constructor(hooks) {
    this.hooks = hooks;
    this.db = null;
    this.busy = false;
    this.again = false;
    this.paused = false;
    this.timer = null;
    this.status = {online: true, error: null, retry_at: 0};
  }

  async open() {
    this.db = await openDb();
  }

  async all() {
    return inTx(this.db, 'readonly', (s) => req(s.getAll()));
  }

  async put(entry) {
    return inTx(this.db, 'readwrite', (s) => req(s.put(entry)));
  }

  async remove(seq) {
    return inTx(this.db, 'readwrite', (s) => req(s.delete(seq)));
  }

  async clear() {
    return inTx(this.db, 'readwrite', (s) => req(s.clear()));
  }

  // Adds a scan of flow to POST path: body gets a fresh scan_id. ctx is what the flow wants
  // back with the answer. Resolves once the scan is stored.
  async add(flow, path, body, ctx) {
    const entry = {flow, path, body: Object.assign({scan_id: uuid()}, body), ctx: ctx || {},
      created: Date.now(), attempts: 0, next_at: 0, state: 'pending'};
    entry.seq = await this.put(entry);
    this.kick();
    return entry;
  }

  // The operator answered the prompt at the head: patch (an object) is merged into the body and
  // the same scan (same scan_id) is sent again; null drops the scan.
  async answer(entry, patch) {
    if (patch === null) {
      await this.remove(entry.seq);
    } else {
      Object.assign(entry.body, patch);
      entry.state = 'pending';
      entry.problem = null;
      entry.next_at = 0;
      await this.put(entry);
    }
    this.kick();
  }

  // Sends what is due now (a tap on the pending count, the browser coming back online).
  async retryNow() {
    for (const e of await this.all()) {
      if (e.next_at) {
        e.next_at = 0;
        await this.put(e);
      }
    }
    this.paused = false;
    this.kick();
  }

  kick() {
    clearTimeout(this.timer);
    this.timer = null;
    this.pump();
  }

  async notify() {
    const entries = await this.all();
    this.hooks.changed(entries, this.status);
    return entries;
  }

  backoff(attempts) {
    const max = Math.max(1, settings().max_backoff_s) * 1000;
    const base = Math.min(max, 1000 * 2 ** Math.min(attempts - 1, 16));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  async pump() {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        await this.drain();
      } while (this.again);
    } finally {
      this.busy = false;
    }
  }

  async drain() {
    for (;;) {
      const entries = await this.notify();
      if (!entries.length || this.paused) return;
      const e = entries[0];
      if (e.state === 'prompt') {
        this.hooks.prompt(e);
        return;
      }
      const wait = e.next_at - Date.now();
      if (wait > 0) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      e.attempts++;
      const r = await call('POST', e.path, e.body);
      if (transient(r)) {
        e.next_at = Date.now() + this.backoff(e.attempts);
        e.last_error = r.network ? r.error : `HTTP ${r.status}`;
        this.status = {online: false, error: e.last_error, retry_at: e.next_at};
        await this.put(e);
        continue;
      }
      this.status = {online: true, error: null, retry_at: 0};
      if (r.status === 401) {
        this.paused = true;
        await this.put(e);
        this.hooks.auth(r);
        await this.notify();
        return;
      }
      if (r.ok) {
        await this.remove(e.seq);
        this.hooks.answer(e, r);
        continue;
      }
      if (this.hooks.question(e, r)) {
        e.state = 'prompt';
        e.problem = r.json;
        e.status = r.status;
        await this.put(e);
        continue;
      }
      await this.remove(e.seq);
      this.hooks.refused(e, r);
    }
  }
}
