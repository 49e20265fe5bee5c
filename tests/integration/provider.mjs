// A real OpenID provider (the npm package oidc-provider) on 127.0.0.1 for
// jwtgate's integration tests (tests/integration/run_oidc_test.sh and the
// Python framework tests, tests/python/test_frameworks.py): client-credentials
// clients (jwtgate-roles' tokens carry Entra-style app roles), JWT access tokens
// through resource indicators (RFC 8707), RS256 and ES256 signing keys, and
// two test-only routes: POST /__test/rotate replaces every signing key (new
// kids, old ones withdrawn) and GET /__test/stats counts the discovery and
// JWK Set requests served. Prints {"port": N} once listening. Stops by itself
// when its standard input closes, on SIGTERM, or after 120 s.
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const secret = process.env.JWTGATE_TEST_CLIENT_SECRET;
if (!secret) {
  console.error('provider.mjs: JWTGATE_TEST_CLIENT_SECRET is not set');
  process.exit(2);
}

// One RSA and one P-256 key per generation; the kid names the generation.
function signingKeys(generation) {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [
    { ...rsa, kid: `rsa-${generation}`, use: 'sig', alg: 'RS256' },
    { ...ec, kid: `ec-${generation}`, use: 'sig', alg: 'ES256' },
  ];
}

// Each resource indicator names the algorithm its access tokens are signed with.
const resources = { 'urn:jwtgate:rs256': 'RS256', 'urn:jwtgate:es256': 'ES256' };

function makeProvider(issuer, generation) {
  const client = (id, method) => ({
    client_id: id,
    client_secret: secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: method,
  });
  const provider = new Provider(issuer, {
    clients: [
      client('jwtgate-post', 'client_secret_post'),
      client('jwtgate-basic', 'client_secret_basic'),
      client('jwtgate-roles', 'client_secret_post'),
    ],
    jwks: { keys: signingKeys(generation) },
    scopes: ['api.read'],
    // An app-only token's permissions as Entra issues them: a "roles" claim.
    extraTokenClaims: (ctx, token) =>
      token.clientId === 'jwtgate-roles' ? { roles: ['Data.Read', 'Data.List'] } : undefined,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:jwtgate:rs256',
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          const alg = resources[resource];
          if (!alg) throw new errors.InvalidTarget();
          return {
            scope: 'api.read',
            audience: resource,
            accessTokenTTL: 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg } },
          };
        },
      },
    },
  });
  return provider;
}

const stats = { discovery: 0, jwks: 0, token: 0, generation: 1 };
let current = null;
let handler = null;

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/__test/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  if (path === '/__test/rotate' && req.method === 'POST') {
    stats.generation += 1;
    current = makeProvider(current.issuer, stats.generation);
    handler = current.callback();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ generation: stats.generation }));
    return;
  }
  if (path === '/.well-known/openid-configuration') stats.discovery += 1;
  if (path === '/jwks') stats.jwks += 1;
  if (path === '/token') stats.token += 1;
  handler(req, res);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  current = makeProvider(`http://127.0.0.1:${port}`, 1);
  handler = current.callback();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
setTimeout(() => {
  console.error('provider.mjs: stopping after 120 s');
  process.exit(0);
}, 120_000).unref();
