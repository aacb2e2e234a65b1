// settings.js — how this device's scanner sends what it reads: the group separator as the
// control character or as a substitute character, the wedge's timing, sound; kept on the
// device (not with the operator).
import {load, save, settings} from './store.js';
import {add, h, shown} from './ui.js';

export default {
  render(root, app) {
    const s = settings();
    const mode = h('select', {id: 'gs_mode'},
      h('option', {value: 'control', text: 'GS as the control character (0x1D or Ctrl+])'}),
      h('option', {value: 'substitute', text: 'GS replaced by a substitute character'}));
    mode.value = s.gs_mode;
    const sub = h('input', {id: 'gs_substitute', maxlength: '1', value: s.gs_substitute});
    const gap = h('input', {id: 'wedge_gap_ms', type: 'number', min: '5', max: '500', value: String(s.wedge_gap_ms)});
    const min = h('input', {id: 'wedge_min_length', type: 'number', min: '1', max: '40', value: String(s.wedge_min_length)});
    const backoff = h('input', {id: 'max_backoff_s', type: 'number', min: '1', max: '600', value: String(s.max_backoff_s)});
    const sound = h('input', {id: 'sound', type: 'checkbox', checked: s.sound});
    const test = h('div', {class: 'card mono', id: 'testscan', text: 'scan something to see how it arrives'});
    add(root, 
      h('h1', {text: 'Settings'}),
      h('label', {}, 'Group separator (GS1 FNC1)', mode),
      h('label', {}, 'Substitute character', sub),
      h('label', {}, 'Wedge: most ms between the keys of one scan', gap),
      h('label', {}, 'Wedge: shortest scan (characters)', min),
      h('label', {}, 'Longest wait between retries (s)', backoff),
      h('label', {class: 'check'}, sound, 'Sounds'),
      h('button', {type: 'button', id: 'save-settings', class: 'primary', text: 'Save', onclick: () => {
        save('settings', Object.assign(load('settings', {}), {
          gs_mode: mode.value, gs_substitute: sub.value || '~',
          wedge_gap_ms: Number(gap.value) || 60, wedge_min_length: Number(min.value) || 4,
          max_backoff_s: Number(backoff.value) || 30, sound: sound.checked}));
        app.msg('ok', 'settings saved');
      }}),
      test);
  },
  onScan(code) {
    const el = document.getElementById('testscan');
    if (el) el.textContent = `read: ${shown(code)} (${code.length} characters)`;
  },
};
