// A real OpenID Connect provider (panva's certified oidc-provider) that the tests start on a free loopback port,
// playing ProConnect: discovery, authorization code with PKCE required, RS256-signed ID tokens and userinfo,
// the `claims` parameter (acr, amr), RP-initiated logout. Started by tests/oidc.py, which reads the first line
// printed ({"issuer": ...}) and stops the process by its id.
//
// Environment: CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS and POST_LOGOUT_REDIRECT_URIS (comma-separated).
//
// Test-only routes, for the test that drives it:
//   POST /_essai/compte      {"email", "email_verified", "given_name", "usual_name", "acr", "amr"}: the identity
//                            behind the login typed (by default: the login as a verified e-mail, no acr);
//   POST /_essai/alteration  {"mode": "signature" | "nonce" | "emetteur" | "audience"}: the next token response
//                            carries an ID token signed by a key the provider does not publish (same key id), or
//                            signed by its real key with another nonce, issuer or audience. The token endpoint
//                            itself is the provider's own.
//   GET|POST /interaction/:uid  the sign-in page (a login field, no password).

import { createServer } from 'node:http';

import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const liste = (valeur) => (valeur || '').split(',').filter(Boolean);
const KID = 'cle-du-fournisseur';

const { privateKey: cle } = await generateKeyPair('RS256', { extractable: true });
const { privateKey: cleInconnue } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(cle)), kid: KID, alg: 'RS256', use: 'sig' };

const comptes = new Map();
let alteration = null;

const serveur = createServer();
await new Promise((fin) => serveur.listen(0, '127.0.0.1', fin));
const issuer = `http://127.0.0.1:${serveur.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: liste(process.env.REDIRECT_URIS),
      post_logout_redirect_uris: liste(process.env.POST_LOGOUT_REDIRECT_URIS),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      userinfo_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['cle-des-cookies-du-fournisseur-de-test'] },
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'given_name', 'usual_name'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    acr: null,
    amr: null,
    auth_time: null,
  },
  acrValues: ['eidas1', 'eidas2', 'https://proconnect.gouv.fr/assurance/self-asserted-2fa'],
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const compte = comptes.get(id) ?? { email: id, email_verified: true };
    return {
      accountId: id,
      async claims() {
        const { acr, amr, ...identite } = compte;
        return { sub: id, ...identite };
      },
    };
  },
  // Every scope and claim asked for is granted: no consent page (a first-party client, as ProConnect's are).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email given_name usual_name');
    grant.addOIDCClaims(['acr', 'amr', 'auth_time']);
    await grant.save();
    return grant;
  },
});

async function lireTexte(req) {
  let texte = '';
  for await (const morceau of req) texte += morceau;
  return texte;
}

async function lireJson(req) {
  const texte = await lireTexte(req);
  return texte ? JSON.parse(texte) : {};
}

async function signer(claims, clePrivee) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID }).sign(clePrivee);
}

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/_essai/compte') {
    const compte = await lireJson(ctx.req);
    comptes.set(compte.email, compte);
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/_essai/alteration') {
    alteration = (await lireJson(ctx.req)).mode ?? null;
    ctx.status = 204;
    return;
  }
  const interaction = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (interaction && ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = `<!doctype html><form method="post" action="${ctx.path}"><label>Identifiant <input name="login"></label><button>Se connecter</button></form>`;
    return;
  }
  if (interaction && ctx.method === 'POST') {
    const login = new URLSearchParams(await lireTexte(ctx.req)).get('login');
    const compte = comptes.get(login) ?? {};
    const resultat = { login: { accountId: login, acr: compte.acr, amr: compte.amr } };
    ctx.status = 303;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, resultat, { mergeWithLastSubmission: false }));
    return;
  }
  await next();
  if (ctx.path === '/token' && alteration && ctx.body?.id_token) {
    const claims = decodeJwt(ctx.body.id_token);
    const autres = {
      nonce: { nonce: 'un-autre-nonce' },
      emetteur: { iss: 'https://un-autre-fournisseur.example' },
      audience: { aud: 'un-autre-service' },
    };
    ctx.body.id_token =
      alteration === 'signature' ? await signer(claims, cleInconnue) : await signer({ ...claims, ...autres[alteration] }, cle);
    alteration = null;
  }
});

serveur.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => serveur.close(() => process.exit(0)));
