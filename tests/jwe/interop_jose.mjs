// Makes nested JWTs with jose (npm, panva/jose), the library oidc-provider
// is built on, for jwtgate's JWE interoperability test (run_interop.sh):
// an RS256-signed JWT inside a JWE, for every key management algorithm x
// content encryption that jwtgate supports, ECDH-ES on P-256, P-384, P-521
// and X25519. Writes into the directory given as argv[2]:
//   jwks.json           the signing key's public JWK Set
//   <name>.pem          PKCS#8 private keys: rsa, p256, p384, p521, x25519
//   secrets.json        {"k16": base64, "k24": ..., "k32": ..., "k48": ..., "k64": ...}
//   tokens.tsv          one line per token: alg, enc, curve, token
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';

const dir = process.argv[2];
const now = Math.floor(Date.now() / 1000);

const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'interop-sig', alg: 'RS256', use: 'sig' };
writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [signingJwk] }));

const pairs = {
  rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  p256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  p384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  p521: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  x25519: generateKeyPairSync('x25519'),
};
for (const [name, pair] of Object.entries(pairs))
  writeFileSync(join(dir, `${name}.pem`), pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
const secrets = {};
for (const n of [16, 24, 32, 48, 64]) secrets[`k${n}`] = randomBytes(n);
writeFileSync(join(dir, 'secrets.json'),
  JSON.stringify(Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v.toString('base64')]))));

const jws = await new jose.SignJWT({ scp: 'read', oid: '00000000-0000-0000-0000-000000000001' })
  .setProtectedHeader({ alg: 'RS256', kid: 'interop-sig', typ: 'JWT' })
  .setIssuer('https://issuer.example/')
  .setAudience('api://interop')
  .setIssuedAt(now - 60)
  .setNotBefore(now - 60)
  .setExpirationTime(now + 3600)
  .sign(signing.privateKey);
const plaintext = new TextEncoder().encode(jws);

const encs = ['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM'];
const cekBytes = { 'A128CBC-HS256': 32, 'A192CBC-HS384': 48, 'A256CBC-HS512': 64, A128GCM: 16, A192GCM: 24, A256GCM: 32 };
const cases = [];
for (const alg of ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'])
  for (const enc of encs) cases.push({ alg, enc, curve: '-', key: pairs.rsa.publicKey });
for (const [alg, n] of [['A128KW', 16], ['A192KW', 24], ['A256KW', 32], ['A128GCMKW', 16], ['A192GCMKW', 24], ['A256GCMKW', 32]])
  for (const enc of encs) cases.push({ alg, enc, curve: '-', key: secrets[`k${n}`] });
for (const enc of encs) cases.push({ alg: 'dir', enc, curve: '-', key: secrets[`k${cekBytes[enc]}`] });
for (const curve of ['p256', 'p384', 'p521', 'x25519'])
  for (const alg of ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'])
    for (const enc of encs) cases.push({ alg, enc, curve, key: pairs[curve].publicKey });

const lines = [];
for (const c of cases) {
  let token = '';
  try {
    token = await new jose.CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: c.alg, enc: c.enc, cty: 'JWT' })
      .encrypt(c.key);
  } catch (e) {
    token = `ERROR:${String(e.message).replace(/\s+/g, ' ')}`;
  }
  lines.push([c.alg, c.enc, c.curve, token].join('\t'));
}
writeFileSync(join(dir, 'tokens.tsv'), lines.join('\n') + '\n');
console.log(`interop_jose: ${lines.length} tokens from jose ${jose.cryptoRuntime ?? ''}`.trim());
