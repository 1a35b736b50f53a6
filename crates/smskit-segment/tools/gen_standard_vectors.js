#!/usr/bin/env node
'use strict';
// Generates testdata/standard.jsonl: conformance vectors for the standard mode (automatic
// encoding, 8-bit concatenation reference), with the expected parts computed by split-sms
// 0.1.7, the peer that follows TS 23.038/23.040 exactly (escapes and surrogate pairs never
// split). Nothing of split-sms is committed; only its answers are.
//
//   npm install split-sms@0.1.7
//   node tools/gen_standard_vectors.js > testdata/standard.jsonl
//
// Each line: {"name", "text", "encoding": "GSM-7"|"UCS-2", "parts": [units...], "remaining"}.
const splitSms = require(require.resolve('split-sms', { paths: [process.cwd(), __dirname] }));

const cases = [];
const add = (name, text) => cases.push({ name, text });

// Worked examples of the spec.
add('empty text is one GSM-7 part of 0 units', '');
add('160 septets fit one message', 'a'.repeat(160));
add('161 septets need two parts of 153 + 8', 'a'.repeat(161));
add('153 x ] is 152 + 152 + 2 (escape never split)', ']'.repeat(153));
add('66 a + emoji + 66 a is 66 + 67 + 1 (surrogate pair never split)', 'a'.repeat(66) + '😀' + 'a'.repeat(66));
add('70 UCS-2 units fit one message', 'ж'.repeat(70));
add('71 UCS-2 units need 67 + 4', 'ж'.repeat(71));
add('CRLF costs two septets', 'a\r\nb');
add('CRLF across the 160 boundary', 'a'.repeat(159) + '\r\n');
add('LF alone', 'line one\nline two');

// Every extension character at every position around the boundaries.
const EXTENSION = ['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];
for (const ext of EXTENSION) {
  const label = ext === '\f' ? 'FF' : ext;
  for (const before of [0, 1, 151, 152, 153, 157, 158, 159, 160, 304, 305, 306]) {
    for (const after of [0, 1, 7]) {
      add(`extension ${label} after ${before} septets, ${after} after`, 'a'.repeat(before) + ext + 'b'.repeat(after));
    }
  }
  add(`only extension ${label} x 80`, ext.repeat(80));
  add(`only extension ${label} x 81`, ext.repeat(81));
}

// Emoji (surrogate pairs) at the UCS-2 boundaries.
for (const emoji of ['😀', '👍', '🇧', '𝔸']) {
  for (const before of [0, 1, 64, 65, 66, 67, 68, 69, 70, 131, 132, 133, 134]) {
    for (const after of [0, 1, 3]) {
      add(`${emoji} after ${before} UCS-2 units, ${after} after`, 'ж'.repeat(before) + emoji + 'ж'.repeat(after));
    }
  }
  add(`only ${emoji} x 35`, emoji.repeat(35));
  add(`only ${emoji} x 36`, emoji.repeat(36));
}

// Characters that force UCS-2 (and some that do not).
const FORCING = ['ç', '`', '\t', '\u00a0', 'α', '’', '–', '\u0301', '\u001b', '\u000b', '\u007f', 'ÿ', 'Ç', 'é', '€', '😀', '中'];
for (const ch of FORCING) {
  const name = 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
  add(`${name} in a short text`, 'Sale ' + ch + ' today');
  add(`${name} in a 160-septet text`, 'a'.repeat(80) + ch + 'a'.repeat(79));
  add(`${name} at the start of a long text`, ch + 'a'.repeat(200));
}

// Every character of the GSM alphabet, alone and in long runs.
const GSM = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
add('the whole default alphabet', GSM);
add('the whole default alphabet twice', GSM + GSM);
add('the whole alphabet and extension table', GSM + EXTENSION.join('') + GSM);

// Pseudo-random texts (fixed seed) mixing plain, extension, accented, non-GSM and astral
// characters, with lengths spread around the boundaries.
let seed = 0x5eed;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const POOLS = [
  'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789.,!?',
  'abcdefghij €[]{}^~|\\\f',
  'abcdefghij éèÅøΔΩ£¥§¿¡',
  'abcdefghij ’“”–ç\u00a0',
  'abcdef 😀👍🏽🇧🇪👨‍👩‍👧ж中',
];
for (let i = 0; i < 400; i++) {
  const pool = [...POOLS[Math.floor(random() * POOLS.length)]];
  const gsmOnly = pool.every((c) => GSM.includes(c) || EXTENSION.includes(c));
  const target = gsmOnly ? [150, 160, 306, 459][i % 4] : [60, 70, 134, 201][i % 4];
  const length = Math.max(0, target + Math.floor(random() * 20) - 10);
  let text = '';
  while ([...text].length < length) text += pool[Math.floor(random() * pool.length)];
  add(`random ${i}`, text);
}

for (const { name, text } of cases) {
  const result = splitSms.split(text);
  const gsm = result.characterSet === 'GSM';
  const parts = result.parts.map((part) => (gsm ? part.bytes : part.bytes / 2));
  console.log(JSON.stringify({ name, text, encoding: gsm ? 'GSM-7' : 'UCS-2', parts, remaining: result.remainingInPart }));
}
