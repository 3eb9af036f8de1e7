// A real OpenID Connect provider (panva/oidc-provider 9) for DVC Gateway's integration tests.
//
//   node tests/oidc/provider.mjs [PORT]        (PORT from argv, else $OIDC_TEST_PORT, else 0)
//
// Port 0 lets the kernel pick a free port: the HTTP server is bound first and the provider is
// built afterwards with issuer http://127.0.0.1:<actual port>, so there is no race between
// choosing a port and binding it. Once listening it prints exactly one line on stdout:
//
//   READY http://127.0.0.1:<PORT>
//
// Environment:
//   OIDC_TEST_CLIENTS    JSON list of confidential clients, each
//                        {"client_id", "client_secret", "username", "role", "agency"};
//                        the last three become the access token claims preferred_username,
//                        dvc_role and dvc_agency. Default: one client from the two below.
//   OIDC_TEST_CLIENT_ID / OIDC_TEST_CLIENT_SECRET   default client (dvc-test / dvc-test-secret)
//   OIDC_TEST_AUDIENCE   the resource server's audience, the tokens' "aud" (dvc-gateway)
//   OIDC_TEST_SCOPE      the resource server's scope (officer)
//   OIDC_TEST_RESOURCE   its resource indicator, an absolute URI (the audience if it is one,
//                        else urn:dvc-test:<audience>); requests without `resource` get it
//   OIDC_TEST_TTL        client_credentials access token lifetime in seconds (600)
//   OIDC_TEST_WATCH_STDIN=1   exit when stdin closes (the parent test process went away)
//
// Only the client_credentials grant is used: access tokens are RS256-signed JWTs (typ at+jwt)
// with a kid that is in the provider's JWKS (jwks_uri in the discovery document).

import * as http from 'node:http';
import * as crypto from 'node:crypto';
import process from 'node:process';

import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';

const HOST = '127.0.0.1';

function fail(message) {
  process.stderr.write(`provider.mjs: ${message}\n`);
  process.exit(2);
}

function parseClients() {
  const raw = process.env.OIDC_TEST_CLIENTS;
  if (!raw) {
    return [{
      client_id: process.env.OIDC_TEST_CLIENT_ID || 'dvc-test',
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET || 'dvc-test-secret',
      username: process.env.OIDC_TEST_USERNAME || 'dvc-test',
      role: process.env.OIDC_TEST_ROLE || 'officer',
      agency: process.env.OIDC_TEST_AGENCY || '',
    }];
  }
  let clients;
  try {
    clients = JSON.parse(raw);
  } catch (err) {
    fail(`OIDC_TEST_CLIENTS is not JSON: ${err.message}`);
  }
  if (!Array.isArray(clients) || clients.length === 0) {
    fail('OIDC_TEST_CLIENTS must be a non-empty JSON list');
  }
  const seen = new Set();
  for (const c of clients) {
    if (!c || typeof c.client_id !== 'string' || typeof c.client_secret !== 'string') {
      fail(`each client needs string client_id and client_secret: ${JSON.stringify(c)}`);
    }
    if (seen.has(c.client_id)) fail(`duplicate client_id ${c.client_id}`);
    seen.add(c.client_id);
  }
  return clients;
}

function parsePort() {
  const raw = process.argv[2] ?? process.env.OIDC_TEST_PORT ?? '0';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad port ${raw}`);
  return port;
}

function parseTtl() {
  const raw = process.env.OIDC_TEST_TTL;
  if (!raw) return 600;
  const ttl = Number(raw);
  if (!Number.isInteger(ttl) || ttl < 1) fail(`OIDC_TEST_TTL must be a positive integer: ${raw}`);
  return ttl;
}

const clients = parseClients();
const byId = new Map(clients.map((c) => [c.client_id, c]));
const audience = process.env.OIDC_TEST_AUDIENCE || 'dvc-gateway';
const scope = process.env.OIDC_TEST_SCOPE || 'officer';
// oidc-provider insists that a resource indicator (RFC 8707) is an absolute URI, while the
// token's "aud" may be any string: a bare audience like "dvc-gateway" is served under a URN.
const resource = process.env.OIDC_TEST_RESOURCE
  || (/^[a-z][a-z0-9+.-]*:/i.test(audience) ? audience : `urn:dvc-test:${audience}`);
const ttl = parseTtl();
const port = parsePort();

// A fresh RSA signing key per run; the provider publishes its public half at jwks_uri.
const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
const signingJwk = {
  ...(await exportJWK(privateKey)),
  kid: `test-${crypto.randomBytes(6).toString('hex')}`,
  alg: 'RS256',
  use: 'sig',
};

// Bind first (possibly to port 0), build the provider once the issuer's port is known.
let handler = (_req, res) => {
  res.statusCode = 503;
  res.end('starting');
};
const server = http.createServer((req, res) => handler(req, res));
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, HOST, resolve);
});
const issuer = `http://${HOST}:${server.address().port}`;

const resourceServer = {
  scope,
  audience,
  accessTokenFormat: 'jwt',
  accessTokenTTL: ttl,
  jwt: { sign: { alg: 'RS256' } },
};

const provider = new Provider(issuer, {
  clients: clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: c.token_endpoint_auth_method || 'client_secret_basic',
    scope,
  })),
  jwks: { keys: [signingJwk] },
  scopes: ['openid', scope],
  features: {
    // Only the grant we use: no login UI, no dev interactions.
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // A token request without `resource` gets our API as its audience.
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resourceIndicator) => {
        if (resourceIndicator !== resource) {
          throw new errors.InvalidTarget(`unknown resource ${resourceIndicator}`);
        }
        return resourceServer;
      },
    },
  },
  extraTokenClaims: (_ctx, token) => {
    const client = byId.get(token.clientId);
    if (!client) return undefined;
    const claims = {};
    if (client.username !== undefined) claims.preferred_username = client.username;
    if (client.role !== undefined) claims.dvc_role = client.role;
    if (client.agency !== undefined) claims.dvc_agency = client.agency;
    return claims;
  },
  ttl: {
    ClientCredentials: ttl,
  },
  // Session/interaction cookies are unused by client_credentials; fixed keys keep it quiet.
  cookies: { keys: ['dvc-gateway-oidc-test-only'] },
  // The default error page renders HTML; tests want the JSON body (the default for /token).
  renderError: (ctx, out) => {
    ctx.type = 'json';
    ctx.body = out;
  },
});

// Loopback only; never behind a proxy. Surface server-side errors in the process output.
provider.on('server_error', (_ctx, err) => {
  process.stderr.write(`server_error: ${err?.stack || err}\n`);
});
provider.on('grant.error', (_ctx, err) => {
  process.stderr.write(`grant.error: ${err?.name}: ${err?.message} ${err?.error_description || ''}\n`);
});

handler = provider.callback();

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
if (process.env.OIDC_TEST_WATCH_STDIN === '1') {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}

process.stdout.write(`READY ${issuer}\n`);
