// ui.js — the few DOM helpers every screen uses: h() builds an element tree (text is always
// set as text, never parsed as HTML), $() finds one by id.

// h('div', {class: 'card', onclick: fn, id: 'x'}, child, 'text', [more]) → an element.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

// Appends the nodes to parent, leaving out null, undefined and false (the screens' "only when").
export function add(parent, ...nodes) {
  parent.append(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
}

// A scanned string as people read it: the group separator shown as ␝.
export function shown(code) {
  return String(code ?? '').replace(/\x1d/g, '\u241d');
}

// A progress bar with "n / of" beside it.
export function bar(n, of, label) {
  return h('div', {class: 'card'},
    h('div', {class: 'row'}, h('span', {class: 'meta', text: label}),
      h('span', {class: 'big', 'data-progress': label, text: `${n ?? 0} / ${of ?? 0}`})),
    h('progress', {max: String(Math.max(of || 0, 1)), value: String(Math.min(n || 0, of || 0))}));
}

// A small table: heads ['sku', {t: 'qty', n: true}], rows of cells; bad(row) marks a row.
export function table(heads, rows, bad) {
  const th = heads.map((x) => typeof x === 'string' ? h('th', {text: x}) : h('th', {class: 'n', text: x.t}));
  const num = heads.map((x) => typeof x !== 'string');
  return h('table', {}, h('thead', {}, h('tr', {}, th)),
    h('tbody', {}, rows.map((r, i) => h('tr', {class: bad && bad(i) ? 'bad' : null},
      r.map((c, j) => h('td', {class: num[j] ? 'n' : null, text: c ?? ''}))))));
}
