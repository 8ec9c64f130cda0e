import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { acceptTotp, newTotpSecret, totpCode } from './totp.js';

// RFC 6238 Appendix B: SHA-1 secret "12345678901234567890", T = 59 s → 94287082 (8 digits); its last 6 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('codes match the RFC 6238 test vector', () => {
  assert.equal(totpCode(RFC_SECRET, 59_000), '287082');
  assert.equal(totpCode(RFC_SECRET, 1_111_111_109_000), '081804');
});

test('a code is accepted one step either side, never twice, never malformed', () => {
  const secret = newTotpSecret();
  const now = 1_700_000_000_000;
  const step = acceptTotp(secret, totpCode(secret, now), now);
  assert.equal(step, Math.floor(now / 30_000));
  assert.equal(acceptTotp(secret, totpCode(secret, now), now, step), undefined, 'replay');
  assert.equal(acceptTotp(secret, totpCode(secret, now + 30_000), now, step), step! + 1, 'next step');
  assert.equal(acceptTotp(secret, totpCode(secret, now + 90_000), now), undefined, 'too far ahead');
  assert.equal(acceptTotp(secret, '12345', now), undefined);
  assert.equal(acceptTotp(secret, 'abcdef', now), undefined);
});
