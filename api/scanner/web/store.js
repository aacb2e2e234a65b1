// store.js — what the device keeps between loads, in localStorage: the staff key and who it is
// (forgotten on sign-out), the settings, and each screen's state (the shipment being received,
// the pick list, the open package). The scans themselves wait in IndexedDB (queue.js).
const PREFIX = 'wms.scanner.';

export function load(name, fallback) {
  try {
    const v = localStorage.getItem(PREFIX + name);
    return v === null ? fallback : JSON.parse(v);
  } catch (e) {
    return fallback;
  }
}

export function save(name, value) {
  if (value === undefined || value === null) localStorage.removeItem(PREFIX + name);
  else localStorage.setItem(PREFIX + name, JSON.stringify(value));
}

// Forgets everything of the signed-in operator (the key, who it is, the screens' state);
// the settings stay with the device.
export function forgetOperator() {
  for (const k of Object.keys(localStorage))
    if (k.startsWith(PREFIX) && k !== PREFIX + 'settings') localStorage.removeItem(k);
}

export const DEFAULT_SETTINGS = {
  gs_mode: 'control',     // 'control': GS arrives as the control character (or Ctrl+]); 'substitute'
  gs_substitute: '~',     // the character the scanner sends instead of GS in 'substitute' mode
  wedge_gap_ms: 60,       // keystrokes closer than this are one scan (outside the scan field)
  wedge_min_length: 4,    // a burst shorter than this, ended by Enter, is typing, not a scan
  sound: true,
  max_backoff_s: 30,
};

export function settings() {
  return Object.assign({}, DEFAULT_SETTINGS, load('settings', {}));
}
