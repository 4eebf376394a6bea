/**
 * Serves a test-held dev issuer's JWKS over HTTP, so several server processes can verify the same
 * tokens (`--jwks-url <url> --issuer <iss>`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDevIssuer, type DevIssuer } from '../../src/auth/dev-issuer.js';

/** An issuer and the URL of its key set. */
export interface SharedIssuer {
  readonly issuer: DevIssuer;
  readonly jwksUrl: string;
  /** `serve` arguments that make a server trust this issuer. */
  readonly args: string[];
  close(): Promise<void>;
}

/** Starts the issuer's JWKS endpoint on a free loopback port. */
export async function startSharedIssuer(): Promise<SharedIssuer> {
  const issuer = await createDevIssuer();
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(issuer.jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return {
    issuer,
    jwksUrl,
    args: ['--jwks-url', jwksUrl, '--issuer', issuer.issuer],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
