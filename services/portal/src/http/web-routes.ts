import path from 'node:path';
import { HttpProblem, sendProblem } from '@s3p/service-kit';
import type { Response } from 'express';
import express, { Router } from 'express';

/** Vite names every file under `assets/` by its content's hash: a new build is a new name. */
const hashedAssets = '/assets/';
const forever = 'public, max-age=31536000, immutable';
/** Every other file (index.html above all) is asked for again each time, so a new build shows at once. */
const revalidate = 'no-cache';

/**
 * The page's own rules: scripts, styles and API calls from this origin only, never framed.
 * Vite's production build has no inline script or style, so nothing needs 'unsafe-inline'.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that are never the web application's, even when nothing else answers them. */
const notTheApp = /^\/(api|\.well-known|assets)(\/|$)/;

const notBuilt = new HttpProblem(
  503,
  'Service Unavailable',
  'the web application is not built: run `npm run build` (services/portal: dist/web)',
  undefined,
  { 'retry-after': '60' },
);

/**
 * The web application built by Vite in `webDir`: its files as they are (hashed assets cached for a
 * year, the rest revalidated), and `index.html` for any other GET outside `/api`, `/.well-known`
 * and `/assets`, so that a link into the application (`/pilots/…`, a notification's link) opens it
 * at that place. Without a build the portal still runs: `/` answers 503 problem+json.
 */
export function webRoutes(webDir: string): Router {
  const router = Router();
  const index = path.join(webDir, 'index.html');

  const sendIndex = (res: Response) => {
    res.set({
      'cache-control': revalidate,
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.sendFile(index, (error?: NodeJS.ErrnoException) => {
      if (!error || res.headersSent) return;
      res.removeHeader('content-security-policy');
      res.removeHeader('cache-control');
      sendProblem(res, notBuilt);
    });
  };

  router.use(
    express.static(webDir, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      setHeaders: (res, file) => {
        const relative = `/${path.relative(webDir, file).split(path.sep).join('/')}`;
        res.setHeader('cache-control', relative.startsWith(hashedAssets) ? forever : revalidate);
        res.setHeader('x-content-type-options', 'nosniff');
        if (relative === '/index.html') res.setHeader('content-security-policy', contentSecurityPolicy);
      },
    }),
  );

  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || notTheApp.test(req.path)) return next();
    sendIndex(res);
  });
  return router;
}
