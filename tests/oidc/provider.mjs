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
//   OIDC_TEST_SSO_CLIENTS  JSON list of web clients of the authorization code flow, each
//                        {"client_id", "client_secret" (absent or null: a public client,
//                        token_endpoint_auth_method none), "redirect_uris": [...]}
//   OIDC_TEST_USERS      JSON list of the people who can sign in on the login page, each
//                        {"username", "password", "role", "agency", "sub"?}; sub defaults to
//                        the username; a role or agency of null is left out of the claims
//   OIDC_TEST_CONFORM=1  the claims of the `profile` scope only from userinfo, as OpenID
//                        Connect's conformIdTokenClaims has it (default: in the ID token too)
//   OIDC_TEST_WATCH_STDIN=1   exit when stdin closes (the parent test process went away)
//
// Two grants:
// - client_credentials (OIDC_TEST_CLIENTS): access tokens are RS256-signed JWTs (typ at+jwt)
//   with a kid that is in the provider's JWKS (jwks_uri in the discovery document);
// - authorization_code (OIDC_TEST_SSO_CLIENTS), PKCE (S256) required of every client: the
//   login page is this file's own (below, /interaction/<uid>): a form of username and password
//   checked against OIDC_TEST_USERS, and a cancel link that answers the client
//   error=access_denied. Consent is given at once (the clients are the province's own). The
//   ID token (RS256, aud = client_id, the request's nonce) carries sub and, for the `profile`
//   scope, preferred_username, dvc_role and dvc_agency; access tokens of this grant are
//   opaque and open the userinfo endpoint.

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

function parseList(name, check) {
  const raw = process.env[name];
  if (!raw) return [];
  let list;
  try {
    list = JSON.parse(raw);
  } catch (err) {
    fail(`${name} is not JSON: ${err.message}`);
  }
  if (!Array.isArray(list)) fail(`${name} must be a JSON list`);
  list.forEach(check);
  return list;
}

function parseSsoClients() {
  return parseList('OIDC_TEST_SSO_CLIENTS', (c) => {
    if (!c || typeof c.client_id !== 'string' || !Array.isArray(c.redirect_uris)) {
      fail(`each SSO client needs a string client_id and redirect_uris: ${JSON.stringify(c)}`);
    }
  });
}

function parseUsers() {
  return parseList('OIDC_TEST_USERS', (u) => {
    if (!u || typeof u.username !== 'string' || typeof u.password !== 'string') {
      fail(`each user needs a string username and password: ${JSON.stringify(u)}`);
    }
  });
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
const ssoClients = parseSsoClients();
const users = parseUsers();
const bySub = new Map(users.map((u) => [u.sub ?? u.username, u]));
const byUsername = new Map(users.map((u) => [u.username, u]));
const conform = process.env.OIDC_TEST_CONFORM === '1';
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
  clients: [
    ...clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: c.token_endpoint_auth_method || 'client_secret_basic',
      scope,
    })),
    ...ssoClients.map((c) => ({
      client_id: c.client_id,
      ...(c.client_secret ? { client_secret: c.client_secret } : {}),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: c.redirect_uris,
      token_endpoint_auth_method: c.client_secret ? 'client_secret_basic' : 'none',
    })),
  ],
  jwks: { keys: [signingJwk] },
  scopes: ['openid', 'profile', scope],
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'dvc_role', 'dvc_agency'],
  },
  conformIdTokenClaims: conform,
  findAccount: (_ctx, sub) => {
    const user = bySub.get(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      claims: () => {
        const claims = { sub, preferred_username: user.username };
        if (user.role !== null && user.role !== undefined) claims.dvc_role = user.role;
        if (user.agency !== null && user.agency !== undefined) claims.dvc_agency = user.agency;
        return claims;
      },
    };
  },
  // Every client of the code flow proves its request with PKCE, confidential ones too.
  pkce: { required: () => true },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    // The login page is this file's own (interactionHandler below), not the dev one: that
    // one loads a web font from the internet, and a test has none.
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // A client_credentials request without `resource` gets our API as its audience; the
      // code flow's access tokens stay the provider's own (for userinfo).
      defaultResource: (_ctx, client) => (byId.has(client?.clientId) ? resource : undefined),
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
    // The code flow's artifacts: a test's lifetimes, stated (the defaults warn at each use).
    AccessToken: 600,
    AuthorizationCode: 60,
    Grant: 3600,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
  },
  // The login session's and the interactions' cookies are signed with a fixed test key.
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

// The login page of the code flow: /interaction/<uid> shows the form (or gives consent at
// once), /interaction/<uid>/login checks it, /interaction/<uid>/abort cancels.
const page = (title, body) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${title}</title>
<link rel="icon" href="data:,"></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginForm(uid, message) {
  const error = message ? `<p role="alert" id="login-error">${escapeHtml(message)}</p>` : '';
  const invalid = message ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  return page('Hệ thống xác thực (thử nghiệm)', `${error}
<form method="post" action="/interaction/${uid}/login">
<p><label for="login">Tên đăng nhập</label> <input id="login" name="login" required${invalid}></p>
<p><label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" required${invalid}></p>
<p><button type="submit">Đăng nhập</button></p>
</form>
<p><a href="/interaction/${uid}/abort">Hủy</a></p>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function giveConsent(req, res, details) {
  const { prompt, grantId, session, params } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const result = { consent: { grantId: await grant.save() } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (action === 'abort') {
    const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name === 'consent') {
    await giveConsent(req, res, details);
    return;
  }
  if (action === 'login' && req.method === 'POST') {
    const form = await readForm(req);
    const user = byUsername.get(form.get('login') || '');
    if (user && user.password === form.get('password')) {
      const result = { login: { accountId: user.sub ?? user.username } };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      return;
    }
    res.statusCode = 401;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(loginForm(uid, 'Sai tên đăng nhập hoặc mật khẩu.'));
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(loginForm(uid));
}

const callback = provider.callback();
const INTERACTION = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/;
handler = (req, res) => {
  const match = INTERACTION.exec(new URL(req.url, issuer).pathname);
  if (!match) {
    callback(req, res);
    return;
  }
  interaction(req, res, match[1], match[2]).catch((err) => {
    process.stderr.write(`interaction error: ${err?.stack || err}\n`);
    if (!res.headersSent) {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    }
    res.end(`interaction failed: ${err?.message || err}`);
  });
};

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
