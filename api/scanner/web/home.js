// home.js — the menu: one big button per scan flow, the scans still waiting, the last events,
// settings and sign-out.
import {add, h} from './ui.js';
import {waitingList} from './waiting.js';

const tiles = [
  ['receiving', 'Receive'], ['putaway', 'Put away'], ['picking', 'Pick'], ['packing', 'Pack'],
  ['ship', 'Ship'], ['settings', 'Settings'],
];

export default {
  render(root, app) {
    const me = app.me();
    add(root, 
      h('h1', {text: me && me.warehouse ? me.warehouse.name : 'Scanner'}),
      h('div', {class: 'grid'}, tiles.map(([id, label]) =>
        h('button', {type: 'button', id: 'go-' + id, onclick: () => app.go(id), text: label}))),
      waitingList(app),
      h('h2', {text: 'Recent'}),
      h('ul', {class: 'log'}, app.log.slice(0, 8).map((l) =>
        h('li', {class: l.kind === 'err' ? 'err' : '', text: `${l.at.slice(11, 19)} ${l.text}`}))),
      h('button', {type: 'button', id: 'signout', class: 'danger', text: 'Sign out',
        onclick: () => app.signOut()}));
  },
  onScan(code, app) {
    app.msg('err', 'choose what to do first: Receive, Put away, Pick, Pack or Ship');
  },
};
