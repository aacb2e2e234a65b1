// waiting.js — the list of scans that have not reached the server yet, shown on every scan
// screen: what each is and why it waits (sending, retrying after an error, a question).
import {h, shown} from './ui.js';

// The scans still waiting, as a list (what each is and why it waits).
export function waitingList(a) {
  const items = a.entries.map((e) => {
    const what = e.body.barcode || e.body.gtin || e.body.bin || e.body.to_bin || e.body.order || e.body.bag || '';
    let why = 'sending';
    if (e.state === 'prompt') why = 'question to answer';
    else if (e.next_at > Date.now()) why = `${e.last_error}; retry in ${Math.ceil((e.next_at - Date.now()) / 1000)} s`;
    return h('li', {class: 'wait'}, `${e.flow}: `, h('code', {text: shown(what)}), ` — ${why}`);
  });
  return h('div', {'data-waiting': '', class: items.length ? '' : 'hidden'},
    h('h2', {text: `Waiting for the server (${items.length})`}), h('ul', {class: 'log'}, items));
}

