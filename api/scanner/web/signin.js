// signin.js — sign-in with a staff key, typed or scanned (a QR code holding the key, read by
// the wedge or the camera). The key is checked with GET /v1/me and kept on the device with
// who it is; sign-out forgets both.
import {call, problemText} from './api.js';
import {save} from './store.js';
import {add, h} from './ui.js';

async function signIn(key, app) {
  key = key.trim();
  if (!/^wms_[A-Za-z0-9_-]{8,}$/.test(key)) {
    app.msg('err', 'that is not a key: keys start with wms_');
    return;
  }
  const r = await call('GET', '/v1/me', undefined, {key});
  if (r.network) {
    app.msg('err', `the server cannot be reached (${r.error}); try again`);
    return;
  }
  if (!r.ok) {
    app.msg('err', r.status === 401 ? 'this key is not valid (revoked or mistyped)' : problemText(r));
    return;
  }
  if (r.json.role !== 'staff') {
    app.msg('err', `this is a ${r.json.role} key; the scanner needs a staff key of a warehouse`);
    return;
  }
  save('key', key);
  save('me', r.json);
  app.go('home');
  app.msg('ok', `signed in at ${r.json.warehouse.code} (${r.json.warehouse.name})`);
  app.queue.retryNow();
}

export default {
  render(root, app) {
    const input = h('input', {id: 'key', type: 'password', autocomplete: 'off', placeholder: 'wms_…'});
    add(root, 
      h('h1', {text: 'Sign in'}),
      h('div', {class: 'next', text: 'Scan your staff key (QR code) or type it'}),
      h('label', {}, 'Staff key', input),
      h('button', {type: 'button', id: 'signin', class: 'primary', text: 'Sign in',
        onclick: () => signIn(input.value, app)}),
      h('p', {class: 'meta', text: 'The key stays on this device until you sign out. `make run` prints one per role; a warehouse manager makes more with `wmsd key create --role staff --warehouse CODE --label NAME`.'}));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') signIn(input.value, app);
    });
  },
  onScan(code, app) {
    signIn(code, app);
  },
};
