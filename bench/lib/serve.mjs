import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const types = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };

/**
 * A request handler for the files in `dir`, with the cross-origin isolation headers that
 * SharedArrayBuffer and performance.measureUserAgentSpecificMemory need, embeddable from another
 * origin (CORP), never cached.
 */
export function staticFiles(dir) {
  return async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    try {
      const body = await readFile(join(dir, path === '/' ? 'index.html' : path));
      response.writeHead(200, {
        'content-type': types[extname(path)] ?? 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'cross-origin',
        'cache-control': 'no-store',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  };
}

/** Serves `dir` (staticFiles) on 127.0.0.1. Resolves to { url, close }. */
export function serve(dir) {
  const server = createServer(staticFiles(dir));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
    });
  });
}
