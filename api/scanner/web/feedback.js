// feedback.js — what the operator hears and feels: a short high beep for an accepted scan, a
// low double buzz and a vibration for an error, a two-tone for a question.
import {settings} from './store.js';

let ctx = null;

function tone(freq, ms, at = 0, type = 'square') {
  if (!settings().sound) return;
  try {
    ctx = ctx || new (window.AudioContext || window.webkitAudioContext)();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.type = type;
    o.frequency.value = freq;
    g.gain.value = 0.15;
    o.connect(g).connect(ctx.destination);
    const t0 = ctx.currentTime + at / 1000;
    o.start(t0);
    o.stop(t0 + ms / 1000);
  } catch (e) {
    // no audio on this device
  }
}

function vibrate(pattern) {
  if (navigator.vibrate) navigator.vibrate(pattern);
}

export function ok() {
  tone(1760, 70, 0, 'sine');
}

export function error() {
  tone(180, 180, 0);
  tone(180, 180, 260);
  vibrate([250, 100, 250]);
}

export function question() {
  tone(880, 120, 0, 'sine');
  tone(660, 160, 150, 'sine');
  vibrate([120]);
}
