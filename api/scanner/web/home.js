// home.js — the menu: one big button per scan flow of the key's site (a consolidation hub's
// staff get the hub's flows, a returns centre's the returns flows, a fulfilment centre's both the
// warehouse's and the returns flows, as GET /v1/me says), the
// scans still waiting, the last events, settings and sign-out.
import {add, h} from './ui.js';
import {waitingList} from './waiting.js';

const warehouseTiles = [
  ['receiving', 'Receive'], ['putaway', 'Put away'], ['picking', 'Pick'], ['packing', 'Pack'],
  ['ship', 'Ship'], ['settings', 'Settings'],
];
const hubTiles = [
  ['hubreceipt', 'Receive parcels'], ['bagging', 'Consolidate'], ['linehaul', 'Line-haul'], ['settings', 'Settings'],
];

// A returns centre's flows; a fulfilment centre is the returns centre of its own orders too
// (when no returns centre serves the buyer's country), so its staff get both sets.
const returnsTiles = [['returns', 'Receive returns'], ['inspection', 'Inspect returns']];
const returnsCentreTiles = [...returnsTiles, ['putaway', 'Put away'], ['settings', 'Settings']];

// Whether the signed-in key is staff of a consolidation hub.
export function atHub(me) {
  return !!(me && me.warehouse && me.warehouse.kind === 'consolidation_hub');
}

function tiles(me) {
  if (atHub(me)) return hubTiles;
  if (me && me.warehouse && me.warehouse.kind === 'returns_center') return returnsCentreTiles;
  return [...warehouseTiles.slice(0, -1), ...returnsTiles, ...warehouseTiles.slice(-1)];
}

export default {
  render(root, app) {
    const me = app.me();
    add(root, 
      h('h1', {text: me && me.warehouse ? me.warehouse.name : 'Scanner'}),
      h('div', {class: 'grid'}, tiles(me).map(([id, label]) =>
        h('button', {type: 'button', id: 'go-' + id, onclick: () => app.go(id), text: label}))),
      waitingList(app),
      h('h2', {text: 'Recent'}),
      h('ul', {class: 'log'}, app.log.slice(0, 8).map((l) =>
        h('li', {class: l.kind === 'err' ? 'err' : '', text: `${l.at.slice(11, 19)} ${l.text}`}))),
      h('button', {type: 'button', id: 'signout', class: 'danger', text: 'Sign out',
        onclick: () => app.signOut()}));
  },
  onScan(code, app) {
    const names = tiles(app.me()).filter(([id]) => id !== 'settings').map(([, label]) => label);
    app.msg('err', `choose what to do first: ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`);
  },
};
