// wedge.js — scanner input. A keyboard-wedge scanner types what it reads as fast keystrokes
// ending in Enter, with the AIM symbology prefix (]C1, ]d2, ]E0, …) first when the device is
// set to send it, and the GS1 group separator either as the control character GS (0x1D, or
// the key chord Ctrl+] that stands for it) or as a substitute character the device is
// configured to send instead (settings.gs_mode, settings.gs_substitute). Keystrokes go to the
// scan field when it has the focus; a fast burst ended by Enter in any other field (a
// quantity, a weight) is taken as a scan too and the field is put back as it was; keys typed
// with nothing focused go to the scan field. The text is sent as it was read: the server
// parses AIM prefixes and GS1 element strings (GS as the control character).
import {settings} from './store.js';

export const GS = '\x1d';
const GS_SHOWN = '\u241d'; // ␝, how the scan field shows a GS

function isGS(e) {
  return e.key === GS || (e.ctrlKey && !e.altKey && (e.key === ']' || e.code === 'BracketRight'));
}

function printable(e) {
  return e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
}

// The scanned text from what was typed: ␝ and, in substitute mode, the substitute back to GS;
// surrounding spaces dropped.
export function normalize(raw) {
  const s = settings();
  let t = String(raw).split(GS_SHOWN).join(GS);
  if (s.gs_mode === 'substitute' && s.gs_substitute) t = t.split(s.gs_substitute).join(GS);
  return t.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

function insertAtCaret(input, text) {
  const a = input.selectionStart ?? input.value.length;
  const b = input.selectionEnd ?? a;
  input.setRangeText(text, a, b, 'end');
}

// Listens for scans: onScan(text, how) with how 'wedge' (a fast burst) or 'keyboard'.
export function installWedge(field, onScan) {
  let burst = [];
  let last = 0;
  let target = null;
  let before = '';
  let fieldStart = 0;
  let fieldFast = true;

  document.addEventListener('keydown', (e) => {
    if (e.isComposing) return;
    const s = settings();
    const now = performance.now();
    const t = e.target;
    if (t === field) {
      if (field.value === '') {
        fieldStart = now;
        fieldFast = true;
      } else if (now - last > s.wedge_gap_ms) {
        fieldFast = false;
      }
      last = now;
      if (isGS(e)) {
        e.preventDefault();
        insertAtCaret(field, GS_SHOWN);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        const text = normalize(field.value);
        field.value = '';
        if (text) onScan(text, fieldFast && now - fieldStart < 5000 ? 'wedge' : 'keyboard');
      }
      return;
    }
    const editable = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
    if (!editable) {
      // nothing to type into has the focus: the keys go to the scan field
      if (printable(e) || isGS(e)) {
        e.preventDefault();
        field.focus();
        if (field.value === '') {
          fieldStart = now;
          fieldFast = true;
        }
        last = now;
        insertAtCaret(field, isGS(e) ? GS_SHOWN : e.key);
      } else if (e.key === 'Enter' && field.value !== '' && document.activeElement === field) {
        e.preventDefault();
      }
      return;
    }
    // another field: a fast burst ended by Enter is a scan
    if (now - last > s.wedge_gap_ms || target !== t) {
      burst = [];
      target = t;
      before = t.value;
    }
    last = now;
    if (isGS(e)) {
      e.preventDefault();
      burst.push(GS);
    } else if (printable(e)) {
      burst.push(e.key);
    } else if (e.key === 'Enter') {
      if (burst.length >= s.wedge_min_length) {
        // the field's own Enter handling must not see the scan
        e.preventDefault();
        e.stopPropagation();
        t.value = before;
        const text = normalize(burst.join(''));
        burst = [];
        if (text) onScan(text, 'wedge');
      }
      burst = [];
    }
  }, true);
}
