import helmet from 'helmet';
import type { NodeMiddleware } from './cors';

export interface SecurityHeaderOptions {
  /** 0 sends no Strict-Transport-Security (plain-HTTP development). */
  hstsMaxAgeSeconds: number;
}

/**
 * The headers of every answer: the API answers JSON, which no browser should render, sniff or
 * frame, and no link from it should leak the URL. A page that needs a policy of its own (the
 * portal's web application) replaces the Content-Security-Policy on its own answers.
 */
export function securityHeaders({ hstsMaxAgeSeconds }: SecurityHeaderOptions): NodeMiddleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity:
      hstsMaxAgeSeconds > 0 ? { maxAge: hstsMaxAgeSeconds, includeSubDomains: true } : false,
  });
}
