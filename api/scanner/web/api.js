// api.js — calls to wmsd with the signed-in key. A call never throws: it answers
// {status, ok, json, replayed} or {network: true, error} when no answer came (no network, the
// server down, or no answer within the timeout).
import {load} from './store.js';

export async function call(method, path, body, opts = {}) {
  const key = opts.key ?? load('key', null);
  const headers = {};
  if (key) headers.Authorization = 'Bearer ' + key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), opts.timeout ?? 10000);
  let res;
  try {
    res = await fetch(path, {method, headers, signal: ctl.signal, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    clearTimeout(timer);
    return {network: true, error: e.name === 'AbortError' ? 'no answer in time' : 'no connection'};
  }
  let text = '';
  try {
    text = await res.text();
  } catch (e) {
    clearTimeout(timer);
    return {network: true, error: 'the answer was cut off'};
  }
  clearTimeout(timer);
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  return {status: res.status, ok: res.ok, json, text, ctype: res.headers.get('Content-Type') || '',
    replayed: res.headers.get('Idempotent-Replayed') === 'true'};
}

// Whether an answer says: try again later (nothing came, the server is overloaded, shutting
// down or timed out).
export function transient(r) {
  return r.network || r.status >= 500 || r.status === 408 || r.status === 429;
}

// The one line to show for a refused call.
export function problemText(r) {
  if (r.network) return r.error;
  const p = r.json || {};
  const fields = (p.errors || []).map((e) => `${e.field}: ${e.message}`).join('; ');
  return (p.detail || p.title || `HTTP ${r.status}`) + (fields ? ` (${fields})` : '');
}
