// camera.js — scanning with the camera where the browser has a barcode detector
// (BarcodeDetector: Chrome on Android); the button is hidden elsewhere, and the wedge or
// typing remain. A detected code is handed over as a scan; the GS1 symbols' rawValue carries
// GS as the control character, which the server parses.
import {$} from './ui.js';

export function cameraAvailable() {
  return 'BarcodeDetector' in window && !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

let stream = null;
let timer = null;

export function stopCamera() {
  clearInterval(timer);
  timer = null;
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  $('camview').hidden = true;
}

export async function startCamera(onScan, onError) {
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    const detector = new window.BarcodeDetector({formats});
    stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}});
    const video = $('video');
    video.srcObject = stream;
    $('camview').hidden = false;
    await video.play();
    timer = setInterval(async () => {
      if (!stream) return;
      try {
        const found = await detector.detect(video);
        if (found.length) {
          const code = found[0].rawValue;
          stopCamera();
          onScan(code, 'camera');
        }
      } catch (e) {
        // a frame that could not be read: try the next
      }
    }, 200);
  } catch (e) {
    stopCamera();
    onError('the camera cannot be used: ' + (e.message || e.name));
  }
}
