// codes.js — what a scanned string is, so that a screen can tell a shipment label from an item
// or a bin: the AIM prefix stripped, a GS1 SSCC (AI 00) found, an ASN number or a UUID
// recognised. The item barcodes themselves are parsed by the server.
const AIM = /^\][A-Za-z][0-9A-Za-z]/;

export function stripAim(code) {
  return AIM.test(code) ? code.slice(3) : code;
}

// The 18-digit SSCC of a carton label (']C100' + 18 digits, '(00)' + 18, '00' + 18, or the 18
// digits alone), else null.
export function sscc(code) {
  const c = stripAim(code).replace(/^\(00\)/, '00');
  if (/^00\d{18}$/.test(c)) return c.slice(2);
  if (/^\d{18}$/.test(c)) return c;
  return null;
}

export function isAsn(code) {
  return /^ASN-[0-9A-Fa-f]{10}$/.test(code);
}

export function isUuid(code) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(code);
}

// A shipment reference: the ASN number, the shipment's id or a carton's SSCC.
export function shipmentRef(code) {
  if (isAsn(code) || isUuid(code)) return code;
  return sscc(code);
}

// Bin codes are [A-Z0-9][A-Z0-9._-]{0,31} and are not all digits (those are items).
export function looksLikeBin(code) {
  return /^[A-Z0-9][A-Z0-9._-]{0,31}$/.test(code) && !/^\d+$/.test(code);
}
